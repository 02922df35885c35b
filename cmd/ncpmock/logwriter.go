package main

import (
	"io"
	"os"
	"sync"
	"time"
)

// logFlushDelay bounds how long an access-log line waits in the buffer.
const logFlushDelay = 50 * time.Millisecond

// maxLogPending is how much of the log may wait for a slow or stalled
// reader; past it, lines are dropped. At 25,000 requests a second a
// logFlushDelay of lines is about 250 KB.
const maxLogPending = 1 << 20

// logCloseWait bounds how long closing waits for a reader that takes
// nothing, so that a stalled log cannot keep the server from exiting.
const logCloseWait = time.Second

// logWriter buffers the access log on its way to a file or a pipe, so that a
// request's line costs no system call, and so that a request never waits
// for the log's reader: what gathers is written out by a timer,
// logFlushDelay after the first line of a batch, and at close. Up to
// maxLogPending bytes wait while a write is stuck (a pipe nobody reads, a
// terminal paused with Ctrl-S); lines past that are dropped and counted,
// and the next write begins with notice(count). It is safe for concurrent
// use.
type logWriter struct {
	out    io.Writer
	notice func(dropped int) []byte // may be nil

	mu      sync.Mutex
	buf     []byte // lines waiting
	spare   []byte // the other buffer, while not being written
	dropped int    // lines dropped since the last write
	pending bool   // a flush is scheduled or running
	timer   *time.Timer
	closed  bool

	writing sync.Mutex // held while writing to out
}

// bufferedLog returns w itself, unless w is an *os.File (a real stderr),
// which it wraps in a logWriter. notice, if not nil, makes the line that
// reports dropped lines. close flushes and stops it.
func bufferedLog(w io.Writer, notice func(dropped int) []byte) (out io.Writer, close func()) {
	f, ok := w.(*os.File)
	if !ok {
		return w, func() {}
	}
	l := &logWriter{out: f, notice: notice}
	return l, l.close
}

func (l *logWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return 0, os.ErrClosed
	}
	if len(l.buf)+len(p) > maxLogPending {
		l.dropped++
		return len(p), nil
	}
	l.buf = append(l.buf, p...)
	if !l.pending {
		l.pending = true
		l.timer = time.AfterFunc(logFlushDelay, l.flush)
	}
	return len(p), nil
}

// flush writes what waits. One flush runs at a time; while one is stuck,
// the next waits for it and no other is scheduled.
func (l *logWriter) flush() {
	l.writing.Lock()
	defer l.writing.Unlock()
	l.mu.Lock()
	data, dropped := l.buf, l.dropped
	l.buf, l.spare, l.dropped, l.pending = l.spare[:0], nil, 0, false
	l.mu.Unlock()
	if dropped > 0 && l.notice != nil {
		_, _ = l.out.Write(l.notice(dropped)) // a log that cannot be written is not worth failing for
	}
	if len(data) > 0 {
		_, _ = l.out.Write(data)
	}
	l.mu.Lock()
	l.spare = data[:0]
	l.mu.Unlock()
}

// close stops the writer and writes what waits, giving up after
// logCloseWait if the reader takes nothing.
func (l *logWriter) close() {
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		return
	}
	l.closed = true
	if l.timer != nil && l.timer.Stop() {
		l.pending = false
	}
	l.mu.Unlock()
	done := make(chan struct{})
	go func() {
		l.flush()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(logCloseWait):
	}
}
