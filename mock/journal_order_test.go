package mock

import (
	"bytes"
	"io"
	"log/slog"
	"net"
	"net/http/httptest"
	"sync"
	"testing"
)

// TestJournalBeforeClientSeesTheEnd checks that a request is journaled, and
// its access-log line written, before its client can see the end of the
// answer: a test that reads Requests (or its log) right after its client got
// a reset, an EOF, a cut or a slow body must find the request there. The
// server's connections are watched: when the server ends an answer (closes
// the connection, or writes the answer's last bytes), the request must be in
// the journal already.
func TestJournalBeforeClientSeesTheEnd(t *testing.T) {
	faults := []string{"", "reset", "reset; created=true", "empty", "empty; created=true",
		"garbage", "truncated", "hang=1ms", "slow-body=1ms; chunks=2", "status=503"}
	for _, fault := range faults {
		t.Run(fault, func(t *testing.T) {
			var log bytes.Buffer
			var logMu sync.Mutex
			s := newTestServer(t, Config{Logger: slog.New(slog.NewTextHandler(lockedWriter{&logMu, &log}, nil))})
			done := requestsDone(s)
			ts := httptest.NewUnstartedServer(s)
			w := &watchListener{Listener: ts.Listener, seen: func() bool {
				logMu.Lock()
				defer logMu.Unlock()
				return len(s.Requests(JournalFilter{})) == 1 && log.Len() > 0
			}}
			ts.Listener = w
			ts.Start()
			t.Cleanup(func() { _ = s.Close(); ts.Close() })

			var headers []string
			if fault != "" {
				headers = []string{HeaderFault, fault}
			}
			resp, err := post(t.Context(), freshClient(t), ts.URL+bulkPath, bulkBody("a@example.com"), headers...)
			if err == nil {
				_, _ = io.ReadAll(resp.Body)
				resp.Body.Close()
			}
			receive(t, done, "the server to finish the request")
			if bad := w.unseen(); len(bad) > 0 {
				t.Errorf("the server ended the answer (%v) before the request was journaled and logged", bad)
			}
		})
	}
}

type lockedWriter struct {
	mu *sync.Mutex
	w  *bytes.Buffer
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// watchListener hands out connections that note, at each write and close,
// whether seen() held then.
type watchListener struct {
	net.Listener
	seen  func() bool
	mu    sync.Mutex
	conns []*watchConn
}

func (l *watchListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	w := &watchConn{TCPConn: c.(*net.TCPConn), seen: l.seen}
	l.mu.Lock()
	l.conns = append(l.conns, w)
	l.mu.Unlock()
	return w, nil
}

// unseen lists the events that end an answer and happened before seen()
// held: every close, and each connection's last write.
func (l *watchListener) unseen() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var bad []string
	for _, c := range l.conns {
		c.mu.Lock()
		if c.writes > 0 && !c.lastWriteSeen {
			bad = append(bad, "last write")
		}
		bad = append(bad, c.unseenCloses...)
		c.mu.Unlock()
	}
	return bad
}

type watchConn struct {
	*net.TCPConn  // SetLinger and CloseWrite, which the faults use
	seen          func() bool
	mu            sync.Mutex
	writes        int
	lastWriteSeen bool
	unseenCloses  []string
}

func (c *watchConn) Write(p []byte) (int, error) {
	seen := c.seen()
	c.mu.Lock()
	c.writes++
	c.lastWriteSeen = seen
	c.mu.Unlock()
	return c.TCPConn.Write(p)
}

func (c *watchConn) note(event string) {
	if seen := c.seen(); !seen {
		c.mu.Lock()
		c.unseenCloses = append(c.unseenCloses, event)
		c.mu.Unlock()
	}
}

func (c *watchConn) CloseWrite() error { c.note("close write"); return c.TCPConn.CloseWrite() }
func (c *watchConn) Close() error      { c.note("close"); return c.TCPConn.Close() }
