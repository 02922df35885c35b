package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestBufferedLogPassesNonFilesThrough(t *testing.T) {
	var buf bytes.Buffer
	w, closeLog := bufferedLog(&buf, nil)
	defer closeLog()
	if w != &buf {
		t.Fatalf("got %T, want the bytes.Buffer itself", w)
	}
}

func TestBufferedLogWritesEveryLine(t *testing.T) {
	path := filepath.Join(t.TempDir(), "access.log")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	w, closeLog := bufferedLog(f, nil)
	lw, ok := w.(*logWriter)
	if !ok {
		t.Fatalf("got %T, want a *logWriter for a file", w)
	}
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := range 2000 {
				fmt.Fprintf(w, "g%d line %d\n", g, i)
			}
		})
	}
	wg.Wait()
	lw.flush() // what the timer does
	if got := countLines(t, path); got == 0 || got > 8000 {
		t.Errorf("after a batch flush: got %d lines, want some and at most 8000", got)
	}
	fmt.Fprintln(w, "last")
	closeLog()
	if got := countLines(t, path); got != 8001 {
		t.Errorf("after close: got %d lines, want 8001", got)
	}
	if _, err := fmt.Fprintln(w, "too late"); err == nil {
		t.Error("write after close: got no error")
	}
}

func countLines(t *testing.T, path string) int {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return strings.Count(string(data), "\n")
}

// TestBufferedLogNeverWaitsForItsReader: an access log on a pipe that nobody
// reads (a terminal paused with Ctrl-S, a collector that hangs) fills the
// pipe. The requests that log must not wait for it: past what it may hold,
// the log drops lines, and says how many when its reader is back.
func TestBufferedLogNeverWaitsForItsReader(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	out, closeLog := bufferedLog(w, func(n int) []byte { return fmt.Appendf(nil, "dropped %d\n", n) })
	// Many times what a pipe and the log's buffer hold.
	const lines = 50000
	line := strings.Repeat("x", 200) + "\n"
	wrote := make(chan struct{})
	go func() {
		defer close(wrote)
		for range lines {
			if _, err := io.WriteString(out, line); err != nil {
				t.Errorf("write: %v", err)
				return
			}
		}
	}()
	select {
	case <-wrote:
	case <-time.After(safety):
		t.Fatalf("%d log lines, nobody reading: the writer still waits after %s", lines, safety)
	}

	read := make(chan string, 1)
	go func() {
		data, _ := io.ReadAll(r)
		read <- string(data)
	}()
	closeLog()
	w.Close()
	got := <-read
	kept, dropped := strings.Count(got, line), 0
	for _, l := range strings.Split(got, "\n") {
		var n int
		if _, err := fmt.Sscanf(l, "dropped %d", &n); err == nil {
			dropped += n
		}
	}
	if dropped == 0 || kept+dropped != lines {
		t.Errorf("got %d lines kept and %d dropped, want some dropped and %d in all", kept, dropped, lines)
	}
}
