// Package mock is ncpmock's mock server of the NCP SSO v1 "create users in
// batch" endpoint: it validates every request against the spec, answers as the
// real service does (per-user results, UUIDs, NRNs, duplicate login IDs) and
// keeps the users it created in a store.
package mock

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/brianvoe/gofakeit/v7"
	"github.com/labstack/echo/v4"
	"github.com/ncpmock/ncpmock/apigw"
	"github.com/ncpmock/ncpmock/openapi"
)

// Defaults of Config fields left zero.
const (
	DefaultMemberNo     = "1234567"
	DefaultNRNDomain    = "PUB"
	DefaultMaxBodyBytes = 1 << 20
)

// Config configures a mock Server. The zero value is usable: the embedded
// spec, seed 0, member number 1234567, no access log.
type Config struct {
	// Spec is the contract to serve; nil means the embedded spec.
	Spec *openapi.Spec
	// Seed seeds every random choice (user IDs, trace IDs): the same seed and
	// the same sequence of requests give the same answers.
	Seed uint64
	// MemberNo is the NCP member number in NRNs; default DefaultMemberNo.
	MemberNo string
	// NRNDomain is the platform part of NRNs: PUB (default) or GOV.
	NRNDomain string
	// Strict rejects properties the spec does not declare; by default they are
	// reported in an X-Ncpmock-Warning header and ignored.
	Strict bool
	// CaseSensitiveLoginIDs makes "A@x.io" and "a@x.io" two users. By default
	// login IDs compare case-insensitively (an assumption about the real service).
	CaseSensitiveLoginIDs bool
	// CORSOrigins lists the browser origins allowed to call the mock, with
	// credentials; "*" allows any, "https://*.example.com" any under
	// example.com, "null" pages opened from a file. Nil allows the pages of this machine: http or https on
	// localhost, a name under .localhost, 127.0.0.1 or [::1], any port. A
	// refused page's answer says so in X-Ncpmock-Warning.
	CORSOrigins []string
	// MaxBodyBytes caps request bodies (413 beyond); default DefaultMaxBodyBytes.
	MaxBodyBytes int64
	// Logger receives one access-log line per request; nil logs nothing.
	Logger *slog.Logger
	// Store keeps created users; nil means a new in-memory store.
	Store Store
	// Now tells the time of creation and the clock signatures are checked
	// against; nil means time.Now.
	Now func() time.Time
	// Auth configures authentication emulation; the zero value checks nothing.
	Auth AuthConfig
	// Faults are fault rules active from the start; POST /__admin/reset
	// restores them. See Rule.
	Faults []Rule
	// JournalSize is how many recent requests GET /__admin/requests keeps;
	// 0 means DefaultJournalSize, below 0 keeps none.
	JournalSize int
	// JournalBodyBytes is how much of each request body the journal keeps
	// (the rest is counted in BodyBytes and flagged BodyTruncated); 0 means
	// DefaultJournalBodyBytes, below 0 the whole body (up to MaxBodyBytes).
	// Each of the JournalSize slots keeps up to this many bytes.
	JournalBodyBytes int64
	// MaxUsers is how many users the in-memory store keeps. When a batch
	// takes it past the limit, it forgets the users it created first (their
	// login IDs are free again and their IDs answer 404) and logs a warning
	// the first time, so that a load test that creates users without end
	// runs in bounded memory (about 800 bytes a user). 0 means
	// DefaultMaxUsers, below 0 no limit. Ignored when Store is set. This is
	// a limit of the mock, not known of the real service.
	MaxUsers int
	// AdminToken, when set, must come with every /__admin/ request
	// (Authorization: Bearer <token> or X-Ncpmock-Admin-Token). It is never
	// logged. Exposing the admin API beyond loopback without it is the
	// caller's choice (ncpmock serve refuses to).
	AdminToken string
	// NoAdmin turns the admin API (/__admin/) off: its paths answer 404.
	NoAdmin bool
	// ReferenceValidator validates requests with kin-openapi alone instead of
	// the compiled single-pass validator: the same answers, 30 to 50 times
	// slower on bodies of 100 users. For checking the compiled validator and
	// for comparisons.
	ReferenceValidator bool
}

// Server is the mock server, an http.Handler. It is safe for concurrent use.
// Requests held by faults (latency, slow-body, hang) outlive an http.Server's
// Shutdown unless the mock is told: serve it with an HTTPServer, which does
// so, or call Drain as the shutdown begins, or Close.
type Server struct {
	cfg       Config
	spec      *openapi.Spec
	validator *openapi.Validator
	store     Store
	faker     atomic.Pointer[gofakeit.Faker] // drawn from for IDs; replaced by Reset
	nrnPrefix string                         // nrn:<domain>:SSO::<member number>:User/
	log       *slog.Logger
	verifier  *apigw.Verifier // nil without authentication
	echo      *echo.Echo
	allow     map[string]string // path -> the methods it answers
	apiRoutes []apiRoute        // the routes faults act on, in the order declared
	traceSeq  atomic.Uint64

	faults    *faultTable
	journal   *journal // nil when off
	exchanges sync.Pool
	faultSeq  atomic.Uint64
	started   time.Time
	inFlight  atomic.Int64                                     // requests being handled, for Stats
	sleep     func(ctx context.Context, d time.Duration) error // replaced in tests
	onHang    func()                                           // tests: a hang fault started waiting
	onDone    func()                                           // tests: a request was answered and journaled

	releasing   chan struct{} // closed by Drain or Close: hangs end
	releaseOnce sync.Once
	closing     chan struct{} // closed by Close: every fault wait ends
	closeOnce   sync.Once
	buffers     sync.Pool // of *[]byte, for answers

	// Counters of Stats, since New. Fixed arrays of atomics: counting a
	// request takes no lock and allocates nothing.
	statuses      [endings]atomic.Uint64    // requests answered, by ending()
	faultsApplied [numKinds]atomic.Uint64   // by kindIndex
	authRefused   atomic.Uint64             // 401s of authenticate
	adminRefused  atomic.Uint64             // refusals of adminOnly
	conns         atomic.Pointer[connLimit] // of the HTTPServer serving s; nil without one
}

var (
	memberNoRE  = regexp.MustCompile(`^[0-9]{1,20}$`)
	nrnDomainRE = regexp.MustCompile(`^[A-Z]{2,10}$`)
)

// New returns a mock server for cfg. It returns a *ConfigError naming the
// field (matching ErrInvalidConfig), never panics, when cfg is invalid. The
// server holds no goroutines, files or sockets of its own
// (the caller serves it, with NewHTTPServer or httptest); whoever serves it
// should call Drain, or Close, when shutting down, so that requests held by
// fault waits end.
func New(cfg Config) (*Server, error) {
	if err := cfg.setDefaults(); err != nil {
		return nil, err
	}
	v, err := openapi.NewValidator(cfg.Spec, openapi.ValidatorConfig{Strict: cfg.Strict, Reference: cfg.ReferenceValidator})
	if errors.Is(err, openapi.ErrSpecNotLoaded) {
		return nil, &ConfigError{Field: "Spec", Err: err}
	}
	if err != nil {
		return nil, fmt.Errorf("mock: %w", err)
	}
	verifier, err := cfg.newVerifier()
	if err != nil {
		return nil, err
	}
	s := &Server{
		cfg:       cfg,
		spec:      cfg.Spec,
		validator: v,
		store:     cfg.Store,
		nrnPrefix: "nrn:" + cfg.NRNDomain + ":SSO::" + cfg.MemberNo + ":User/",
		log:       cfg.Logger,
		verifier:  verifier,
		allow:     make(map[string]string),
		journal:   newJournal(cfg.JournalSize, int(cfg.JournalBodyBytes)),
		releasing: make(chan struct{}),
		closing:   make(chan struct{}),
		started:   time.Now(),
	}
	s.faker.Store(openapi.NewFaker(cfg.Seed))
	s.sleep = s.sleepTimer
	s.echo = s.routes()
	if s.faults, err = newFaultTable(cfg.Faults, s.apiRoutes); err != nil {
		return nil, &ConfigError{Field: "Faults", Err: fmt.Errorf("faults: %w", err)}
	}
	return s, nil
}

func (cfg *Config) setDefaults() error {
	if cfg.Spec == nil {
		spec, err := openapi.Embedded()
		if err != nil {
			return fmt.Errorf("mock: embedded spec: %w", err)
		}
		cfg.Spec = spec
	}
	if cfg.MemberNo == "" {
		cfg.MemberNo = DefaultMemberNo
	}
	if !memberNoRE.MatchString(cfg.MemberNo) {
		return &ConfigError{Field: "MemberNo", Value: cfg.MemberNo,
			Err: fmt.Errorf("member number %q: want 1 to 20 digits", cfg.MemberNo)}
	}
	if cfg.NRNDomain == "" {
		cfg.NRNDomain = DefaultNRNDomain
	}
	if !nrnDomainRE.MatchString(cfg.NRNDomain) {
		return &ConfigError{Field: "NRNDomain", Value: cfg.NRNDomain,
			Err: fmt.Errorf("NRN domain %q: want 2 to 10 capital letters, such as PUB or GOV", cfg.NRNDomain)}
	}
	if cfg.MaxBodyBytes < 0 {
		return &ConfigError{Field: "MaxBodyBytes", Value: strconv.FormatInt(cfg.MaxBodyBytes, 10),
			Err: fmt.Errorf("max body bytes %d: want 0 (default) or more", cfg.MaxBodyBytes)}
	}
	if cfg.MaxBodyBytes == 0 {
		cfg.MaxBodyBytes = DefaultMaxBodyBytes
	}
	for i, o := range cfg.CORSOrigins {
		if err := checkOrigin(o); err != nil {
			return &ConfigError{Field: fmt.Sprintf("CORSOrigins[%d]", i), Value: o,
				Err: fmt.Errorf("CORS origin %q: %w", o, err)}
		}
	}
	if err := CheckAdminToken(cfg.AdminToken); err != nil {
		// No Value: the token is a secret, and its error never shows it.
		return &ConfigError{Field: "AdminToken", Err: err}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if cfg.MaxUsers == 0 {
		cfg.MaxUsers = DefaultMaxUsers
	}
	if cfg.Store == nil {
		m := newMemoryStore(cfg.CaseSensitiveLoginIDs, cfg.MaxUsers)
		logger := cfg.Logger
		m.onForget = func(limit int) {
			logger.Warn("the user store is full: it forgets the users created first from now on",
				"limit", limit)
		}
		cfg.Store = m
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.JournalSize == 0 {
		cfg.JournalSize = DefaultJournalSize
	}
	switch {
	case cfg.JournalBodyBytes == 0:
		cfg.JournalBodyBytes = DefaultJournalBodyBytes
	case cfg.JournalBodyBytes < 0 || cfg.JournalBodyBytes > cfg.MaxBodyBytes:
		cfg.JournalBodyBytes = cfg.MaxBodyBytes
	}
	return nil
}

var errBadOrigin = errors.New("want *, null or scheme://host[:port]")

func checkOrigin(o string) error {
	// "null" is the origin a browser sends for a page opened from a file or
	// in a sandboxed frame; the warning to such a page suggests it.
	if o == "*" || o == "null" {
		return nil
	}
	u, err := url.Parse(o)
	if err != nil || u.Scheme == "" || u.Host == "" || u.Path != "" {
		return errBadOrigin
	}
	// An origin is compared as the browser sends it: in lower case, without
	// its scheme's default port and with nothing but scheme, host and port.
	// An entry in another form would match no page.
	scheme, host := strings.ToLower(u.Scheme), strings.ToLower(u.Host)
	switch port := u.Port(); {
	case port == "", scheme == "http" && port == "80", scheme == "https" && port == "443":
		host = strings.TrimSuffix(strings.TrimSuffix(host, port), ":")
	}
	if want := scheme + "://" + host; o != want {
		return fmt.Errorf("%w; browsers send this origin as %q, which the entry as written never matches", errBadOrigin, want)
	}
	return nil
}

// ServeHTTP answers one request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.echo.ServeHTTP(w, r)
}

// Seed returns the seed the server's random choices come from.
func (s *Server) Seed() uint64 { return s.cfg.Seed }

// Compiled reports whether requests are validated by the compiled
// single-pass validator and, when they are not, why (see
// openapi.Validator.Compiled).
func (s *Server) Compiled() (bool, error) { return s.validator.Compiled() }

// Spec returns the contract the server serves.
func (s *Server) Spec() *openapi.Spec { return s.spec }

// Drain begins a graceful stop; call it when the http.Server that serves s
// begins its Shutdown (HTTPServer.Shutdown does). Requests held by hang
// faults are released at once: their connections close without an answer, as
// at the end of any hang, and later hangs end at once. Latency and slow-body
// faults go on waiting until ctx is done; then Drain calls Close, which cuts
// their waits short so that their requests are answered before the
// http.Server's own deadline: give ctx a deadline a little before that one.
// Drain returns at once; it is safe to call more than once.
func (s *Server) Drain(ctx context.Context) {
	s.releaseOnce.Do(func() { close(s.releasing) })
	context.AfterFunc(ctx, func() { _ = s.Close() })
}

// Close ends every wait a fault holds a request in, now and later: a hang
// closes its connection without an answer; a latency or slow-body wait is cut
// short and the request is answered at once (the journal and the access log
// mark the fault "cut short"). The server goes on answering everything else.
// Close is safe to call more than once.
func (s *Server) Close() error {
	s.releaseOnce.Do(func() { close(s.releasing) })
	s.closeOnce.Do(func() { close(s.closing) })
	return nil
}

// AddFaults adds fault rules after the existing ones, all or none: it
// returns a *FaultError naming the first rule that is wrong. It returns the
// rules as added, with their IDs.
func (s *Server) AddFaults(rules ...Rule) ([]Rule, error) {
	return s.faults.add(rules...)
}

// RemoveFault deletes the rule with the given ID and returns it with its
// counters; the error matches ErrRuleNotFound when there is none.
func (s *Server) RemoveFault(id string) (RuleStatus, error) {
	return s.faults.remove(id)
}

// Users returns the users the mock holds, in the order they were created
// (GET /__admin/users).
func (s *Server) Users(ctx context.Context) ([]User, error) {
	users, err := s.store.List(ctx)
	if users == nil && err == nil {
		users = []User{}
	}
	return users, err
}

// ClearFaults removes every fault rule, those of Config.Faults too, until
// Reset restores them, and returns how many there were
// (DELETE /__admin/faults).
func (s *Server) ClearFaults() int { return s.faults.clear() }

// ClearRequests empties the journal (DELETE /__admin/requests).
func (s *Server) ClearRequests() { s.journal.reset() }

// Faults returns the fault rules in the order they apply, with their counters.
func (s *Server) Faults() []RuleStatus { return s.faults.list() }

// Requests returns the journal's entries that f selects, newest first.
func (s *Server) Requests(f JournalFilter) []JournalEntry { return s.journal.entries(f) }

// Reset removes every user, empties the journal, restores the fault rules
// of Config.Faults with fresh counters, and starts the random choices of
// answers (user IDs, which requests a probable fault hits) again from the
// seed, so that the same requests after a reset get the same answers as
// after start (POST /__admin/reset). Trace IDs go on counting, so that they
// stay unique in a log.
func (s *Server) Reset(ctx context.Context) error {
	if err := s.store.Reset(ctx); err != nil {
		return err
	}
	s.faker.Store(openapi.NewFaker(s.cfg.Seed))
	s.faultSeq.Store(0)
	s.journal.reset()
	s.faults.reset()
	return nil
}
