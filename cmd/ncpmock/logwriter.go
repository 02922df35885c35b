package main

import (
	"bufio"
	"io"
	"os"
	"sync"
	"time"
)

// logFlushDelay bounds how long an access-log line waits in the buffer.
const logFlushDelay = 50 * time.Millisecond

// logWriter buffers the access log on its way to a file or a pipe, so that a
// request's line costs no system call: what gathers is written out when the
// buffer fills, logFlushDelay after the first line of a batch, and at Close.
// It is safe for concurrent use.
type logWriter struct {
	mu      sync.Mutex
	w       *bufio.Writer
	pending *time.Timer // the flush of the current batch, if any
	closed  bool
}

// bufferedLog returns w itself, unless w is an *os.File (a real stderr),
// which it wraps in a logWriter. close flushes and stops it.
func bufferedLog(w io.Writer) (out io.Writer, close func()) {
	f, ok := w.(*os.File)
	if !ok {
		return w, func() {}
	}
	l := &logWriter{w: bufio.NewWriterSize(f, 64<<10)}
	return l, l.close
}

func (l *logWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return 0, os.ErrClosed
	}
	n, err := l.w.Write(p)
	if l.pending == nil && l.w.Buffered() > 0 {
		l.pending = time.AfterFunc(logFlushDelay, l.flushBatch)
	}
	return n, err
}

func (l *logWriter) flushBatch() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.pending = nil
	if !l.closed {
		_ = l.w.Flush() // a log that cannot be written is not worth failing for
	}
}

func (l *logWriter) close() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.pending != nil {
		l.pending.Stop()
		l.pending = nil
	}
	if !l.closed {
		_ = l.w.Flush()
		l.closed = true
	}
}
