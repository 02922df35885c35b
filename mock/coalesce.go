package mock

import (
	"context"
	"io"
	"net"
)

// Coalesced writes. net/http sends an answer through a 4 KB buffer, so an
// answer larger than that leaves in two write system calls: the buffer,
// headers first, then the rest. On loopback the sender's write also does the
// receiver's TCP work, per segment. A handler that knows its answer is large
// asks its connection to hold the first write and send it with the next in
// one writev (net.Buffers): one system call and one segment instead of two.
// (`POST /api/v1/users/bulk` answers 100 users in about 9 KB.)

// connKey is the request context key of the connection a request came on,
// as HTTPServer accepted it.
type connKey struct{}

// writeHolder is a connection that can hold writes: between holdWrites and
// releaseWrites, a write is kept until the next one and the two go out
// together; releaseWrites sends what is still held. Only the goroutine
// serving the connection calls them, and it is the only one that writes.
type writeHolder interface {
	holdWrites()
	releaseWrites()
}

// holdConnWrites asks the connection of ctx, when it can, to hold writes,
// and returns the function that releases them. Call that function before
// the handler returns.
func holdConnWrites(ctx context.Context) (release func()) {
	h, ok := ctx.Value(connKey{}).(writeHolder)
	if !ok {
		return func() {}
	}
	h.holdWrites()
	return h.releaseWrites
}

// maxHeldBuffer bounds the buffer a connection keeps for held writes.
const maxHeldBuffer = 64 << 10

// heldWrites is the held-write state of a connection.
type heldWrites struct {
	holding bool
	held    []byte
	err     error // a held write that failed after it was said written
}

func (c *limitConn) holdWrites() { c.w.holding = true }

func (c *limitConn) releaseWrites() {
	c.w.holding = false
	if len(c.w.held) > 0 {
		if _, err := c.Conn.Write(c.w.held); err != nil {
			c.w.err = err
		}
	}
	c.w.held = c.w.held[:0]
	if cap(c.w.held) > maxHeldBuffer {
		c.w.held = nil
	}
}

// Write writes p, or holds it (see writeHolder). A held write that fails
// later fails every write after it.
func (c *limitConn) Write(p []byte) (int, error) {
	switch {
	case c.w.err != nil:
		return 0, c.w.err
	case !c.w.holding:
		return c.Conn.Write(p)
	case len(c.w.held) == 0:
		c.w.held = append(c.w.held, p...)
		return len(p), nil
	}
	held := len(c.w.held)
	bufs := net.Buffers{c.w.held, p}
	n, err := bufs.WriteTo(c.Conn) // writev on a *net.TCPConn
	c.w.held = c.w.held[:0]
	if n < int64(held) {
		if err == nil {
			err = io.ErrShortWrite
		}
		c.w.err = err
		return 0, err
	}
	return int(n) - held, err
}
