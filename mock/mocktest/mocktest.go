// Package mocktest runs ncpmock's mock server inside Go tests, in the style of
// net/http/httptest: the server listens on a loopback port before NewServer
// (or NewTLSServer, for a client that insists on https) returns and is
// closed when the test ends.
package mocktest

import (
	"crypto/x509"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/ncpmock/ncpmock/mock"
)

// Server is a running mock server for one test.
type Server struct {
	// URL is the server's base URL, such as http://127.0.0.1:41234 (https
	// from NewTLSServer), without a trailing slash. The bulk endpoint is BulkURL: URL +
	// "/api/v1/users/bulk" with the embedded spec.
	URL string
	// Mock is the mock server being served.
	Mock *mock.Server

	ts *httptest.Server
}

// NewServer starts a mock server configured by cfg on 127.0.0.1 and a free
// port. It fails the test if cfg is invalid, and registers Close with
// tb.Cleanup, so callers need not close it.
func NewServer(tb testing.TB, cfg mock.Config) *Server {
	tb.Helper()
	return newServer(tb, cfg, Start)
}

// NewTLSServer is NewServer over HTTPS, as httptest.NewTLSServer: URL is
// https://127.0.0.1:port, and Client trusts the server's self-signed
// certificate (for 127.0.0.1, ::1 and example.com; see Certificate), which
// no other client does. It speaks HTTP/1.1, as NewServer, so that the
// faults that take the connection over (reset, empty, garbage, truncated)
// work as they do there. Close is registered with tb.Cleanup.
func NewTLSServer(tb testing.TB, cfg mock.Config) *Server {
	tb.Helper()
	return newServer(tb, cfg, StartTLS)
}

func newServer(tb testing.TB, cfg mock.Config, start func(mock.Config) (*Server, error)) *Server {
	tb.Helper()
	s, err := start(cfg)
	if err != nil {
		tb.Fatalf("mocktest: %v", err)
	}
	tb.Cleanup(s.Close)
	return s
}

// Start starts a mock server configured by cfg on 127.0.0.1 and a free port,
// for code with no testing.TB at hand (TestMain, a server shared by a
// package's tests, an example); the caller must Close it. An invalid cfg is
// an error, and nothing is started.
func Start(cfg mock.Config) (*Server, error) {
	return start(cfg, (*httptest.Server).Start)
}

// StartTLS is Start over HTTPS, as NewTLSServer; the caller must Close it.
func StartTLS(cfg mock.Config) (*Server, error) {
	return start(cfg, (*httptest.Server).StartTLS)
}

// start serves a new mock with httptest, as httptest.NewServer and
// NewTLSServer would: the same server, the same Close, and a Client that
// trusts the certificate.
func start(cfg mock.Config, run func(*httptest.Server)) (*Server, error) {
	m, err := mock.New(cfg)
	if err != nil {
		return nil, err
	}
	ts := httptest.NewUnstartedServer(m)
	run(ts)
	return &Server{URL: ts.URL, Mock: m, ts: ts}, nil
}

// BulkURL returns the URL of the createUsersBulk endpoint.
func (s *Server) BulkURL() string {
	return s.URL + s.Mock.Spec().ServerPaths()[0]
}

// Client returns an HTTP client for the server, which trusts its
// certificate when it serves HTTPS. Its idle connections are closed with the
// server.
func (s *Server) Client() *http.Client { return s.ts.Client() }

// Certificate returns the certificate of a server started by NewTLSServer or
// StartTLS, for a client other than Client to trust (add it to the RootCAs
// of its tls.Config); nil when the server speaks plain HTTP.
func (s *Server) Certificate() *x509.Certificate { return s.ts.Certificate() }

// Close shuts the server down and waits for requests in flight, after ending
// every fault wait (see mock.Server.Close: hangs close without an answer,
// latency and slow-body faults answer at once), so that a test never waits
// for a fault. It is safe to call more than once.
func (s *Server) Close() {
	_ = s.Mock.Close()
	s.ts.Close()
}
