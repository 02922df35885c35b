package main

import (
	"bytes"
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
	"os"
	"os/signal"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/ncpmock/ncpmock/mock"
)

// DefaultAddr is where "ncpmock serve" listens unless told otherwise.
const defaultAddr = "127.0.0.1:8780"

// defaultShutdownTimeout bounds how long requests in flight may take to
// finish after SIGINT or SIGTERM.
const defaultShutdownTimeout = 10 * time.Second

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
	auth          authOptions
	limits        mock.Limits
	shutdown      time.Duration
	faultsFile    string
	adminToken    string
	noAdmin       bool
	journalSize   int
	journalBody   int64
	maxUsers      int
	reference     bool
	tls           tlsOptions
}

// envAdminToken may hold the admin token, to keep it out of the process list.
const envAdminToken = "NCPMOCK_ADMIN_TOKEN"

func serveFlags(fs *flag.FlagSet) func(context.Context, *env, []string) error {
	o := &serveOptions{}
	fs.StringVar(&o.addr, "addr", defaultAddr, "`host:port` to listen on (port 0 picks a free port)")
	fs.StringVar(&o.specFile, "spec", "", "OpenAPI spec `file` to serve instead of the embedded one")
	fs.Var(&o.seed, "seed", "seed `N` for every generated ID (default: random, printed at start)")
	fs.StringVar(&o.memberNo, "member-no", mock.DefaultMemberNo, "NCP member `number` in NRNs")
	fs.StringVar(&o.nrnDomain, "nrn-domain", mock.DefaultNRNDomain, "NRN platform: PUB or GOV")
	fs.BoolVar(&o.strict, "strict", false, "reject properties the spec does not declare (default: warn in X-Ncpmock-Warning)")
	fs.BoolVar(&o.caseSensitive, "case-sensitive-login-ids", false, "treat login IDs that differ only in case as different users")
	fs.Var(&o.corsOrigins, "cors-origin", "browser `origin` allowed by CORS, repeatable or comma-separated, * for any, https://*.example.com for any under example.com, null for pages opened from a file (default: this machine's pages: http or https on localhost, *.localhost, 127.0.0.1 or [::1], any port)")
	fs.StringVar(&o.logFormat, "log-format", "text", "access log format on stderr: text, json or none")
	fs.Int64Var(&o.maxBody, "max-body-bytes", mock.DefaultMaxBodyBytes, "largest request body accepted, in `bytes` (413 beyond)")
	o.auth.flags(fs)
	limitFlags(fs, &o.limits)
	o.tls.flags(fs)
	fs.DurationVar(&o.shutdown, "shutdown-timeout", defaultShutdownTimeout, "on SIGINT or SIGTERM, how long requests in flight may take to finish (hang faults end at once; latency and slow-body faults are cut short near the end)")
	fs.StringVar(&o.faultsFile, "faults", "", "YAML or JSON `file` of fault rules active from the start")
	fs.StringVar(&o.adminToken, "admin-token", "", "`token` the admin API (/__admin/) requires; required off loopback (default $"+envAdminToken+")")
	fs.BoolVar(&o.noAdmin, "no-admin", false, "turn the admin API (/__admin/) off")
	fs.IntVar(&o.journalSize, "journal-size", mock.DefaultJournalSize, "how many recent `requests` GET /__admin/requests keeps (0: none)")
	fs.Int64Var(&o.journalBody, "journal-body-bytes", mock.DefaultJournalBodyBytes, "how many `bytes` of each request body the journal keeps (at least 1; a value past --max-body-bytes keeps whole bodies)")
	fs.IntVar(&o.maxUsers, "max-users", mock.DefaultMaxUsers, "most `users` the mock keeps; past it, it forgets the users created first (0: no limit)")
	fs.BoolVar(&o.reference, "reference-validator", false, "validate with kin-openapi alone (same answers as the default compiled validator, 30 to 50 times slower on 100-user bodies)")
	return func(ctx context.Context, e *env, args []string) error {
		if len(args) > 0 {
			return &usageError{msg: fmt.Sprintf("serve: unexpected argument %q", args[0])}
		}
		if o.noAdmin && o.adminToken != "" {
			// (A token in the environment is fine: it may be set for every run.)
			return &usageError{msg: "serve: --admin-token and --no-admin: with the admin API off, no token guards anything; drop one"}
		}
		if o.adminToken == "" {
			o.adminToken = e.getenv(envAdminToken)
		}
		if err := checkAdminToken(o.adminToken); err != nil {
			return err
		}
		return serve(ctx, e, o)
	}
}

// checkAdminToken refuses, as a usage error, a token no client could send
// (mock.CheckAdminToken), naming where it came from but never the token.
func checkAdminToken(token string) error {
	if err := mock.CheckAdminToken(token); err != nil {
		return &usageError{msg: "serve: " + strings.Replace(err.Error(), "the admin token", "the admin token (--admin-token or $"+envAdminToken+")", 1)}
	}
	return nil
}

func serve(ctx context.Context, e *env, o *serveOptions) error {
	if err := checkAddr(o.addr); err != nil {
		return err
	}
	// Go kills a program that writes to a closed pipe on stdout or stderr
	// (ncpmock serve | head -1, a log collector that died) with SIGPIPE,
	// unless the program asks for the signal. A server should lose those
	// lines, not its clients: asked for, the signal is dropped here and the
	// write fails with EPIPE, which the banner and the log ignore. gen and
	// test keep the default, and stop when their reader does.
	sigpipe := make(chan os.Signal, 1)
	signal.Notify(sigpipe, syscall.SIGPIPE)
	defer signal.Stop(sigpipe)
	logOut, closeLog := bufferedLog(e.stderr, func(n int) []byte {
		var b bytes.Buffer
		if l, err := newLogger(o.logFormat, &b); err == nil {
			l.Warn("access log lines dropped: the log's reader took nothing for a while", "dropped", n)
		}
		return b.Bytes()
	})
	defer closeLog()
	logger, err := newLogger(o.logFormat, logOut)
	if err != nil {
		return err
	}
	cfg, err := o.mockConfig(logger, e)
	if err != nil {
		return err
	}
	srv, err := mock.New(cfg)
	var fe *mock.FaultError
	switch {
	case errors.As(err, &fe) && o.faultsFile != "":
		// A rule of the file that could never fire, say: name the file as
		// loadFaults does.
		return &usageError{msg: fmt.Sprintf("serve: --faults %s: %v", o.faultsFile, fe)}
	case err != nil:
		// mock.New checks what the flags set; its errors name the setting.
		return &usageError{msg: "serve: " + strings.TrimPrefix(err.Error(), "mock: ")}
	}
	defer tuneMemory(e.getenv)()
	hs, err := mock.NewHTTPServer(srv, o.limits)
	if err != nil {
		return &usageError{msg: "serve: " + err.Error()}
	}
	// net/http's own complaints (a TLS handshake a browser refused, a
	// malformed request it answered itself) go to the access log, in its
	// format, not to Go's log package beside it.
	hs.ErrorLog = slog.NewLogLogger(logger.Handler(), slog.LevelWarn)
	if hs.TLSConfig, err = o.tls.config(); err != nil {
		return err
	}
	if o.shutdown <= 0 {
		return &usageError{msg: fmt.Sprintf("serve: --shutdown-timeout %s: want a positive duration", o.shutdown)}
	}
	if host, _, err := net.SplitHostPort(o.addr); err == nil && !o.adminSafe(host) {
		return o.adminExposed(o.addr) // refused before binding, when the address says so
	}
	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	if err := o.checkAdminExposure(ln.Addr()); err != nil {
		ln.Close()
		return err
	}
	url := "http://" + displayAddr(o.addr, ln.Addr())
	if hs.TLSConfig != nil {
		url = "https://" + displayAddr(o.addr, ln.Addr())
	}
	fmt.Fprintf(e.stdout, "ncpmock listening on %s (seed %d; replay with --seed %d)\n", url, srv.Seed(), srv.Seed())
	for _, p := range srv.Spec().ServerPaths() {
		fmt.Fprintf(e.stdout, "  %s %s%s\n", srv.Spec().Method(), url, p)
	}
	base := strings.TrimSuffix(srv.Spec().ServerPaths()[0], srv.Spec().Path())
	fmt.Fprintf(e.stdout, "  directory: GET %s%s%s, GET and DELETE %s/{userId}, POST %s, GET %s\n", url, base, mock.PathUsers,
		mock.PathUsers, mock.PathUsersDelete, mock.PathUsersCheckLogin)
	if hs.TLSConfig != nil {
		fmt.Fprintf(e.stdout, "  TLS: %s\n", o.tls.describe(hs.TLSConfig))
	}
	fmt.Fprintf(e.stdout, "  authentication: %s\n", describeAuth(cfg.Auth))
	fmt.Fprintf(e.stdout, "  CORS: %s\n", describeCORS(cfg.CORSOrigins))
	fmt.Fprintf(e.stdout, "  admin API: %s\n", o.describeAdmin(url))
	switch {
	case o.faultsFile != "" && o.noAdmin:
		fmt.Fprintf(e.stdout, "  fault rules: %d from %s\n", len(cfg.Faults), o.faultsFile)
	case o.faultsFile != "":
		fmt.Fprintf(e.stdout, "  fault rules: %d from %s (GET %s/__admin/faults lists them)\n", len(cfg.Faults), o.faultsFile, url)
	}
	if compiled, why := srv.Compiled(); !compiled && !o.reference {
		fmt.Fprintf(e.stdout, "  requests are validated by kin-openapi (slower): %v\n", why)
	}
	return serveUntilDone(ctx, e, ln, hs, o.shutdown)
}

// displayAddr is the address to print for a listener: its own, but for an
// unspecified host (0.0.0.0, ::, none), which Go reports as [::], the host as
// given, so that --addr 0.0.0.0:8780 is announced as such.
func displayAddr(given string, addr net.Addr) string {
	tcp, ok := addr.(*net.TCPAddr)
	host, _, err := net.SplitHostPort(given)
	if !ok || err != nil || !tcp.IP.IsUnspecified() {
		return addr.String()
	}
	if host == "" {
		host = "0.0.0.0"
	}
	return net.JoinHostPort(host, strconv.Itoa(tcp.Port))
}

// checkAddr refuses an --addr that no listener could take, as a mistake in
// the command line; an address that is busy or not this machine's is found
// when listening.
func checkAddr(addr string) error {
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		return &usageError{msg: fmt.Sprintf("serve: --addr %q: want host:port, such as 127.0.0.1:8780 (port 0 picks a free one)", addr)}
	}
	if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		return &usageError{msg: fmt.Sprintf("serve: --addr %q: port %q: want 0 to 65535", addr, port)}
	}
	return nil
}

func (o *serveOptions) mockConfig(logger *slog.Logger, e *env) (mock.Config, error) {
	cfg := mock.Config{
		Seed:                  o.seed.value(),
		MemberNo:              o.memberNo,
		NRNDomain:             o.nrnDomain,
		Strict:                o.strict,
		CaseSensitiveLoginIDs: o.caseSensitive,
		CORSOrigins:           o.corsOrigins,
		MaxBodyBytes:          o.maxBody,
		Logger:                logger,
		JournalSize:           o.journalSize,
		JournalBodyBytes:      o.journalBody,
		MaxUsers:              o.maxUsers,
		AdminToken:            o.adminToken,
		NoAdmin:               o.noAdmin,
		ReferenceValidator:    o.reference,
	}
	if o.maxBody <= 0 {
		return cfg, &usageError{msg: fmt.Sprintf("serve: --max-body-bytes %d: want a positive number", o.maxBody)}
	}
	if o.journalSize < 0 {
		return cfg, &usageError{msg: fmt.Sprintf("serve: --journal-size %d: want 0 (none) or more", o.journalSize)}
	}
	if o.journalBody < 1 {
		return cfg, &usageError{msg: fmt.Sprintf("serve: --journal-body-bytes %d: want 1 or more", o.journalBody)}
	}
	if o.journalSize == 0 {
		cfg.JournalSize = -1
	}
	if o.maxUsers < 0 {
		return cfg, &usageError{msg: fmt.Sprintf("serve: --max-users %d: want 0 (no limit) or more", o.maxUsers)}
	}
	if o.maxUsers == 0 {
		cfg.MaxUsers = -1
	}
	if o.faultsFile != "" {
		rules, err := loadFaults(o.faultsFile)
		if err != nil {
			return cfg, err
		}
		cfg.Faults = rules
	}
	auth, err := o.auth.config(e.getenv)
	if err != nil {
		return cfg, err
	}
	cfg.Auth = auth
	if cfg.Spec, err = loadSpecFlag(e, "serve", o.specFile); err != nil {
		return cfg, err
	}
	return cfg, nil
}

// gcPercent is the GOGC of "ncpmock serve" unless the GOGC variable is set.
// It is Go's default, stated here because it was once higher and is a
// measured choice: the live heap holds the journal (its last 1000 requests,
// up to 4 KB of body each) and a 100-user request allocates about 15 KB
// (its body is read into a pooled buffer), so the collector runs seldom at
// 100 already. At 150 the resident size under load (32 connections of
// 100-user requests) passed 40 MB (41-43 MB, against 37 MB at 100, with the
// same throughput; measured with bench/load.sh).
const gcPercent = 100

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

func loadFaults(path string) ([]mock.Rule, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, &usageError{msg: fmt.Sprintf("serve: --faults: %v", err)}
	}
	rules, err := mock.ParseRules(data)
	if err != nil {
		return nil, &usageError{msg: fmt.Sprintf("serve: --faults %s: %v", path, err)}
	}
	return rules, nil
}

// checkAdminExposure refuses an admin API without a token on an address
// other machines can reach.
func (o *serveOptions) checkAdminExposure(addr net.Addr) error {
	if tcp, ok := addr.(*net.TCPAddr); ok && o.adminSafe(tcp.IP.String()) {
		return nil
	}
	return o.adminExposed(addr.String())
}

// adminSafe reports whether serving on host leaves no open admin API to other
// machines. A host name other than localhost is judged after binding.
func (o *serveOptions) adminSafe(host string) bool {
	if o.noAdmin || o.adminToken != "" || host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip == nil && host != "" || ip != nil && ip.IsLoopback()
}

// describeCORS says in the start-up banner which browser pages may call the
// mock, so that a developer whose page gets a CORS error sees why at start.
func describeCORS(origins []string) string {
	switch {
	case origins == nil:
		return "pages on localhost, *.localhost, 127.0.0.1 or [::1] (http or https, any port); --cors-origin sets others instead"
	case slices.Contains(origins, "*"):
		return "pages of any origin (--cors-origin *)"
	}
	return "pages of " + strings.Join(origins, ", ") + " (--cors-origin)"
}

// describeAdmin says in the start-up banner whether the admin API is on and
// who may use it.
func (o *serveOptions) describeAdmin(url string) string {
	switch {
	case o.noAdmin:
		return "off (--no-admin)"
	case o.adminToken != "":
		return url + "/__admin/ (token required)"
	}
	return url + "/__admin/ (open: no --admin-token; this address is loopback only)"
}

func (o *serveOptions) adminExposed(addr string) error {
	return &usageError{msg: fmt.Sprintf("serve: %s is reachable from other machines and the admin API (/__admin/) would be open: "+
		"set --admin-token (or $%s), or turn it off with --no-admin", addr, envAdminToken)}
}

// serveUntilDone serves until ctx is cancelled, then stops accepting, lets
// requests in flight finish (up to grace) and returns nil. The mock's faults
// take part (see mock.HTTPServer.Shutdown): hangs are released at once, and
// latency and slow-body waits still running near the end of grace are cut
// short so that their requests are answered in time. Requests still running
// after grace are cut off, and the error says so.
func serveUntilDone(ctx context.Context, e *env, ln net.Listener, hs *mock.HTTPServer, grace time.Duration) error {
	announced := make(chan struct{})
	hs.RegisterOnShutdown(func() {
		// Runs once the listener is closed: new clients are refused from here on.
		fmt.Fprintf(e.stdout, "ncpmock shutting down: no new connections; finishing requests in flight (at most %s)\n", grace)
		close(announced)
	})
	served := make(chan error, 1)
	go func() {
		if hs.TLSConfig != nil { // --tls-cert
			served <- hs.ServeTLS(ln, "", "")
			return
		}
		served <- hs.Serve(ln)
	}()
	select {
	case err := <-served:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), grace)
	defer cancel()
	err := hs.Shutdown(sctx)
	<-announced
	if errors.Is(err, context.DeadlineExceeded) {
		hs.Close()
		<-served
		return fmt.Errorf("serve: requests still in flight after --shutdown-timeout %s were cut off", grace)
	}
	if err != nil {
		return fmt.Errorf("serve: shutdown: %w", err)
	}
	if err := <-served; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	fmt.Fprintln(e.stdout, "ncpmock stopped")
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
	return nil, &usageError{msg: fmt.Sprintf("serve: --log-format %q: want text, json or none", format)}
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
