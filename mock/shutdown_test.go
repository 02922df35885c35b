package mock

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// answer is what a client got for one request: the answer and its whole
// body, or the error that ended it.
type answer struct {
	resp *http.Response
	body []byte
	err  error
}

// postAsync sends a bulk request with the fault header on a connection of its
// own and delivers what came back. Each request creates a user of its own.
func postAsync(t *testing.T, url, fault string) <-chan answer {
	t.Helper()
	client := freshClient(t)
	ch := make(chan answer, 1)
	go func() {
		loginID := strings.NewReplacer("=", "-", ";", "", " ", "").Replace(fault) + "@example.com"
		resp, err := post(context.Background(), client, url+bulkPath, bulkBody(loginID), HeaderFault, fault)
		if err != nil {
			ch <- answer{err: err}
			return
		}
		defer resp.Body.Close()
		body, err := readAllBody(resp.Body)
		ch <- answer{resp: resp, body: body, err: err}
	}()
	return ch
}

// checkAnsweredCutShort fails unless a is a complete 200 answer that says
// its fault of the given kind was cut short.
func checkAnsweredCutShort(t *testing.T, a answer, kind string) {
	t.Helper()
	if a.err != nil {
		t.Fatalf("%s: got error %v, want a complete answer", kind, a.err)
	}
	if r := decodeResults(t, a.body); a.resp.StatusCode != http.StatusOK || len(r) != 1 || !r[0].Success {
		t.Fatalf("%s: got %d %s, want 200 with one user created", kind, a.resp.StatusCode, a.body)
	}
	if kind == KindLatency && !strings.Contains(strings.Join(a.resp.Header.Values(HeaderWarning), "\n"), "latency cut short") {
		t.Errorf("%s: got warnings %q, want one saying the latency was cut short", kind, a.resp.Header.Values(HeaderWarning))
	}
}

// journalFault returns the journal's entry for the request that had a fault
// of the given kind.
func journalFault(t *testing.T, s *Server, kind string) JournalEntry {
	t.Helper()
	e := s.Requests(JournalFilter{Fault: kind})
	if len(e) != 1 || len(e[0].Faults) != 1 {
		t.Fatalf("got journal entries %+v, want one with a %s fault", e, kind)
	}
	return e[0]
}

// TestDrainReleasesHangsAtOnceAndLatencyAtTheEnd: Drain closes a hang's
// connection at once, lets a latency go on, and cuts it short when its
// context ends; the latency's request is then answered, and both faults are
// marked cut short in the journal.
func TestDrainReleasesHangsAtOnceAndLatencyAtTheEnd(t *testing.T) {
	s := newTestServer(t, Config{})
	done := requestsDone(s)
	hanging := make(chan struct{}, 1)
	s.onHang = func() { hanging <- struct{}{} }
	waiting := make(chan struct{}, 1)
	s.sleep = func(ctx context.Context, d time.Duration) error {
		waiting <- struct{}{}
		return s.sleepTimer(ctx, d)
	}
	ts := serve(t, s)
	latency := postAsync(t, ts.URL, "latency=5m")
	hang := postAsync(t, ts.URL, "hang=5m")
	receive(t, waiting, "the latency to start")
	receive(t, hanging, "the hang to start")

	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	s.Drain(ctx)
	if a := receive(t, hang, "the hang to be released"); !errors.Is(a.err, io.EOF) {
		t.Fatalf("hang: got (%v, %v), want io.EOF: no answer", a.resp, a.err)
	}
	receive(t, done, "the hang's request to be journaled")
	select {
	case a := <-latency:
		t.Fatalf("the latency ended at Drain (%v, %v); want it to go on until the context ends", a.resp, a.err)
	default:
	}
	cancel()
	checkAnsweredCutShort(t, receive(t, latency, "the latency to be cut short"), KindLatency)
	receive(t, done, "the latency's request to be journaled")

	if e := journalFault(t, s, KindHang); e.Status != 0 || !e.Faults[0].CutShort {
		t.Errorf("hang: got status %d, faults %+v; want 0 and cut short", e.Status, e.Faults)
	}
	if e := journalFault(t, s, KindLatency); e.Status != http.StatusOK || !e.Faults[0].CutShort {
		t.Errorf("latency: got status %d, faults %+v; want 200 and cut short", e.Status, e.Faults)
	}
}

// TestCloseSendsTheRestOfASlowBody: a slow body being dribbled when the
// server closes comes out whole at once.
func TestCloseSendsTheRestOfASlowBody(t *testing.T) {
	s := newTestServer(t, Config{})
	done := requestsDone(s)
	ts := serve(t, s)
	resp, err := post(t.Context(), freshClient(t), ts.URL+bulkPath, bulkBody("a@example.com"), HeaderFault, "slow-body=5m; chunks=4")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if err := s.Close(); err != nil { // the headers are in: the body is on its way
		t.Fatal(err)
	}
	body, err := readAllBody(resp.Body)
	checkAnsweredCutShort(t, answer{resp: resp, body: body, err: err}, KindSlowBody)
	if e := waitForEntry(t, s, done); e.Status != http.StatusOK || len(e.Faults) != 1 || !e.Faults[0].CutShort {
		t.Errorf("got status %d, faults %+v; want 200 and cut short", e.Status, e.Faults)
	}
}

// TestAfterCloseFaultWaitsEndAtOnce: a latency that starts after Close is
// cut short at once, and the request answered.
func TestAfterCloseFaultWaitsEndAtOnce(t *testing.T) {
	s := newTestServer(t, Config{})
	ts := serve(t, s)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	checkAnsweredCutShort(t, receive(t, postAsync(t, ts.URL, "latency=5m"), "the answer"), KindLatency)
	if a := receive(t, postAsync(t, ts.URL, "hang=5m"), "the hang to end"); !errors.Is(a.err, io.EOF) {
		t.Fatalf("hang: got (%v, %v), want io.EOF", a.resp, a.err)
	}
}

func TestAppliedFaultString(t *testing.T) {
	tests := []struct {
		a    AppliedFault
		want string
	}{
		{AppliedFault{Kind: KindStatus, Source: SourceHeader}, "status (header)"},
		{AppliedFault{Kind: KindStatus, Source: SourceRule, Rule: "flaky"}, "status (rule flaky)"},
		{AppliedFault{Kind: KindHang, Source: SourceTrigger, LoginID: "hang@fail.ncpmock.test"}, "hang (trigger hang@fail.ncpmock.test)"},
		{AppliedFault{Kind: KindLatency, Source: SourceRule, Rule: "slow", CutShort: true}, "latency (rule slow; cut short by shutdown)"},
		{AppliedFault{Kind: KindLatency, Source: SourceHeader, CutShort: true}, "latency (header; cut short by shutdown)"},
	}
	for _, tc := range tests {
		if got := tc.a.String(); got != tc.want {
			t.Errorf("got %q, want %q", got, tc.want)
		}
	}
}

// serveHTTP serves s with an HTTPServer within l on a loopback port.
func serveHTTP(t *testing.T, s *Server, l Limits) (*HTTPServer, string) {
	t.Helper()
	hs, err := NewHTTPServer(s, l)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- hs.Serve(ln) }()
	t.Cleanup(func() {
		_ = s.Close()
		_ = hs.Close()
		if err := <-served; !errors.Is(err, http.ErrServerClosed) {
			t.Errorf("Serve: got %v, want http.ErrServerClosed", err)
		}
	})
	return hs, "http://" + ln.Addr().String()
}

// TestHTTPServerShutdownWithFaultsInFlight shuts down an HTTPServer while a
// latency of 20s, a hang and a slow body of 5 minutes hold requests: the hang
// ends at once without an answer, the latency and the slow body are cut
// short before the deadline and answered in full, and Shutdown returns nil.
func TestHTTPServerShutdownWithFaultsInFlight(t *testing.T) {
	s := newTestServer(t, Config{})
	hanging := make(chan struct{}, 1)
	s.onHang = func() { hanging <- struct{}{} }
	waiting := make(chan time.Duration, 10)
	s.sleep = func(ctx context.Context, d time.Duration) error {
		waiting <- d
		return s.sleepTimer(ctx, d)
	}
	hs, url := serveHTTP(t, s, Limits{})
	latency := postAsync(t, url, "latency=20s")
	if d := receive(t, waiting, "the latency to start"); d != 20*time.Second {
		t.Fatalf("got a wait of %v, want the latency's 20s", d)
	}
	hang := postAsync(t, url, "hang=5m")
	receive(t, hanging, "the hang to start")
	slow := postAsync(t, url, "slow-body=5m; chunks=2")
	receive(t, waiting, "the slow body's first pause")

	ctx, cancel := context.WithTimeout(t.Context(), time.Second)
	defer cancel()
	if err := hs.Shutdown(ctx); err != nil {
		t.Fatalf("Shutdown: got %v, want nil: every request answered in time", err)
	}
	if a := receive(t, hang, "the hang to end"); !errors.Is(a.err, io.EOF) {
		t.Errorf("hang: got (%v, %v), want io.EOF: no answer", a.resp, a.err)
	}
	checkAnsweredCutShort(t, receive(t, latency, "the latency's answer"), KindLatency)
	checkAnsweredCutShort(t, receive(t, slow, "the slow body"), KindSlowBody)
}

// TestFaultWaitsDoNotCountAgainstWriteTimeout: a latency and a slow body
// three times longer than the write timeout still get their answers out.
// The timeout is long enough that writing the answer after the wait fits
// in it on a loaded machine under -race (100 ms did not, once).
func TestFaultWaitsDoNotCountAgainstWriteTimeout(t *testing.T) {
	s := newTestServer(t, Config{})
	_, url := serveHTTP(t, s, Limits{WriteTimeout: 400 * time.Millisecond})
	for _, fault := range []string{"latency=1200ms", "slow-body=1200ms; chunks=3"} {
		a := receive(t, postAsync(t, url, fault), fault)
		if a.err != nil {
			t.Fatalf("%s: got error %v, want the answer", fault, a.err)
		}
		if r := decodeResults(t, a.body); a.resp.StatusCode != http.StatusOK || len(r) != 1 {
			t.Fatalf("%s: got %d %s, want 200 with one result", fault, a.resp.StatusCode, a.body)
		}
	}
}
