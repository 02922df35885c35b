// Command ncpmock runs a mock server of NCP's SSO "create users in batch"
// endpoint (serve), generates request bodies from its spec (gen), checks a
// real or mock server against the contract (test), signs requests for the
// API Gateway (sign) and prints the spec (spec). Run "ncpmock help" for usage.
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
