package contracttest

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// suite is one run against one target.
type suite struct {
	cfg      Config
	unsigned *http.Client // cfg.Client without the signing of cfg.Signer
	target   string
	endpoint *url.URL
	loopback bool
	cases    []*Case
	report   *Report
	repro    *reproWriter
	seenIDs  map[string]string // user id -> the case that got it
	// reached is set once any request got a connection: from then on, a
	// target that cannot be reached fails the cases, not the run.
	reached bool
	// downSince names the case whose request first found the target
	// unreachable after it had answered; empty while it answers.
	downSince string
	// transport is the run's own when Config.Client is nil; close closes
	// its idle connections.
	transport *http.Transport
}

func newSuite(target string, cfg Config) (*suite, error) {
	var own *http.Transport
	if cfg.Client == nil {
		// Not http.DefaultTransport: the run's idle connections are closed
		// when it ends, and no one else's with them.
		own = newTransport()
		cfg.Client = &http.Client{Transport: own}
	}
	if err := cfg.setDefaults(); err != nil {
		return nil, err
	}
	endpoint, err := endpointURL(target, cfg.Spec)
	if err != nil {
		return nil, err
	}
	// The auth cases send unsigned, or sign by themselves.
	unsigned := cfg.Client
	cfg.Client = cfg.signedClient()
	s := &suite{
		cfg:       cfg,
		unsigned:  unsigned,
		target:    target,
		endpoint:  endpoint,
		loopback:  isLoopback(endpoint.Hostname()),
		seenIDs:   make(map[string]string),
		repro:     &reproWriter{dir: cfg.ReproDir, runID: cfg.RunID, signed: cfg.Signer != nil},
		transport: own,
	}
	if cfg.Signer != nil {
		s.repro.wrongSecret = wrongSecret(cfg.Signer.Credentials.SecretKey)
	}
	s.report = &Report{Target: target, Endpoint: endpoint.String(), Loopback: s.loopback, Seed: cfg.Seed, RunID: cfg.RunID,
		Created: []CreatedUser{}, MaybeCreated: []MaybeCreated{}}
	cases, err := buildCases(s)
	if err != nil {
		return nil, err
	}
	for _, c := range cases {
		if selected(c.Name, cfg.Only, cfg.Skip) {
			s.cases = append(s.cases, c)
		} else {
			s.report.Deselected++
		}
	}
	if len(s.cases) == 0 {
		return nil, &UsageError{Msg: "no case matches Only and Skip (--only, --skip); --list names the cases"}
	}
	return s, nil
}

// selected applies the Only and Skip patterns to a case name.
func selected(name string, only, skip []string) bool {
	for _, p := range skip {
		if matches(p, name) {
			return false
		}
	}
	if len(only) == 0 {
		return true
	}
	for _, p := range only {
		if matches(p, name) {
			return true
		}
	}
	return false
}

// matches reports whether a case name matches a pattern: the name itself,
// a prefix ending at a "/" ("negative" matches "negative/params/type"), or a
// glob whose * matches any text, "/" included ("*loginId*"). Brackets are
// literal, as in the names of rules ("params[].loginId/format").
func matches(pattern, name string) bool {
	if pattern == name || strings.HasPrefix(name, strings.TrimSuffix(pattern, "/")+"/") {
		return true
	}
	if !strings.ContainsAny(pattern, "*?") {
		return false
	}
	var re strings.Builder
	re.WriteString("^")
	for _, r := range pattern {
		switch r {
		case '*':
			re.WriteString(".*")
		case '?':
			re.WriteString(".")
		default:
			re.WriteString(regexp.QuoteMeta(string(r)))
		}
	}
	re.WriteString("$")
	ok, err := regexp.MatchString(re.String(), name)
	return err == nil && ok
}

// isLoopback reports whether host is a loopback address or localhost.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// CaseNames returns the names of the cases a run with cfg would run, in
// order: those cfg.Only and cfg.Skip select (all of them when both are
// empty), for listing. No case selected is a *UsageError, as for Check.
func CaseNames(cfg Config) ([]string, error) {
	s, err := newSuite("http://127.0.0.1", Config{Spec: cfg.Spec, Seed: cfg.Seed, RunID: "list", LoginDomain: cfg.LoginDomain,
		Only: cfg.Only, Skip: cfg.Skip})
	if err != nil {
		return nil, err
	}
	names := make([]string, len(s.cases))
	for i, c := range s.cases {
		names[i] = c.Name
	}
	return names, nil
}

// Validate returns the error Check would return for target and cfg before
// sending anything (a *UsageError for a bad Config or target, or no case
// selected), or nil; it sends nothing. A command line can so be checked
// before any output. Give cfg a RunID: without one, each call draws its own.
func Validate(target string, cfg Config) error {
	_, err := newSuite(target, cfg)
	return err
}

// Check runs every selected case against target, the base URL of a server
// (http://127.0.0.1:8780 or https://sso.apigw.ntruss.com/api/v1), and
// returns the report with the error: a *ContractError joining every failed
// check, a *UsageError, an *UnreachableError when the target cannot be
// reached before any answer (the report then has the case that found it so
// failed and the others not run; a target that stops answering later fails
// the cases that find it so, and the run goes on), or nil when the contract
// holds. When ctx is cancelled before every case ran, the case in flight
// and the ones after it are marked StatusNotRun, clean-up still runs (each
// request bounded by Config.Timeout) and the error is an *InterruptedError.
// onCase, when not nil, is called after each case that ran, for live
// output.
func Check(ctx context.Context, target string, cfg Config, onCase func(*CaseResult)) (*Report, error) {
	s, err := newSuite(target, cfg)
	if err != nil {
		return nil, err
	}
	defer s.close()
	s.report.Started = time.Now()
	defer func() { s.report.Duration = time.Since(s.report.Started) }()
	for _, c := range s.cases {
		if ctx.Err() != nil {
			s.report.Cases = append(s.report.Cases, notRun(ctx, c))
			continue
		}
		res, err := s.runCase(ctx, c)
		if err != nil {
			s.stopUnreachable(err)
			return s.report, err
		}
		if onCase != nil && res.Status != StatusNotRun {
			onCase(res)
		}
	}
	if s.cfg.Cleanup {
		// Users left behind cost more than the wait: clean up even after
		// an interrupt.
		s.cleanup(context.WithoutCancel(ctx))
	}
	if n := s.report.NotRun(); n > 0 {
		cause := context.Cause(ctx)
		s.report.Interrupted = cause.Error()
		return s.report, &InterruptedError{Cause: cause, NotRun: n, Total: len(s.cases), Contract: s.report.Err()}
	}
	return s.report, s.report.Err()
}

// newTransport returns a transport set up as http.DefaultTransport is.
func newTransport() *http.Transport {
	if t, ok := http.DefaultTransport.(*http.Transport); ok {
		return t.Clone()
	}
	return &http.Transport{Proxy: http.ProxyFromEnvironment}
}

// close closes the idle connections of the run's own transport, so that a
// run leaves no connection or goroutine behind.
func (s *suite) close() {
	if s.transport != nil {
		s.transport.CloseIdleConnections()
	}
}

// stopUnreachable ends a run at a target that could not be reached: the
// case that found it so has failed, every case after it is not run, and the
// report says why.
func (s *suite) stopUnreachable(err error) {
	s.report.Unreachable = err.Error()
	for _, c := range s.cases[len(s.report.Cases):] {
		s.report.Cases = append(s.report.Cases, &CaseResult{Name: c.Name, Kind: c.Kind, Description: c.Description,
			Status: StatusNotRun, SkipReason: "not run: the target could not be reached"})
	}
}

// notRun is the result of a case an interruption kept from running.
func notRun(ctx context.Context, c *Case) *CaseResult {
	return &CaseResult{Name: c.Name, Kind: c.Kind, Description: c.Description, Status: StatusNotRun,
		SkipReason: fmt.Sprintf("not run: interrupted (%v)", context.Cause(ctx))}
}

// Run runs every selected case against target as a subtest of t, failing
// the subtest for each failed check. It returns the report.
func Run(t *testing.T, target string, cfg Config) *Report {
	t.Helper()
	if cfg.ReproDir == "" {
		cfg.ReproDir = t.ArtifactDir() // not a directory left in /tmp by every run
	}
	s, err := newSuite(target, cfg)
	if err != nil {
		t.Fatalf("contracttest: %v", err)
	}
	defer s.close()
	s.report.Started = time.Now()
	for _, c := range s.cases {
		var stop error // a target that cannot be reached at all ends the run
		t.Run(c.Name, func(t *testing.T) {
			t.Helper() // failures point at the caller's Run, not here
			res, err := s.runCase(t.Context(), c)
			if err != nil {
				stop = err
				t.Fatalf("contracttest: %v", err)
			}
			if res.Status == StatusSkip || res.Status == StatusNotRun {
				t.Skip(res.SkipReason)
			}
			for _, f := range res.Failures {
				t.Errorf("%s: expected %s; got %s\n%s", f.Check, f.Expected, f.Got, strings.TrimSuffix(reproText(f, ""), "\n"))
			}
		})
		if stop != nil {
			t.Fatalf("contracttest: the run stopped at case %s: %v", c.Name, stop)
		}
	}
	if s.cfg.Cleanup {
		s.cleanup(t.Context())
		if c := s.report.Cleanup; c != nil && (len(c.Failed) > 0 || len(c.LookupFailed) > 0) {
			t.Logf("contracttest: cleanup deleted %d users; not deleted: %+v; maybe created, not looked up: %+v", c.Deleted, c.Failed, c.LookupFailed)
		}
	}
	s.report.Duration = time.Since(s.report.Started)
	return s.report
}

// runCase runs one case; the error is only for an unreachable target.
func (s *suite) runCase(ctx context.Context, c *Case) (*CaseResult, error) {
	res := &CaseResult{Name: c.Name, Kind: c.Kind, Description: c.Description}
	s.report.Cases = append(s.report.Cases, res)
	if c.Writes && !s.loopback && !s.cfg.AllowWrites {
		res.Status, res.SkipReason = StatusSkip, "creates users on a non-loopback target; pass --allow-writes"
		return res, nil
	}
	if c.NeedsKeys && s.cfg.Signer == nil {
		res.Status, res.SkipReason = StatusSkip, skipNoKeys
		return res, nil
	}
	start := time.Now()
	r := &caseRun{ctx: ctx, s: s, c: c, res: res}
	c.run(r)
	res.Duration = time.Since(start)
	if r.interrupted && len(res.Failures) == 0 {
		// The answers so far passed; what the case would find is unknown.
		*res = *notRun(ctx, c)
		return res, nil
	}
	if r.unreachable != nil {
		res.Status = StatusFail
		return res, r.unreachable
	}
	res.Status = StatusPass
	if len(res.Failures) > 0 {
		res.Status = StatusFail
	} else {
		res.Exchanges = nil // keep the report small: exchanges only for failures
	}
	return res, nil
}

// caseRun is the state of one case while it runs.
type caseRun struct {
	ctx         context.Context
	s           *suite
	c           *Case
	res         *CaseResult
	unreachable error
	// interrupted is set when ctx was cancelled while a request waited.
	interrupted bool
	// curl holds the commands that reproduce the exchange curlOf.
	curlOf *Exchange
	curl   *Failure
}

// send posts body and runs the checks every answer must pass. It returns nil
// when no answer came.
func (r *caseRun) send(body []byte, contentType string) *Exchange {
	return r.sendAs(body, contentType, authRun)
}

// sendAs is send with the request authenticated as auth says.
func (r *caseRun) sendAs(body []byte, contentType string, auth authMode) *Exchange {
	if r.unreachable != nil || r.interrupted {
		return nil
	}
	ex := r.exchange(body, contentType, auth)
	r.res.Exchanges = append(r.res.Exchanges, ex)
	r.recordAnswer(ex)
	if ex.Error != "" {
		return nil
	}
	r.checkAnswer(ex)
	return ex
}

// fail records a failed check of the answer in ex.
func (r *caseRun) fail(ex *Exchange, check, expected, got string) {
	f := &Failure{Case: r.c.Name, Check: check, Expected: expected, Got: got}
	if ex != nil && ex == r.curlOf {
		// One command (and body file) per request, however many checks fail.
		f.Curl, f.CurlBefore, f.CreatesUsers = r.curl.Curl, r.curl.CurlBefore, r.curl.CreatesUsers
	} else if ex != nil {
		r.reproduce(ex, f)
		r.curlOf, r.curl = ex, f
	}
	r.res.Failures = append(r.res.Failures, f)
}

// reproduce sets the commands of f: a curl for the request of ex, after
// one for each request the case sent before it, since its answer may rest
// on them (semantic/resubmit-duplicate's second request is refused only
// once its first created the login ID).
func (r *caseRun) reproduce(ex *Exchange, f *Failure) {
	before := r.res.Exchanges
	if i := slices.Index(before, ex); i >= 0 {
		before = before[:i]
	} // else ex got no answer and is not recorded yet: it comes after them all
	for i, e := range before {
		f.CurlBefore = append(f.CurlBefore, r.s.repro.curl(r.c.Name, i+1, e))
	}
	f.Curl = r.s.repro.curl(r.c.Name, len(before)+1, ex)
	f.CreatesUsers = r.c.Writes
}
