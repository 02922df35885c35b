package contracttest_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ncpmock/ncpmock/contracttest"
)

// TestReproBodyPathsAreAbsolute: the file a curl command reads its body from
// is named by an absolute path, whether the directory was given relative
// (--repro-dir contract-repro) or is the default under a relative TMPDIR, so
// that the command works from any directory.
func TestReproBodyPathsAreAbsolute(t *testing.T) {
	tests := []struct {
		name     string
		reproDir string
		tmpdir   string
	}{
		{"relative ReproDir", "contract-repro", ""},
		{"default dir under a relative TMPDIR", "", "reltmp"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			url := defective(t, acceptEverything)
			t.Chdir(t.TempDir())
			if tc.tmpdir != "" {
				t.Setenv("TMPDIR", tc.tmpdir)
			}
			report, err := contracttest.Check(context.Background(), url,
				contracttest.Config{Seed: 4, ReproDir: tc.reproDir, Only: []string{"negative/params/maxItems"}}, nil)
			if !errors.Is(err, contracttest.ErrContract) {
				t.Fatalf("got %v, want a contract error", err)
			}
			curl := report.Failures()[0].Curl
			_, after, ok := strings.Cut(curl, "--data-binary @'")
			path, _, _ := strings.Cut(after, "'")
			if !ok || !filepath.IsAbs(path) {
				t.Fatalf("got body file %q, want an absolute path in %s", path, curl)
			}
			if _, err := os.Stat(path); err != nil {
				t.Errorf("body file: %v", err)
			}
		})
	}
}
