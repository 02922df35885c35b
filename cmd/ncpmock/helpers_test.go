package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"strings"
	"sync"
	"testing"
	"time"
)

// safety bounds every wait in these tests so that a bug fails a test
// instead of hanging it; no test waits for it to pass.
const safety = 20 * time.Second

// syncBuffer is a bytes.Buffer safe for concurrent writes and reads.
type syncBuffer struct {
	mu      sync.Mutex
	buf     bytes.Buffer
	written chan struct{} // closed at the next write, if made (waitFor)
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.written != nil {
		close(b.written)
		b.written = nil
	}
	return b.buf.Write(p)
}

// waitFor returns the buffer's text once it contains want, waiting for
// writes (not for time); it fails t after safety.
func (b *syncBuffer) waitFor(t *testing.T, want string) string {
	t.Helper()
	timeout := time.After(safety)
	for {
		b.mu.Lock()
		text := b.buf.String()
		if strings.Contains(text, want) {
			b.mu.Unlock()
			return text
		}
		if b.written == nil {
			b.written = make(chan struct{})
		}
		written := b.written
		b.mu.Unlock()
		select {
		case <-written:
		case <-timeout:
			t.Fatalf("no %q within %s in:\n%s", want, safety, text)
		}
	}
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// running is "ncpmock serve" running inside the test through run().
type running struct {
	url    string
	lines  chan string // stdout after the first line, one line at a time
	stderr *syncBuffer
	cancel context.CancelFunc // what SIGINT or SIGTERM does in main
	done   chan error         // run's result
}

// startServe runs "ncpmock serve --addr 127.0.0.1:0 args..." and returns
// once it prints its address; the test never sleeps to wait for it. The
// server is stopped when the test ends.
func startServe(t *testing.T, env map[string]string, args ...string) *running {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	r := &running{lines: make(chan string, 100), stderr: &syncBuffer{}, cancel: cancel, done: make(chan error, 1)}
	args = append([]string{"serve", "--addr", "127.0.0.1:0", "--seed", "1"}, args...)
	go func() {
		err := run(ctx, args, func(k string) string { return env[k] }, pw, r.stderr)
		pw.Close()
		r.done <- err
	}()
	first := make(chan string, 1)
	go func(first chan<- string) {
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			if first != nil {
				first <- sc.Text()
				first = nil
				continue
			}
			r.lines <- sc.Text()
		}
		close(r.lines)
		if first != nil {
			close(first)
		}
	}(first)
	select {
	case line, ok := <-first:
		const prefix = "ncpmock listening on "
		if !ok || !strings.HasPrefix(line, prefix) {
			cancel()
			t.Fatalf("first line %q; stderr %q; run returned %v", line, r.stderr.String(), <-r.done)
		}
		r.url = strings.Fields(strings.TrimPrefix(line, prefix))[0]
	case <-time.After(safety):
		t.Fatalf("serve did not start within %s", safety)
	}
	t.Cleanup(func() {
		cancel()
		select {
		case <-r.done:
		case <-time.After(safety):
			t.Errorf("serve did not stop within %s", safety)
		}
	})
	return r
}

// waitLine returns the first stdout line that contains want.
func (r *running) waitLine(t *testing.T, want string) string {
	t.Helper()
	timeout := time.After(safety)
	for {
		select {
		case line, ok := <-r.lines:
			if !ok {
				t.Fatalf("stdout closed before a line with %q", want)
			}
			if strings.Contains(line, want) {
				return line
			}
		case <-timeout:
			t.Fatalf("no line with %q within %s", want, safety)
		}
	}
}

// wait returns run's result.
func (r *running) wait(t *testing.T) error {
	t.Helper()
	select {
	case err := <-r.done:
		r.done <- err // for the cleanup
		return err
	case <-time.After(safety):
		t.Fatalf("run did not return within %s", safety)
		return nil
	}
}
