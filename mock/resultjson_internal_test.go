package mock

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/ncpmock/ncpmock/openapi"
)

// The answer is written by appendResults: it must be what c.JSON wrote, and
// ?pretty must still indent it.
func TestCreateUsersAnswerIsEncodingJSONs(t *testing.T) {
	s := newTestServer(t, Config{Seed: 5})
	body := `{"params":[{"loginId":"kim@example.com","accessRules":{"consoleAccessAllowed":true,"apiAccessAllowed":false}},` +
		`{"loginId":"KIM@example.com","accessRules":{"consoleAccessAllowed":true,"apiAccessAllowed":false}}]}`
	for _, indent := range []string{"", "  "} {
		rec := postForEncoding(t, s, indent, body, http.StatusOK)
		var results []openapi.UserResult
		decode(t, rec.Body.Bytes(), &results)
		if len(results) != 2 || !results[0].Success || results[1].Message != MsgDuplicateLoginID {
			t.Fatalf("got %+v", results)
		}
		checkEncodingJSONs(t, rec, results, indent)
		if err := s.store.Reset(t.Context()); err != nil {
			t.Fatal(err)
		}
	}
}

// The 400 answer of an invalid body is written by appendErrorResponse: it
// must be what c.JSON wrote, and ?pretty must still indent it.
func TestInvalidBodyAnswerIsEncodingJSONs(t *testing.T) {
	s := newTestServer(t, Config{Seed: 5})
	body := `{"params":[{"loginId":"kim@example.com","userProfile":{"phoneNo":"<12>"},"accessRules":{"consoleAccessAllowed":true}}]}`
	for _, indent := range []string{"", "  "} {
		rec := postForEncoding(t, s, indent, body, http.StatusBadRequest)
		var answer openapi.ErrorResponse
		decode(t, rec.Body.Bytes(), &answer)
		var fields []string
		for _, p := range answer.FieldErrors {
			fields = append(fields, p.Field+" "+p.Rule)
		}
		if want := []string{"params[0].accessRules.apiAccessAllowed required", "params[0].userProfile.phoneNo pattern"}; !slices.Equal(fields, want) {
			t.Errorf("field errors: got %q, want %q", fields, want)
		}
		checkEncodingJSONs(t, rec, answer, indent)
	}
}

// postForEncoding posts body to the bulk endpoint, with ?pretty when indent
// is set, and fails unless the answer has the status wanted.
func postForEncoding(t *testing.T, s *Server, indent, body string, status int) *httptest.ResponseRecorder {
	t.Helper()
	target := "/api/v1/users/bulk"
	if indent != "" {
		target += "?pretty"
	}
	rec := do(t, s, http.MethodPost, target, body)
	if rec.Code != status {
		t.Fatalf("%s: status %d, want %d: %s", target, rec.Code, status, rec.Body)
	}
	return rec
}

// checkEncodingJSONs fails unless rec's answer is JSON, byte for byte what
// encoding/json's Encoder writes of v with indent (what c.JSON writes).
func checkEncodingJSONs(t *testing.T, rec *httptest.ResponseRecorder, v any, indent string) {
	t.Helper()
	if got := rec.Header().Get("Content-Type"); got != "application/json" {
		t.Errorf("Content-Type: got %q, want application/json", got)
	}
	var want bytes.Buffer
	enc := json.NewEncoder(&want)
	enc.SetIndent("", indent)
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(rec.Body.Bytes(), want.Bytes()) {
		t.Errorf("indent %q: got %s, want %s", indent, rec.Body, want.Bytes())
	}
}

// onlyReader hides the length of a body, as a chunked request does.
type onlyReader struct{ r io.Reader }

func (o onlyReader) Read(p []byte) (int, error) { return o.r.Read(p) }

func TestCreateUsersReadsBodies(t *testing.T) {
	s, err := New(Config{Seed: 5, MaxBodyBytes: 300})
	if err != nil {
		t.Fatal(err)
	}
	body := `{"params":[{"loginId":"kim@example.com","accessRules":{"consoleAccessAllowed":true,"apiAccessAllowed":false}}]}`
	big := `{"params":[{"loginId":"kim@example.com","description":"` + strings.Repeat("x", 300) + `","accessRules":{"consoleAccessAllowed":true,"apiAccessAllowed":false}}]}`
	for _, tc := range []struct {
		name string
		body io.Reader
		want int
	}{
		{"with length", strings.NewReader(body), http.StatusOK},
		{"chunked", onlyReader{strings.NewReader(body)}, http.StatusOK},
		{"empty", strings.NewReader(""), http.StatusBadRequest},
		{"empty chunked", onlyReader{strings.NewReader("")}, http.StatusBadRequest},
		{"too large", strings.NewReader(big), http.StatusRequestEntityTooLarge},
		{"too large chunked", onlyReader{strings.NewReader(big)}, http.StatusRequestEntityTooLarge},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodPost, "/api/v1/users/bulk", tc.body)
			req.Header.Set("Content-Type", "application/json")
			rec := httptest.NewRecorder()
			s.ServeHTTP(rec, req)
			if rec.Code != tc.want {
				t.Errorf("status: got %d, want %d: %s", rec.Code, tc.want, rec.Body)
			}
			if err := s.store.Reset(req.Context()); err != nil {
				t.Fatal(err)
			}
		})
	}
}
