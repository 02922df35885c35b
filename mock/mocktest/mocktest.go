// Package mocktest runs ncpmock's mock server inside Go tests, in the style of
// net/http/httptest: the server listens on a loopback port before NewServer
// returns and is closed when the test ends.
package mocktest

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/ncpmock/ncpmock/mock"
)

// Server is a running mock server for one test.
type Server struct {
	// URL is the server's base URL, such as http://127.0.0.1:41234, without a
	// trailing slash. The bulk endpoint is BulkURL: URL +
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
	s, err := Start(cfg)
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
	m, err := mock.New(cfg)
	if err != nil {
		return nil, err
	}
	ts := httptest.NewServer(m)
	return &Server{URL: ts.URL, Mock: m, ts: ts}, nil
}

// BulkURL returns the URL of the createUsersBulk endpoint.
func (s *Server) BulkURL() string {
	return s.URL + s.Mock.Spec().ServerPaths()[0]
}

// Client returns an HTTP client for the server. Its idle connections are
// closed with the server.
func (s *Server) Client() *http.Client { return s.ts.Client() }

// Close shuts the server down and waits for requests in flight, after ending
// every fault wait (see mock.Server.Close: hangs close without an answer,
// latency and slow-body faults answer at once), so that a test never waits
// for a fault. It is safe to call more than once.
func (s *Server) Close() {
	_ = s.Mock.Close()
	s.ts.Close()
}
