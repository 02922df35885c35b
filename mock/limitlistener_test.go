package mock

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// warnings is a slog.Handler that passes on the records of level WARN and
// above.
type warnings chan slog.Record

func (w warnings) Enabled(_ context.Context, l slog.Level) bool { return l >= slog.LevelWarn }
func (w warnings) Handle(_ context.Context, r slog.Record) error {
	w <- r.Clone()
	return nil
}
func (w warnings) WithAttrs([]slog.Attr) slog.Handler { return w }
func (w warnings) WithGroup(string) slog.Handler      { return w }

// attrs returns a record's attributes by key, as strings.
func attrs(r slog.Record) map[string]string {
	m := make(map[string]string)
	r.Attrs(func(a slog.Attr) bool {
		m[a.Key] = a.Value.String()
		return true
	})
	return m
}

// TestMaxConnsReachedIsLoggedAndCounted fills a limit of one connection:
// the mock's log says so, and its stats show the connection open and the
// limit reached.
func TestMaxConnsReachedIsLoggedAndCounted(t *testing.T) {
	warned := make(warnings, 10)
	s := newTestServer(t, Config{Logger: slog.New(warned)})
	hs, url := serveHTTP(t, s, Limits{MaxConns: 1})
	conn, err := net.Dial("tcp", strings.TrimPrefix(url, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if err := conn.SetDeadline(time.Now().Add(testTimeout)); err != nil {
		t.Fatal(err)
	}
	br := bufio.NewReader(conn)
	get := func(path string) *http.Response {
		t.Helper()
		if _, err := io.WriteString(conn, "GET "+path+" HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"); err != nil {
			t.Fatal(err)
		}
		resp, err := http.ReadResponse(br, nil)
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: got (%v, %v), want 200", path, resp, err)
		}
		return resp
	}
	get(PathHealth).Body.Close() // the connection is accepted: the one slot is taken

	r := receive(t, warned, "the warning that the limit is reached")
	if got := attrs(r); got["limit"] != "1" || got["reached"] != "1" || !strings.Contains(r.Message, "connection limit is reached") {
		t.Errorf("got %q %v, want the connection limit reached once, limit 1", r.Message, got)
	}
	resp := get(PathAdminStats)
	defer resp.Body.Close()
	var st Stats
	if err := json.NewDecoder(resp.Body).Decode(&st); err != nil {
		t.Fatal(err)
	}
	want := ConnStats{Open: 1, Limit: 1, LimitReached: 1}
	if st.Connections != want {
		t.Errorf("stats: got connections %+v, want %+v", st.Connections, want)
	}
	if got := hs.Conns(); got != want {
		t.Errorf("Conns: got %+v, want %+v", got, want)
	}
}

// TestLimitWarningAtMostEvery10s reaches the limit again and again: one
// line at first, none for 10 s, then one that counts the times since.
func TestLimitWarningAtMostEvery10s(t *testing.T) {
	warned := make(warnings, 10)
	now := time.Unix(1700000000, 0)
	c := &connLimit{limit: 4, log: slog.New(warned), now: func() time.Time { return now }}
	var lines []string
	for _, after := range []time.Duration{0, time.Second, 5 * time.Second, 9 * time.Second, 10 * time.Second, 11 * time.Second, 25 * time.Second} {
		now = time.Unix(1700000000, 0).Add(after)
		c.reachedLimit()
		select {
		case r := <-warned:
			lines = append(lines, after.String()+": reached "+attrs(r)["reached"])
		default:
		}
	}
	if got, want := strings.Join(lines, "; "), "0s: reached 1; 10s: reached 4; 25s: reached 2"; got != want {
		t.Errorf("got lines %q, want %q", got, want)
	}
	if got := c.stats(); got != (ConnStats{Limit: 4, LimitReached: 7}) {
		t.Errorf("got %+v, want the limit reached 7 times", got)
	}
}
