package mock

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ncpmock/ncpmock/openapi"
)

// TestReusedBodyBufferKeepsNothing checks that nothing that outlives a bulk
// request points into its body, whose buffer later requests reuse: the
// users created (login ID and request), the store's index of login IDs,
// the journal's body and the login ID of a trigger fault.
func TestReusedBodyBufferKeepsNothing(t *testing.T) {
	s := newTestServer(t, Config{})
	s.sleep = func(context.Context, time.Duration) error { return nil }
	ids := []string{"keep1@example.com", "keep2@example.com", "latency-1ms@fail.ncpmock.test"}
	first := bulkBody(ids...)
	if rec := do(t, s, http.MethodPost, bulkPath, first); rec.Code != http.StatusOK {
		t.Fatalf("first request: %d %s", rec.Code, rec.Body)
	}
	// Bodies of the same length, with other bytes everywhere a login ID was.
	for i := range 50 {
		other := make([]string, len(ids))
		for j, id := range ids {
			other[j] = fmt.Sprintf("%c%s", 'a'+i%26, strings.Repeat("z", len(id)-len("@example.com")-1)) + "@example.com"
		}
		do(t, s, http.MethodPost, bulkPath, bulkBody(other...))
	}
	users, err := s.store.List(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	for i, id := range ids {
		var sent openapi.UserCreate
		if err := json.Unmarshal([]byte(users[i].Request), &sent); err != nil || users[i].LoginID != id || sent.LoginID != id {
			t.Fatalf("user %d: login ID %q, request %s (%v); want %q in both", i, users[i].LoginID, users[i].Request, err, id)
		}
	}
	// The store's index of login IDs must not have changed either.
	rec := do(t, s, http.MethodPost, bulkPath, bulkBody(ids[0], "azzzz@example.com"))
	var results []openapi.UserResult
	if err := json.Unmarshal(rec.Body.Bytes(), &results); err != nil || len(results) != 2 ||
		results[0].Success || results[1].Success {
		t.Fatalf("again %s and azzzz@example.com: %s, want both duplicates", ids[0], rec.Body)
	}
	entries := s.Requests(JournalFilter{})
	firstEntry := entries[len(entries)-1]
	if firstEntry.Body != first || len(firstEntry.Faults) != 1 || firstEntry.Faults[0].LoginID != ids[2] {
		t.Fatalf("journal of the first request: body %s, faults %+v; want the body sent and the trigger %s", firstEntry.Body, firstEntry.Faults, ids[2])
	}
}
