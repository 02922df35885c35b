package mock

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/ncpmock/ncpmock/openapi"
)

// bulkPath is the bulk endpoint of the embedded spec.
const bulkPath = "/api/v1/users/bulk"

// testTimeout bounds every client request of these tests.
const testTimeout = 10 * time.Second

// newTestServer returns a mock for cfg; the test may set its hooks before start.
func newTestServer(t *testing.T, cfg Config) *Server {
	t.Helper()
	s, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return s
}

// serve runs s on a loopback port until the test ends, closing s first so
// that hung requests do not hold the test up.
func serve(t *testing.T, s *Server) *httptest.Server {
	t.Helper()
	ts := httptest.NewServer(s)
	t.Cleanup(func() {
		_ = s.Close()
		ts.Close()
	})
	return ts
}

// freshClient dials a new connection for every request, so that what one
// fault does to a connection never shows in the next request.
func freshClient(t *testing.T) *http.Client {
	t.Helper()
	tr := &http.Transport{DisableKeepAlives: true}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr, Timeout: testTimeout}
}

// bulkBody returns a valid request body creating the given login IDs.
func bulkBody(loginIDs ...string) string {
	var req openapi.BulkRequest
	for _, id := range loginIDs {
		req.Params = append(req.Params, openapi.UserCreate{LoginID: id})
	}
	data, _ := json.Marshal(req)
	return string(data)
}

// post sends a bulk request with the given headers (name, value, ...).
func post(ctx context.Context, c *http.Client, url, body string, headers ...string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, strings.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Add(headers[i], headers[i+1])
	}
	return c.Do(req)
}

// do sends a request to the handler in memory and returns the recorded answer.
func do(t *testing.T, h http.Handler, method, target, body string, headers ...string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, target, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Add(headers[i], headers[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// decode decodes a JSON answer into v, failing the test when it is not JSON.
func decode(t *testing.T, data []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatalf("decode %q: %v", data, err)
	}
}

// readAll reads a body, returning what came and the error that ended it.
func readAllBody(r io.Reader) ([]byte, error) {
	var buf bytes.Buffer
	_, err := buf.ReadFrom(r)
	return buf.Bytes(), err
}

// gatewayErr decodes a gateway error body.
func gatewayErr(t *testing.T, data []byte) openapi.GatewayErrorDetail {
	t.Helper()
	var g openapi.GatewayError
	decode(t, data, &g)
	return g.Error
}

// results decodes a 200 answer of the bulk endpoint.
func decodeResults(t *testing.T, data []byte) []openapi.UserResult {
	t.Helper()
	var r []openapi.UserResult
	decode(t, data, &r)
	return r
}
