package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/ncpmock/ncpmock/apigw"
)

// env is what a command may touch of the world outside it.
type env struct {
	getenv func(string) string
	stdout io.Writer
	stderr io.Writer
}

// command is one ncpmock subcommand.
type command struct {
	name    string
	summary string
	// flags builds the command's flag set; run runs it after parsing.
	flags func(fs *flag.FlagSet) func(ctx context.Context, e *env, args []string) error
	// env lists the environment variables the command reads, for its help.
	env []envVar
}

// envVar is an environment variable a command reads, and what for.
type envVar struct{ name, usage string }

// keysEnv are the environment variables of an API key pair.
func keysEnv(usage string) []envVar {
	return []envVar{
		{apigw.EnvAccessKey, "access key of the pair " + usage},
		{apigw.EnvSecretKey, "its secret key"},
	}
}

// commands lists every subcommand, in the order help shows them.
func commands() []command {
	return []command{
		{name: "serve", summary: "run the mock server", flags: serveFlags, env: append(
			keysEnv("that --auth ncp accepts when neither --access-key nor --credentials is given"),
			envVar{envAdminToken, "token of the admin API, when --admin-token is not given"})},
		{name: "spec", summary: "print the embedded OpenAPI spec", flags: specFlags},
		{name: "test", summary: "check a real or mock server against the contract", flags: testFlags,
			env: keysEnv("that signs every request (API Gateway signature v2) and runs the auth/* cases; without both, requests go unsigned and those cases are skipped")},
		{name: "sign", summary: "print API Gateway signature headers for a request", flags: signFlags,
			env: keysEnv("to sign with (both required)")},
		{name: "gen", summary: "generate request bodies from the spec: valid, boundary or invalid", flags: genFlags},
	}
}

// usageError is a mistake in the command line: exit code 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

// exitError carries an exit code chosen by a command.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// exitCode reports err on stderr and returns the process exit code.
func exitCode(err error, stderr io.Writer) int {
	var ue *usageError
	var ee *exitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "ncpmock: %s\n", ue.msg)
		return 2
	case errors.As(err, &ee):
		if ee.err != nil && ee.err.Error() != "" {
			fmt.Fprintf(stderr, "ncpmock: %v\n", ee.err)
		}
		return ee.code
	}
	fmt.Fprintf(stderr, "ncpmock: %v\n", err)
	return 1
}

// run is the whole program, testable: it parses args, runs one subcommand and
// returns when it is done or ctx is cancelled.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	e := &env{getenv: getenv, stdout: stdout, stderr: stderr}
	if len(args) == 0 {
		printUsage(stdout)
		return &usageError{msg: "no command given; see 'ncpmock help'"}
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		return help(e, args[1:])
	case "-version", "--version", "version":
		fmt.Fprintln(stdout, versionString())
		return nil
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return runCommand(ctx, e, c, args[1:])
		}
	}
	return &usageError{msg: fmt.Sprintf("unknown command %q; see 'ncpmock help'", args[0])}
}

func runCommand(ctx context.Context, e *env, c command, args []string) error {
	fs := flag.NewFlagSet("ncpmock "+c.name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	body := c.flags(fs)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			printCommandUsage(e.stdout, c, fs)
			return nil
		}
		return &usageError{msg: fmt.Sprintf("%s: %v (see 'ncpmock help %s')", c.name, err, c.name)}
	}
	return body(ctx, e, fs.Args())
}

func help(e *env, args []string) error {
	if len(args) == 0 {
		printUsage(e.stdout)
		return nil
	}
	for _, c := range commands() {
		if c.name == args[0] {
			fs := flag.NewFlagSet("ncpmock "+c.name, flag.ContinueOnError)
			c.flags(fs)
			printCommandUsage(e.stdout, c, fs)
			return nil
		}
	}
	return &usageError{msg: fmt.Sprintf("help: unknown command %q", args[0])}
}

func printUsage(w io.Writer) {
	fmt.Fprint(w, `ncpmock: a mock server and contract tests for NCP SSO's POST /api/v1/users/bulk

Usage:
  ncpmock <command> [flags]

Commands:
`)
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.summary)
	}
	fmt.Fprint(w, `
Run 'ncpmock help <command>' for a command's flags, 'ncpmock --version' for the version.
`)
}

func printCommandUsage(w io.Writer, c command, fs *flag.FlagSet) {
	fmt.Fprintf(w, "Usage: ncpmock %s [flags]\n\n%s.\n\nFlags:\n", c.name, upperFirst(c.summary))
	printFlags(w, fs)
	if len(c.env) > 0 {
		fmt.Fprint(w, "\nEnvironment:\n")
		for _, v := range c.env {
			fmt.Fprintf(w, "  %s\n    \t%s\n", v.name, v.usage)
		}
	}
}

func isString(v any) bool {
	_, ok := v.(string)
	return ok
}

// printFlags lists the flags as flag.PrintDefaults does, but spelled with
// two dashes, as the README and the error messages spell them.
func printFlags(w io.Writer, fs *flag.FlagSet) {
	fs.VisitAll(func(f *flag.Flag) {
		name, usage := flag.UnquoteUsage(f)
		line := "  --" + f.Name
		if name != "" {
			line += " " + name
		}
		line += "\n    \t" + strings.ReplaceAll(usage, "\n", "\n    \t")
		switch f.DefValue {
		case "", "false", "0", "0s", "[]": // zero values, as flag.PrintDefaults omits them
		default:
			if g, ok := f.Value.(flag.Getter); ok && isString(g.Get()) {
				line += fmt.Sprintf(" (default %q)", f.DefValue)
			} else {
				line += fmt.Sprintf(" (default %s)", f.DefValue)
			}
		}
		fmt.Fprintln(w, line)
	})
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func versionString() string {
	v := "(devel)"
	if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" {
		v = info.Main.Version
	}
	return fmt.Sprintf("ncpmock %s %s %s/%s", v, runtime.Version(), runtime.GOOS, runtime.GOARCH)
}

// listFlag is a repeatable flag whose values may also be comma-separated.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }

func (l *listFlag) Set(v string) error {
	for _, part := range strings.Split(v, ",") {
		if part = strings.TrimSpace(part); part != "" {
			*l = append(*l, part)
		}
	}
	return nil
}
