package mock

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// These tests watch each connection-level fault through a real net/http
// client on a real loopback socket, and check the error the client sees.

func TestResetGivesECONNRESET(t *testing.T) {
	ts := serve(t, newTestServer(t, Config{}))
	_, err := post(t.Context(), freshClient(t), ts.URL+bulkPath, bulkBody("a@example.com"), HeaderFault, "reset")
	if !errors.Is(err, syscall.ECONNRESET) {
		t.Fatalf("got error %v, want ECONNRESET", err)
	}
}

func TestResetWithLargeBodyGivesECONNRESET(t *testing.T) {
	ids := make([]string, 100)
	for i := range ids {
		ids[i] = "user" + strconv.Itoa(i) + "@example.com"
	}
	ts := serve(t, newTestServer(t, Config{}))
	_, err := post(t.Context(), freshClient(t), ts.URL+bulkPath, bulkBody(ids...), HeaderFault, "reset")
	if !errors.Is(err, syscall.ECONNRESET) {
		t.Fatalf("got error %v, want ECONNRESET", err)
	}
}

func TestEmptyGivesEOF(t *testing.T) {
	ts := serve(t, newTestServer(t, Config{}))
	_, err := post(t.Context(), freshClient(t), ts.URL+bulkPath, bulkBody("a@example.com"), HeaderFault, "empty")
	if !errors.Is(err, io.EOF) {
		t.Fatalf("got error %v, want io.EOF", err)
	}
	if errors.Is(err, syscall.ECONNRESET) {
		t.Fatalf("got a reset (%v), want a clean close", err)
	}
}

// TestConnectionFaultsAfterCreating: reset and empty with created=true
// create the users, then drop the answer as reset and empty do; a retry
// finds them. Without it, nothing is created.
func TestConnectionFaultsAfterCreating(t *testing.T) {
	tests := []struct {
		header  string
		is      error
		created bool
	}{
		{"reset", syscall.ECONNRESET, false},
		{"reset; created=true", syscall.ECONNRESET, true},
		{"empty", io.EOF, false},
		{"empty; created=true", io.EOF, true},
	}
	for _, tc := range tests {
		t.Run(tc.header, func(t *testing.T) {
			s := newTestServer(t, Config{})
			ts := serve(t, s)
			body := bulkBody("a@example.com", "b@example.com")
			_, err := post(t.Context(), freshClient(t), ts.URL+bulkPath, body, HeaderFault, tc.header)
			if !errors.Is(err, tc.is) {
				t.Fatalf("got error %v, want %v", err, tc.is)
			}
			users, _ := s.store.List(t.Context())
			if want := map[bool]int{true: 2, false: 0}[tc.created]; len(users) != want {
				t.Fatalf("got %d users stored, want %d", len(users), want)
			}
			resp, err := post(t.Context(), freshClient(t), ts.URL+bulkPath, body)
			if err != nil {
				t.Fatalf("retry: %v", err)
			}
			defer resp.Body.Close()
			b, _ := readAllBody(resp.Body)
			if dup := strings.Count(string(b), MsgDuplicateLoginID); tc.created && dup != 2 || !tc.created && dup != 0 {
				t.Fatalf("retry: got %s, want %d duplicates", b, map[bool]int{true: 2, false: 0}[tc.created])
			}
		})
	}
}

func TestGarbageGivesMalformedResponse(t *testing.T) {
	for _, seed := range []uint64{1, 2, 3} {
		ts := serve(t, newTestServer(t, Config{Seed: seed}))
		_, err := post(t.Context(), freshClient(t), ts.URL+bulkPath, bulkBody("a@example.com"), HeaderFault, "garbage=64")
		// net/http has no typed error for a malformed status line; its text is the only sign.
		if err == nil || !strings.Contains(err.Error(), "malformed HTTP") {
			t.Fatalf("seed %d: got error %v, want a malformed HTTP response", seed, err)
		}
	}
}

func TestTruncatedGivesUnexpectedEOF(t *testing.T) {
	s := newTestServer(t, Config{})
	ts := serve(t, s)
	resp, err := post(t.Context(), freshClient(t), ts.URL+bulkPath, bulkBody("a@example.com", "b@example.com"), HeaderFault, "truncated=20")
	if err != nil {
		t.Fatalf("post: %v", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Header.Get(HeaderTraceID) == "" {
		t.Fatalf("got status %d, trace id %q; want 200 and a trace id", resp.StatusCode, resp.Header.Get(HeaderTraceID))
	}
	got, err := readAllBody(resp.Body)
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("read body: got error %v, want io.ErrUnexpectedEOF", err)
	}
	if len(got) != 20 || resp.ContentLength <= 20 {
		t.Fatalf("got %d of %d bytes, want 20 of more", len(got), resp.ContentLength)
	}
	if users, _ := s.store.List(t.Context()); len(users) != 2 {
		t.Fatalf("got %d users stored, want 2: the request is handled before the answer is cut", len(users))
	}
}

func TestSlowBodyComesInChunks(t *testing.T) {
	s := newTestServer(t, Config{})
	waits := make(chan time.Duration)
	release := make(chan struct{})
	s.sleep = func(ctx context.Context, d time.Duration) error {
		waits <- d
		<-release
		return nil
	}
	ts := serve(t, s)
	type answer struct {
		resp *http.Response
		err  error
	}
	answers := make(chan answer, 1)
	client := freshClient(t)
	go func() {
		resp, err := post(t.Context(), client, ts.URL+bulkPath, bulkBody("a@example.com"), HeaderFault, "slow-body=2s; chunks=4")
		answers <- answer{resp, err}
	}()
	var got []byte
	var resp *http.Response
	for i := range 4 {
		d := receive(t, waits, "wait before chunk "+strconv.Itoa(i))
		if d != 500*time.Millisecond {
			t.Fatalf("chunk %d: got pause %v, want 2s/4", i, d)
		}
		if i == 0 {
			a := receive(t, answers, "headers before the first chunk")
			if a.err != nil {
				t.Fatalf("post: %v", a.err)
			}
			resp = a.resp
			defer resp.Body.Close()
		}
		if i > 0 { // the chunks before this pause are on the wire already
			want := int(resp.ContentLength) * i / 4
			buf := make([]byte, want-len(got))
			if _, err := io.ReadFull(resp.Body, buf); err != nil {
				t.Fatalf("chunk %d: read: %v", i, err)
			}
			got = append(got, buf...)
		}
		release <- struct{}{}
	}
	rest, err := readAllBody(resp.Body)
	if err != nil || len(got)+len(rest) != int(resp.ContentLength) {
		t.Fatalf("got %d+%d bytes of %d, error %v", len(got), len(rest), resp.ContentLength, err)
	}
	if r := decodeResults(t, append(got, rest...)); len(r) != 1 || !r[0].Success {
		t.Fatalf("got results %+v, want one success", r)
	}
}

func TestLatencyEndsWhenClientLeaves(t *testing.T) {
	s := newTestServer(t, Config{})
	done := requestsDone(s)
	waiting := make(chan struct{}, 1)
	s.sleep = func(ctx context.Context, d time.Duration) error {
		waiting <- struct{}{}
		return s.sleepTimer(ctx, d)
	}
	ts := serve(t, s)
	ctx, cancel := context.WithCancel(t.Context())
	errs := make(chan error, 1)
	client := freshClient(t)
	go func() {
		_, err := post(ctx, client, ts.URL+bulkPath, bulkBody("a@example.com"), HeaderFault, "latency=5m")
		errs <- err
	}()
	receive(t, waiting, "the latency to start")
	cancel()
	if err := receive(t, errs, "the client to give up"); !errors.Is(err, context.Canceled) {
		t.Fatalf("got error %v, want context.Canceled", err)
	}
	e := waitForEntry(t, s, done)
	if e.Status != statusClientGone {
		t.Fatalf("got journal status %d, want %d", e.Status, statusClientGone)
	}
	if users, _ := s.store.List(t.Context()); len(users) != 0 {
		t.Fatalf("got %d users, want none: the request ended during the latency", len(users))
	}
}

func TestLatencyThenAnswer(t *testing.T) {
	s := newTestServer(t, Config{})
	var slept []time.Duration
	s.sleep = func(ctx context.Context, d time.Duration) error {
		slept = append(slept, d)
		return nil
	}
	// A fixed delay past the default cap (30s) is served in full.
	rec := do(t, s, http.MethodPost, bulkPath, bulkBody("a@example.com"), HeaderFault, "latency=250ms", HeaderFault, "latency=5m")
	if rec.Code != http.StatusOK {
		t.Fatalf("got status %d, want 200", rec.Code)
	}
	if want := []time.Duration{250 * time.Millisecond, 5 * time.Minute}; len(slept) != 2 || slept[0] != want[0] || slept[1] != want[1] {
		t.Fatalf("slept %v, want %v", slept, want)
	}
}

func TestHangUntilClientTimeout(t *testing.T) {
	s := newTestServer(t, Config{})
	done := requestsDone(s)
	ts := serve(t, s)
	c := freshClient(t)
	c.Timeout = 100 * time.Millisecond
	_, err := post(t.Context(), c, ts.URL+bulkPath, bulkBody("a@example.com"), HeaderFault, "hang=5m")
	var timeout interface{ Timeout() bool }
	if !errors.As(err, &timeout) || !timeout.Timeout() {
		t.Fatalf("got error %v, want a client timeout", err)
	}
	if e := waitForEntry(t, s, done); e.Status != statusClientGone {
		t.Fatalf("got journal status %d, want %d: the hang ends when the client leaves", e.Status, statusClientGone)
	}
}

func TestHangEndsAtMax(t *testing.T) {
	ts := serve(t, newTestServer(t, Config{}))
	_, err := post(t.Context(), freshClient(t), ts.URL+bulkPath, bulkBody("a@example.com"), HeaderFault, "hang=50ms")
	if !errors.Is(err, io.EOF) {
		t.Fatalf("got error %v, want io.EOF once the maximum has passed", err)
	}
}

func TestHangEndsAtClose(t *testing.T) {
	s := newTestServer(t, Config{})
	hanging := make(chan struct{}, 1)
	s.onHang = func() { hanging <- struct{}{} }
	ts := serve(t, s)
	errs := make(chan error, 1)
	client := freshClient(t)
	go func() {
		_, err := post(t.Context(), client, ts.URL+bulkPath, bulkBody("a@example.com"), HeaderFault, "hang=5m")
		errs <- err
	}()
	receive(t, hanging, "the hang to start")
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if err := receive(t, errs, "the hang to end"); !errors.Is(err, io.EOF) {
		t.Fatalf("got error %v, want io.EOF", err)
	}
	// After Close, a new hang ends at once.
	_, err := post(t.Context(), freshClient(t), ts.URL+bulkPath, bulkBody("b@example.com"), HeaderFault, "hang=5m")
	if !errors.Is(err, io.EOF) {
		t.Fatalf("after Close: got error %v, want io.EOF", err)
	}
}

// receive waits for a value on ch, failing the test after testTimeout.
func receive[T any](t *testing.T, ch <-chan T, what string) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(testTimeout):
		t.Fatalf("timed out waiting for %s", what)
		panic("unreachable")
	}
}

// requestsDone returns a channel that gets a value when s has finished a
// request (answered and journaled it).
func requestsDone(s *Server) <-chan struct{} {
	done := make(chan struct{}, 100)
	s.onDone = func() { done <- struct{}{} }
	return done
}

// waitForEntry waits for the server to finish the request the client has
// left, and returns its journal entry.
func waitForEntry(t *testing.T, s *Server, done <-chan struct{}) JournalEntry {
	t.Helper()
	receive(t, done, "the server to finish the request")
	e := s.Requests(JournalFilter{})
	if len(e) == 0 {
		t.Fatal("got no journal entry")
	}
	return e[0]
}

// TestConnectionFaultsThroughHTTPServer repeats the connection-level faults
// on an HTTPServer, whose connections are wrapped by its connection limit:
// the client must see the same errors as above.
func TestConnectionFaultsThroughHTTPServer(t *testing.T) {
	_, url := serveHTTP(t, newTestServer(t, Config{}), Limits{})
	tests := []struct {
		fault string
		want  error
	}{
		{"reset", syscall.ECONNRESET},
		{"empty", io.EOF},
		{"hang=10ms", io.EOF},
	}
	for _, tc := range tests {
		_, err := post(t.Context(), freshClient(t), url+bulkPath, bulkBody("a@example.com"), HeaderFault, tc.fault)
		if !errors.Is(err, tc.want) {
			t.Errorf("%s: got error %v, want %v", tc.fault, err, tc.want)
		}
	}
	resp, err := post(t.Context(), freshClient(t), url+bulkPath, bulkBody("b@example.com"), HeaderFault, "truncated")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if _, err := readAllBody(resp.Body); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("truncated: got error %v, want io.ErrUnexpectedEOF", err)
	}
}
