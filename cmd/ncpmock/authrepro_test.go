package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ncpmock/ncpmock/apigw"
	"github.com/ncpmock/ncpmock/mock"
)

// TestAuthReproCommandsReproduce runs the auth cases against a mock with
// --auth ncp whose 401s are turned into 403s, so that they fail, then runs
// each failure's reproduce command in a shell, with ncpmock on its PATH:
// the mock's answer says the command sent what the case sent (no signature
// headers, a wrong secret key, a stale timestamp), at the time it ran.
func TestAuthReproCommandsReproduce(t *testing.T) {
	for _, tool := range []string{"sh", "curl"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("needs %s to run the commands: %v", tool, err)
		}
	}
	creds := apigw.Credentials{AccessKey: "AKREPRO", SecretKey: "repro-secret"}
	m, err := mock.New(mock.Config{Auth: mock.AuthConfig{Mode: mock.AuthNCP, Credentials: []apigw.Credentials{creds}}})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		m.ServeHTTP(rec, r)
		if rec.Code == http.StatusUnauthorized {
			rec.Code = http.StatusForbidden
		}
		w.WriteHeader(rec.Code)
		_, _ = w.Write(rec.Body.Bytes())
	}))
	defer srv.Close()
	env := map[string]string{apigw.EnvAccessKey: creds.AccessKey, apigw.EnvSecretKey: creds.SecretKey}
	dir := t.TempDir()
	js := filepath.Join(dir, "report.json")
	var out, errOut bytes.Buffer
	err = run(context.Background(), []string{"test", "--target", srv.URL, "--only", "auth", "--json", js}, func(k string) string { return env[k] }, &out, &errOut)
	if code := exitCode(err, &errOut); code != 1 {
		t.Fatalf("exit %d, want 1\n%s%s", code, out.String(), errOut.String())
	}
	data, err := os.ReadFile(js)
	if err != nil {
		t.Fatal(err)
	}
	var report struct {
		Cases []struct {
			Name     string
			Failures []struct{ Check, Curl string }
		}
	}
	if err := json.Unmarshal(data, &report); err != nil {
		t.Fatal(err)
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	bin := t.TempDir()
	script := "#!/bin/sh\n" + envRunAsCLI + "=1 exec '" + exe + "' \"$@\"\n"
	if err := os.WriteFile(filepath.Join(bin, "ncpmock"), []byte(script), 0o700); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"auth/unsigned":        "Authentication information are missing. ncpmock: missing header x-ncp-apigw-timestamp, x-ncp-iam-access-key, x-ncp-apigw-signature-v2",
		"auth/wrong-signature": `Invalid authentication information. ncpmock: x-ncp-apigw-signature-v2 does not match`,
		"auth/stale-timestamp": "behind the server's clock",
	}
	if len(report.Cases) != len(want) {
		t.Fatalf("got %d cases, want %d", len(report.Cases), len(want))
	}
	for _, c := range report.Cases {
		if len(c.Failures) == 0 || c.Failures[0].Curl == "" {
			t.Fatalf("case %s: no failure with a command: %+v", c.Name, c.Failures)
		}
		cmd := exec.CommandContext(t.Context(), "sh", "-c", c.Failures[0].Curl)
		cmd.Env = append(os.Environ(), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"),
			apigw.EnvAccessKey+"="+creds.AccessKey, apigw.EnvSecretKey+"="+creds.SecretKey)
		got, err := cmd.Output()
		if err != nil || !strings.Contains(string(got), want[c.Name]) {
			t.Errorf("case %s: %s\nanswered %s (%v), want %q", c.Name, c.Failures[0].Curl, got, err, want[c.Name])
		}
	}
}
