package mock

import (
	"context"
	"net"
	"net/http"
	"sync"
	"time"
)

// MaxDrainMargin is the most time HTTPServer.Shutdown leaves, before its
// deadline, between cutting fault waits short and the deadline itself.
const MaxDrainMargin = time.Second

// Drainer is a handler that holds requests on purpose and can be told to let
// them go, as *Server can (see Server.Drain).
type Drainer interface {
	// Drain lets held requests go and cuts the waits still running when
	// ctx is done; it returns at once.
	Drain(ctx context.Context)
}

// Shutdown stops s gracefully, as http.Server's Shutdown does: it closes the
// listeners, closes idle connections, and waits until every request in flight
// is answered, or ctx is done (then it returns ctx's error and the caller
// should Close). It returns as soon as the last answer is out, where
// http.Server's Shutdown notices only at its next poll, up to half a second
// later.
//
// When the handler is a Drainer (the mock *Server is), Shutdown drains it:
// requests held by hang faults are released at once, and latency and
// slow-body waits still running shortly before ctx's deadline (MaxDrainMargin
// before it, or half the time allowed when that is under twice as much) are
// cut short so that their requests are answered before the deadline.
func (s *HTTPServer) Shutdown(ctx context.Context) error {
	if d, ok := s.Handler.(Drainer); ok {
		dctx, cancel := drainContext(ctx)
		defer cancel()
		d.Drain(dctx)
	}
	done := make(chan error, 1)
	go func() { done <- s.Server.Shutdown(ctx) }()
	select {
	case err := <-done:
		return err
	case <-s.begun:
	}
	select {
	case err := <-done:
		return err
	case <-s.conns.quiet():
		// The listeners are closed and no request is in flight. Connections
		// left are idle, or have not sent a whole request, which http.Server
		// drops once shutting down: close them now.
		_ = s.Server.Close()
		return nil
	}
}

// drainContext returns the context whose end cuts fault waits short: ctx
// with a deadline a margin before ctx's own, to leave time for the answers.
func drainContext(ctx context.Context) (context.Context, context.CancelFunc) {
	deadline, ok := ctx.Deadline()
	if !ok {
		return context.WithCancel(ctx)
	}
	margin := min(time.Until(deadline)/2, MaxDrainMargin)
	return context.WithDeadline(ctx, deadline.Add(-margin))
}

// connWatch follows the state of an http.Server's connections, to tell when
// none has a request in flight.
type connWatch struct {
	mu     sync.Mutex
	state  map[net.Conn]http.ConnState
	active int           // connections in StateActive
	quiets chan struct{} // closed when active drops to 0; nil when nobody waits
}

// track is the http.Server's ConnState hook.
func (w *connWatch) track(c net.Conn, st http.ConnState) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.state == nil {
		w.state = make(map[net.Conn]http.ConnState)
	}
	if w.state[c] == http.StateActive {
		w.active--
	}
	switch st {
	case http.StateHijacked, http.StateClosed:
		delete(w.state, c)
	default:
		w.state[c] = st
	}
	if st == http.StateActive {
		w.active++
	}
	if w.active == 0 && w.quiets != nil {
		close(w.quiets)
		w.quiets = nil
	}
}

// quiet returns a channel closed once no connection has a request in flight
// (at once when none has now).
func (w *connWatch) quiet() <-chan struct{} {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.quiets == nil {
		w.quiets = make(chan struct{})
	}
	ch := w.quiets
	if w.active == 0 {
		close(w.quiets)
		w.quiets = nil
	}
	return ch
}
