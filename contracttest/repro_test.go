package contracttest_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
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

// createsDuplicates answers every refused user of a 200 as created.
func createsDuplicates(a *answer) {
	results(a, func(rs []map[string]any) []map[string]any {
		for i, r := range rs {
			if r["success"] == false {
				id := fmt.Sprintf("00000000-0000-4000-8000-%012d", i)
				rs[i] = map[string]any{"id": id, "nrn": "nrn:PUB:SSO::1234567:User/" + id, "name": r["name"], "success": true, "message": ""}
			}
		}
		return rs
	})
}

// TestReproSendsTheWholeSequence: a failure of a case's second request is
// reproduced by both requests, in order; the second alone, against a new
// server, creates its users and shows nothing.
func TestReproSendsTheWholeSequence(t *testing.T) {
	url := defective(t, createsDuplicates)
	report, err := contracttest.Check(context.Background(), url, contracttest.Config{Only: []string{"semantic/resubmit-duplicate"}}, nil)
	if !errors.Is(err, contracttest.ErrContract) {
		t.Fatalf("got %v, want a contract error", err)
	}
	c := report.Cases[0]
	f := c.Failures[0]
	if f.Check != contracttest.CheckDuplicateRejected || len(c.Exchanges) != 2 {
		t.Fatalf("got %s after %d requests, want %s after 2", f.Check, len(c.Exchanges), contracttest.CheckDuplicateRejected)
	}
	var got []string
	for _, cmd := range append(slices.Clip(f.CurlBefore), f.Curl) {
		_, body, _ := strings.Cut(cmd, "--data-binary ")
		got = append(got, body)
	}
	want := []string{"'" + c.Exchanges[0].RequestBody + "'", "'" + c.Exchanges[1].RequestBody + "'"}
	if !slices.Equal(got, want) {
		t.Errorf("got bodies %q, want %q", got, want)
	}
	var out bytes.Buffer
	contracttest.WriteCase(&out, c)
	if wantText := "      reproduce, in order:\n        " + f.CurlBefore[0] + "\n        " + f.Curl + "\n"; !strings.Contains(out.String(), wantText) {
		t.Errorf("output lacks %q:\n%s", wantText, out.String())
	}
	var junit bytes.Buffer
	if err := contracttest.WriteJUnit(&junit, report); err != nil || !strings.Contains(junit.String(), "reproduce, in order:") {
		t.Errorf("JUnit lacks the sequence (%v):\n%s", err, junit.String())
	}
}

// TestReproSaysWhenItCreatesUsers: the commands of a case that creates
// users say they reproduce only against a server without their login IDs
// (sent again to the server tested, they are refused as duplicates); those
// of a case that creates none do not.
func TestReproSaysWhenItCreatesUsers(t *testing.T) {
	badID := func(a *answer) {
		results(a, func(rs []map[string]any) []map[string]any {
			for _, r := range rs {
				if r["success"] == true {
					r["id"] = "12345"
				}
			}
			return rs
		})
	}
	tests := []struct {
		name   string
		defect func(a *answer)
		only   string
		want   string // the note, "" for none
	}{
		{"positive", badID, "positive/typical", "      note: it creates users: run against a server without its login IDs (the one tested may hold them now)\n"},
		{"semantic, two requests", createsDuplicates, "semantic/resubmit-duplicate", "      note: they create users: run against a server without their login IDs (the one tested may hold them now)\n"},
		{"negative", acceptEverything, "negative/params/minItems", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			url := defective(t, tc.defect)
			report, err := contracttest.Check(context.Background(), url, contracttest.Config{Only: []string{tc.only}}, nil)
			if !errors.Is(err, contracttest.ErrContract) {
				t.Fatalf("got %v, want a contract error", err)
			}
			var out bytes.Buffer
			contracttest.WriteCase(&out, report.Cases[0])
			_, after, _ := strings.Cut(out.String(), report.Failures()[len(report.Failures())-1].Curl+"\n")
			if after != tc.want {
				t.Errorf("got %q after the last command, want %q", after, tc.want)
			}
			if f := report.Failures()[0]; f.CreatesUsers != (tc.want != "") {
				t.Errorf("got CreatesUsers %v, want %v", f.CreatesUsers, tc.want != "")
			}
		})
	}
}
