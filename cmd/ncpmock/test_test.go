package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/ncpmock/ncpmock/apigw"
	"github.com/ncpmock/ncpmock/mock"
	"github.com/ncpmock/ncpmock/mock/mocktest"
	"github.com/ncpmock/ncpmock/openapi"
)

func TestTestCommand(t *testing.T) {
	srv := mocktest.NewServer(t, mock.Config{})
	dir := t.TempDir()
	junit := filepath.Join(dir, "junit.xml")
	code, stdout, stderr := runCLI(t, "test", "--target", srv.URL, "--seed", "2", "--junit", junit, "--json", filepath.Join(dir, "r.json"))
	if code != 0 || !strings.Contains(stdout, "PASS  positive/boundary/requiredOnly") || !strings.Contains(stdout, " passed, 0 failed, 3 skipped") ||
		!strings.Contains(stdout, "\nSKIP  auth/unsigned: needs API keys (NCP_ACCESS_KEY, NCP_SECRET_KEY)") {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	if data, err := os.ReadFile(junit); err != nil || !strings.Contains(string(data), "<testsuites") {
		t.Fatalf("junit: %v", err)
	}

	// A server that answers 200 to everything breaks the contract: exit 1.
	bad := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`[]`))
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hs := &http.Server{Handler: bad}
	go hs.Serve(ln)
	t.Cleanup(func() { hs.Close() })
	code, stdout, stderr = runCLI(t, "test", "--target", "http://"+ln.Addr().String(), "--only", "negative/params/maxItems")
	if code != 1 || !strings.Contains(stdout, "negative_data_rejection") || !strings.Contains(stdout, "reproduce: curl") || stderr != "" {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}

	code, _, stderr = runCLI(t, "test")
	if code != 2 || !strings.Contains(stderr, "--target is required") {
		t.Fatalf("no target: exit %d %q", code, stderr)
	}
	addr := ln.Addr().String()
	hs.Close()
	junit, jsonFile := filepath.Join(t.TempDir(), "unreachable.xml"), filepath.Join(t.TempDir(), "unreachable.json")
	code, _, stderr = runCLI(t, "test", "--target", "http://"+addr, "--junit", junit, "--json", jsonFile)
	if code != 2 || !strings.Contains(stderr, "cannot reach") {
		t.Fatalf("unreachable: exit %d %q", code, stderr)
	}
	// The reports are written all the same: a CI job shows the failure.
	xmlText, err := os.ReadFile(junit)
	if err != nil || !strings.Contains(string(xmlText), `failures="1"`) || !strings.Contains(string(xmlText), "cannot reach the target") {
		t.Fatalf("unreachable: JUnit report %v:\n%s", err, xmlText)
	}
	jsonText, err := os.ReadFile(jsonFile)
	if err != nil || !strings.Contains(string(jsonText), `"unreachable": "cannot reach http://`+addr) {
		t.Fatalf("unreachable: JSON report %v:\n%.400s", err, jsonText)
	}
	code, _, stderr = runCLI(t, "test", "--target", "http://127.0.0.1:1", "--only", "nothing")
	if code != 2 || !strings.Contains(stderr, "no case matches") {
		t.Fatalf("bad --only: exit %d %q", code, stderr)
	}
}

func TestTestCommandSigns(t *testing.T) {
	creds := apigw.Credentials{AccessKey: "AKCLI", SecretKey: "cli-secret"}
	srv := mocktest.NewServer(t, mock.Config{Auth: mock.AuthConfig{Mode: mock.AuthNCP, Credentials: []apigw.Credentials{creds}}})
	env := map[string]string{"NCP_ACCESS_KEY": "AKCLI", "NCP_SECRET_KEY": "cli-secret"}
	var out, errOut bytes.Buffer
	err := run(context.Background(), []string{"test", "--target", srv.URL}, func(k string) string { return env[k] }, &out, &errOut)
	if code := exitCode(err, &errOut); code != 0 || !strings.Contains(out.String(), "signing requests with access key AKCLI") ||
		!strings.Contains(out.String(), "PASS  auth/stale-timestamp") || !strings.Contains(out.String(), " passed, 0 failed, 0 skipped") ||
		strings.Contains(out.String()+errOut.String(), "cli-secret") {
		t.Fatalf("exit %d\n%s\n%s", code, out.String(), errOut.String())
	}
	firstCreated := createdCount(t, out.String())
	// --cleanup deletes the users, with signed requests too.
	out.Reset()
	err = run(context.Background(), []string{"test", "--target", srv.URL, "--cleanup"}, func(k string) string { return env[k] }, &out, &errOut)
	if code := exitCode(err, &errOut); code != 0 || !strings.Contains(out.String(), " with POST "+srv.URL+"/api/v1/users/delete") ||
		strings.Contains(out.String(), "NOT DELETED") {
		t.Fatalf("--cleanup: exit %d\n%s\n%s", code, out.String(), errOut.String())
	}
	resp, err := srv.Client().Get(srv.URL + mock.PathAdminUsers)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var stored struct{ Count int }
	// The first run (without --cleanup) left its users; the second deleted
	// its own and only its own.
	if err := json.NewDecoder(resp.Body).Decode(&stored); err != nil || stored.Count != firstCreated || createdCount(t, out.String()) == 0 {
		t.Fatalf("stored users: %d, %v; want the %d of the first run", stored.Count, err, firstCreated)
	}
	delete(env, "NCP_SECRET_KEY")
	err = run(context.Background(), []string{"test", "--target", srv.URL}, func(k string) string { return env[k] }, &out, &errOut)
	if code := exitCode(err, io.Discard); code != 2 || !strings.Contains(err.Error(), "NCP_SECRET_KEY") {
		t.Fatalf("one key only: exit %d, %v", code, err)
	}
}

// TestTestCommandReplays: the same --seed and --run-id send the same bytes.
func TestTestCommandReplays(t *testing.T) {
	requests := func() string {
		srv := mocktest.NewServer(t, mock.Config{JournalBodyBytes: -1})
		dir := t.TempDir()
		code, stdout, stderr := runCLI(t, "test", "--target", srv.URL, "--seed", "11", "--run-id", "replay1", "--json", filepath.Join(dir, "r.json"))
		if code != 0 || !strings.Contains(stdout, "(seed 11, run replay1; replay with --seed 11, adding --run-id replay1 only against a server without this run's users)") {
			t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
		}
		bodies := journal(t, srv)
		if len(bodies) == 0 {
			t.Fatal("the journal is empty")
		}
		return strings.Join(bodies, "\n")
	}
	if a, b := requests(), requests(); a != b {
		t.Fatal("two runs with one seed and run ID sent different requests")
	}
}

// TestTestCommandReplaysSeedOnTheSameServer: the header's advice holds:
// --seed alone sends the same bodies with new login IDs, so a replay
// against the server of the first run passes too.
func TestTestCommandReplaysSeedOnTheSameServer(t *testing.T) {
	srv := mocktest.NewServer(t, mock.Config{JournalBodyBytes: -1})
	header := regexp.MustCompile(`\(seed 11, run ([0-9a-z]+); replay with --seed 11, adding --run-id ([0-9a-z]+) only against a server without this run's users\)`)
	var runs [2]string
	seen := 0 // requests of the runs before
	for i := range runs {
		code, stdout, stderr := runCLI(t, "test", "--target", srv.URL, "--seed", "11")
		m := header.FindStringSubmatch(stdout)
		if code != 0 || m == nil || m[1] != m[2] {
			t.Fatalf("run %d: exit %d, want 0 and a header matching %s\n%s%s", i+1, code, header, stdout, stderr)
		}
		bodies := journal(t, srv) // newest first
		runs[i] = strings.ReplaceAll(strings.Join(bodies[:len(bodies)-seen], "\n"), "ncpmock-"+m[1]+"-", "ncpmock-RUN-")
		seen = len(bodies)
	}
	if runs[0] == "" || runs[1] != runs[0] {
		t.Error("the replay with --seed alone sent other bodies than the first run, login IDs aside")
	}
}

// journal returns the bodies of the requests srv received, newest first,
// as whole as srv's Config.JournalBodyBytes keeps them.
func journal(t *testing.T, srv *mocktest.Server) []string {
	t.Helper()
	entries := srv.Mock.Requests(mock.JournalFilter{})
	bodies := make([]string, len(entries))
	for i, e := range entries {
		if e.BodyTruncated {
			t.Fatalf("request %d's body was cut to %d of %d bytes: give the mock JournalBodyBytes: -1", e.Seq, len(e.Body), e.BodyBytes)
		}
		bodies[i] = e.Body
	}
	return bodies
}

// createdCount reads N from the summary's "created N users" of ncpmock test.
func createdCount(t *testing.T, out string) int {
	t.Helper()
	m := regexp.MustCompile(`(?m)^created (\d+) users`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no 'created N users' in %s", out)
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// TestTestCommandTargetDies: a server that stops after its third answer
// fails the cases after it, and the run still writes its reports, lists the
// users it created, tries to delete them and exits 1.
func TestTestCommandTargetDies(t *testing.T) {
	m, err := mock.New(mock.Config{})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var answered atomic.Int32
	hs := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		m.ServeHTTP(w, r)
		if answered.Add(1) == 3 {
			ln.Close() // later connections are refused
		}
	})}
	hs.SetKeepAlivesEnabled(false)
	go hs.Serve(ln)
	t.Cleanup(func() { hs.Close() })
	dir := t.TempDir()
	junit, js := filepath.Join(dir, "junit.xml"), filepath.Join(dir, "report.json")
	code, stdout, stderr := runCLI(t, "test", "--target", "http://"+ln.Addr().String(), "--cleanup", "--junit", junit, "--json", js,
		"--only", "positive/typical", "--only", "positive/boundary/requiredOnly", "--only", "negative/empty-body", "--only", "semantic")
	if code != 1 || !strings.Contains(stdout, "3 passed, 2 failed, 0 skipped") || !strings.Contains(stdout, "response_received") ||
		!strings.Contains(stdout, "NOT DELETED: ") {
		t.Fatalf("exit %d, want 1 with 2 response_received failures and a failed clean-up\n%s\n%s", code, stdout, stderr)
	}
	created := createdCount(t, stdout)
	var report struct {
		Created []struct{ ID string }
		Cleanup struct{ Failed []struct{ Reason string } }
	}
	if data, err := os.ReadFile(js); err != nil || json.Unmarshal(data, &report) != nil || len(report.Created) != created ||
		len(report.Cleanup.Failed) != created {
		t.Fatalf("JSON report: %v; %d created, %d not deleted, want %d of each", err, len(report.Created), len(report.Cleanup.Failed), created)
	}
	if data, err := os.ReadFile(junit); err != nil || !strings.Contains(string(data), `failures="2"`) {
		t.Fatalf("JUnit report: %v\n%s", err, data)
	}
}

// TestTestCommandSpec: with --spec the cases follow the edited spec (at most
// 5 users: the maxItems case sends 6, which the stock mock accepts), and a
// spec file test cannot load is a usage error, as for serve.
func TestTestCommandSpec(t *testing.T) {
	dir := t.TempDir()
	specPath := filepath.Join(dir, "spec.yaml")
	yaml := strings.Replace(string(openapi.EmbeddedYAML()), "maxItems: 100", "maxItems: 5", 1)
	if err := os.WriteFile(specPath, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	srv := mocktest.NewServer(t, mock.Config{})
	js := filepath.Join(dir, "r.json")
	code, stdout, stderr := runCLI(t, "test", "--spec", specPath, "--target", srv.URL, "--only", "negative/params/maxItems", "--json", js, "--repro-dir", dir)
	if code != 1 || !strings.Contains(stdout, "FAIL  negative/params/maxItems") {
		t.Fatalf("exit %d, want 1: the mock of the embedded spec accepts 6 users\n%s\n%s", code, stdout, stderr)
	}
	var report struct {
		Cases []struct {
			Exchanges []struct{ RequestBody string }
		}
	}
	var body openapi.BulkRequest
	if data, err := os.ReadFile(js); err != nil || json.Unmarshal(data, &report) != nil || len(report.Cases) != 1 ||
		len(report.Cases[0].Exchanges) != 1 || json.Unmarshal([]byte(report.Cases[0].Exchanges[0].RequestBody), &body) != nil {
		t.Fatalf("JSON report: %v", err)
	}
	if len(body.Params) != 6 {
		t.Errorf("the maxItems case of the edited spec sent %d users, want 6", len(body.Params))
	}
	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte("openapi: 3.0.3\ninfo: [\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ file, want string }{
		{filepath.Join(dir, "missing.yaml"), "test: --spec: load spec: open " + filepath.Join(dir, "missing.yaml")},
		{bad, "test: --spec: load spec " + bad + ": parse"},
	} {
		for _, extra := range [][]string{{"--target", srv.URL}, {"--list"}} {
			code, stdout, stderr := runCLI(t, append([]string{"test", "--spec", tc.file}, extra...)...)
			if code != 2 || stdout != "" || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, tc.want) {
				t.Errorf("%s %v: exit %d, stdout %q, stderr %q; want 2, nothing on stdout and one line with %q", tc.file, extra, code, stdout, stderr, tc.want)
			}
		}
	}
}

// TestTestCommandInterrupted: SIGINT or SIGTERM (the context main cancels)
// during a run reports the cases not run as such, not as failures, writes
// the reports and exits 130.
func TestTestCommandInterrupted(t *testing.T) {
	m, err := mock.New(mock.Config{})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancelCause(context.Background())
	defer cancel(nil)
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/api/v1/users/bulk" && n.Add(1) == 3 {
			io.Copy(io.Discard, r.Body) // so that the server sees the client go
			cancel(errors.New("terminated signal received"))
			<-r.Context().Done()
			return
		}
		m.ServeHTTP(w, r)
	}))
	defer srv.Close()
	dir := t.TempDir()
	junit, js := filepath.Join(dir, "junit.xml"), filepath.Join(dir, "report.json")
	var out, errOut bytes.Buffer
	err = run(ctx, []string{"test", "--target", srv.URL, "--junit", junit, "--json", js, "--only", "positive/typical",
		"--only", "positive/boundary/requiredOnly", "--only", "negative/empty-body", "--only", "semantic"}, noEnv, &out, &errOut)
	code := exitCode(err, &errOut)
	if code != 130 || strings.Contains(out.String(), "FAIL") || !strings.Contains(out.String(), ", 3 not run (interrupted: terminated signal received)") ||
		errOut.String() != "ncpmock: test: interrupted (terminated signal received): 3 of 5 cases not run\n" {
		t.Fatalf("exit %d, want 130\n%s\n%s", code, out.String(), errOut.String())
	}
	if data, err := os.ReadFile(junit); err != nil || !strings.Contains(string(data), `skipped="3"`) ||
		!strings.Contains(string(data), `<skipped message="not run: interrupted (terminated signal received)"></skipped>`) {
		t.Fatalf("JUnit report: %v\n%s", err, data)
	}
	if data, err := os.ReadFile(js); err != nil || !strings.Contains(string(data), `"status": "not-run"`) {
		t.Fatalf("JSON report: %v\n%s", err, data)
	}
}

// TestTestUsageErrors: each mistake on test's command line is one line on
// stderr and exit 2.
func TestTestUsageErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"NRN domain other than PUB or GOV", []string{"--target", "http://127.0.0.1:1", "--nrn-domain", "XYZ"}, `test: NRN domain "XYZ": want PUB or GOV`},
		{"no target", nil, "test: --target is required"},
		{"target without a scheme", []string{"--target", "127.0.0.1:8780"}, `test: target "127.0.0.1:8780": want an http:// or https:// URL`},
		{"bad login domain", []string{"--target", "http://127.0.0.1:1", "--login-domain", "bad dom"}, `test: login domain "bad dom"`},
		{"bad run ID", []string{"--target", "http://127.0.0.1:1", "--run-id", "UPPER"}, `test: run ID "UPPER"`},
		{"bad member number", []string{"--target", "http://127.0.0.1:1", "--member-no", "x"}, `test: member number "x"`},
		{"negative timeout", []string{"--target", "http://127.0.0.1:1", "--timeout", "-1s"}, "test: timeout -1s (--timeout): want 0 (default 10s) or more"},
		{"no case selected", []string{"--target", "http://127.0.0.1:1", "--only", "nothing"}, "test: no case matches Only and Skip (--only, --skip); --list names the cases"},
		{"extra argument", []string{"--target", "http://127.0.0.1:1", "now"}, `test: unexpected argument "now"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, append([]string{"test"}, tc.args...)...)
			if code != 2 || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, tc.want) {
				t.Errorf("exit %d, stderr %q; want 2 and one line containing %q", code, stderr, tc.want)
			}
			if stdout != "" {
				t.Errorf("stdout %q on a usage error, want nothing: the error is the one line", stdout)
			}
		})
	}
}

// TestTestCommandKeepsTheSecret: a signed run names its access key once on
// stdout, which only identifies the key pair, and not in the reports; the
// secret key appears nowhere: not on stdout or stderr, not in the JSON or
// JUnit report of a failure.
func TestTestCommandKeepsTheSecret(t *testing.T) {
	creds := apigw.Credentials{AccessKey: "AKCLI", SecretKey: "cli-secret"}
	fault, err := mock.NewFault(mock.KindContractBreak, map[string]any{"variant": "too-few"})
	if err != nil {
		t.Fatal(err)
	}
	srv := mocktest.NewServer(t, mock.Config{Faults: []mock.Rule{{Fault: fault}},
		Auth: mock.AuthConfig{Mode: mock.AuthNCP, Credentials: []apigw.Credentials{creds}}})
	env := map[string]string{"NCP_ACCESS_KEY": "AKCLI", "NCP_SECRET_KEY": "cli-secret"}
	dir := t.TempDir()
	junit, js := filepath.Join(dir, "junit.xml"), filepath.Join(dir, "report.json")
	var out, errOut bytes.Buffer
	err = run(context.Background(), []string{"test", "--target", srv.URL, "--only", "positive/typical", "--junit", junit, "--json", js},
		func(k string) string { return env[k] }, &out, &errOut)
	if code := exitCode(err, &errOut); code != 1 || strings.Count(out.String(), "AKCLI") != 1 ||
		!strings.Contains(out.String(), "signing requests with access key AKCLI (from NCP_ACCESS_KEY; the secret key is never shown)\n") {
		t.Fatalf("exit %d, want 1 (too-few) and the access key named once\n%s\n%s", code, out.String(), errOut.String())
	}
	all := out.String() + errOut.String()
	for _, file := range []string{junit, js} {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(data), "AKCLI") {
			t.Errorf("%s holds the access key", file)
		}
		all += string(data)
	}
	if !strings.Contains(all, "$(ncpmock sign --curl") || strings.Contains(all, "cli-secret") {
		t.Fatalf("the output and reports hold the secret key, or no failure to look in:\n%s", all)
	}
}

// TestTestCommandNamesTheJSONFile: the summary says where the list of
// created users is: the --json file when given, else how to get one.
func TestTestCommandNamesTheJSONFile(t *testing.T) {
	srv := mocktest.NewServer(t, mock.Config{})
	js := filepath.Join(t.TempDir(), "report.json")
	only := []string{"--only", "positive/typical"}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--json", js}, "; " + js + " lists them\n"},
		{nil, "; --json FILE lists them\n"},
	} {
		code, stdout, stderr := runCLI(t, append(append([]string{"test", "--target", srv.URL}, only...), tc.args...)...)
		if code != 0 || !strings.Contains(stdout, "created 3 users (login IDs ncpmock-") || !strings.Contains(stdout, tc.want) {
			t.Errorf("%v: exit %d, want 0 and %q\n%s\n%s", tc.args, code, tc.want, stdout, stderr)
		}
	}
}

// TestTestCommandListSelects: --list lists the cases --only and --skip
// select, the ones a run with the same flags would run.
func TestTestCommandListSelects(t *testing.T) {
	code, all, _ := runCLI(t, "test", "--list")
	code2, some, stderr := runCLI(t, "test", "--list", "--only", "negative/params", "--skip", "*/maxItems")
	if code != 0 || code2 != 0 {
		t.Fatalf("exit %d and %d: %s", code, code2, stderr)
	}
	var want []string
	for _, name := range strings.Split(strings.TrimSpace(all), "\n") {
		if strings.HasPrefix(name, "negative/params/") && !strings.HasSuffix(name, "/maxItems") {
			want = append(want, name)
		}
	}
	if got := strings.Split(strings.TrimSpace(some), "\n"); len(want) < 2 || strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("--list --only negative/params --skip '*/maxItems' listed\n%s\nwant\n%s", some, strings.Join(want, "\n"))
	}
	if code, stdout, stderr := runCLI(t, "test", "--list", "--only", "nothing"); code != 2 || stdout != "" || !strings.Contains(stderr, "no case matches") {
		t.Errorf("--list --only nothing: exit %d, stdout %q, stderr %q; want 2 and 'no case matches'", code, stdout, stderr)
	}
}

// TestTestCommandChecksReportPaths: a --junit or --json file that cannot be
// written, or "-", stops test before it sends anything, and the check
// leaves no file behind.
func TestTestCommandChecksReportPaths(t *testing.T) {
	srv := mocktest.NewServer(t, mock.Config{})
	dir := t.TempDir()
	missing := filepath.Join(dir, "no-such-dir", "r.json")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--json", missing}, "test: --json: open " + missing + ": no such file or directory"},
		{[]string{"--junit", dir}, "test: --junit: open " + dir + ": is a directory"},
		{[]string{"--json", "-"}, "test: --json -: give a file name; stdout carries the progress"},
		{[]string{"--junit", "-"}, "test: --junit -: give a file name; stdout carries the progress"},
		// A good path beside a bad one is not left behind, empty.
		{[]string{"--junit", filepath.Join(dir, "ok.xml"), "--json", missing}, "test: --json: open " + missing},
	} {
		code, stdout, stderr := runCLI(t, append([]string{"test", "--target", srv.URL}, tc.args...)...)
		if code != 2 || stdout != "" || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, tc.want) {
			t.Errorf("%v: exit %d, stdout %.100q, stderr %q; want 2, nothing on stdout, one line with %q", tc.args, code, stdout, stderr, tc.want)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("the checks left %v in %s", entries, dir)
	}
	if n := storedCount(t, srv); n != 0 {
		t.Errorf("the mock holds %d users: a run started before its report paths were checked", n)
	}
}

// storedCount returns how many users the mock holds.
func storedCount(t *testing.T, srv *mocktest.Server) int {
	t.Helper()
	resp, err := srv.Client().Get(srv.URL + mock.PathAdminUsers)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var stored struct{ Count int }
	if err := json.NewDecoder(resp.Body).Decode(&stored); err != nil {
		t.Fatal(err)
	}
	return stored.Count
}

// TestTestCommandReproDir: --repro-dir keeps the bodies that curl commands
// read in a directory of the user's choosing, made if need be; one that
// cannot be made is a usage error before the run.
func TestTestCommandReproDir(t *testing.T) {
	accept := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`[]`))
	}))
	defer accept.Close()
	dir := filepath.Join(t.TempDir(), "repro")
	code, stdout, stderr := runCLI(t, "test", "--target", accept.URL, "--only", "negative/params/maxItems", "--repro-dir", dir)
	file := filepath.Join(dir, "negative_params_maxItems.1.json")
	if code != 1 || !strings.Contains(stdout, "--data-binary @'"+file+"'") {
		t.Fatalf("exit %d, want 1 and a curl command reading %s\n%s\n%s", code, file, stdout, stderr)
	}
	if data, err := os.ReadFile(file); err != nil || !json.Valid(data) {
		t.Fatalf("repro file: %v", err)
	}
	notDir := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(notDir, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr = runCLI(t, "test", "--target", accept.URL, "--repro-dir", filepath.Join(notDir, "repro"))
	if code != 2 || stdout != "" || !strings.Contains(stderr, "test: --repro-dir: mkdir "+notDir+": not a directory") {
		t.Errorf("--repro-dir under a file: exit %d, stdout %.100q, stderr %q; want 2 and nothing on stdout", code, stdout, stderr)
	}
}
