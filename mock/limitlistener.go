package mock

import (
	"errors"
	"log/slog"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// limitListener accepts at most cap(sem) connections at once. It is
// golang.org/x/net/netutil's LimitListener, except that its connections
// keep CloseWrite: net/http half-closes a connection after an early answer
// (such as 413 before the body is read) so that the client reads the answer
// before the reset that closing with unread data causes. It counts in
// count the connections it holds and the times every slot was taken.
type limitListener struct {
	net.Listener
	sem       chan struct{}
	count     *connLimit
	closeOnce sync.Once
	done      chan struct{} // closed by Close
}

func newLimitListener(ln net.Listener, count *connLimit) *limitListener {
	return &limitListener{Listener: ln, sem: make(chan struct{}, count.limit), count: count, done: make(chan struct{})}
}

// Accept waits for a free slot, then for a connection.
func (l *limitListener) Accept() (net.Conn, error) {
	select {
	case l.sem <- struct{}{}:
	default:
		// Every slot is taken: clients that connect now wait in the
		// kernel's listen backlog until a connection closes.
		l.count.reachedLimit()
		select {
		case <-l.done:
			return nil, net.ErrClosed
		case l.sem <- struct{}{}:
		}
	}
	c, err := l.Listener.Accept()
	if err != nil {
		<-l.sem
		return nil, err
	}
	l.count.open.Add(1)
	lc := &limitConn{Conn: c, release: func() { l.count.open.Add(-1); <-l.sem }}
	if cw, ok := c.(closeWriter); ok {
		return &limitConnCloseWrite{limitConn: lc, cw: cw}, nil
	}
	return lc, nil
}

// Close stops Accept, including one waiting for a slot.
func (l *limitListener) Close() error {
	err := l.Listener.Close()
	l.closeOnce.Do(func() { close(l.done) })
	return err
}

type closeWriter interface{ CloseWrite() error }

// limitConn frees its slot when closed, and can hold writes (see
// writeHolder).
type limitConn struct {
	net.Conn
	once    sync.Once
	release func()
	w       heldWrites
}

func (c *limitConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(c.release)
	return err
}

// lingerer is a connection whose close can send a reset (SetLinger(0)), as
// *net.TCPConn.
type lingerer interface{ SetLinger(sec int) error }

// SetLinger passes on to the connection, so that the reset fault sends a
// reset through the limit too.
func (c *limitConn) SetLinger(sec int) error {
	if l, ok := c.Conn.(lingerer); ok {
		return l.SetLinger(sec)
	}
	return errors.ErrUnsupported
}

type limitConnCloseWrite struct {
	*limitConn
	cw closeWriter
}

func (c *limitConnCloseWrite) CloseWrite() error { return c.cw.CloseWrite() }

// ConnStats describes the connections of an HTTPServer (Stats.Connections).
type ConnStats struct {
	// Open counts the connections open now, each holding one of the Limit
	// slots until it closes.
	Open int64 `json:"open"`
	// Limit is Limits.MaxConns, per listener.
	Limit int `json:"limit"`
	// LimitReached counts the times, since NewHTTPServer, that the server
	// was ready for another connection and found every slot taken: clients
	// that connected then waited, unanswered, until a connection closed.
	LimitReached uint64 `json:"limitReached"`
}

// limitWarnEvery is the least time between two lines of the log saying
// that the connection limit is reached.
const limitWarnEvery = 10 * time.Second

// connLimit counts, for Stats and the log, the connections of an
// HTTPServer's listeners and the times their limit was reached.
type connLimit struct {
	limit   int
	open    atomic.Int64
	reached atomic.Uint64
	log     *slog.Logger     // nil: no log
	now     func() time.Time // replaced in tests

	mu     sync.Mutex
	warned time.Time // when the last warning was logged; zero before the first
	since  uint64    // times the limit was reached since then
}

func (c *connLimit) stats() ConnStats {
	return ConnStats{Open: c.open.Load(), Limit: c.limit, LimitReached: c.reached.Load()}
}

// reachedLimit counts a time every slot was taken, and says so in the log,
// at most once every limitWarnEvery: a server held at its limit would log
// a line for every connection that closes.
func (c *connLimit) reachedLimit() {
	c.reached.Add(1)
	if c.log == nil {
		return
	}
	now := c.now()
	c.mu.Lock()
	c.since++
	if !c.warned.IsZero() && now.Sub(c.warned) < limitWarnEvery {
		c.mu.Unlock()
		return
	}
	n := c.since
	c.since, c.warned = 0, now
	c.mu.Unlock()
	c.log.Warn("the connection limit is reached: further clients wait, unanswered, until a connection closes",
		"limit", c.limit, "open", c.open.Load(), "reached", n)
}
