package mock

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"syscall"
	"testing"
)

func TestJournalRecordsRequests(t *testing.T) {
	s := newTestServer(t, Config{})
	do(t, s, http.MethodPost, bulkPath, bulkBody("a@example.com"))
	do(t, s, http.MethodPost, bulkPath, `{"params":[{"loginId":"nope"}]}`)
	do(t, s, http.MethodPost, bulkPath, bulkBody("b@example.com"), HeaderFault, "status=503")
	do(t, s, http.MethodGet, PathHealth, "")
	do(t, s, http.MethodGet, PathAdminUsers, "")
	entries := s.Requests(JournalFilter{})
	if len(entries) != 3 {
		t.Fatalf("got %d entries, want 3 (not /healthz nor /__admin/)", len(entries))
	}
	faulted, invalid, ok := entries[0], entries[1], entries[2]
	if ok.Seq != 1 || ok.Method != "POST" || ok.Path != bulkPath || ok.Status != 200 || ok.Body != bulkBody("a@example.com") ||
		ok.BodyBytes != len(ok.Body) || ok.TraceID == "" || ok.Duration <= 0 || ok.Time.IsZero() {
		t.Errorf("got %+v, want the first request in full", ok)
	}
	if invalid.Status != 400 || len(invalid.Problems) == 0 || invalid.Problems[0].Field != "params[0].accessRules" && invalid.Problems[0].Field != "params[0].loginId" {
		t.Errorf("got %+v, want a 400 with its problems", invalid)
	}
	if faulted.Status != 503 || len(faulted.Faults) != 1 || faulted.Faults[0] != (AppliedFault{Kind: KindStatus, Source: SourceHeader}) ||
		faulted.Body != bulkBody("b@example.com") {
		t.Errorf("got %+v, want a 503 with its fault", faulted)
	}
}

func TestJournalConnectionFaultHasNoStatus(t *testing.T) {
	s := newTestServer(t, Config{})
	done := requestsDone(s)
	ts := serve(t, s)
	_, err := post(t.Context(), freshClient(t), ts.URL+bulkPath, bulkBody("a@example.com"), HeaderFault, "reset")
	if !errors.Is(err, syscall.ECONNRESET) {
		t.Fatalf("got %v, want ECONNRESET", err)
	}
	if e := waitForEntry(t, s, done); e.Status != 0 || e.Faults[0].Kind != KindReset || e.Body != bulkBody("a@example.com") {
		t.Fatalf("got %+v, want status 0, the reset and the body", e)
	}
}

func TestJournalIsBounded(t *testing.T) {
	s := newTestServer(t, Config{JournalSize: 3})
	statuses(t, s, 5)
	e := s.Requests(JournalFilter{})
	if len(e) != 3 || e[0].Seq != 5 || e[2].Seq != 3 {
		t.Fatalf("got %d entries from seq %d to %d, want 3, newest first: 5 to 3", len(e), e[0].Seq, e[len(e)-1].Seq)
	}
	off := newTestServer(t, Config{JournalSize: -1})
	statuses(t, off, 2)
	if e := off.Requests(JournalFilter{}); len(e) != 0 {
		t.Fatalf("got %d entries with the journal off, want 0", len(e))
	}
}

func TestJournalTruncatesBodies(t *testing.T) {
	body := `{"params":[{"loginId":"a@example.com","description":"` + strings.Repeat("x", 200) + `"}]}` + strings.Repeat(" ", 2*DefaultJournalBodyBytes)
	tests := []struct {
		name     string
		cfg      Config
		wantKept int
	}{
		{"default", Config{}, DefaultJournalBodyBytes},
		{"set", Config{JournalBodyBytes: 300}, 300},
		{"whole", Config{JournalBodyBytes: -1}, len(body)},
		{"past the body limit", Config{JournalBodyBytes: 1 << 30, MaxBodyBytes: 1 << 20}, len(body)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newTestServer(t, tc.cfg)
			do(t, s, http.MethodPost, bulkPath, body)
			e := s.Requests(JournalFilter{})[0]
			if len(e.Body) != tc.wantKept || e.Body != body[:tc.wantKept] || e.BodyBytes != len(body) || e.BodyTruncated != (tc.wantKept < len(body)) {
				t.Fatalf("got %d bytes of %d, truncated %t; want %d of %d", len(e.Body), e.BodyBytes, e.BodyTruncated, tc.wantKept, len(body))
			}
		})
	}
}

func TestJournalFilters(t *testing.T) {
	s := newTestServer(t, Config{})
	do(t, s, http.MethodPost, bulkPath, bulkBody("a@example.com"))
	do(t, s, http.MethodPost, "/users/bulk", bulkBody("b@example.com"))
	do(t, s, http.MethodPost, bulkPath, bulkBody("c@example.com"), HeaderFault, "status=503")
	do(t, s, http.MethodPost, bulkPath, bulkBody("d@example.com"), HeaderFault, "status=429")
	do(t, s, http.MethodGet, "/nowhere", "")
	tests := []struct {
		query string
		want  []uint64
	}{
		{"", []uint64{5, 4, 3, 2, 1}},
		{"path=" + bulkPath, []uint64{4, 3, 1}},
		{"path=/users/*", []uint64{2}},
		{"status=503", []uint64{3}},
		{"status=4xx", []uint64{5, 4}},
		{"status=2XX", []uint64{2, 1}},
		{"fault=status", []uint64{4, 3}},
		{"limit=2", []uint64{5, 4}},
		{"path=" + bulkPath + "&status=200", []uint64{1}},
	}
	for _, tc := range tests {
		t.Run(tc.query, func(t *testing.T) {
			rec := do(t, s, http.MethodGet, PathAdminRequests+"?"+tc.query, "")
			var got adminRequestsResponse
			decode(t, rec.Body.Bytes(), &got)
			seqs := make([]uint64, len(got.Requests))
			for i, e := range got.Requests {
				seqs[i] = e.Seq
			}
			if rec.Code != 200 || fmt.Sprint(seqs) != fmt.Sprint(tc.want) || got.Total != 5 || got.Count != len(tc.want) {
				t.Fatalf("got %d seqs %v total %d count %d, want 200 %v total 5", rec.Code, seqs, got.Total, got.Count, tc.want)
			}
		})
	}
	// From Go, a Status without StatusSet selects by it (it returned every
	// entry), and a negative Limit means all (it returned none).
	for _, tc := range []struct {
		f    JournalFilter
		want []uint64
	}{
		{JournalFilter{Status: 503}, []uint64{3}},
		{JournalFilter{Limit: -1}, []uint64{5, 4, 3, 2, 1}},
	} {
		var seqs []uint64
		for _, e := range s.Requests(tc.f) {
			seqs = append(seqs, e.Seq)
		}
		if fmt.Sprint(seqs) != fmt.Sprint(tc.want) {
			t.Errorf("Requests(%+v): got %v, want %v", tc.f, seqs, tc.want)
		}
	}
	for _, q := range []string{"status=abc", "status=6xx", "status=1000", "limit=-1"} {
		rec := do(t, s, http.MethodGet, PathAdminRequests+"?"+q, "")
		if g := gatewayErr(t, rec.Body.Bytes()); rec.Code != 400 || !strings.Contains(g.Details, strings.Split(q, "=")[0]) {
			t.Errorf("%s: got %d %+v, want 400 naming the parameter", q, rec.Code, g)
		}
	}
}

func TestJournalRedactsSecrets(t *testing.T) {
	secrets := map[string]string{
		"x-ncp-apigw-signature-v2": "c2lnbmF0dXJlLXNlY3JldA==",
		"x-ncp-iam-access-key":     "ACCESSKEYSECRET1",
		"Authorization":            "Bearer hunter2-token",
		"Cookie":                   "session=cookie-secret",
		"X-Api-Key":                "api-key-secret",
		HeaderAdminToken:           "admin-token-secret",
	}
	var log bytes.Buffer
	s := newTestServer(t, Config{Logger: slog.New(slog.NewTextHandler(&log, nil))})
	req := httptest.NewRequest(http.MethodPost, bulkPath, strings.NewReader(bulkBody("a@example.com")))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("x-ncp-apigw-timestamp", "1700000000000")
	for k, v := range secrets {
		req.Header.Set(k, v)
	}
	s.ServeHTTP(httptest.NewRecorder(), req)
	out := do(t, s, http.MethodGet, PathAdminRequests, "").Body.String()
	for k, v := range secrets {
		if strings.Contains(out, v) || strings.Contains(log.String(), v) {
			t.Errorf("the value of %s shows in the journal or the log", k)
		}
		if !strings.Contains(out, fmt.Sprintf("%q:%q", httpCanonical(k), redacted)) {
			t.Errorf("got %s, want %s redacted", out, k)
		}
	}
	if !strings.Contains(out, `"X-Ncp-Apigw-Timestamp":"1700000000000"`) {
		t.Errorf("got %s, want the timestamp kept: it is no secret", out)
	}
}

func httpCanonical(k string) string { return http.CanonicalHeaderKey(k) }

// TestJournalAddsNoAllocation checks that recording a request allocates
// nothing once the ring is warm: the same request allocates as much with the
// journal on as with it off.
func TestJournalAddsNoAllocation(t *testing.T) {
	if raceEnabled {
		t.Skip("under the race detector sync.Pool drops items at random, so allocations vary")
	}
	on, off := bulkAllocs(t, Config{JournalSize: 4}), bulkAllocs(t, Config{JournalSize: -1})
	if on-off >= 0.5 {
		t.Fatalf("got %.2f allocations per request with the journal, %.2f without; want no more", on, off)
	}
}

// bulkAllocs returns the allocations of one valid bulk request (a duplicate
// login ID, so that the store does not grow).
func bulkAllocs(t *testing.T, cfg Config) float64 {
	t.Helper()
	s := newTestServer(t, cfg)
	body := bulkBody("a@example.com")
	r := strings.NewReader(body)
	req := httptest.NewRequest(http.MethodPost, bulkPath, r)
	req.Header.Set("Content-Type", "application/json")
	s.ServeHTTP(httptest.NewRecorder(), req)
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1)) // as testing.AllocsPerRun does
	const runs = 1000
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for range runs {
		r.Reset(body)
		s.ServeHTTP(httptest.NewRecorder(), req)
	}
	runtime.ReadMemStats(&after)
	return float64(after.Mallocs-before.Mallocs) / runs // unlike AllocsPerRun, not rounded down
}

func BenchmarkBulkNoFaults(b *testing.B) {
	for _, size := range []int{-1, DefaultJournalSize} {
		b.Run(fmt.Sprintf("journal=%d", size), func(b *testing.B) {
			s, err := New(Config{JournalSize: size})
			if err != nil {
				b.Fatal(err)
			}
			body := bulkBody("a@example.com")
			r := strings.NewReader(body)
			req := httptest.NewRequest(http.MethodPost, bulkPath, r)
			req.Header.Set("Content-Type", "application/json")
			b.ReportAllocs()
			for b.Loop() {
				r.Reset(body)
				s.ServeHTTP(httptest.NewRecorder(), req)
			}
		})
	}
}
