package mock_test

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/ncpmock/ncpmock/apigw"
	"github.com/ncpmock/ncpmock/mock"
	"github.com/ncpmock/ncpmock/mock/mocktest"
	"github.com/ncpmock/ncpmock/openapi"
)

func TestBadInputAnswers(t *testing.T) {
	big := append(append([]byte(`{"params":[{"loginId":"a@b.co","description":"`),
		bytes.Repeat([]byte("x"), mock.DefaultMaxBodyBytes)...), `"}]}`...)
	tests := []struct {
		name, method, path, contentType string
		body                            []byte
		status                          int
		want                            string // a substring of the body
	}{
		{"invalid body", "POST", "/api/v1/users/bulk", "application/json",
			[]byte(`{"params":[{"loginId":"nope","accessRules":{"consoleAccessAllowed":true}}]}`), 400,
			`{"errorCode":400,"message":"Invalid request","fieldErrors":[` +
				`{"field":"params[0].accessRules.apiAccessAllowed","rule":"required","message":"is required"},` +
				`{"field":"params[0].loginId","rule":"format","message":"must be a valid email address`},
		{"malformed JSON", "POST", "/api/v1/users/bulk", "application/json", []byte(`{"params":[}`), 400,
			`"rule":"json","message":"malformed JSON at byte offset 11: invalid character '}' looking for beginning of value"`},
		{"wrong content type", "POST", "/api/v1/users/bulk", "text/plain", bulkBody("a@b.co"), 400,
			`"rule":"contentType","message":"Content-Type \"text/plain\" is not accepted; send application/json"`},
		{"no content type", "POST", "/api/v1/users/bulk", "", bulkBody("a@b.co"), 400,
			`"rule":"contentType","message":"the Content-Type header is missing; send application/json"`},
		{"empty body", "POST", "/api/v1/users/bulk", "application/json", nil, 400,
			`"rule":"body","message":"a JSON request body is required"`},
		{"body over 1 MiB", "POST", "/api/v1/users/bulk", "application/json", big, 413,
			`{"error":{"errorCode":"430","message":"Request Entity Too Large","details":"request body exceeds 1048576 bytes."}}`},
		{"unknown path", "GET", "/api/v1/people/nope", "", nil, 404,
			`{"error":{"errorCode":"300","message":"Not Found Exception","details":"URL not found."}}`},
		{"wrong method", "GET", "/api/v1/users/bulk", "", nil, 405,
			`"details":"GET is not allowed on /api/v1/users/bulk; use POST."`},
		{"wrong method on the alias", "PUT", "/users/bulk", "application/json", bulkBody("a@b.co"), 405, `use POST.`},
		{"another charset", "POST", "/api/v1/users/bulk", "application/json; charset=euc-kr", bulkBody("a@b.co"), 400,
			`"rule":"contentType","message":"Content-Type \"application/json; charset=euc-kr\": charset \"euc-kr\" is not accepted`},
		{"trailing slash", "POST", "/api/v1/users/bulk/", "application/json", bulkBody("a@b.co"), 404, `"details":"URL not found."`},
		{"trailing slash on the alias", "POST", "/users/bulk/", "application/json", bulkBody("a@b.co"), 404, `"details":"URL not found."`},
		{"a segment past a route", "POST", "/api/v1/users/bulk/x", "application/json", bulkBody("a@b.co"), 404, `"details":"URL not found."`},
	}
	srv := mocktest.NewServer(t, mock.Config{})
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req, _ := http.NewRequest(tc.method, srv.URL+tc.path, bytes.NewReader(tc.body))
			if tc.contentType != "" {
				req.Header.Set("Content-Type", tc.contentType)
			}
			a := do(t, srv, req)
			if a.status != tc.status || !strings.Contains(string(a.body), tc.want) {
				t.Fatalf("got %d %s\nwant %d with %s", a.status, a.body, tc.status, tc.want)
			}
			if ct := a.header.Get("Content-Type"); ct != "application/json" {
				t.Errorf("Content-Type: got %q, want application/json", ct)
			}
			if a.header.Get(mock.HeaderTraceID) == "" {
				t.Errorf("no %s header", mock.HeaderTraceID)
			}
			if tc.status == 405 && a.header.Get("Allow") != "POST" {
				t.Errorf("Allow: got %q, want POST", a.header.Get("Allow"))
			}
			if tc.status == 404 && a.header.Get("Allow") != "" {
				t.Errorf("Allow: got %q on a 404, want none: no method answers there", a.header.Get("Allow"))
			}
		})
	}
}

// TestCompressedBody: a gzip body is refused as compressed, not as
// malformed JSON, on the bulk endpoint and on the directory's POST.
func TestCompressedBody(t *testing.T) {
	srv := mocktest.NewServer(t, mock.Config{})
	var zipped bytes.Buffer
	zw := gzip.NewWriter(&zipped)
	zw.Write(bulkBody("zip@b.co"))
	zw.Close()
	for _, path := range []string{"/api/v1/users/bulk", "/api/v1/users/delete"} {
		req, _ := http.NewRequest(http.MethodPost, srv.URL+path, bytes.NewReader(zipped.Bytes()))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Content-Encoding", "gzip")
		a := do(t, srv, req)
		want := `{"field":"","rule":"contentEncoding","message":"Content-Encoding \"gzip\" is not accepted; send the body uncompressed"}`
		if a.status != http.StatusBadRequest || !strings.Contains(string(a.body), want) {
			t.Errorf("%s: got %d %s, want 400 with %s", path, a.status, a.body, want)
		}
	}
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/api/v1/users/bulk", bytes.NewReader(bulkBody("plain@b.co")))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Content-Encoding", "identity")
	if a := do(t, srv, req); a.status != http.StatusOK {
		t.Errorf("Content-Encoding identity: got %d %s, want 200", a.status, a.body)
	}
}

// TestBadRequestsLoseNothing interleaves bad requests with good ones: the
// users created before stay created and the server keeps serving.
func TestBadRequestsLoseNothing(t *testing.T) {
	srv := mocktest.NewServer(t, mock.Config{})
	createUsers(t, srv, "keep@example.com")
	bad := [][]byte{nil, []byte("{"), []byte(`{"params":[]}`), []byte(`{"params":"x"}`), []byte("\x00\xff"),
		bytes.Repeat([]byte("["), 100000)}
	for _, b := range bad {
		if a := post(t, srv, "/api/v1/users/bulk", "application/json", b); a.status != 400 {
			t.Errorf("body %.20q: status %d, want 400: %s", b, a.status, a.body)
		}
	}
	r := createUsers(t, srv, "keep@example.com", "new@example.com")
	if r[0].Success || !r[1].Success {
		t.Fatalf("got %+v, want keep@ to be a duplicate and new@ created", r)
	}
}

func TestUnknownPropertyWarningAndStrict(t *testing.T) {
	body := []byte(`{"params":[{"loginId":"a@b.co","accessRules":{"consoleAccessAllowed":true,"apiAccessAllowed":true},` +
		`"userProfile":{"phoneNumber":"010-1234-5678","이름":"홍"}}]}`)
	t.Run("default warns", func(t *testing.T) {
		srv := mocktest.NewServer(t, mock.Config{})
		a := post(t, srv, "/api/v1/users/bulk", "application/json", body)
		if a.status != 200 {
			t.Fatalf("status %d: %s", a.status, a.body)
		}
		got := strings.Join(a.header.Values(mock.HeaderWarning), "\n")
		want := `params[0].userProfile.phoneNumber: additionalProperties: is not a property the spec declares (did you mean "phoneNo"?)` +
			"\n" + `params[0].userProfile["\uc774\ub984"]: additionalProperties: is not a property the spec declares`
		if got != want {
			t.Fatalf("warnings:\n%s\nwant:\n%s", got, want)
		}
	})
	t.Run("strict rejects", func(t *testing.T) {
		srv := mocktest.NewServer(t, mock.Config{Strict: true})
		a := post(t, srv, "/api/v1/users/bulk", "application/json", body)
		var er openapi.ErrorResponse
		if err := json.Unmarshal(a.body, &er); err != nil || a.status != 400 || len(er.FieldErrors) != 2 ||
			er.FieldErrors[0].Field != "params[0].userProfile.phoneNumber" || er.FieldErrors[0].Rule != "additionalProperties" {
			t.Fatalf("got %d %s, want 400 naming both unknown properties", a.status, a.body)
		}
	})
}

func TestServiceEndpoints(t *testing.T) {
	srv := mocktest.NewServer(t, mock.Config{})
	get := func(path string) answer {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+path, nil)
		return do(t, srv, req)
	}
	if a := get(mock.PathHealth); a.status != 200 || string(a.body) != `{"status":"ok"}`+"\n" {
		t.Errorf("healthz: %d %q", a.status, a.body)
	}
	// The spec served names this mock first, so that "try it" in a tool
	// that reads it calls the mock, not NAVER Cloud; the rest is as embedded.
	self := "  - url: " + srv.URL + "/api/v1\n    description: this ncpmock (the mock that serves this spec)\n"
	want := bytes.Replace(openapi.EmbeddedYAML(), []byte("\nservers:\n"), []byte("\nservers:\n"+self), 1)
	if a := get(mock.PathSpecYAML); a.status != 200 || !bytes.Equal(a.body, want) || bytes.Equal(want, openapi.EmbeddedYAML()) ||
		a.header.Get("Content-Type") != "application/yaml" {
		t.Errorf("openapi.yaml: %d %s, want the embedded spec with this mock first:\n%.1200s", a.status, a.header.Get("Content-Type"), a.body)
	}
	for _, path := range []string{mock.PathSpecYAML, mock.PathSpecJSON} {
		a := get(path)
		spec, err := openapi.Load(a.body)
		if a.status != 200 || err != nil {
			t.Fatalf("%s: %d, loads with %v", path, a.status, err)
		}
		servers := spec.Doc().Servers
		base, err := openapi.Embedded()
		if err != nil {
			t.Fatal(err)
		}
		embedded := base.Doc().Servers
		if len(servers) != len(embedded)+1 || servers[0].URL != srv.URL+"/api/v1" || servers[1].URL != embedded[0].URL {
			t.Errorf("%s: servers %v, want %s/api/v1 and then the embedded spec's", path, servers, srv.URL)
		}
	}
	for _, path := range []string{mock.PathHealth, mock.PathSpecYAML} {
		req, _ := http.NewRequest(http.MethodHead, srv.URL+path, nil)
		if a := do(t, srv, req); a.status != 200 || len(a.body) != 0 {
			t.Errorf("HEAD %s: %d with %d bytes, want 200 and no body", path, a.status, len(a.body))
		}
	}
	req, _ := http.NewRequest(http.MethodPut, srv.URL+mock.PathHealth, nil)
	if a := do(t, srv, req); a.status != 405 || a.header.Get("Allow") != "GET, HEAD" {
		t.Errorf("PUT /healthz: %d, Allow %q; want 405 with GET, HEAD", a.status, a.header.Get("Allow"))
	}
}

func TestCORS(t *testing.T) {
	const asked = "content-type,x-ncpmock-fault,x-ncp-apigw-signature-v2,authorization,sentry-trace,baggage"
	preflight := func(srv *mocktest.Server, origin string) string {
		req, _ := http.NewRequest(http.MethodOptions, srv.URL+"/api/v1/users/bulk", nil)
		req.Header.Set("Origin", origin)
		req.Header.Set("Access-Control-Request-Method", "POST")
		req.Header.Set("Access-Control-Request-Headers", asked)
		a := do(t, srv, req)
		if got := a.header.Get("Access-Control-Allow-Origin"); got != "" {
			// The headers an app's client and tracing add are allowed too,
			// and so are credentials (axios withCredentials, fetch's
			// credentials: "include"), which "*" would not allow.
			if h := a.header.Get("Access-Control-Allow-Headers"); h != asked {
				t.Errorf("origin %s: Access-Control-Allow-Headers %q, want %q", origin, h, asked)
			}
			if c := a.header.Get("Access-Control-Allow-Credentials"); c != "true" {
				t.Errorf("origin %s: Access-Control-Allow-Credentials %q, want true", origin, c)
			}
			if w := a.header.Get(mock.HeaderWarning); w != "" {
				t.Errorf("origin %s allowed, with the warning %q", origin, w)
			}
			return got
		}
		// A refused page sees only a CORS error: the answer says why.
		if w := a.header.Get(mock.HeaderWarning); !strings.Contains(w, "CORS: origin \""+origin+"\" is not allowed") || !strings.Contains(w, "--cors-origin "+origin) {
			t.Errorf("origin %s refused: warning %q, want one naming it and --cors-origin", origin, w)
		}
		return ""
	}
	def := mocktest.NewServer(t, mock.Config{})
	for origin, allowed := range map[string]bool{
		"http://localhost:3000": true, "http://localhost": true, "http://127.0.0.1:5173": true, "http://[::1]:8080": true,
		"https://localhost:5173": true, "https://127.0.0.1": true, "http://myapp.localhost:5173": true, "https://a.b.localhost": true,
		"http://localhost.evil.com": false, "https://example.com": false, "http://localhost:3000x": false,
		"ftp://localhost": false, "http://.localhost": false, "http://evil.com/.localhost": false, "null": false,
	} {
		if got := preflight(def, origin); (got == origin) != allowed {
			t.Errorf("default, origin %s: Access-Control-Allow-Origin %q, want allowed=%t", origin, got, allowed)
		}
	}
	set := mocktest.NewServer(t, mock.Config{CORSOrigins: []string{"https://app.example.com", "https://*.corp.example"}})
	for origin, allowed := range map[string]bool{
		"https://app.example.com": true, "https://web.corp.example": true, "https://a.b.corp.example": true,
		"http://localhost:3000": false, "http://web.corp.example": false, "https://corp.example": false, "https://evilcorp.example": false,
	} {
		if got := preflight(set, origin); (got == origin) != allowed {
			t.Errorf("configured list, origin %s: Access-Control-Allow-Origin %q, want allowed=%t", origin, got, allowed)
		}
	}
	// "*" allows any page, by echoing its origin (which credentials need).
	anyOrigin := mocktest.NewServer(t, mock.Config{CORSOrigins: []string{"*"}})
	if got := preflight(anyOrigin, "https://app.example.com"); got != "https://app.example.com" {
		t.Errorf("\"*\": Access-Control-Allow-Origin %q, want the origin echoed", got)
	}
	// A simple request from the page also exposes the mock's headers.
	req, _ := http.NewRequest(http.MethodPost, def.URL+"/api/v1/users/bulk", bytes.NewReader(bulkBody("c@b.co")))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Origin", "http://localhost:3000")
	a := do(t, def, req)
	if exp := a.header.Get("Access-Control-Expose-Headers"); !strings.Contains(exp, mock.HeaderWarning) {
		t.Errorf("Access-Control-Expose-Headers %q does not expose %s", exp, mock.HeaderWarning)
	}
}

// TestCORSExposesEveryHeaderThePageMayRead checks that whatever header the
// mock answers a page with (Allow on a 405, Retry-After on a 429, the trace
// ID, warnings, the applied fault, WWW-Authenticate from the admin API) is
// one the page's JavaScript may read: CORS-safelisted, or listed in
// Access-Control-Expose-Headers.
func TestCORSExposesEveryHeaderThePageMayRead(t *testing.T) {
	const origin = "http://localhost:3000"
	// Headers a page reads without Expose-Headers, or never needs.
	unlisted := map[string]bool{
		"Cache-Control": true, "Content-Language": true, "Content-Length": true, "Content-Type": true,
		"Expires": true, "Last-Modified": true, "Pragma": true,
		"Date": true, "Vary": true, "Connection": true,
	}
	srv := mocktest.NewServer(t, mock.Config{AdminToken: "admin-secret-1"})
	tests := []struct {
		name, method, path string
		header             []string // name, value, ...
		body               []byte
		status             int
		sent               string // a header the answer must carry
	}{
		{"405", http.MethodPut, "/api/v1/users/bulk", nil, nil, http.StatusMethodNotAllowed, "Allow"},
		{"429", http.MethodPost, "/api/v1/users/bulk", []string{"X-Ncpmock-Fault", "status=429"}, bulkBody("a@b.co"), http.StatusTooManyRequests, "Retry-After"},
		{"fault applied", http.MethodPost, "/api/v1/users/bulk", []string{"X-Ncpmock-Fault", "status=503"}, bulkBody("a@b.co"), http.StatusServiceUnavailable, mock.HeaderFaultApplied},
		{"warning", http.MethodPost, "/api/v1/users/bulk", nil,
			[]byte(`{"params":[{"loginId":"w@b.co","nickname":"x","accessRules":{"consoleAccessAllowed":true,"apiAccessAllowed":true}}]}`), http.StatusOK, mock.HeaderWarning},
		{"trace ID", http.MethodGet, "/api/v1/users/check-login-id?loginId=t@b.co", nil, nil, http.StatusOK, mock.HeaderTraceID},
		{"admin 401", http.MethodGet, "/__admin/users", []string{mock.HeaderAdminToken, "wrong"}, nil, http.StatusUnauthorized, "Www-Authenticate"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req, err := http.NewRequest(tc.method, srv.URL+tc.path, bytes.NewReader(tc.body))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Origin", origin)
			req.Header.Set("Content-Type", "application/json")
			for i := 0; i+1 < len(tc.header); i += 2 {
				req.Header.Set(tc.header[i], tc.header[i+1])
			}
			a := do(t, srv, req)
			if a.status != tc.status || a.header.Get(tc.sent) == "" || a.header.Get("Access-Control-Allow-Origin") != origin {
				t.Fatalf("got %d with %s %q for origin %q, want %d with %s", a.status, tc.sent, a.header.Get(tc.sent),
					a.header.Get("Access-Control-Allow-Origin"), tc.status, tc.sent)
			}
			exposed := map[string]bool{}
			for _, name := range strings.Split(a.header.Get("Access-Control-Expose-Headers"), ",") {
				exposed[http.CanonicalHeaderKey(strings.TrimSpace(name))] = true
			}
			for name := range a.header {
				if !unlisted[name] && !strings.HasPrefix(name, "Access-Control-") && !exposed[name] {
					t.Errorf("the answer sends %s, which Access-Control-Expose-Headers %q does not expose", name, a.header.Get("Access-Control-Expose-Headers"))
				}
			}
		})
	}
}

// TestCORSWarningSuggestsAWorkingFlag: the warning to a refused page says
// "allow it with --cors-origin X"; a server given X allows that page.
func TestCORSWarningSuggestsAWorkingFlag(t *testing.T) {
	def := mocktest.NewServer(t, mock.Config{})
	for _, origin := range []string{"https://app.test:5173", "null", "chrome-extension://abcdefghijklmnop"} {
		t.Run(origin, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodOptions, def.URL+"/api/v1/users/bulk", nil)
			req.Header.Set("Origin", origin)
			req.Header.Set("Access-Control-Request-Method", "POST")
			w := do(t, def, req).header.Get(mock.HeaderWarning)
			_, rest, ok := strings.Cut(w, "--cors-origin ")
			if !ok {
				t.Fatalf("warning %q suggests no --cors-origin", w)
			}
			suggested, _, _ := strings.Cut(rest, " ")
			srv, err := mocktest.Start(mock.Config{CORSOrigins: []string{suggested}})
			if err != nil {
				t.Fatalf("the suggested --cors-origin %s: %v", suggested, err)
			}
			defer srv.Close()
			req, _ = http.NewRequest(http.MethodOptions, srv.URL+"/api/v1/users/bulk", nil)
			req.Header.Set("Origin", origin)
			req.Header.Set("Access-Control-Request-Method", "POST")
			if got := do(t, srv, req).header.Get("Access-Control-Allow-Origin"); got != origin {
				t.Errorf("with --cors-origin %s: Access-Control-Allow-Origin %q, want %q", suggested, got, origin)
			}
		})
	}
}

// syncBuffer is a bytes.Buffer safe for the server's goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func TestAccessLog(t *testing.T) {
	var logs syncBuffer
	srv := mocktest.NewServer(t, mock.Config{Logger: slog.New(slog.NewJSONHandler(&logs, nil))})
	created := post(t, srv, "/api/v1/users/bulk", "application/json", bulkBody("a@b.co"))
	post(t, srv, "/api/v1/users/bulk", "application/json", []byte(`{"params":[]}`))
	typo := `{"params":[{"loginId":"typo@b.co","phoneNumber":"1","accessRules":{"consoleAccessAllowed":true,"apiAccessAllowed":true}}]}`
	post(t, srv, "/api/v1/users/bulk", "application/json", []byte(typo))
	srv.Close()
	lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
	if len(lines) != 3 {
		t.Fatalf("got %d log lines, want 3:\n%s", len(lines), logs.String())
	}
	var third map[string]any
	if err := json.Unmarshal([]byte(lines[2]), &third); err != nil {
		t.Fatal(err)
	}
	if w, _ := third["warning"].(string); third["status"] != 200.0 || !strings.HasPrefix(w, "params[0].phoneNumber: additionalProperties:") {
		t.Errorf("third line: %v, want status 200 and the warning about phoneNumber", third)
	}
	var first, second map[string]any
	if err := json.Unmarshal([]byte(lines[0]), &first); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(lines[1]), &second); err != nil {
		t.Fatal(err)
	}
	if first["method"] != "POST" || first["path"] != "/api/v1/users/bulk" || first["status"] != 200.0 ||
		first["duration"] == nil || first["problem"] != nil || first["warning"] != nil {
		t.Errorf("first line: %v", first)
	}
	// The trace ID a developer quotes from an answer finds its line in the log.
	if got, want := first["traceId"], created.header.Get(mock.HeaderTraceID); want == "" || got != want {
		t.Errorf("first line's traceId: got %v, want %q (the answer's %s)", got, want, mock.HeaderTraceID)
	}
	if second["status"] != 400.0 || second["problem"] != "params: minItems: must have at least 1 item, got 0" {
		t.Errorf("second line: %v", second)
	}
}

// TestNewRefusesAZeroSpec: New returns an error, never panics, for a Spec
// that was not loaded.
func TestNewRefusesAZeroSpec(t *testing.T) {
	if _, err := mock.New(mock.Config{Spec: &openapi.Spec{}}); !errors.Is(err, openapi.ErrSpecNotLoaded) {
		t.Fatalf("got %v, want ErrSpecNotLoaded", err)
	}
}

// TestNewRefusesAnAdminTokenNoClientCouldSend: HTTP drops the spaces at the
// ends of a header value, so such a token would lock every client out of
// the admin API; New says so, without the token.
func TestNewRefusesAnAdminTokenNoClientCouldSend(t *testing.T) {
	for _, token := range []string{" ", " tok ", "a\nb", "tök"} {
		_, err := mock.New(mock.Config{AdminToken: token})
		if err == nil || !strings.Contains(err.Error(), "admin token") || (len(token) > 2 && strings.Contains(err.Error(), token)) {
			t.Errorf("%q: got %v, want an error about the admin token, without it", token, err)
		}
	}
	if _, err := mock.New(mock.Config{AdminToken: "s3cret with spaces inside"}); err != nil {
		t.Errorf("a token with inner spaces: got %v, want it accepted", err)
	}
}

// TestNewRefusesConfigsThatWouldBeIgnored: keys without the mode that checks
// them, and a nil handler (net/http would serve http.DefaultServeMux), are
// errors, not silently ignored.
func TestNewRefusesConfigsThatWouldBeIgnored(t *testing.T) {
	_, err := mock.New(mock.Config{Auth: mock.AuthConfig{Credentials: []apigw.Credentials{{AccessKey: "AK", SecretKey: "SK"}}}})
	if err == nil || !strings.Contains(err.Error(), `set Mode: "ncp"`) {
		t.Errorf("credentials without a mode: got %v", err)
	}
	if _, err := mock.NewHTTPServer(nil, mock.Limits{}); err == nil {
		t.Error("NewHTTPServer(nil): got no error")
	}
}
