package mock

import (
	"context"
	"net/http"
	"testing"
)

func TestAdminStats(t *testing.T) {
	s := newTestServer(t, Config{})
	statuses(t, s, 3)
	do(t, s, http.MethodPost, bulkPath, bulkBody("u0@example.com")) // a duplicate: no new user
	do(t, s, http.MethodGet, PathHealth, "")                        // answered, not journaled
	rec := do(t, s, http.MethodGet, PathAdminStats+"?gc=1", "")
	var st Stats
	decode(t, rec.Body.Bytes(), &st)
	if rec.Code != http.StatusOK {
		t.Fatalf("got %d %s, want 200", rec.Code, rec.Body)
	}
	want := Stats{Requests: 5, InFlight: 1, Users: 3, JournalTotal: 4}
	got := Stats{Requests: st.Requests, InFlight: st.InFlight, Users: st.Users, JournalTotal: st.JournalTotal}
	if got != want {
		t.Errorf("got %+v, want %+v", got, want)
	}
	if st.Goroutines < 1 || st.HeapAllocBytes == 0 || st.HeapObjects == 0 || st.SysBytes < st.HeapAllocBytes || st.GCCycles < 1 || st.Uptime <= 0 {
		t.Errorf("got %+v, want runtime figures after a garbage collection", st)
	}
	if rec := do(t, s, http.MethodGet, PathAdminStats+"?gc=maybe", ""); rec.Code != http.StatusBadRequest {
		t.Errorf("gc=maybe: got %d %s, want 400", rec.Code, rec.Body)
	}
}

// listOnly is a Store without Count: Stats falls back to listing.
type listOnly struct{ Store }

func TestStatsCountsUsersOfAnyStore(t *testing.T) {
	s := newTestServer(t, Config{Store: listOnly{newMemoryStore(false, 0)}})
	statuses(t, s, 2)
	st, err := s.Stats(context.Background(), false)
	if err != nil || st.Users != 2 || st.InFlight != 0 || st.Requests != 2 {
		t.Fatalf("got (%+v, %v), want 2 users, 2 requests, none in flight", st, err)
	}
}
