package mock

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
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
