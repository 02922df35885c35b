package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"time"

	"github.com/ncpmock/ncpmock/apigw"
	"github.com/ncpmock/ncpmock/contracttest"
)

type testOptions struct {
	target      string
	seed        seedFlag
	only, skip  listFlag
	junit, json string
	allowWrites bool
	cleanup     bool
	loginDomain string
	timeout     time.Duration
	maxTime     time.Duration
	memberNo    string
	nrnDomain   string
	list        bool
	runID       string
	specFile    string
	reproDir    string
}

func testFlags(fs *flag.FlagSet) func(context.Context, *env, []string) error {
	o := &testOptions{}
	fs.StringVar(&o.specFile, "spec", "", "OpenAPI spec `file` to build the cases from and check the answers against instead of the embedded one")
	fs.StringVar(&o.target, "target", "", "`URL` of the server to check: an origin (http://127.0.0.1:8780 means .../api/v1/users/bulk), a base path (https://sso.apigw.ntruss.com/api/v1) or the endpoint itself (http://127.0.0.1:4010/users/bulk) (required)")
	fs.Var(&o.seed, "seed", "seed `N` for the generated requests (default: random, printed)")
	fs.Var(&o.only, "only", "run only the cases matching `NAME` (a name, a prefix such as negative, or a pattern such as 'positive/*'); repeatable")
	fs.Var(&o.skip, "skip", "skip the cases matching `NAME`; repeatable")
	fs.StringVar(&o.junit, "junit", "", "write a JUnit XML report to `FILE`")
	fs.StringVar(&o.json, "json", "", "write a JSON report (every failure, request and created user) to `FILE`")
	fs.BoolVar(&o.allowWrites, "allow-writes", false, "let cases that create users run against a non-loopback target")
	fs.BoolVar(&o.cleanup, "cleanup", false, "at the end, delete the users the run created (POST .../users/delete beside the bulk endpoint), and those of requests that got no answer, found by login ID with GET .../users")
	fs.StringVar(&o.loginDomain, "login-domain", contracttest.DefaultLoginDomain, "`domain` of the login IDs the run creates")
	fs.DurationVar(&o.timeout, "timeout", contracttest.DefaultTimeout, "limit for each request")
	fs.DurationVar(&o.maxTime, "max-response-time", 0, "fail answers slower than this (default: no limit)")
	fs.StringVar(&o.memberNo, "member-no", "", "member `number` expected in NRNs (default: any)")
	fs.StringVar(&o.nrnDomain, "nrn-domain", "", "NRN platform expected, PUB or GOV (default: either)")
	fs.StringVar(&o.reproDir, "repro-dir", "", "write the request bodies that reproduce commands read (those over 2 KB) to `DIR`, made if need be (default: a new directory under the system's temporary directory)")
	fs.BoolVar(&o.list, "list", false, "list the cases --only and --skip select, and exit")
	fs.StringVar(&o.runID, "run-id", "", "`ID` in the login IDs the run creates, ncpmock-<ID>-<n>@<domain> (default: new for each run; with the same --seed and --run-id a run sends the same bytes, which a server that holds the users of the first refuses as duplicates)")
	return func(ctx context.Context, e *env, args []string) error {
		if len(args) > 0 {
			return &usageError{msg: fmt.Sprintf("test: unexpected argument %q", args[0])}
		}
		return contractTest(ctx, e, o)
	}
}

func contractTest(ctx context.Context, e *env, o *testOptions) error {
	cfg, err := o.config(e)
	if err != nil {
		return err
	}
	if o.list {
		return listCases(e, cfg)
	}
	if err := o.prepare(e, &cfg); err != nil {
		return err
	}
	// --seed alone sends the same cases with new login IDs, so a replay
	// against the same server finds them free; this run's own are taken
	// once it created them.
	fmt.Fprintf(e.stdout, "ncpmock contract test of %s (seed %d, run %s; replay with --seed %d, adding --run-id %s only against a server without this run's users)\n",
		o.target, cfg.Seed, cfg.RunID, cfg.Seed, cfg.RunID)
	if cfg.Signer != nil {
		// The access key only names the key pair, as a user name does, and
		// tells a log which keys signed; the secret key is never printed.
		fmt.Fprintf(e.stdout, "signing requests with access key %s (from %s; the secret key is never shown)\n",
			cfg.Signer.Credentials.AccessKey, apigw.EnvAccessKey)
	}
	report, err := contracttest.Check(ctx, o.target, cfg, func(c *contracttest.CaseResult) { contracttest.WriteCase(e.stdout, c) })
	if errors.Is(err, contracttest.ErrUsage) {
		return testError(err)
	}
	if errors.Is(err, contracttest.ErrUnreachable) {
		// The reports still say so: a CI job that publishes them shows the
		// failed first case rather than no report at all.
		if werr := writeReports(o, report); werr != nil {
			return &exitError{code: 2, err: werr}
		}
		return testError(err)
	}
	contracttest.WriteSummary(e.stdout, report, contracttest.SummaryOptions{ListAll: !report.Loopback, JSONFile: o.json})
	if werr := writeReports(o, report); werr != nil {
		return &exitError{code: 2, err: werr}
	}
	switch {
	case errors.Is(err, contracttest.ErrInterrupted):
		return &exitError{code: exitInterrupted, err: fmt.Errorf("test: %w", err)}
	case errors.Is(err, contracttest.ErrContract):
		return &exitError{code: 1, err: errors.New("")}
	}
	return err
}

// config is the contracttest.Config of the flags, with the --spec file
// loaded.
func (o *testOptions) config(e *env) (contracttest.Config, error) {
	cfg := contracttest.Config{
		Seed: o.seed.value(), Only: o.only, Skip: o.skip, AllowWrites: o.allowWrites, Cleanup: o.cleanup,
		LoginDomain: o.loginDomain, Timeout: o.timeout, MaxResponseTime: o.maxTime,
		MemberNo: o.memberNo, NRNDomain: o.nrnDomain, RunID: o.runID, ReproDir: o.reproDir,
	}
	spec, err := loadSpecFlag(e, "test", o.specFile)
	cfg.Spec = spec
	return cfg, err
}

// listCases prints the names of the cases cfg selects, one a line.
func listCases(e *env, cfg contracttest.Config) error {
	names, err := contracttest.CaseNames(cfg)
	if err != nil {
		return testError(err)
	}
	for _, n := range names {
		fmt.Fprintln(e.stdout, n)
	}
	return nil
}

// prepare completes cfg for a run (keys, run ID) and finds every mistake
// before the first line of output, so that a usage error is one line on
// stderr and nothing else: the Config and target, the report paths and the
// --repro-dir.
func (o *testOptions) prepare(e *env, cfg *contracttest.Config) error {
	if o.target == "" {
		return &usageError{msg: "test: --target is required (see 'ncpmock help test')"}
	}
	signer, err := signerFromEnv(e.getenv)
	if err != nil {
		return err
	}
	cfg.Signer = signer
	if cfg.RunID == "" {
		cfg.RunID = contracttest.NewRunID(cfg.Seed, time.Now())
	}
	if err := contracttest.Validate(o.target, *cfg); err != nil {
		return testError(err)
	}
	if err := checkWritable("junit", o.junit); err != nil {
		return err
	}
	if err := checkWritable("json", o.json); err != nil {
		return err
	}
	if o.reproDir != "" {
		if err := os.MkdirAll(o.reproDir, 0o700); err != nil {
			return &usageError{msg: fmt.Sprintf("test: --repro-dir: %v", err)}
		}
	}
	return nil
}

// exitInterrupted is the exit code of a run that SIGINT or SIGTERM stopped
// before every case ran: 128 + SIGINT, as a shell reports an interrupted
// command. The run cannot tell the two signals apart (the context's cause
// is only text), and a CI job needs one code to tell "not finished" from
// "failed" (1).
const exitInterrupted = 130

// testError turns an error of contracttest that ends a run before it
// starts into the CLI's: a usage error or an unreachable target, exit 2.
func testError(err error) error {
	var usage *contracttest.UsageError
	switch {
	case errors.As(err, &usage):
		return &usageError{msg: "test: " + usage.Msg}
	case errors.Is(err, contracttest.ErrUnreachable):
		return &exitError{code: 2, err: fmt.Errorf("test: %w", err)}
	}
	return fmt.Errorf("test: %w", err)
}

// signerFromEnv signs with NCP_ACCESS_KEY and NCP_SECRET_KEY when both are
// set; one without the other is a mistake worth stopping for.
func signerFromEnv(getenv func(string) string) (*apigw.Signer, error) {
	if getenv(apigw.EnvAccessKey) == "" && getenv(apigw.EnvSecretKey) == "" {
		return nil, nil
	}
	creds, err := apigw.CredentialsFromEnv(getenv)
	if err != nil {
		return nil, &usageError{msg: "test: " + err.Error()}
	}
	return apigw.NewSigner(creds)
}

// checkWritable reports, before a run, a report file that could not be
// written at its end: "-" (stdout carries the progress) or a path that
// cannot be opened for writing. It truncates nothing and removes the file
// if it made it.
func checkWritable(flag, path string) error {
	switch path {
	case "":
		return nil
	case "-":
		return &usageError{msg: fmt.Sprintf("test: --%s -: give a file name; stdout carries the progress", flag)}
	}
	_, statErr := os.Stat(path)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE, 0o666)
	if err != nil {
		return &usageError{msg: fmt.Sprintf("test: --%s: %v", flag, err)}
	}
	f.Close()
	if errors.Is(statErr, fs.ErrNotExist) {
		os.Remove(path)
	}
	return nil
}

func writeReports(o *testOptions, report *contracttest.Report) error {
	if o.junit != "" {
		if err := writeFile(o.junit, func(w io.Writer) error { return contracttest.WriteJUnit(w, report) }); err != nil {
			return err
		}
	}
	if o.json != "" {
		return writeFile(o.json, func(w io.Writer) error { return contracttest.WriteJSON(w, report) })
	}
	return nil
}

func writeFile(path string, write func(io.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("test: %w", err)
	}
	if err := write(f); err != nil {
		f.Close()
		return fmt.Errorf("test: write %s: %w", path, err)
	}
	return f.Close()
}
