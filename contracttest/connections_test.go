package contracttest_test

import (
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/ncpmock/ncpmock/contracttest"
	"github.com/ncpmock/ncpmock/mock"
)

// TestRunClosesItsConnections checks that a run with no Config.Client leaves
// no connection open when it returns: it must not keep idle keep-alive
// connections (and their goroutines) in http.DefaultTransport, shared with
// the whole process, where a goroutine-leak check of the caller's test finds
// them and nothing closes them until the server does.
func TestRunClosesItsConnections(t *testing.T) {
	for _, via := range []string{"Check", "Run"} {
		t.Run(via, func(t *testing.T) {
			m, err := mock.New(mock.Config{Seed: 1})
			if err != nil {
				t.Fatal(err)
			}
			ts := httptest.NewUnstartedServer(m)
			conns := newConnWatch()
			ts.Config.ConnState = conns.track
			ts.Start()
			t.Cleanup(ts.Close)

			cfg := contracttest.Config{Seed: 1, Only: []string{"positive/typical", "semantic"}}
			if via == "Check" {
				if _, err := contracttest.Check(t.Context(), ts.URL, cfg, nil); err != nil {
					t.Fatal(err)
				}
			} else {
				contracttest.Run(t, ts.URL, cfg)
			}
			if opened := conns.waitClosed(10 * time.Second); opened > 0 {
				t.Errorf("got %d connections still open after %s returned, want 0", opened, via)
			}
		})
	}
}

// connWatch counts a server's open connections.
type connWatch struct {
	mu     sync.Mutex
	open   map[net.Conn]bool
	closed chan struct{}
}

func newConnWatch() *connWatch {
	return &connWatch{open: make(map[net.Conn]bool), closed: make(chan struct{}, 100)}
}

func (w *connWatch) track(c net.Conn, state http.ConnState) {
	w.mu.Lock()
	defer w.mu.Unlock()
	switch state {
	case http.StateNew:
		w.open[c] = true
	case http.StateClosed, http.StateHijacked:
		delete(w.open, c)
		select {
		case w.closed <- struct{}{}:
		default: // a wake-up is pending already
		}
	}
}

// waitClosed waits until every connection is closed, or for at most limit,
// and returns how many are still open.
func (w *connWatch) waitClosed(limit time.Duration) int {
	deadline := time.After(limit)
	for {
		w.mu.Lock()
		n := len(w.open)
		w.mu.Unlock()
		if n == 0 {
			return 0
		}
		select {
		case <-w.closed:
		case <-deadline:
			return n
		}
	}
}
