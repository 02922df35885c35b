package main

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ncpmock/ncpmock/apigw"
	"github.com/ncpmock/ncpmock/openapi"
)

// postBulk sends oneUserBody, signed with c unless c is empty, and returns
// the status and body.
func postBulk(t *testing.T, url string, c apigw.Credentials) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url+"/api/v1/users/bulk", strings.NewReader(oneUserBody))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if c.AccessKey != "" {
		(&apigw.Signer{Credentials: c}).Sign(req)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(data)
}

func writeKeysFile(t *testing.T, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "keys")
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestServeAuthSources starts the server with keys from each source and
// checks that those keys, and no others, pass.
func TestServeAuthSources(t *testing.T) {
	one := apigw.Credentials{AccessKey: "AKONE", SecretKey: "secret-one"}
	two := apigw.Credentials{AccessKey: "AKTWO", SecretKey: "secret-two"}
	file := writeKeysFile(t, "# keys of the team\nAKONE secret-one\nAKTWO\tsecret-two\n")
	tests := []struct {
		name   string
		env    map[string]string
		args   []string
		accept []apigw.Credentials
		refuse []apigw.Credentials
	}{
		{"flags", nil, []string{"--access-key", "AKONE", "--secret-key", "secret-one"},
			[]apigw.Credentials{one}, []apigw.Credentials{two, {}}},
		{"file", nil, []string{"--credentials", file},
			[]apigw.Credentials{one, two}, []apigw.Credentials{{AccessKey: "AKONE", SecretKey: "secret-two"}, {}}},
		{"environment", map[string]string{apigw.EnvAccessKey: "AKTWO", apigw.EnvSecretKey: "secret-two"}, nil,
			[]apigw.Credentials{two}, []apigw.Credentials{one, {}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := startServe(t, tc.env, append([]string{"--auth", "ncp", "--log-format", "none"}, tc.args...)...)
			for _, c := range tc.accept {
				if status, body := postBulk(t, r.url, c); status != http.StatusOK {
					t.Errorf("%s: got %d %s, want 200", c.AccessKey, status, body)
				}
			}
			for _, c := range tc.refuse {
				if status, body := postBulk(t, r.url, c); status != http.StatusUnauthorized {
					t.Errorf("%v: got %d %s, want 401", c, status, body)
				}
			}
		})
	}
}

func TestServeAuthUsageErrors(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{"ncp without keys", nil, []string{"--auth", "ncp"}, "NCP_ACCESS_KEY and NCP_SECRET_KEY"},
		{"keys without ncp", nil, []string{"--access-key", "A", "--secret-key", "S"}, "need --auth ncp"},
		{"access key alone", nil, []string{"--auth", "ncp", "--access-key", "A"}, "go together"},
		{"unknown mode", nil, []string{"--auth", "basic"}, `--auth "basic"`},
		{"missing file", nil, []string{"--auth", "ncp", "--credentials", "/nonexistent/keys"}, "no such file"},
		{"bad file", nil, []string{"--auth", "ncp", "--credentials", writeKeysFile(t, "AK SK\nONLYSECRETVALUE\n")}, "line 2"},
		{"negative limit", nil, []string{"--max-conns", "-1"}, "max conns"},
		{"zero shutdown", nil, []string{"--shutdown-timeout", "0s"}, "--shutdown-timeout"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr strings.Builder
			args := append([]string{"serve", "--addr", "127.0.0.1:0"}, tc.args...)
			err := run(t.Context(), args, func(k string) string { return tc.env[k] }, &stdout, &stderr)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want an error containing %q", err, tc.want)
			}
			if strings.Contains(err.Error(), "ONLYSECRETVALUE") {
				t.Errorf("error %q reveals a secret", err)
			}
			if stdout.Len() > 0 {
				t.Errorf("the server started: %q", stdout.String())
			}
		})
	}
}

// TestServeLimitFlags checks that each limit flag reaches the server that
// run starts.
func TestServeLimitFlags(t *testing.T) {
	t.Run("max-header-bytes", func(t *testing.T) {
		r := startServe(t, nil, "--log-format", "none", "--max-header-bytes", "1024")
		req, err := http.NewRequest(http.MethodGet, r.url+"/healthz", nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("X-Padding", strings.Repeat("p", 8<<10))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
			t.Errorf("got %d, want 431", resp.StatusCode)
		}
	})
	t.Run("max-body-bytes", func(t *testing.T) {
		r := startServe(t, nil, "--log-format", "none", "--max-body-bytes", "10")
		status, body := postBulk(t, r.url, apigw.Credentials{})
		var e openapi.GatewayError
		if err := json.Unmarshal([]byte(body), &e); err != nil || status != http.StatusRequestEntityTooLarge || e.Error.ErrorCode != "430" {
			t.Errorf("got %d %s, want 413 code 430", status, body)
		}
	})
	t.Run("read-header-timeout", func(t *testing.T) {
		r := startServe(t, nil, "--log-format", "none", "--read-header-timeout", "100ms")
		c := dialTest(t, hostOf(t, r.url))
		if _, err := io.WriteString(c, "GET /healthz HTTP/1.1\r\n"); err != nil { // and no more
			t.Fatal(err)
		}
		data, err := io.ReadAll(c)
		if isTimeout(err) || strings.HasPrefix(string(data), "HTTP/1.1 200") {
			t.Errorf("got (%q, %v), want the connection closed", data, err)
		}
	})
	t.Run("idle-timeout", func(t *testing.T) {
		r := startServe(t, nil, "--log-format", "none", "--idle-timeout", "100ms")
		c := dialTest(t, hostOf(t, r.url))
		if _, err := io.WriteString(c, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"); err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(c) // ends when the server closes the idle connection
		if err != nil || !strings.HasPrefix(string(data), "HTTP/1.1 200") {
			t.Errorf("got (%q, %v), want an answer, then the connection closed", data, err)
		}
	})
}

// TestServeKeepsSecretsOutOfOutput sends signed, mis-signed and unsigned
// requests and then looks for the secret keys and every signature sent in
// all that the server printed and answered.
func TestServeKeepsSecretsOutOfOutput(t *testing.T) {
	good := apigw.Credentials{AccessKey: "AKGOOD", SecretKey: "s3cr3t-good-key-value"}
	file := writeKeysFile(t, "AKGOOD s3cr3t-good-key-value\nAKFILE s3cr3t-file-key-value\n")
	for _, format := range []string{"text", "json"} {
		t.Run(format, func(t *testing.T) {
			r := startServe(t, nil, "--auth", "ncp", "--credentials", file, "--access-key", "AKFLAG",
				"--secret-key", "s3cr3t-flag-key-value", "--log-format", format)
			var answers []string
			var signatures []string
			send := func(c apigw.Credentials, body string, edit func(h http.Header)) {
				req, err := http.NewRequest(http.MethodPost, r.url+"/api/v1/users/bulk", strings.NewReader(body))
				if err != nil {
					t.Fatal(err)
				}
				req.Header.Set("Content-Type", "application/json")
				(&apigw.Signer{Credentials: c, Now: func() time.Time { return time.Now() }}).Sign(req)
				edit(req.Header)
				signatures = append(signatures, req.Header.Get(apigw.HeaderSignature))
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				data, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				answers = append(answers, resp.Status+" "+string(data))
			}
			keep := func(http.Header) {}
			send(good, oneUserBody, keep)
			send(good, `{"params":[{"loginId":"bad"}]}`, keep)
			send(apigw.Credentials{AccessKey: "AKGOOD", SecretKey: "s3cr3t-file-key-value"}, oneUserBody, keep)
			send(apigw.Credentials{AccessKey: "AKNOBODY", SecretKey: "s3cr3t-unknown-key"}, oneUserBody, keep)
			send(good, oneUserBody, func(h http.Header) { h.Set(apigw.HeaderTimestamp, "1") })
			send(good, oneUserBody, func(h http.Header) { h.Del(apigw.HeaderTimestamp) })
			r.cancel()
			if err := r.wait(t); err != nil {
				t.Fatal(err)
			}
			var stdout strings.Builder
			for line := range r.lines {
				stdout.WriteString(line + "\n")
			}
			all := stdout.String() + r.stderr.String() + strings.Join(answers, "\n")
			if !strings.Contains(r.stderr.String(), "AKGOOD") || !strings.Contains(r.stderr.String(), "401") {
				t.Fatalf("the access log does not show the requests:\n%s", r.stderr.String())
			}
			secrets := append([]string{"s3cr3t"}, signatures...)
			for _, s := range secrets {
				if s != "" && strings.Contains(all, s) {
					t.Errorf("output reveals %q:\n%s", s, all)
				}
			}
		})
	}
}

func TestServeUsageErrorHidesSecret(t *testing.T) {
	var stdout strings.Builder
	err := run(t.Context(), []string{"serve", "--addr", "127.0.0.1:0", "--auth", "ncp", "--secret-key", "s3cr3t"},
		func(string) string { return "" }, &stdout, io.Discard)
	var ue *usageError
	if !errors.As(err, &ue) || strings.Contains(err.Error(), "s3cr3t") {
		t.Errorf("got %v, want a usage error without the secret", err)
	}
}
