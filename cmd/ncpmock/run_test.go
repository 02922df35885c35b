package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ncpmock/ncpmock/openapi"
)

func noEnv(string) string { return "" }

// runCLI runs the CLI to completion and returns its exit code and output.
func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(context.Background(), args, noEnv, &out, &errOut)
	code = exitCode(err, &errOut)
	return code, out.String(), errOut.String()
}

func TestUsageErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no command", nil, "no command given"},
		{"unknown command", []string{"serv"}, `unknown command "serv"`},
		{"unknown flag", []string{"serve", "--port", "1"}, "serve: flag provided but not defined: -port (see 'ncpmock help serve')"},
		{"bad seed", []string{"serve", "--seed", "-3"}, `invalid value "-3" for flag -seed: want a non-negative integer`},
		{"bad log format", []string{"serve", "--log-format", "xml"}, `serve: --log-format "xml": want text, json or none`},
		{"bad member number", []string{"serve", "--member-no", "abc"}, `serve: member number "abc"`},
		{"address without a port", []string{"serve", "--addr", "nonsense"}, `serve: --addr "nonsense": want host:port`},
		{"port out of range", []string{"serve", "--addr", "127.0.0.1:99999"}, `port "99999": want 0 to 65535`},
		{"missing spec", []string{"serve", "--spec", "/nonexistent/spec.yaml"}, "serve: --spec: load spec: open /nonexistent/spec.yaml"},
		{"missing faults file", []string{"serve", "--faults", "/nonexistent/faults.yaml"}, "serve: --faults: open /nonexistent/faults.yaml"},
		{"token with the admin API off", []string{"serve", "--no-admin", "--admin-token", "t"}, "serve: --admin-token and --no-admin"},
		{"token of spaces", []string{"serve", "--admin-token", " "}, "no client could send it"},
		{"token with a space at the end", []string{"serve", "--admin-token", "tok "}, "no client could send it"},
		{"token with a tab", []string{"serve", "--admin-token", "to	k"}, "control character"},
		{"missing credentials", []string{"serve", "--auth", "ncp", "--credentials", "/nonexistent/keys"}, "serve: --credentials: open /nonexistent/keys"},
		{"bad body limit", []string{"serve", "--max-body-bytes", "0"}, "--max-body-bytes 0: want a positive number"},
		{"bad user limit", []string{"serve", "--max-users", "-5"}, "--max-users -5: want 0 (no limit) or more"},
		{"bad journal body", []string{"serve", "--journal-body-bytes", "0"}, "--journal-body-bytes 0: want 1 or more"},
		{"extra argument", []string{"serve", "now"}, `serve: unexpected argument "now"`},
		{"bad spec format", []string{"spec", "--format", "xml"}, `spec: --format "xml": want yaml or json`},
		{"help for nothing", []string{"help", "nothing"}, `help: unknown command "nothing"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := runCLI(t, tc.args...)
			if code != 2 {
				t.Errorf("exit code %d, want 2", code)
			}
			if strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, tc.want) {
				t.Errorf("stderr %q, want one line containing %q", stderr, tc.want)
			}
		})
	}
}

func TestHelpAndVersion(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"--help"}, "Commands:\n  serve "},
		{[]string{"help"}, "Commands:\n  serve "},
		{[]string{"help", "serve"}, "Usage: ncpmock serve [flags]"},
		{[]string{"serve", "--help"}, "\n  --strict\n"},
		{[]string{"help", "serve"}, "\n  --addr host:port\n    \thost:port to listen on (port 0 picks a free port) (default \"127.0.0.1:8780\")\n"},
		{[]string{"help", "gen"}, "\n  --users M\n"},
		// A zero duration is no default to print: "(default: no limit)" says it.
		{[]string{"help", "test"}, "fail answers slower than this (default: no limit)\n"},
		// The environment variables a command reads are in its help.
		{[]string{"help", "test"}, "\nEnvironment:\n  NCP_ACCESS_KEY\n    \taccess key of the pair that signs every request"},
		{[]string{"help", "sign"}, "\nEnvironment:\n  NCP_ACCESS_KEY\n"},
		{[]string{"help", "serve"}, "\n  NCPMOCK_ADMIN_TOKEN\n    \ttoken of the admin API"},
		{[]string{"--version"}, "ncpmock "},
	}
	for _, tc := range tests {
		code, stdout, stderr := runCLI(t, tc.args...)
		if code != 0 || !strings.Contains(stdout, tc.want) || stderr != "" {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want 0 and %q", tc.args, code, stdout, stderr, tc.want)
		}
	}
}

func TestSpecCommand(t *testing.T) {
	code, stdout, _ := runCLI(t, "spec")
	if code != 0 || stdout != string(openapi.EmbeddedYAML()) {
		t.Fatalf("spec: exit %d; output is not the embedded spec", code)
	}
	code, stdout, _ = runCLI(t, "spec", "--format", "json")
	if _, err := openapi.Load([]byte(stdout)); code != 0 || err != nil || !json.Valid([]byte(stdout)) {
		t.Fatalf("spec --format json: exit %d, loads with %v", code, err)
	}
}

func TestServeAnswersAndStopsCleanly(t *testing.T) {
	srv := startServe(t, nil, "--seed", "5", "--member-no", "999")
	url := srv.url
	resp, err := http.Post(url+"/api/v1/users/bulk", "application/json",
		strings.NewReader(`{"params":[{"loginId":"a@b.co","accessRules":{"consoleAccessAllowed":true,"apiAccessAllowed":true}}]}`))
	if err != nil {
		t.Fatal(err)
	}
	var results []openapi.UserResult
	err = json.NewDecoder(resp.Body).Decode(&results)
	resp.Body.Close()
	if err != nil || len(results) != 1 || !strings.HasPrefix(results[0].NRN, "nrn:PUB:SSO::999:User/") {
		t.Fatalf("got %+v (%v)", results, err)
	}
	srv.cancel()
	if err := srv.wait(t); err != nil {
		t.Fatalf("run returned %v after cancel, want nil", err)
	}
	if _, err := http.Get(url + "/healthz"); err == nil {
		t.Fatal("server still answers after stop")
	}
}

func TestServeSeedIsPrintedAndReplays(t *testing.T) {
	first := func(args ...string) string {
		url := startServe(t, nil, args...).url
		resp, err := http.Post(url+"/users/bulk", "application/json",
			strings.NewReader(`{"params":[{"loginId":"a@b.co","accessRules":{"consoleAccessAllowed":true,"apiAccessAllowed":true}}]}`))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var results []openapi.UserResult
		if err := json.NewDecoder(resp.Body).Decode(&results); err != nil {
			t.Fatal(err)
		}
		return results[0].ID
	}
	var out bytes.Buffer
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // serve prints its banner, then returns at once
	if err := run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--log-format", "none"}, noEnv, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	var seed string
	if _, after, ok := strings.Cut(out.String(), "replay with --seed "); ok {
		seed, _, _ = strings.Cut(after, ")")
	}
	if seed == "" {
		t.Fatalf("no seed in %q", out.String())
	}
	if a, b := first("--seed", seed), first("--seed", seed); a != b {
		t.Fatalf("--seed %s gave ids %s and %s", seed, a, b)
	}
}

func TestServeSpecFile(t *testing.T) {
	dir := t.TempDir()
	edited := strings.Replace(string(openapi.EmbeddedYAML()), "maxItems: 100", "maxItems: 1", 1)
	path := filepath.Join(dir, "spec.yaml")
	if err := os.WriteFile(path, []byte(edited), 0o600); err != nil {
		t.Fatal(err)
	}
	url := startServe(t, nil, "--spec", path).url
	two := `{"params":[` + strings.Repeat(`{"loginId":"a@b.co","accessRules":{"consoleAccessAllowed":true,"apiAccessAllowed":true}},`, 2)
	resp, err := http.Post(url+"/api/v1/users/bulk", "application/json", strings.NewReader(strings.TrimSuffix(two, ",")+"]}"))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 400 || !strings.Contains(string(body), "must have at most 1 item, got 2") {
		t.Fatalf("got %d %s, want the edited limit enforced", resp.StatusCode, body)
	}

	code, _, stderr := runCLI(t, "serve", "--spec", filepath.Join(dir, "missing.yaml"))
	if code != 2 || !strings.Contains(stderr, "missing.yaml") { // a bad value on the command line
		t.Fatalf("missing spec: exit %d, %q", code, stderr)
	}
}

func TestServeAddressInUse(t *testing.T) {
	url := startServe(t, nil).url
	addr := strings.TrimPrefix(url, "http://")
	done := make(chan int, 1)
	go func() {
		code, _, _ := runCLI(t, "serve", "--addr", addr, "--log-format", "none")
		done <- code
	}()
	select {
	case code := <-done:
		if code != 1 {
			t.Fatalf("exit %d, want 1", code)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve on a busy address did not fail")
	}
}
