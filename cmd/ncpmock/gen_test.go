package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/ncpmock/ncpmock/mock"
	"github.com/ncpmock/ncpmock/mock/mocktest"
	"github.com/ncpmock/ncpmock/openapi"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// runGen runs "ncpmock gen args..." and returns stdout, stderr and the error.
func runGen(t testing.TB, args ...string) (string, string, error) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), append([]string{"gen"}, args...), func(string) string { return "" }, &stdout, &stderr)
	return stdout.String(), stderr.String(), err
}

func mustGen(t testing.TB, args ...string) (string, string) {
	t.Helper()
	stdout, stderr, err := runGen(t, args...)
	if err != nil {
		t.Fatalf("gen %v: %v\nstderr: %s", args, err, stderr)
	}
	return stdout, stderr
}

// TestGenGolden pins the output of a fixed seed, so that a change of the
// generator's output is seen and meant. Run with -update to rewrite.
func TestGenGolden(t *testing.T) {
	tests := []struct {
		name string
		args []string
	}{
		{"valid-en.json", []string{"--seed", "1", "--users", "2"}},
		{"valid-ko.csv", []string{"--seed", "1", "--users", "3", "--locale", "ko", "--format", "csv"}},
		{"valid-count.ndjson", []string{"--seed", "1", "--count", "2", "--format", "ndjson"}},
		{"boundary-ko.ndjson", []string{"--seed", "1", "--mode", "boundary", "--locale", "ko", "--format", "ndjson"}},
		{"invalid-en.ndjson", []string{"--seed", "1", "--mode", "invalid", "--users", "2", "--format", "ndjson"}},
		{"invalid-rule.json", []string{"--seed", "1", "--mode", "invalid", "--rule", "params[].userProfile.phoneNo/pattern"}},
		{"rules.txt", []string{"--list-rules"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			stdout, stderr := mustGen(t, tc.args...)
			got := stdout
			if stderr != "" {
				got += "--- stderr ---\n" + stderr
			}
			path := filepath.Join("testdata", "gen", tc.name+".golden")
			if *update {
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if got != string(want) {
				t.Errorf("gen %s: output differs from %s (go test -update rewrites it)\ngot:\n%s", strings.Join(tc.args, " "), path, clip(got))
			}
		})
	}
}

func clip(s string) string {
	if len(s) > 2000 {
		return s[:2000] + "..."
	}
	return s
}

// TestGenSameSeedSameBytes runs each mode and format twice with a seed and
// once without, then replays the seed the latter printed.
func TestGenSameSeedSameBytes(t *testing.T) {
	for _, mode := range []string{"valid", "boundary", "invalid"} {
		for _, format := range []string{"json", "ndjson", "csv"} {
			t.Run(mode+"/"+format, func(t *testing.T) {
				args := []string{"--mode", mode, "--format", format, "--users", "2", "--locale", "ko"}
				a, _ := mustGen(t, append(args, "--seed", "99")...)
				b, _ := mustGen(t, append(args, "--seed", "99")...)
				if a != b {
					t.Fatal("same seed and flags gave different output")
				}
				random, stderr := mustGen(t, args...)
				m := regexp.MustCompile(`seed (\d+) \(replay with --seed (\d+)\)`).FindStringSubmatch(stderr)
				if m == nil {
					t.Fatalf("no seed on stderr: %q", stderr)
				}
				replay, _ := mustGen(t, append(args, "--seed", m[1])...)
				if replay != random {
					t.Errorf("replaying seed %s gave different output", m[1])
				}
				if strings.Contains(b, "seed") && format != "csv" {
					t.Errorf("the seed leaked into stdout")
				}
			})
		}
	}
}

func TestGenUsageErrors(t *testing.T) {
	// A spec the generator refuses is a mistake in --spec, as an unreadable one is.
	unsupported := filepath.Join(t.TempDir(), "multipleof.yaml")
	yaml := strings.Replace(string(openapi.EmbeddedYAML()), "        description:\n          type: string\n",
		"        level:\n          type: integer\n          multipleOf: 5\n        description:\n          type: string\n", 1)
	if err := os.WriteFile(unsupported, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"--mode", "weird"}, `--mode "weird": want valid, boundary or invalid`},
		{[]string{"--format", "xml"}, `--format "xml"`},
		{[]string{"--locale", "fr"}, `--locale "fr": want en or ko`},
		{[]string{"--count", "0"}, "--count 0: want 1 or more"},
		{[]string{"--users", "-1"}, "--users -1: want 0 or more"},
		{[]string{"--users", "0"}, "--users 0: the spec allows 1 to 100 users per body"},
		{[]string{"--users", "0", "--format", "csv"}, "--users 0: the spec allows 1 to 100 users per body"},
		{[]string{"--users", "101"}, "--users 101: the spec allows 1 to 100 users per body"},
		{[]string{"--rule", "params/maxItems"}, "add --mode boundary or --mode invalid"},
		{[]string{"--mode", "invalid", "--rule", "phoneNo"}, "did you mean params[].userProfile.phoneNo/null"},
		{[]string{"--mode", "invalid", "--rule", "x"}, `--rule "x": no such rule (see --list-rules)`},
		{[]string{"--mode", "invalid", "--rule", "params[].userProfile.phoneNo/maxLength"}, "cannot be broken alone: pattern"},
		{[]string{"--mode", "invalid", "--rule", "params[].loginId/minLength"}, "cannot be broken alone: format email admits no value shorter"},
		{[]string{"--mode", "invalid", "--format", "csv", "--rule", "params/maxItems"}, "CSV cannot carry this case"},
		{[]string{"--mode", "boundary", "--rule", "huge"}, `no such boundary case; the spec gives rise to maxLength`},
		{[]string{"--mode", "boundary", "--format", "csv", "--rule", "minLength"}, "description is an empty string, which a CSV cell cannot tell from an absent property"},
		{[]string{"extra"}, `unexpected argument "extra"`},
		{[]string{"--duplicate", "--users", "1"}, "--duplicate: --users 1: want 2 or more"},
		{[]string{"--duplicate", "--mode", "boundary", "--users", "2"}, "--duplicate is for --mode valid, not boundary"},
		{[]string{"--strict"}, "--strict is for --mode invalid, not valid"},
		{[]string{"--annotated", "--format", "csv"}, "--annotated is for --format json or ndjson"},
		{[]string{"--bom"}, "--bom is for --format csv, not json"},
		{[]string{"--spec", "/nonexistent/spec.yaml"}, "gen: --spec: load spec: open /nonexistent/spec.yaml"},
		{[]string{"--login-prefix", "bad prefix "}, `make login IDs such as "bad prefix 1@example.com", which break params[].loginId`},
		{[]string{"--login-domain", "localhost"}, "--login-prefix/--login-domain"},
		{[]string{"--login-prefix", strings.Repeat("p", 50)}, "which break params[].loginId's maxLength 60 (63 characters)"},
		{[]string{"--spec", unsupported}, "gen: --spec " + unsupported + ": params[].level: schema not supported by the generator: multipleOf 5"},
	}
	for _, tc := range tests {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			stdout, _, err := runGen(t, tc.args...)
			var ue *usageError
			if !errors.As(err, &ue) || !strings.Contains(ue.msg, tc.want) {
				t.Fatalf("got %v, want a usage error containing %q", err, tc.want)
			}
			if stdout != "" {
				t.Errorf("wrote %q to stdout on a usage error", clip(stdout))
			}
		})
	}
}

// TestGenZeroUsersWhereTheSpecAllows: --users 0 is the spec's to refuse;
// with minItems 0 it makes {"params":[]}.
func TestGenZeroUsersWhereTheSpecAllows(t *testing.T) {
	spec := filepath.Join(t.TempDir(), "min0.yaml")
	yaml := strings.Replace(string(openapi.EmbeddedYAML()), "minItems: 1", "minItems: 0", 1)
	if err := os.WriteFile(spec, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	out, _ := mustGen(t, "--users", "0", "--seed", "1", "--format", "ndjson", "--spec", spec)
	if out != `{"params":[]}`+"\n" {
		t.Errorf("got %q, want an empty params", out)
	}
}

func TestGenOutFileAndSpec(t *testing.T) {
	dir := t.TempDir()
	yaml := strings.Replace(string(openapi.EmbeddedYAML()), "maxItems: 100", "maxItems: 5", 1)
	specPath := filepath.Join(dir, "spec.yaml")
	if err := os.WriteFile(specPath, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "bodies.json")
	stdout, _ := mustGen(t, "--spec", specPath, "--mode", "boundary", "--rule", "maxItems", "--seed", "3", "--out", out)
	if stdout != "" {
		t.Errorf("got %q on stdout with --out", clip(stdout))
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var body openapi.BulkRequest
	if err := json.Unmarshal(data, &body); err != nil {
		t.Fatal(err)
	}
	if len(body.Params) != 5 {
		t.Errorf("maxItems body of the edited spec has %d users, want 5", len(body.Params))
	}
	if _, _, err := runGen(t, "--spec", specPath, "--users", "6"); err == nil || !strings.Contains(err.Error(), "1 to 5") {
		t.Errorf("--users 6 with maxItems 5: got %v, want an error naming 1 to 5", err)
	}
}

// TestGenSpecWarnings: a spec whose example breaks an edited limit is used,
// and the warning goes to stderr, one line.
func TestGenSpecWarnings(t *testing.T) {
	yaml := strings.Replace(string(openapi.EmbeddedYAML()), "minLength: 3\n          maxLength: 60", "minLength: 3\n          maxLength: 20", 1)
	specPath := filepath.Join(t.TempDir(), "spec.yaml")
	if err := os.WriteFile(specPath, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	stdout, stderr := mustGen(t, "--spec", specPath, "--users", "3", "--seed", "1")
	var body openapi.BulkRequest
	if err := json.Unmarshal([]byte(stdout), &body); err != nil || len(body.Params) != 3 {
		t.Fatalf("got %q (%v), want a body of 3 users", clip(stdout), err)
	}
	for _, u := range body.Params {
		if len(u.LoginID) > 20 {
			t.Errorf("login ID %q is over the edited maxLength 20", u.LoginID)
		}
	}
	want := "ncpmock: gen: --spec " + specPath + ": warning: an example breaks its schema"
	if lines := strings.Split(strings.TrimSpace(stderr), "\n"); !strings.HasPrefix(lines[0], want) || !strings.Contains(lines[0], "maximum string length is 20") {
		t.Errorf("stderr %q, want a first line starting %q", stderr, want)
	}
}

// TestGenCSV reads the CSV back: a header, then one row per user, more rows
// than one body may hold when asked.
func TestGenCSV(t *testing.T) {
	stdout, _ := mustGen(t, "--format", "csv", "--users", "250", "--count", "2", "--seed", "5")
	recs, err := csv.NewReader(strings.NewReader(stdout)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1+500 {
		t.Fatalf("got %d records, want a header and 500 rows", len(recs))
	}
	if recs[0][0] != "loginId" || recs[0][len(recs[0])-1] != "tags" {
		t.Errorf("header %v: want loginId first and tags last", recs[0])
	}
	seen := make(map[string]bool)
	for _, rec := range recs[1:] {
		if seen[rec[0]] {
			t.Errorf("login ID %q twice", rec[0])
		}
		seen[rec[0]] = true
	}
}

// TestGenLoginPrefix: --login-prefix and --login-domain make every valid
// login ID <prefix><n>@<domain>, so that runs with their own prefix never
// share a login ID.
func TestGenLoginPrefix(t *testing.T) {
	out, _ := mustGen(t, "--seed", "3", "--users", "3", "--count", "2", "--format", "ndjson", "--login-prefix", "run7-", "--login-domain", "qa.example.com")
	var ids []string
	for line := range strings.Lines(out) {
		var b openapi.BulkRequest
		if err := json.Unmarshal([]byte(line), &b); err != nil {
			t.Fatal(err)
		}
		for _, u := range b.Params {
			ids = append(ids, u.LoginID)
		}
	}
	want := []string{"run7-1@qa.example.com", "run7-2@qa.example.com", "run7-3@qa.example.com",
		"run7-4@qa.example.com", "run7-5@qa.example.com", "run7-6@qa.example.com"}
	if !slices.Equal(ids, want) {
		t.Errorf("got %q, want %q", ids, want)
	}
}

// TestGenCSVBoundaryLeavesOutWhatItCannotCarry: the minLength case holds
// empty strings, which CSV cells would turn into absent properties (the row
// would read as requiredOnly): it is left out, saying so, and the others
// are written.
func TestGenCSVBoundaryLeavesOutWhatItCannotCarry(t *testing.T) {
	stdout, stderr := mustGen(t, "--format", "csv", "--mode", "boundary", "--seed", "4")
	if !strings.Contains(stderr, "boundary case minLength left out") || strings.Contains(stderr, "minLength: every string at its shortest") {
		t.Errorf("stderr %q: want minLength said to be left out, and not written", stderr)
	}
	recs, err := csv.NewReader(strings.NewReader(stdout)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	// maxLength, maxBytes, requiredOnly, 100 users of maxItems, minItems, maxProperties.
	if len(recs) != 1+1+1+1+100+1+1 {
		t.Errorf("got %d records, want a header and 105 rows", len(recs))
	}
}

// TestGenLengthPairs: a length rule broken with its sibling (Rule.With),
// such as description's maxLength 300 beside x-max-bytes 300, is a case of
// --rule and of every format, and says on stderr that both rules are
// reported; CSV carries it in a cell.
func TestGenLengthPairs(t *testing.T) {
	const rule = "params[].description/maxLength"
	out, stderr := mustGen(t, "--seed", "2", "--mode", "invalid", "--rule", rule, "--format", "csv")
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil || len(recs) != 2 {
		t.Fatalf("got %d records (%v), want a header and a row:\n%s", len(recs), err, clip(out))
	}
	if d := []rune(recs[1][slices.Index(recs[0], "description")]); len(d) != 301 || len(string(d)) != 301 {
		t.Errorf("description cell of %d characters, %d bytes; want 301 of each", len(d), len(string(d)))
	}
	if want := "want params[0].description maxLength and maxBytes\n"; !strings.HasSuffix(stderr, want) {
		t.Errorf("stderr %q, want it to end %q", stderr, want)
	}
	rules, _ := mustGen(t, "--list-rules")
	if want := rule + "  "; !strings.Contains(rules, want) {
		t.Fatalf("--list-rules does not list %s", rule)
	}
	line := rules[strings.Index(rules, rule+" "):]
	line, next, _ := strings.Cut(line, "\n")
	next, _, _ = strings.Cut(next, "\n")
	if !strings.Contains(line, "  yes  300") || !strings.HasPrefix(next, "    breaks maxBytes 300 too: ") {
		t.Errorf("--list-rules says\n%s\n%s\nwant the case made (CSV yes) and a note that it breaks maxBytes 300 too", line, next)
	}
	// CSV carries every case of a Tabular rule, and counts the others
	// among all of Generator.InvalidCases (61 on the embedded spec).
	g, err := openapi.NewGenerator(mustEmbedded(t), openapi.GenConfig{})
	if err != nil {
		t.Fatal(err)
	}
	all, err := g.InvalidCases(1)
	if err != nil {
		t.Fatal(err)
	}
	tabular := 0
	for _, r := range g.Rules() {
		if r.Tabular {
			tabular++
		}
	}
	_, csvNote := mustGen(t, "--seed", "2", "--mode", "invalid", "--format", "csv")
	want := fmt.Sprintf("CSV carries %d of the %d invalid cases; the other %d", tabular, len(all), len(all)-tabular)
	if !strings.Contains(csvNote, want) || strings.Count(csvNote, "\n") != 1+tabular {
		t.Errorf("stderr %q, want %q and a line per row", clip(csvNote), want)
	}
}

// TestGenAnnotatedDrivesMock posts every --annotated case to a mock and
// holds the mock to each case's own "want": the file alone is enough to
// drive a test, with no stderr notes to pair with it. An invalid case gets
// exactly the problems want names (field and rule, and those of also for a
// length rule broken with its sibling), and invalid mode makes a case of
// every rule the library does (Generator.InvalidCases).
func TestGenAnnotatedDrivesMock(t *testing.T) {
	srv := mocktest.NewServer(t, mock.Config{Strict: true})
	var cases []string
	for _, args := range [][]string{
		{"--mode", "invalid", "--strict", "--users", "2"},
		{"--mode", "boundary", "--users", "2"},
		{"--duplicate", "--users", "3"},
	} {
		out, _ := mustGen(t, append(args, "--seed", "11", "--annotated", "--format", "ndjson")...)
		cases = append(cases, strings.Split(strings.TrimSpace(out), "\n")...)
	}
	strictSeen, wholeBody, failedWanted := false, false, 0
	invalid := map[string]bool{} // the invalid cases' names
	for _, line := range cases {
		var c struct {
			Case string
			Mode string
			Want struct {
				Status int
				Field  *string
				Rule   string
				Also   []openapi.Problem
				Failed []struct {
					Index   int
					Message string
				}
			}
			Body json.RawMessage
		}
		if err := json.Unmarshal([]byte(line), &c); err != nil {
			t.Fatalf("%v: %s", err, clip(line))
		}
		if c.Case == "" {
			t.Errorf("no case name: %s", clip(line))
		}
		strictSeen = strictSeen || c.Want.Rule == "additionalProperties"
		status, data := postBody(t, srv, c.Body)
		if status != c.Want.Status {
			t.Errorf("%s %s: got status %d, want %d: %s", c.Mode, c.Case, status, c.Want.Status, clip(string(data)))
			continue
		}
		if c.Want.Status == http.StatusBadRequest {
			if c.Want.Field == nil {
				t.Errorf("%s: want has no field: %s", c.Case, clip(line))
				continue
			}
			wholeBody = wholeBody || *c.Want.Field == ""
			invalid[c.Case] = true
			want := append([]openapi.Problem{{Field: *c.Want.Field, Rule: c.Want.Rule}}, c.Want.Also...)
			var e openapi.ErrorResponse
			if err := json.Unmarshal(data, &e); err != nil {
				t.Fatalf("%s: %v: %s", c.Case, err, clip(string(data)))
			}
			got := make([]openapi.Problem, len(e.FieldErrors))
			for i, p := range e.FieldErrors {
				got[i] = openapi.Problem{Field: p.Field, Rule: p.Rule}
			}
			byRule := func(a, b openapi.Problem) int { return strings.Compare(a.Field+" "+a.Rule, b.Field+" "+b.Rule) }
			slices.SortFunc(got, byRule)
			slices.SortFunc(want, byRule)
			if !slices.Equal(got, want) {
				t.Errorf("%s: got %s, want exactly the problems %v", c.Case, clip(string(data)), want)
			}
			continue
		}
		// Exactly the users want.failed names fail, with its message.
		var results []openapi.UserResult
		if err := json.Unmarshal(data, &results); err != nil {
			t.Fatal(err)
		}
		failed := map[int]string{}
		for _, f := range c.Want.Failed {
			failed[f.Index] = f.Message
		}
		failedWanted += len(failed)
		for i, r := range results {
			if msg, ok := failed[i]; r.Success == ok || ok && r.Message != msg {
				t.Errorf("%s: user %d got %+v, want failed %t %q", c.Case, i, r, ok, msg)
			}
		}
	}
	if !strictSeen {
		t.Error("gen --strict made no additionalProperties case")
	}
	if !wholeBody {
		t.Error("no invalid case of the whole body (field \"\")")
	}
	if failedWanted != 1 {
		t.Errorf("want.failed names %d users in all, want 1: the repeat of --duplicate", failedWanted)
	}
	g, err := openapi.NewGenerator(mustEmbedded(t), openapi.GenConfig{Strict: true})
	if err != nil {
		t.Fatal(err)
	}
	lib, err := g.InvalidCases(1)
	if err != nil {
		t.Fatal(err)
	}
	for _, cs := range lib {
		if !invalid[cs.Name] {
			t.Errorf("gen --mode invalid made no case %s, which Generator.InvalidCases (and ncpmock test) makes", cs.Name)
		}
	}
	if len(invalid) != len(lib) {
		t.Errorf("gen --mode invalid made %d cases, Generator.InvalidCases %d", len(invalid), len(lib))
	}
}

func mustEmbedded(t testing.TB) *openapi.Spec {
	t.Helper()
	spec, err := openapi.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	return spec
}

func postBody(t *testing.T, srv *mocktest.Server, body []byte) (int, []byte) {
	t.Helper()
	resp, err := srv.Client().Post(srv.BulkURL(), "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, data
}

// TestGenCSVByteOrderMark: --bom puts the mark before the header, outside
// its first cell (encoding/csv would have quoted it inside), and changes
// nothing else.
func TestGenCSVByteOrderMark(t *testing.T) {
	plain, _ := mustGen(t, "--format", "csv", "--users", "2", "--seed", "4", "--locale", "ko")
	marked, _ := mustGen(t, "--format", "csv", "--users", "2", "--seed", "4", "--locale", "ko", "--bom")
	if marked != "\ufeff"+plain {
		t.Errorf("got %q, want the BOM and then %q", clip(marked), clip(plain))
	}
}

// TestGenSeedReproducesMock feeds a generated body to two mocks with the same
// seed: one seed gives the same body and the same answers, IDs included.
func TestGenSeedReproducesMock(t *testing.T) {
	post := func(seed uint64, body string) string {
		status, data := postBody(t, mocktest.NewServer(t, mock.Config{Seed: seed}), []byte(body))
		if status != http.StatusOK {
			t.Fatalf("status %d: %s", status, data)
		}
		return string(data)
	}
	body, _ := mustGen(t, "--seed", "7", "--users", "3")
	again, _ := mustGen(t, "--seed", "7", "--users", "3")
	if body != again {
		t.Fatal("seed 7 gave two different bodies")
	}
	first, second := post(7, body), post(7, again)
	if first != second {
		t.Errorf("mocks with seed 7 answered differently:\n%s\n%s", first, second)
	}
	if other := post(8, body); other == first {
		t.Error("mocks with seeds 7 and 8 gave the same IDs")
	}
}

// TestGenStreamsInFlatMemory writes bodies of 100 users and compares the
// live heap after a tenth of them with the heap at the end: streaming keeps
// nothing per user.
func TestGenStreamsInFlatMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 100,000 users")
	}
	bodies := 1000
	if raceEnabled {
		bodies = 300
	}
	for _, format := range []string{"ndjson", "csv"} {
		t.Run(format, func(t *testing.T) {
			perLine := map[string]int{"ndjson": 1, "csv": 100}[format]
			w := &heapProbe{at: map[int]bool{bodies / 10 * perLine: true, bodies * perLine: true}}
			err := run(context.Background(), []string{"gen", "--seed", "1", "--users", "100", "--count", fmt.Sprint(bodies), "--format", format},
				func(string) string { return "" }, w, io.Discard)
			if err != nil {
				t.Fatal(err)
			}
			if len(w.heap) != 2 {
				t.Fatalf("probed the heap %d times, want 2", len(w.heap))
			}
			if grew := int64(w.heap[1]) - int64(w.heap[0]); grew > 1<<20 {
				t.Errorf("live heap grew by %d bytes from %d to %d users, want under 1 MiB", grew, bodies*10, bodies*100)
			}
		})
	}
}

// TestGenHugeCounts: a huge --users (CSV rows) or --count streams from the
// first body, planned in constant memory, and JSON stays one array. Before,
// --users 9223372036854775807 planned a body per 100 rows first (killed at
// 24 GB), and --count 170803185955218365 overflowed the body count, which
// dropped the array's brackets.
func TestGenHugeCounts(t *testing.T) {
	tests := []struct {
		args []string
		want string // what the output starts with
	}{
		{[]string{"--users", "9223372036854775807", "--format", "csv"}, "loginId,description,"},
		{[]string{"--mode", "invalid", "--count", "170803185955218365"}, "[\n  null,\n  ["},
		{[]string{"--mode", "boundary", "--count", "1317624576693539402"}, "[\n  {"},
	}
	for _, tc := range tests {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			w := &limitWriter{room: 256 << 10}
			err := run(t.Context(), append([]string{"gen", "--seed", "1"}, tc.args...), func(string) string { return "" }, w, io.Discard)
			if !errors.Is(err, errFull) {
				t.Fatalf("got %v, want the writer's error once it is full", err)
			}
			if !strings.HasPrefix(w.buf.String(), tc.want) {
				t.Fatalf("output starts %q, want %q", w.buf.String()[:min(40, w.buf.Len())], tc.want)
			}
		})
	}
}

var errFull = errors.New("full")

// limitWriter keeps what fits in room bytes, then fails every write.
type limitWriter struct {
	buf  bytes.Buffer
	room int
}

func (w *limitWriter) Write(b []byte) (int, error) {
	if w.buf.Len()+len(b) > w.room {
		return 0, errFull
	}
	return w.buf.Write(b)
}

// heapProbe counts lines written to it and reads the live heap after a
// collection when the count reaches a mark.
type heapProbe struct {
	lines int
	at    map[int]bool
	heap  []uint64
}

func (p *heapProbe) Write(b []byte) (int, error) {
	for _, c := range b {
		if c != '\n' {
			continue
		}
		p.lines++
		if p.at[p.lines] {
			runtime.GC()
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			p.heap = append(p.heap, ms.HeapAlloc)
		}
	}
	return len(b), nil
}

// TestGenAllocationsPerUserConstant shows streaming allocates the same per
// user whether it writes ten times more users or not.
func TestGenAllocationsPerUserConstant(t *testing.T) {
	allocs := func(bodies int) float64 {
		args := []string{"gen", "--seed", "1", "--users", "100", "--count", fmt.Sprint(bodies), "--format", "ndjson"}
		return testing.AllocsPerRun(1, func() {
			if err := run(context.Background(), args, func(string) string { return "" }, io.Discard, io.Discard); err != nil {
				t.Fatal(err)
			}
		})
	}
	n := 200
	if raceEnabled {
		n = 40
	}
	base := allocs(1)
	small, large := (allocs(n/10)-base)/float64((n/10-1)*100), (allocs(n)-base)/float64((n-1)*100)
	if ratio := large / small; ratio < 0.9 || ratio > 1.1 {
		t.Errorf("allocations per user: %.1f for %d users, %.1f for %d (ratio %.2f), want the same",
			small, n*10, large, n*100, ratio)
	}
}

// TestGenAnnotatedHelpNamesEveryKey holds gen's help to the keys that
// --annotated really writes, in every mode.
func TestGenAnnotatedHelpNamesEveryKey(t *testing.T) {
	_, stdout, stderr := runCLI(t, "gen", "-h")
	var usage string
	for line := range strings.Lines(stdout + stderr) {
		if strings.Contains(line, "wrap each body as") {
			usage = line
		}
	}
	if usage == "" {
		t.Fatalf("gen -h does not describe --annotated:\n%s%s", stdout, stderr)
	}
	keys := map[string]bool{}
	for _, args := range [][]string{
		{"--mode", "valid", "--users", "2"},
		{"--mode", "boundary"},
		{"--mode", "invalid"},
	} {
		out, _ := mustGen(t, append(args, "--seed", "3", "--annotated", "--format", "ndjson")...)
		for line := range strings.Lines(out) {
			var c map[string]json.RawMessage
			if err := json.Unmarshal([]byte(line), &c); err != nil {
				t.Fatalf("%v: %s", err, clip(line))
			}
			for k := range c {
				keys[k] = true
			}
		}
	}
	if len(keys) < 5 {
		t.Fatalf("annotated bodies have only the keys %v", keys)
	}
	for k := range keys {
		if !strings.Contains(usage, `"`+k+`"`) {
			t.Errorf("gen -h does not name the key %q that --annotated writes: %s", k, usage)
		}
	}
}
