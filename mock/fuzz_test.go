package mock_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/ncpmock/ncpmock/apigw"
	"github.com/ncpmock/ncpmock/mock"
	"github.com/ncpmock/ncpmock/openapi"
)

// fuzzRoutes are the method and path pairs FuzzHandler picks from.
var fuzzRoutes = []struct{ method, path string }{
	{http.MethodPost, "/api/v1/users/bulk"},
	{http.MethodPost, "/users/bulk"},
	{http.MethodGet, "/api/v1/users/bulk"},
	{http.MethodPost, "/api/v1/users/bulk?x=1"},
	{http.MethodGet, mock.PathHealth},
	{http.MethodGet, mock.PathAdminUsers},
	{http.MethodPost, "/api/v1/nothing"},
	{http.MethodPost, "/api/v1/users/delete"},
	{http.MethodGet, "/api/v1/users?searchColumn=loginId&searchWord=kim&size=3"},
	{http.MethodDelete, "/api/v1/users/0b5c1e4e-0000-4000-8000-000000000000"},
	{http.MethodGet, "/api/v1/users/check-login-id?loginId=kim@example.com"},
}

// FuzzHandler sends arbitrary bodies, content types and headers to the whole
// mock handler, with authentication on; signed chooses whether the request
// also carries a valid signature. The mock must never answer 5xx, must answer
// the bulk operation with a status the spec declares and a JSON body of its
// declared schema, unless the request asked for a fault, and must go on
// serving.
func FuzzHandler(f *testing.F) {
	valid := `{"params":[{"loginId":"kim@example.com","accessRules":{"consoleAccessAllowed":true,"apiAccessAllowed":false}}]}`
	f.Add([]byte(valid), "application/json", "", true, uint8(0))
	f.Add([]byte(valid), "application/json; charset=utf-8", "X-Trace: 1", true, uint8(1))
	f.Add([]byte(valid), "application/json", "x-ncp-apigw-timestamp: 1700000000000\nx-ncp-iam-access-key: AKFUZZ\nx-ncp-apigw-signature-v2: AAAA", false, uint8(0))
	f.Add([]byte(`{"params":[{}]}`), "text/plain", "Content-Length: 3", true, uint8(0))
	f.Add([]byte(`{"params":[[[[]]]]`), "application/json", "Origin: http://localhost:3000", true, uint8(3))
	f.Add([]byte{}, "", "", false, uint8(4))
	f.Add([]byte(valid), "application/json", "X-Ncpmock-Fault: status=500", true, uint8(0))
	f.Add([]byte(valid), "application/json", "X-Ncpmock-Fault: hang=10m\nX-Ncpmock-Fault: latency=10m", true, uint8(0))
	f.Add([]byte(strings.Replace(valid, "kim@example.com", "reset@fail.ncpmock.test", 1)), "application/json", "", true, uint8(0))
	srv, err := mock.New(mock.Config{
		Seed: 1,
		Now:  func() time.Time { return time.UnixMilli(1700000000000) },
		Auth: mock.AuthConfig{Mode: mock.AuthNCP, Credentials: []apigw.Credentials{{AccessKey: "AKFUZZ", SecretKey: "fuzz-secret"}}},
	})
	if err != nil {
		f.Fatal(err)
	}
	_ = srv.Close() // fault waits (latency, hang, slow-body) end at once: no input holds the fuzzer
	signer := &apigw.Signer{
		Credentials: apigw.Credentials{AccessKey: "AKFUZZ", SecretKey: "fuzz-secret"},
		Now:         func() time.Time { return time.UnixMilli(1700000000000) },
	}
	f.Fuzz(func(t *testing.T, body []byte, contentType, headers string, signed bool, route uint8) {
		rt := fuzzRoutes[int(route)%len(fuzzRoutes)]
		req := httptest.NewRequest(rt.method, rt.path, bytes.NewReader(body))
		if validHeaderValue(contentType) {
			req.Header.Set("Content-Type", contentType)
		}
		for _, line := range strings.Split(headers, "\n") {
			if name, value, ok := strings.Cut(line, ":"); ok && validHeaderName(name) && validHeaderValue(value) {
				req.Header.Add(name, strings.TrimSpace(value))
			}
		}
		if signed {
			signer.Sign(req)
		}
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		checkFuzzAnswer(t, srv.Spec(), rt.method, rt.path, rec)

		health := httptest.NewRecorder()
		srv.ServeHTTP(health, httptest.NewRequest(http.MethodGet, mock.PathHealth, nil))
		if health.Code != http.StatusOK {
			t.Fatalf("after that request, /healthz answered %d", health.Code)
		}
	})
}

// FuzzDirectoryQuery sends arbitrary query strings to the directory's
// GET operations of a mock holding a few users. It must answer 200 or a 400
// that names a field and a rule, and a page must add up.
func FuzzDirectoryQuery(f *testing.F) {
	for _, q := range []string{"", "page=1&size=2", "searchColumn=loginId&searchWord=kim", "size=0", "page=-1",
		"searchColumn=status&searchWord=active&size=1000", "size=99999999999999999999", "searchWord=%ff", "loginId=%00", "page=2&page=x"} {
		f.Add(q)
	}
	srv, err := mock.New(mock.Config{Seed: 1})
	if err != nil {
		f.Fatal(err)
	}
	body := `{"params":[` +
		`{"loginId":"kim@example.com","accessRules":{"consoleAccessAllowed":true,"apiAccessAllowed":false}},` +
		`{"loginId":"lee@example.com","accessRules":{"consoleAccessAllowed":true,"apiAccessAllowed":false}},` +
		`{"loginId":"kim.park@example.com","accessRules":{"consoleAccessAllowed":true,"apiAccessAllowed":false}}]}`
	req := httptest.NewRequest(http.MethodPost, "/api/v1/users/bulk", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	srv.ServeHTTP(httptest.NewRecorder(), req)
	f.Fuzz(func(t *testing.T, query string) {
		for _, path := range []string{"/api/v1/users", "/api/v1/users/check-login-id"} {
			req := httptest.NewRequest(http.MethodGet, path, nil)
			req.URL.RawQuery = query // as sent, which NewRequest would refuse to parse
			rec := httptest.NewRecorder()
			srv.ServeHTTP(rec, req)
			switch rec.Code {
			case http.StatusOK:
				if path != "/api/v1/users" {
					continue
				}
				var p mock.UserPage
				if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil {
					t.Fatalf("%s?%s: %v", path, query, err)
				}
				if p.TotalItems > 3 || len(p.Items) > p.TotalItems || (p.TotalItems == 0) != (p.TotalPages == 0) ||
					p.IsFirst != (p.Page == 0) || p.HasPrevious == p.IsFirst || p.HasNext == p.IsLast ||
					p.IsLast != (p.Page >= p.TotalPages-1) || len(p.Items) > 0 && p.Page >= p.TotalPages {
					t.Fatalf("%s?%s: a page that does not add up: %s", path, query, rec.Body.Bytes())
				}
			case http.StatusBadRequest:
				var e openapi.ErrorResponse
				if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil || len(e.FieldErrors) == 0 {
					t.Fatalf("%s?%s: 400 without field errors: %s", path, query, rec.Body.Bytes())
				}
				for _, p := range e.FieldErrors {
					if p.Rule == "" || p.Message == "" || !utf8.ValidString(p.Message) {
						t.Fatalf("%s?%s: unreadable problem %+v", path, query, p)
					}
				}
			default:
				t.Fatalf("%s?%s: %d %s", path, query, rec.Code, rec.Body.Bytes())
			}
		}
	})
}

func checkFuzzAnswer(t *testing.T, spec *openapi.Spec, method, path string, rec *httptest.ResponseRecorder) {
	t.Helper()
	if rec.Header().Get(mock.HeaderFaultApplied) != "" {
		// The request asked for a fault (a header or a trigger login ID): any
		// status, a body that breaks the contract, or, for the faults that
		// take the connection over, which a recorder cannot give, a 500.
		return
	}
	if rec.Code >= 500 {
		t.Fatalf("got %d: %s", rec.Code, rec.Body.Bytes())
	}
	if rec.Code == http.StatusNoContent || method == http.MethodOptions {
		return
	}
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("status %d with Content-Type %q, want JSON", rec.Code, ct)
	}
	var value any
	if err := json.Unmarshal(rec.Body.Bytes(), &value); err != nil {
		t.Fatalf("status %d with a body that is not JSON: %v: %q", rec.Code, err, rec.Body.Bytes())
	}
	if method != spec.Method() || !isBulkPath(spec, path) {
		return
	}
	resp := spec.Operation().Responses.Status(rec.Code)
	if resp == nil || resp.Value == nil {
		t.Fatalf("status %d is not declared for %s %s: %s", rec.Code, method, path, rec.Body.Bytes())
	}
	mt := resp.Value.Content.Get("application/json")
	if mt == nil || mt.Schema == nil {
		t.Fatalf("status %d declares no JSON body", rec.Code)
	}
	if err := mt.Schema.Value.VisitJSON(value, append(spec.Doc().GetSchemaValidationOptions(), openapi3.MultiErrors())...); err != nil {
		t.Fatalf("status %d body %s does not match its schema: %v", rec.Code, rec.Body.Bytes(), err)
	}
}

func isBulkPath(spec *openapi.Spec, path string) bool {
	path, _, _ = strings.Cut(path, "?")
	for _, p := range spec.ServerPaths() {
		if p == path {
			return true
		}
	}
	return false
}

// validHeaderName and validHeaderValue keep what net/http would refuse to
// send or to parse out of the fuzzed request.
func validHeaderName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte(`"(),/:;<=>?@[\]{}`, c) >= 0 {
			return false
		}
	}
	return true
}

func validHeaderValue(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < ' ' && c != '\t' || c == 0x7f {
			return false
		}
	}
	return true
}
