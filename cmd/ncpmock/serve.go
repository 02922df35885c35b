package main

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"time"

	"github.com/ncpmock/ncpmock/mock"
	"github.com/ncpmock/ncpmock/openapi"
)

// DefaultAddr is where "ncpmock serve" listens unless told otherwise.
const defaultAddr = "127.0.0.1:8780"

// shutdownGrace bounds how long requests in flight may take to finish after
// SIGINT or SIGTERM.
const shutdownGrace = 10 * time.Second

type serveOptions struct {
	addr          string
	specFile      string
	seed          seedFlag
	memberNo      string
	nrnDomain     string
	strict        bool
	caseSensitive bool
	corsOrigins   listFlag
	logFormat     string
	maxBody       int64
	reference     bool
}

func serveFlags(fs *flag.FlagSet) func(context.Context, *env, []string) error {
	o := &serveOptions{}
	fs.StringVar(&o.addr, "addr", defaultAddr, "`host:port` to listen on (port 0 picks a free port)")
	fs.StringVar(&o.specFile, "spec", "", "OpenAPI spec `file` to serve instead of the embedded one")
	fs.Var(&o.seed, "seed", "seed `N` for every generated ID (default: random, printed at start)")
	fs.StringVar(&o.memberNo, "member-no", mock.DefaultMemberNo, "NCP member `number` in NRNs")
	fs.StringVar(&o.nrnDomain, "nrn-domain", mock.DefaultNRNDomain, "NRN platform: PUB or GOV")
	fs.BoolVar(&o.strict, "strict", false, "reject properties the spec does not declare (default: warn in X-Ncpmock-Warning)")
	fs.BoolVar(&o.caseSensitive, "case-sensitive-login-ids", false, "treat login IDs that differ only in case as different users")
	fs.Var(&o.corsOrigins, "cors-origin", "browser `origin` allowed by CORS, repeatable or comma-separated, * for any (default: any http://localhost:*)")
	fs.StringVar(&o.logFormat, "log-format", "text", "access log format on stderr: text, json or none")
	fs.Int64Var(&o.maxBody, "max-body-bytes", mock.DefaultMaxBodyBytes, "largest request body accepted, in `bytes` (413 beyond)")
	fs.BoolVar(&o.reference, "reference-validator", false, "validate with kin-openapi alone (same answers as the default compiled validator, several times slower)")
	return func(ctx context.Context, e *env, args []string) error {
		if len(args) > 0 {
			return &usageError{msg: fmt.Sprintf("serve: unexpected argument %q", args[0])}
		}
		return serve(ctx, e, o)
	}
}

func serve(ctx context.Context, e *env, o *serveOptions) error {
	logOut, closeLog := bufferedLog(e.stderr)
	defer closeLog()
	logger, err := newLogger(o.logFormat, logOut)
	if err != nil {
		return err
	}
	cfg, err := o.mockConfig(logger)
	if err != nil {
		return err
	}
	srv, err := mock.New(cfg)
	if err != nil {
		return &usageError{msg: "serve: " + err.Error()}
	}
	defer tuneMemory(e.getenv)()
	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	url := "http://" + ln.Addr().String()
	fmt.Fprintf(e.stdout, "ncpmock listening on %s (seed %d; replay with --seed %d)\n", url, srv.Seed(), srv.Seed())
	for _, p := range srv.Spec().ServerPaths() {
		fmt.Fprintf(e.stdout, "  %s %s%s\n", srv.Spec().Method(), url, p)
	}
	if compiled, why := srv.Compiled(); !compiled && !o.reference {
		fmt.Fprintf(e.stdout, "  requests are validated by kin-openapi (slower): %v\n", why)
	}
	return serveUntilDone(ctx, ln, srv)
}

func (o *serveOptions) mockConfig(logger *slog.Logger) (mock.Config, error) {
	cfg := mock.Config{
		Seed:                  o.seed.value(),
		MemberNo:              o.memberNo,
		NRNDomain:             o.nrnDomain,
		Strict:                o.strict,
		CaseSensitiveLoginIDs: o.caseSensitive,
		CORSOrigins:           o.corsOrigins,
		MaxBodyBytes:          o.maxBody,
		Logger:                logger,
		ReferenceValidator:    o.reference,
	}
	if o.maxBody <= 0 {
		return cfg, &usageError{msg: fmt.Sprintf("serve: --max-body-bytes %d: want a positive number", o.maxBody)}
	}
	if o.specFile != "" {
		spec, err := openapi.LoadFile(o.specFile)
		if err != nil {
			return cfg, fmt.Errorf("serve: %w", err)
		}
		cfg.Spec = spec
	}
	return cfg, nil
}

// gcPercent is the GOGC of "ncpmock serve" unless the GOGC variable is set.
// The server's live heap is small (about 2 MB with an empty store) and a
// 100-user request allocates about 90 KB, so with Go's default of 100 the
// collector runs every few dozen requests. At 150 it runs a third less
// often while the resident size under load (32 connections of 100-user
// requests) stays below 40 MB; 200 came close to it and 400 passed 50 MB
// (measured with bench/load.sh).
const gcPercent = 150

// tuneMemory sets the collector for serving and returns the memory that
// parsing the spec used to the OS; the returned func restores the collector.
func tuneMemory(getenv func(string) string) (restore func()) {
	old := debug.SetGCPercent(-1)
	debug.SetGCPercent(old)
	if getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
	debug.FreeOSMemory()
	return func() { debug.SetGCPercent(old) }
}

// serveUntilDone serves until ctx is cancelled, then lets requests in flight
// finish (up to shutdownGrace) and returns nil.
func serveUntilDone(ctx context.Context, ln net.Listener, h http.Handler) error {
	hs := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		IdleTimeout:       120 * time.Second,
	}
	served := make(chan error, 1)
	go func() { served <- hs.Serve(ln) }()
	select {
	case err := <-served:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownGrace)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		return fmt.Errorf("serve: shutdown: %w", err)
	}
	if err := <-served; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	return nil
}

func newLogger(format string, w io.Writer) (*slog.Logger, error) {
	switch format {
	case "text":
		return slog.New(slog.NewTextHandler(w, nil)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, nil)), nil
	case "none":
		return slog.New(slog.NewTextHandler(io.Discard, nil)), nil
	}
	return nil, &usageError{msg: fmt.Sprintf("--log-format %q: want text, json or none", format)}
}

// seedFlag is an optional seed: unset means a random one.
type seedFlag struct {
	set bool
	n   uint64
}

func (s *seedFlag) String() string {
	if !s.set {
		return ""
	}
	return fmt.Sprint(s.n)
}

func (s *seedFlag) Set(v string) error {
	var n uint64
	if _, err := fmt.Sscan(v, &n); err != nil || fmt.Sprint(n) != v {
		return fmt.Errorf("want a non-negative integer, got %q", v)
	}
	s.set, s.n = true, n
	return nil
}

// value returns the seed, choosing a random one (below 2^31, easy to type)
// when none was given.
func (s *seedFlag) value() uint64 {
	if !s.set {
		var b [8]byte
		_, _ = rand.Read(b[:])
		s.set, s.n = true, binary.LittleEndian.Uint64(b[:])%(1<<31)
	}
	return s.n
}
