package mock

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// recordingConn is a net.Conn that records what is written to it, one entry
// per Write, and fails writes once fail is set.
type recordingConn struct {
	net.Conn // nil: only Write is used
	writes   []string
	fail     error
}

func (c *recordingConn) Write(p []byte) (int, error) {
	if c.fail != nil {
		return 0, c.fail
	}
	c.writes = append(c.writes, string(p))
	return len(p), nil
}

func writeAll(t *testing.T, c *limitConn, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if n, err := c.Write([]byte(p)); n != len(p) || err != nil {
			t.Fatalf("Write(%q) = %d, %v; want %d, nil", p, n, err, len(p))
		}
	}
}

func TestHeldWrites(t *testing.T) {
	rec := &recordingConn{}
	c := &limitConn{Conn: rec}

	writeAll(t, c, "a")
	if got := strings.Join(rec.writes, "|"); got != "a" {
		t.Fatalf("not holding: writes %q, want %q", got, "a")
	}

	c.holdWrites()
	writeAll(t, c, "head")
	if len(rec.writes) != 1 {
		t.Fatalf("the first held write went out at once: %q", rec.writes)
	}
	writeAll(t, c, "body", "more")
	c.releaseWrites()
	// Without writev (a plain net.Conn) net.Buffers writes each buffer in
	// turn: what matters is the order and that nothing is lost or repeated.
	if got, want := strings.Join(rec.writes, ""), "aheadbodymore"; got != want {
		t.Fatalf("after release: %q, want %q", got, want)
	}

	rec.writes = nil
	c.holdWrites()
	writeAll(t, c, "only")
	if len(rec.writes) != 0 {
		t.Fatalf("a lone held write went out before release: %q", rec.writes)
	}
	c.releaseWrites()
	writeAll(t, c, "after")
	if got, want := strings.Join(rec.writes, ""), "onlyafter"; got != want {
		t.Fatalf("release sent %q, want %q", got, want)
	}
}

func TestHeldWriteFailureIsNotLost(t *testing.T) {
	broken := errors.New("broken pipe")

	// Failing when sent with the next write: that write fails, and so does
	// every one after it.
	rec := &recordingConn{}
	c := &limitConn{Conn: rec}
	c.holdWrites()
	writeAll(t, c, "head")
	rec.fail = broken
	if n, err := c.Write([]byte("body")); n != 0 || !errors.Is(err, broken) {
		t.Fatalf("Write after a lost held write = %d, %v; want 0, %v", n, err, broken)
	}
	c.releaseWrites()
	rec.fail = nil
	if _, err := c.Write([]byte("x")); !errors.Is(err, broken) {
		t.Fatalf("a later Write = %v, want %v", err, broken)
	}

	// Failing when release sends it: the next write fails.
	rec = &recordingConn{}
	c = &limitConn{Conn: rec}
	c.holdWrites()
	writeAll(t, c, "head")
	rec.fail = broken
	c.releaseWrites()
	rec.fail = nil
	if _, err := c.Write([]byte("x")); !errors.Is(err, broken) {
		t.Fatalf("Write after a failed release = %v, want %v", err, broken)
	}
	if len(rec.writes) != 0 {
		t.Fatalf("writes after a lost held write went out: %q", rec.writes)
	}
}

func TestHoldConnWritesWithoutConn(t *testing.T) {
	release := holdConnWrites(context.Background())
	release() // a context with no connection: nothing to hold, nothing to panic
}

// TestLargeAnswersOverKeptAliveConnection sends answers larger than
// net/http's 4 KB buffer, which the handler holds for one writev, over one
// connection, and compares each with the handler's own answer.
func TestLargeAnswersOverKeptAliveConnection(t *testing.T) {
	ids := make([]string, 100)
	for i := range ids {
		ids[i] = fmt.Sprintf("user%03d@coalesce.example.com", i)
	}
	body := []byte(bulkBody(ids...))

	newMock := func() *Server {
		m, err := New(Config{Seed: 7})
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	// What the handler answers, straight into a recorder: created, then
	// duplicates.
	direct := newMock()
	var want []string
	for range 2 {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodPost, "/api/v1/users/bulk", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		direct.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK || rec.Body.Len() <= 4<<10 {
			t.Fatalf("direct answer: %d, %d bytes; want 200 and more than 4 KB", rec.Code, rec.Body.Len())
		}
		want = append(want, rec.Body.String())
	}

	_, url := serveHTTP(t, newMock(), Limits{})
	conn, err := net.Dial("tcp", strings.TrimPrefix(url, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	// A held write never sent would leave the client waiting: fail instead.
	if err := conn.SetDeadline(time.Now().Add(20 * time.Second)); err != nil {
		t.Fatal(err)
	}
	r := bufio.NewReader(conn)
	roundTrip := func(req *http.Request) (int, string) {
		t.Helper()
		if err := req.Write(conn); err != nil {
			t.Fatal(err)
		}
		resp, err := http.ReadResponse(r, req)
		if err != nil {
			t.Fatalf("%.300s", err) // a malformed answer would print whole
		}
		defer resp.Body.Close()
		var b strings.Builder
		if _, err := bufio.NewReader(resp.Body).WriteTo(&b); err != nil {
			t.Fatal(err)
		}
		return resp.StatusCode, b.String()
	}
	for i, w := range want {
		req, _ := http.NewRequest(http.MethodPost, url+"/api/v1/users/bulk", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		status, got := roundTrip(req)
		if status != http.StatusOK || got != w {
			t.Fatalf("answer %d over the connection: %d, %d bytes; want 200 and the handler's %d bytes", i, status, len(got), len(w))
		}
		// A small answer after a large one: nothing is still held.
		health, _ := http.NewRequest(http.MethodGet, url+"/healthz", nil)
		if status, _ := roundTrip(health); status != http.StatusOK {
			t.Fatalf("/healthz after answer %d: %d", i, status)
		}
	}
}
