package contracttest_test

import (
	"fmt"
	"os"
	"testing"
)

// TestMain points TMPDIR at a directory of the run's own, removed at the
// end, so that the reproduce bodies of the failing runs these tests provoke
// on purpose (written under os.TempDir() when no directory is given) do
// not pile up in /tmp.
func TestMain(m *testing.M) {
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
