// Command ncpmock runs a mock server of NCP's SSO "create users in batch"
// endpoint, prints its spec, and (in later subcommands) generates data and
// checks servers against the contract. Run "ncpmock help" for usage.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	os.Exit(exitCode(err, os.Stderr))
}
