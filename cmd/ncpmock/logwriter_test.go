package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

func TestBufferedLogPassesNonFilesThrough(t *testing.T) {
	var buf bytes.Buffer
	w, closeLog := bufferedLog(&buf)
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
	w, closeLog := bufferedLog(f)
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
	lw.flushBatch() // what the timer does
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
