// Command soakload sends a bounded mix of valid, invalid and faulted traffic
// to a running ncpmock on loopback, for bench/soak.sh, and prints what came
// back. Every random choice comes from -seed. It exits 1 when an answer was
// unexpected (a client timeout or an error no fault explains) or when the
// server no longer answers /healthz at the end.
//
//	go run ./bench/soakload -url http://127.0.0.1:8780 -duration 60s
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "soakload:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout io.Writer) error {
	cfg, err := parseFlags(args)
	if err != nil {
		return err
	}
	mix, err := newMix(cfg.seed)
	if err != nil {
		return err
	}
	tally := drive(ctx, cfg, mix)
	tally.print(stdout, cfg)
	if err := healthy(cfg); err != nil {
		return fmt.Errorf("after the load: %w", err)
	}
	if n := tally.unexpected(); n > 0 {
		return fmt.Errorf("%d unexpected outcomes (see above)", n)
	}
	return nil
}

func parseFlags(args []string) (config, error) {
	fs := flag.NewFlagSet("soakload", flag.ContinueOnError)
	var c config
	fs.StringVar(&c.url, "url", "http://127.0.0.1:8780", "base `URL` of the mock (loopback only)")
	fs.DurationVar(&c.duration, "duration", defaultDuration, "how long to send requests")
	fs.IntVar(&c.concurrency, "concurrency", 16, "requests in flight at once")
	fs.Uint64Var(&c.seed, "seed", 1, "seed of every random choice")
	fs.DurationVar(&c.timeout, "timeout", defaultTimeout, "client timeout of one request")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	c.adminToken = os.Getenv("NCPMOCK_ADMIN_TOKEN")
	return c, c.check()
}
