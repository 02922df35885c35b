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
	s, err := New(Config{Seed: 5})
	if err != nil {
		t.Fatal(err)
	}
	body := `{"params":[{"loginId":"kim@example.com","accessRules":{"consoleAccessAllowed":true,"apiAccessAllowed":false}},` +
		`{"loginId":"KIM@example.com","accessRules":{"consoleAccessAllowed":true,"apiAccessAllowed":false}}]}`
	for _, tc := range []struct {
		query  string
		indent string
	}{{"", ""}, {"?pretty", "  "}} {
		req := httptest.NewRequest(http.MethodPost, "/api/v1/users/bulk"+tc.query, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			t.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
		if got := rec.Header().Get("Content-Type"); got != "application/json" {
			t.Errorf("Content-Type: got %q, want application/json", got)
		}
		var results []openapi.UserResult
		if err := json.Unmarshal(rec.Body.Bytes(), &results); err != nil {
			t.Fatal(err)
		}
		if len(results) != 2 || !results[0].Success || results[1].Message != MsgDuplicateLoginID {
			t.Fatalf("got %+v", results)
		}
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetIndent("", tc.indent)
		if err := enc.Encode(results); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(rec.Body.Bytes(), want.Bytes()) {
			t.Errorf("query %q: got %s, want %s", tc.query, rec.Body, want.Bytes())
		}
		if err := s.store.Reset(req.Context()); err != nil {
			t.Fatal(err)
		}
	}
}

// The 400 answer of an invalid body is written by appendErrorResponse: it
// must be what c.JSON wrote, and ?pretty must still indent it.
func TestInvalidBodyAnswerIsEncodingJSONs(t *testing.T) {
	s, err := New(Config{Seed: 5})
	if err != nil {
		t.Fatal(err)
	}
	body := `{"params":[{"loginId":"kim@example.com","userProfile":{"phoneNo":"<12>"},"accessRules":{"consoleAccessAllowed":true}}]}`
	for _, tc := range []struct {
		query  string
		indent string
	}{{"", ""}, {"?pretty", "  "}} {
		req := httptest.NewRequest(http.MethodPost, "/api/v1/users/bulk"+tc.query, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		if rec.Code != http.StatusBadRequest {
			t.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
		if got := rec.Header().Get("Content-Type"); got != "application/json" {
			t.Errorf("Content-Type: got %q, want application/json", got)
		}
		var answer openapi.ErrorResponse
		if err := json.Unmarshal(rec.Body.Bytes(), &answer); err != nil {
			t.Fatal(err)
		}
		var fields []string
		for _, p := range answer.FieldErrors {
			fields = append(fields, p.Field+" "+p.Rule)
		}
		if want := []string{"params[0].accessRules.apiAccessAllowed required", "params[0].userProfile.phoneNo pattern"}; !slices.Equal(fields, want) {
			t.Errorf("field errors: got %q, want %q", fields, want)
		}
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetIndent("", tc.indent)
		if err := enc.Encode(answer); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(rec.Body.Bytes(), want.Bytes()) {
			t.Errorf("query %q: got %s, want %s", tc.query, rec.Body, want.Bytes())
		}
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
