// Package testtmp runs a package's tests with TMPDIR pointing at a
// directory of the run's own, removed at the end: for tests that provoke, on
// purpose, code that writes under os.TempDir() (the contract suite's
// reproduce bodies), so that nothing piles up in /tmp.
package testtmp

import (
	"fmt"
	"os"
	"testing"
)

// Main runs m with TMPDIR set to a new directory, removes the directory, and
// exits with m's code. Call it from TestMain.
func Main(m *testing.M) {
	dir, err := os.MkdirTemp("", "ncpmock-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.Setenv("TMPDIR", dir)
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}
