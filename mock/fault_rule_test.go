package mock

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ncpmock/ncpmock/openapi"
)

// statuses sends n valid bulk requests, each a new user, and returns the statuses.
func statuses(t *testing.T, s *Server, n int, headers ...string) []int {
	t.Helper()
	out := make([]int, n)
	for i := range out {
		out[i] = do(t, s, http.MethodPost, bulkPath, bulkBody("u"+strconv.Itoa(i)+"@example.com"), headers...).Code
	}
	return out
}

func TestTimesFailsTwiceThenSucceeds(t *testing.T) {
	s := newTestServer(t, Config{Faults: []Rule{{ID: "twice", Fault: &StatusFault{Status: 503}, Times: 2}}})
	if got, want := statuses(t, s, 4), []int{503, 503, 200, 200}; !slices.Equal(got, want) {
		t.Fatalf("got statuses %v, want %v", got, want)
	}
	st := s.Faults()
	if len(st) != 1 || st[0].Matched != 4 || st[0].Hits != 2 || st[0].Remaining != 0 {
		t.Fatalf("got %+v, want matched 4, hits 2, remaining 0", st)
	}
}

func TestTimesUnderConcurrency(t *testing.T) {
	s := newTestServer(t, Config{Faults: []Rule{{Fault: &StatusFault{Status: 503}, Times: 5, Probability: 0.5}}})
	ts := serve(t, s)
	client := ts.Client()
	codes := make(chan int, 60)
	var wg sync.WaitGroup
	for i := range 60 {
		wg.Go(func() {
			resp, err := post(t.Context(), client, ts.URL+bulkPath, bulkBody("c"+strconv.Itoa(i)+"@example.com"))
			if err != nil {
				t.Error(err)
				return
			}
			resp.Body.Close()
			codes <- resp.StatusCode
		})
	}
	wg.Wait()
	close(codes)
	n := 0
	for c := range codes {
		if c == 503 {
			n++
		}
	}
	if st := s.Faults()[0]; n != 5 || st.Hits != 5 || st.Matched != 60 {
		t.Fatalf("got %d faulted, %d hits of %d matches; want exactly 5 of 60", n, st.Hits, st.Matched)
	}
}

func TestMatchers(t *testing.T) {
	tests := []struct {
		name    string
		match   Match
		method  string
		path    string
		headers []string
		want    int
	}{
		{"zero match", Match{}, "POST", bulkPath, nil, 503},
		{"method", Match{Method: "post"}, "POST", bulkPath, nil, 503},
		{"other method", Match{Method: "DELETE", Path: "/api/v1/*"}, "POST", bulkPath, nil, 200},
		{"exact path", Match{Path: bulkPath}, "POST", bulkPath, nil, 503},
		{"other path", Match{Path: "/users/bulk"}, "POST", bulkPath, nil, 200},
		{"path prefix", Match{Path: "/api/v1/*"}, "POST", bulkPath, nil, 503},
		{"other prefix", Match{Path: "/users/*"}, "POST", bulkPath, nil, 200},
		{"header", Match{Headers: map[string]string{"x-client": "^mobile"}}, "POST", bulkPath, []string{"X-Client", "mobile-ios"}, 503},
		{"header mismatch", Match{Headers: map[string]string{"X-Client": "^mobile"}}, "POST", bulkPath, []string{"X-Client", "web"}, 200},
		{"header absent", Match{Headers: map[string]string{"X-Client": "^mobile"}}, "POST", bulkPath, nil, 200},
		{"loginId", Match{LoginID: `^bad\d@`}, "POST", bulkPath, nil, 503},
		{"loginId mismatch", Match{LoginID: `^good@`}, "POST", bulkPath, nil, 200},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newTestServer(t, Config{Faults: []Rule{{Fault: &StatusFault{Status: 503}, Match: tc.match}}})
			rec := do(t, s, tc.method, tc.path, bulkBody("ok@example.com", "bad7@example.com"), tc.headers...)
			if rec.Code != tc.want {
				t.Fatalf("got status %d, want %d (%s)", rec.Code, tc.want, rec.Body)
			}
			if tc.want == 200 && len(decodeResults(t, rec.Body.Bytes())) != 2 {
				t.Fatalf("got %s, want both users answered: a loginId matcher must leave the body to the handler", rec.Body)
			}
		})
	}
}

func TestFaultsNeverTouchAdminOrHealth(t *testing.T) {
	s := newTestServer(t, Config{Faults: []Rule{{Fault: &StatusFault{Status: 503}}}})
	for _, p := range []string{PathHealth, PathSpecYAML, PathAdminFaults, PathAdminRequests} {
		if rec := do(t, s, http.MethodGet, p, "", HeaderFault, "reset"); rec.Code != http.StatusOK {
			t.Errorf("GET %s: got status %d, want 200", p, rec.Code)
		}
	}
}

// injected returns, for n requests to a server with seed and one rule of
// probability p, which requests got the fault.
func injected(t *testing.T, seed uint64, p float64, n int) []bool {
	t.Helper()
	s := newTestServer(t, Config{Seed: seed, Faults: []Rule{{Fault: &StatusFault{Status: 503}, Probability: p}}})
	out := make([]bool, n)
	for i, code := range statuses(t, s, n) {
		out[i] = code == 503
	}
	return out
}

func TestSameSeedInjectsIdentically(t *testing.T) {
	a, b := injected(t, 42, 0.5, 200), injected(t, 42, 0.5, 200)
	if !slices.Equal(a, b) {
		t.Fatalf("two servers with seed 42 injected differently:\n%v\n%v", a, b)
	}
	if c := injected(t, 43, 0.5, 200); slices.Equal(a, c) {
		t.Fatal("seeds 42 and 43 injected identically over 200 requests (chance 2^-200)")
	}
}

func TestProbabilityWithinBinomialBounds(t *testing.T) {
	const n = 400
	for _, p := range []float64{0.1, 0.3, 0.8} {
		for _, seed := range []uint64{1, 2, 3} {
			hits := 0
			for _, hit := range injected(t, seed, p, n) {
				if hit {
					hits++
				}
			}
			// Within 4.5 standard deviations of n*p: a correct injector fails
			// this less than once in 100,000 seeds; a wrong probability fails it.
			mean, sd := n*p, math.Sqrt(n*p*(1-p))
			if math.Abs(float64(hits)-mean) > 4.5*sd {
				t.Errorf("p=%v seed %d: got %d of %d, want %.0f ± %.0f", p, seed, hits, n, mean, 4.5*sd)
			}
		}
	}
}

func TestHeaderProbabilityIsSeeded(t *testing.T) {
	run := func() []int {
		s := newTestServer(t, Config{Seed: 7})
		return statuses(t, s, 100, HeaderFault, "status=500; probability=0.5")
	}
	a, b := run(), run()
	if !slices.Equal(a, b) {
		t.Fatalf("same seed, different header faults:\n%v\n%v", a, b)
	}
	if n := countOf(a, 500); n == 0 || n == 100 {
		t.Fatalf("got %d of 100 faulted, want some but not all", n)
	}
}

func TestLatencyAndOneOtherFaultApply(t *testing.T) {
	s := newTestServer(t, Config{Faults: []Rule{
		{ID: "slow", Fault: &LatencyFault{Delay: Duration(time.Millisecond)}},
		{ID: "first", Fault: &StatusFault{Status: 503}},
		{ID: "second", Fault: &StatusFault{Status: 500}},
		{ID: "slower", Fault: &LatencyFault{Delay: Duration(time.Second)}},
	}})
	var slept []time.Duration
	s.sleep = func(_ context.Context, d time.Duration) error {
		slept = append(slept, d)
		return nil
	}
	rec := do(t, s, http.MethodPost, bulkPath, bulkBody("a@example.com"))
	if rec.Code != 503 || !slices.Equal(slept, []time.Duration{time.Millisecond, time.Second}) {
		t.Fatalf("got status %d after sleeping %v, want 503 after 1ms and 1s", rec.Code, slept)
	}
	want := []string{"latency (rule slow)", "latency (rule slower)", "status (rule first)"}
	if got := rec.Header().Values(HeaderFaultApplied); !slices.Equal(got, want) {
		t.Fatalf("got %s %q, want %q", HeaderFaultApplied, got, want)
	}
	for _, st := range s.Faults() {
		if wantHits := map[string]uint64{"second": 0}[st.Rule.ID]; st.Rule.ID == "second" && (st.Hits != wantHits || st.Matched != 1) {
			t.Fatalf("rule second: got %d hits of %d matches, want 0 of 1", st.Hits, st.Matched)
		}
	}
}

// TestHeaderFaultsJoinedByCommas: a browser or proxy joins repeated
// X-Ncpmock-Fault headers with ", "; each fault still applies, and a comma
// inside a value (a quoted one, or a regular expression's {1,3}) is kept.
func TestHeaderFaultsJoinedByCommas(t *testing.T) {
	s := newTestServer(t, Config{})
	var slept []time.Duration
	s.sleep = func(_ context.Context, d time.Duration) error {
		slept = append(slept, d)
		return nil
	}
	rec := do(t, s, http.MethodPost, bulkPath, bulkBody("a@example.com"), HeaderFault, "latency=20ms, status=503")
	if rec.Code != 503 || !slices.Equal(slept, []time.Duration{20 * time.Millisecond}) {
		t.Fatalf("got status %d after sleeping %v, want 503 after 20ms", rec.Code, slept)
	}
	want := []string{"latency (header)", "status (header)"}
	if got := rec.Header().Values(HeaderFaultApplied); !slices.Equal(got, want) {
		t.Fatalf("got %s %q, want %q", HeaderFaultApplied, got, want)
	}
	rec = do(t, s, http.MethodPost, bulkPath, bulkBody("aa@example.com", "b@example.com"),
		HeaderFault, `partial; loginId=^a{1,2}@; message="Taken, sorry."`)
	results := decodeResults(t, rec.Body.Bytes())
	if len(results) != 2 || results[0].Success || results[0].Message != "Taken, sorry." || !results[1].Success {
		t.Fatalf("got %s, want aa@ failed with the quoted message and b@ created", rec.Body)
	}
}

// TestHeaderFaultThatCanNeverApply: one fault besides latency applies to a
// request, so a second after a certain one is refused, saying why, and
// nothing is created; after one with a probability it is the fallback.
func TestHeaderFaultThatCanNeverApply(t *testing.T) {
	s := newTestServer(t, Config{Seed: 3})
	rec := do(t, s, http.MethodPost, bulkPath, bulkBody("a@example.com"), HeaderFault, "status=503, status=500")
	var e openapi.ErrorResponse
	decode(t, rec.Body.Bytes(), &e)
	if rec.Code != http.StatusBadRequest || len(e.FieldErrors) != 1 ||
		!strings.Contains(e.FieldErrors[0].Message, "status can never apply: status before it ends the request") {
		t.Fatalf("got %d %s, want a 400 that says the second status can never apply", rec.Code, rec.Body)
	}
	if users, _ := s.store.List(t.Context()); len(users) != 0 {
		t.Fatalf("got %d users, want none: the request was refused", len(users))
	}
	seen := map[int]bool{}
	for i := range 40 {
		rec := do(t, s, http.MethodPost, bulkPath, bulkBody(fmt.Sprintf("u%d@example.com", i)), HeaderFault, "status=503; probability=0.5", HeaderFault, "status=500")
		seen[rec.Code] = true
	}
	if !seen[503] || !seen[500] || len(seen) != 2 {
		t.Fatalf("got statuses %v, want 503 and 500: the second is the fallback of the first", seen)
	}
}

func TestSplitFaultList(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"status=503", []string{"status=503"}},
		{"latency=200ms, status=503", []string{"latency=200ms", " status=503"}},
		{"latency; median=1ms,reset", []string{"latency; median=1ms", "reset"}},
		{"hang, Partial=0.5", []string{"hang", " Partial=0.5"}},
		{`status=500; body="a, status=1"`, []string{`status=500; body="a, status=1"`}},
		{"partial; loginId=^a{1,3}$", []string{"partial; loginId=^a{1,3}$"}},
		{"partial; loginId=^(x,statusy)", []string{"partial; loginId=^(x,statusy)"}},
	}
	for _, tc := range tests {
		if got := splitFaultList(tc.in); !slices.Equal(got, tc.want) {
			t.Errorf("splitFaultList(%q): got %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestHeaderFaultComesBeforeRules(t *testing.T) {
	s := newTestServer(t, Config{Faults: []Rule{{ID: "r", Fault: &StatusFault{Status: 503}, Times: 1}}})
	if rec := do(t, s, http.MethodPost, bulkPath, bulkBody("a@example.com"), HeaderFault, "status=429"); rec.Code != 429 {
		t.Fatalf("got status %d, want the header's 429", rec.Code)
	}
	if st := s.Faults()[0]; st.Hits != 0 || st.Remaining != 1 {
		t.Fatalf("got %+v, want the rule unused", st)
	}
}

func countOf(list []int, v int) int {
	n := 0
	for _, x := range list {
		if x == v {
			n++
		}
	}
	return n
}

// TestLoginIDMatchReadsBodyAsValidated checks that a loginId matcher sees the
// loginIds validation sees: keys matched exactly, the last of repeated ones
// counting. (encoding/json alone would take "LOGINID" for loginId.)
func TestLoginIDMatchReadsBodyAsValidated(t *testing.T) {
	const rules = `{"consoleAccessAllowed":true,"apiAccessAllowed":false}`
	for _, tc := range []struct {
		name, user string
		want       int
	}{
		{"exact", `{"loginId":"bad1@example.com","accessRules":` + rules + `}`, 503},
		{"other case ignored", `{"loginId":"ok@example.com","LOGINID":"bad1@example.com","accessRules":` + rules + `}`, 200},
		{"last wins", `{"loginId":"bad1@example.com","loginId":"ok@example.com","accessRules":` + rules + `}`, 200},
		{"last wins, matching", `{"loginId":7,"loginId":"bad1@example.com","accessRules":` + rules + `}`, 503},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newTestServer(t, Config{Faults: []Rule{{Fault: &StatusFault{Status: 503}, Match: Match{LoginID: `^bad\d@`}}}})
			rec := do(t, s, "POST", bulkPath, `{"params":[`+tc.user+`]}`)
			if rec.Code != tc.want {
				t.Fatalf("got status %d, want %d (%s)", rec.Code, tc.want, rec.Body)
			}
		})
	}
}
