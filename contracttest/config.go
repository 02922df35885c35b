// Package contracttest checks a server of the NCP SSO "create users in batch"
// endpoint, real or mock, against the contract in ncpmock's spec. It sends
// positive, negative, semantic and auth cases built from the spec and checks
// every answer; a failure names the check, what was expected, what came back and a
// curl command that reproduces it.
//
// Check collects every failure into a Report, in the manner of
// testing/fstest.TestFS; Run runs each case as a subtest of a Go test.
package contracttest

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/ncpmock/ncpmock/apigw"
	"github.com/ncpmock/ncpmock/openapi"
)

// Defaults of Config fields left zero.
const (
	DefaultLoginDomain = "example.com"
	DefaultTimeout     = 10 * time.Second
)

// Config configures a contract run. The zero value is usable: the embedded
// spec, seed 0, login IDs @example.com, a 10 s timeout per request.
type Config struct {
	// Spec is the contract; nil means the embedded spec.
	Spec *openapi.Spec
	// Seed seeds the generated bodies and the run ID: the same seed sends the
	// same requests.
	Seed uint64
	// RunID marks every login ID the run creates (ncpmock-<run>-<n>@<domain>);
	// empty means one derived from the seed and the time.
	RunID string
	// Only keeps the cases whose names match one of these patterns (a name, a
	// prefix such as "negative", or a path.Match pattern such as "positive/*").
	Only []string
	// Skip drops the cases whose names match one of these patterns.
	Skip []string
	// AllowWrites lets cases that create users run against a target that is
	// not on a loopback address. Without it they are skipped.
	AllowWrites bool
	// LoginDomain is the domain of the login IDs the run creates; default
	// DefaultLoginDomain.
	LoginDomain string
	// Timeout bounds each request; default DefaultTimeout.
	Timeout time.Duration
	// MaxResponseTime, when set, fails any answer slower than it.
	MaxResponseTime time.Duration
	// MemberNo is the member number expected in NRNs; empty accepts any.
	MemberNo string
	// NRNDomain is the platform expected in NRNs, PUB or GOV; empty accepts
	// either.
	NRNDomain string
	// Client sends the requests; nil means a new client with a transport
	// of its own, whose connections are closed when the run ends. The
	// caller's Client's connections are the caller's to close. The run uses a
	// copy that never follows redirects: a 3xx is checked as the answer it
	// is, since following it would turn the POST into a GET (301, 302) or
	// hide the redirect (307, 308).
	Client *http.Client
	// Signer, when set, signs every request with the API Gateway's signature
	// v2 (wrapping Client's transport), as a real server requires, and runs
	// the auth cases, which send requests unsigned or signed badly on
	// purpose (without it they are skipped). Curl commands then sign with
	// "ncpmock sign" instead of showing signatures.
	Signer *apigw.Signer
	// Cleanup deletes, once every case has run, the users the run created,
	// with the SSO API's POST /users/delete beside the bulk endpoint (see
	// Report.Cleanup), and before that looks each login ID of
	// Report.MaybeCreated up with GET /users beside it, deleting the users
	// found. Users it could not delete or look up are reported, not failed.
	Cleanup bool
	// ReproDir is where request bodies too long to print are written, for the
	// curl commands that reproduce failures; empty means a new directory
	// under os.TempDir() for Check, and t.ArtifactDir() for Run (removed
	// after the test unless go test runs with -artifacts).
	ReproDir string
}

// ErrUsage is matched by errors in the Config or the target.
var ErrUsage = errors.New("usage")

// UsageError reports a bad Config or target.
type UsageError struct {
	// Msg says what is wrong and how to put it right; it is the whole
	// message of Error.
	Msg string
}

// Error returns the message.
func (e *UsageError) Error() string { return e.Msg }

// Is reports whether target is ErrUsage.
func (e *UsageError) Is(target error) bool { return target == ErrUsage }

var (
	loginDomainRE = regexp.MustCompile(`^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$`)
	runIDRE       = regexp.MustCompile(`^[a-z0-9]{1,12}$`)
	memberNoRE    = regexp.MustCompile(`^[0-9]{1,20}$`)
)

// nrnDomains are the platforms of NCP NRNs: public and government cloud.
var nrnDomains = []string{"PUB", "GOV"}

func (cfg *Config) setDefaults() error {
	if cfg.Spec == nil {
		spec, err := openapi.Embedded()
		if err != nil {
			return fmt.Errorf("contracttest: embedded spec: %w", err)
		}
		cfg.Spec = spec
	}
	if err := cfg.Spec.Loaded(); err != nil {
		return &UsageError{Msg: "contracttest: " + err.Error()}
	}
	if cfg.LoginDomain == "" {
		cfg.LoginDomain = DefaultLoginDomain
	}
	if !loginDomainRE.MatchString(cfg.LoginDomain) {
		return &UsageError{Msg: fmt.Sprintf("login domain %q: want a domain name such as example.com", cfg.LoginDomain)}
	}
	if cfg.RunID == "" {
		cfg.RunID = NewRunID(cfg.Seed, time.Now())
	}
	if !runIDRE.MatchString(cfg.RunID) {
		return &UsageError{Msg: fmt.Sprintf("run ID %q: want 1 to 12 lowercase letters or digits", cfg.RunID)}
	}
	if cfg.MemberNo != "" && !memberNoRE.MatchString(cfg.MemberNo) {
		return &UsageError{Msg: fmt.Sprintf("member number %q: want digits", cfg.MemberNo)}
	}
	if cfg.NRNDomain != "" && !slices.Contains(nrnDomains, cfg.NRNDomain) {
		return &UsageError{Msg: fmt.Sprintf("NRN domain %q: want %s", cfg.NRNDomain, strings.Join(nrnDomains, " or "))}
	}
	if cfg.Timeout < 0 {
		return &UsageError{Msg: fmt.Sprintf("timeout %s (--timeout): want 0 (default %s) or more", cfg.Timeout, DefaultTimeout)}
	}
	if cfg.MaxResponseTime < 0 {
		return &UsageError{Msg: fmt.Sprintf("max response time %s (--max-response-time): want 0 (none) or more", cfg.MaxResponseTime)}
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = DefaultTimeout
	}
	client := http.Client{}
	if cfg.Client != nil {
		client = *cfg.Client // a copy: the caller's client is left as it was
	}
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	cfg.Client = &client
	return nil
}

// signedClient returns the client that sends the run's requests: cfg.Client
// (as setDefaults left it), signing with cfg.Signer when it is set.
func (cfg *Config) signedClient() *http.Client {
	if cfg.Signer == nil {
		return cfg.Client
	}
	signed := *cfg.Client
	signed.Transport = &apigw.Transport{Signer: cfg.Signer, Base: cfg.Client.Transport}
	return &signed
}

// NewRunID returns a run ID of 6 base-36 digits from the seed and the time,
// so that two runs with one seed still create different login IDs.
func NewRunID(seed uint64, now time.Time) string {
	x := seed ^ uint64(now.UnixNano())
	x ^= x >> 33
	x *= 0xff51afd7ed558ccd
	x ^= x >> 33
	const digits = "0123456789abcdefghijklmnopqrstuvwxyz"
	var b [6]byte
	for i := range b {
		b[i] = digits[x%36]
		x /= 36
	}
	return string(b[:])
}

// endpointURL turns the target into the URL of the operation: a bare origin
// gets the first server's path (/api/v1/users/bulk); a target that ends with
// the operation's path (/users/bulk) is taken as it is; any other path is
// taken as the base path (https://host/api/v1 gets /users/bulk).
func endpointURL(target string, spec *openapi.Spec) (*url.URL, error) {
	u, err := url.Parse(target)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, &UsageError{Msg: fmt.Sprintf("target %q: want an http:// or https:// URL", target)}
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return nil, &UsageError{Msg: fmt.Sprintf("target %q: want no query or fragment", target)}
	}
	base := strings.TrimRight(u.Path, "/")
	switch {
	case strings.HasSuffix(base, spec.Path()):
		u.Path = base
	case base == "":
		u.Path = spec.ServerPaths()[0]
	default:
		u.Path = base + spec.Path()
	}
	return u, nil
}
