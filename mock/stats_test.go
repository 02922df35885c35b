package mock

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ncpmock/ncpmock/apigw"
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

// TestStatsCountEndingsAndFaults sends requests that end every way, some
// over a real HTTPServer: Statuses counts each by how it ended, adding up to
// Requests; Faults counts the faults applied by kind.
func TestStatsCountEndingsAndFaults(t *testing.T) {
	s := newTestServer(t, Config{})
	s.sleep = func(ctx context.Context, d time.Duration) error {
		if d == 7*time.Minute { // the client of this latency left
			return context.Canceled
		}
		return nil
	}
	_, url := serveHTTP(t, s, Limits{})
	inProcess := []struct {
		fault string
		want  int
	}{
		{"", http.StatusOK},
		{"status=503", http.StatusServiceUnavailable},
		// A status fault's 499 is an answer, counted in 4xx, not a client gone.
		{"status=499", 499},
		{`status=302; body="moved"`, http.StatusFound},
		{"latency=10ms", http.StatusOK},
	}
	for i, tc := range inProcess {
		var h []string
		if tc.fault != "" {
			h = []string{HeaderFault, tc.fault}
		}
		if rec := do(t, s, http.MethodPost, bulkPath, bulkBody(fmt.Sprintf("u%d@example.com", i)), h...); rec.Code != tc.want {
			t.Fatalf("%q: got %d, want %d", tc.fault, rec.Code, tc.want)
		}
	}
	do(t, s, http.MethodPost, bulkPath, `{"params":[{}]}`)                                       // 400
	do(t, s, http.MethodGet, PathHealth, "")                                                     // 200
	do(t, s, http.MethodPost, bulkPath, bulkBody("gone@example.com"), HeaderFault, "latency=7m") // client gone
	for _, fault := range []string{"reset", "empty"} {                                           // no answer
		if _, err := post(t.Context(), freshClient(t), url+bulkPath, bulkBody(fault+"@example.com"), HeaderFault, fault); err == nil {
			t.Fatalf("%s: got an answer, want none", fault)
		}
	}

	resp, err := freshClient(t).Get(url + PathAdminStats)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var st Stats
	if err := json.NewDecoder(resp.Body).Decode(&st); err != nil {
		t.Fatal(err)
	}
	wantStatuses := StatusCounts{Class2xx: 3, Class3xx: 1, Class4xx: 2, Class5xx: 1, NoAnswer: 2, ClientGone: 1}
	if st.Statuses != wantStatuses {
		t.Errorf("statuses: got %+v, want %+v", st.Statuses, wantStatuses)
	}
	if st.Requests != 10 {
		t.Errorf("requests: got %d, want 10, the sum of the statuses", st.Requests)
	}
	wantFaults := FaultCounts{Status: 3, Latency: 2, Reset: 1, Empty: 1}
	if st.Faults != wantFaults {
		t.Errorf("faults: got %+v, want %+v", st.Faults, wantFaults)
	}
	if c := st.Connections; c.Limit != DefaultMaxConns || c.Open < 1 || c.LimitReached != 0 {
		t.Errorf("connections: got %+v, want the stats request's open, limit %d, never reached", c, DefaultMaxConns)
	}
}

// TestStatsCountRefusals counts the requests refused for a missing
// signature (401) and for a wrong admin token (401), or, without a token,
// from a web page (403); a status fault's 401 is not a refusal.
func TestStatsCountRefusals(t *testing.T) {
	s := newTestServer(t, Config{
		AdminToken: "s3cret-token",
		Auth:       AuthConfig{Mode: AuthNCP, Credentials: []apigw.Credentials{{AccessKey: "AK", SecretKey: "SK"}}},
	})
	for range 2 {
		if rec := do(t, s, http.MethodPost, bulkPath, bulkBody("a@example.com")); rec.Code != http.StatusUnauthorized {
			t.Fatalf("unsigned: got %d, want 401", rec.Code)
		}
	}
	if rec := do(t, s, http.MethodGet, PathAdminStats, "", HeaderAdminToken, "wrong"); rec.Code != http.StatusUnauthorized {
		t.Fatalf("wrong admin token: got %d, want 401", rec.Code)
	}
	do(t, s, http.MethodGet, PathHealth, "", HeaderFault, "status=401")
	st, err := s.Stats(t.Context(), false)
	if err != nil {
		t.Fatal(err)
	}
	if st.AuthRefused != 2 || st.AdminRefused != 1 {
		t.Errorf("got authRefused %d, adminRefused %d, want 2 and 1", st.AuthRefused, st.AdminRefused)
	}

	open := newTestServer(t, Config{})
	if rec := do(t, open, http.MethodGet, PathAdminStats, "", "Origin", "http://evil.example"); rec.Code != http.StatusForbidden {
		t.Fatalf("from a web page: got %d, want 403", rec.Code)
	}
	if st, _ := open.Stats(t.Context(), false); st.AdminRefused != 1 {
		t.Errorf("no token, from a web page: got adminRefused %d, want 1", st.AdminRefused)
	}
}

// TestStatsJSONKeepsItsFields checks the body of GET /__admin/stats: the
// fields of the first version are all there, with the ones added since.
func TestStatsJSONKeepsItsFields(t *testing.T) {
	s := newTestServer(t, Config{})
	rec := do(t, s, http.MethodGet, PathAdminStats, "")
	var got map[string]any
	decode(t, rec.Body.Bytes(), &got)
	for _, k := range []string{"uptime", "requests", "inFlight", "users", "usersForgotten", "journalTotal",
		"goroutines", "heapAllocBytes", "heapObjects", "sysBytes", "gcCycles", "authRefused", "adminRefused"} {
		if _, ok := got[k].(string); k == "uptime" && !ok {
			t.Errorf("uptime: got %#v, want a string", got[k])
		} else if _, ok := got[k].(float64); k != "uptime" && !ok {
			t.Errorf("%s: got %#v, want a number", k, got[k])
		}
	}
	if up, ok := got["uptimeSeconds"].(float64); !ok || up < 0 {
		t.Errorf("uptimeSeconds: got %#v, want a number of seconds", got["uptimeSeconds"])
	}
	statuses, _ := got["statuses"].(map[string]any)
	for _, k := range []string{"2xx", "3xx", "4xx", "5xx", "noAnswer", "clientGone"} {
		if _, ok := statuses[k].(float64); !ok {
			t.Errorf("statuses.%s: got %#v, want a number", k, statuses[k])
		}
	}
	faults, _ := got["faults"].(map[string]any)
	for _, k := range kinds() {
		if _, ok := faults[k.name].(float64); !ok {
			t.Errorf("faults[%q]: got %#v, want a number", k.name, faults[k.name])
		}
	}
	if c, ok := got["connections"]; ok {
		t.Errorf("connections: got %#v, want none without an HTTPServer", c)
	}
}

// TestKindIndexFollowsKinds keeps the counters' index of each fault kind in
// step with the list of kinds.
func TestKindIndexFollowsKinds(t *testing.T) {
	ks := kinds()
	if len(ks) != numKinds {
		t.Fatalf("got %d kinds, want numKinds %d", len(ks), numKinds)
	}
	for i, k := range ks {
		if got := kindIndex(k.name); got != i {
			t.Errorf("kindIndex(%q): got %d, want %d", k.name, got, i)
		}
	}
	if got := kindIndex("nope"); got != -1 {
		t.Errorf("kindIndex(nope): got %d, want -1", got)
	}
}

// panicStore is a Store whose Get panics, as a bug in a user's Store might.
type panicStore struct{ Store }

func (panicStore) Get(context.Context, string) (User, bool, error) { panic("a bug in the store") }

// TestPanicLeavesNothingInFlight: a handler that panics (net/http recovers
// it and drops the connection) is still counted out of InFlight and logged,
// so that stats and shutdown do not wait for a request that is gone.
func TestPanicLeavesNothingInFlight(t *testing.T) {
	var log bytes.Buffer
	s := newTestServer(t, Config{Store: panicStore{Store: newMemoryStore(false, 0)}, Logger: slog.New(slog.NewTextHandler(&log, nil))})
	func() {
		defer func() {
			if recover() == nil {
				t.Fatal("the store's panic did not reach the caller")
			}
		}()
		do(t, s, http.MethodGet, "/api/v1/users/00000000-0000-4000-8000-000000000000", "")
	}()
	st, err := s.Stats(context.Background(), false)
	if lines := strings.Count(log.String(), "msg=request"); err != nil || st.InFlight != 0 || lines != 1 {
		t.Errorf("after a panic: %d in flight (%v) and %d log lines, want 0 and 1:\n%s", st.InFlight, err, lines, log.String())
	}
}
