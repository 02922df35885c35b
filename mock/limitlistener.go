package mock

import (
	"errors"
	"net"
	"sync"
)

// limitListener accepts at most cap(sem) connections at once. It is
// golang.org/x/net/netutil's LimitListener, except that its connections
// keep CloseWrite: net/http half-closes a connection after an early answer
// (such as 413 before the body is read) so that the client reads the answer
// before the reset that closing with unread data causes.
type limitListener struct {
	net.Listener
	sem       chan struct{}
	closeOnce sync.Once
	done      chan struct{} // closed by Close
}

func newLimitListener(ln net.Listener, n int) *limitListener {
	return &limitListener{Listener: ln, sem: make(chan struct{}, n), done: make(chan struct{})}
}

// Accept waits for a free slot, then for a connection.
func (l *limitListener) Accept() (net.Conn, error) {
	select {
	case <-l.done:
		return nil, net.ErrClosed
	case l.sem <- struct{}{}:
	}
	c, err := l.Listener.Accept()
	if err != nil {
		<-l.sem
		return nil, err
	}
	lc := &limitConn{Conn: c, release: func() { <-l.sem }}
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
