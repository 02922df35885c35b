package main

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ncpmock/ncpmock/apigw"
)

var vectorEnv = map[string]string{apigw.EnvAccessKey: "TESTACCESSKEY", apigw.EnvSecretKey: "TESTSECRETKEY"}

func runSign(t *testing.T, env map[string]string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errOut strings.Builder
	err = run(t.Context(), append([]string{"sign"}, args...), func(k string) string { return env[k] }, &out, &errOut)
	if all := out.String() + errOut.String(); env[apigw.EnvSecretKey] != "" && strings.Contains(all, env[apigw.EnvSecretKey]) {
		t.Errorf("sign printed the secret key:\n%s", all)
	}
	return out.String(), errOut.String(), err
}

func TestSignOutputs(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"headers", []string{"--timestamp", "1700000000000"},
			"x-ncp-apigw-timestamp: 1700000000000\n" +
				"x-ncp-iam-access-key: TESTACCESSKEY\n" +
				"x-ncp-apigw-signature-v2: Iba57zWVRa9c6OKOiNiAt0myj0yQmj47moyZrHN8Aec=\n"},
		{"curl options", []string{"--timestamp", "1700000000000", "--curl"},
			"-H x-ncp-apigw-timestamp:1700000000000 -H x-ncp-iam-access-key:TESTACCESSKEY " +
				"-H x-ncp-apigw-signature-v2:Iba57zWVRa9c6OKOiNiAt0myj0yQmj47moyZrHN8Aec=\n"},
		{"curl command for a URL", []string{"--timestamp", "1700000000000", "--curl", "--uri", "https://sso.apigw.ntruss.com/api/v1/users/bulk"},
			"curl -X POST -H x-ncp-apigw-timestamp:1700000000000 -H x-ncp-iam-access-key:TESTACCESSKEY " +
				"-H x-ncp-apigw-signature-v2:Iba57zWVRa9c6OKOiNiAt0myj0yQmj47moyZrHN8Aec= https://sso.apigw.ntruss.com/api/v1/users/bulk\n"},
		// $(...) splits words and removes no quotes: a quoted URL would
		// reach curl with its quotes.
		{"query is signed and left bare for $(...)", []string{"--timestamp", "1700000000000", "--curl", "--method", "GET",
			"--uri", "http://127.0.0.1:8780/api/v1/users?page=0&size=20"},
			"curl -H x-ncp-apigw-timestamp:1700000000000 -H x-ncp-iam-access-key:TESTACCESSKEY -H x-ncp-apigw-signature-v2:" +
				apigw.Sign("TESTSECRETKEY", "GET", "/api/v1/users?page=0&size=20", "1700000000000", "TESTACCESSKEY") +
				" http://127.0.0.1:8780/api/v1/users?page=0&size=20\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			stdout, stderr, err := runSign(t, vectorEnv, tc.args...)
			if err != nil {
				t.Fatal(err)
			}
			if stdout != tc.want {
				t.Errorf("got\n%s\nwant\n%s", stdout, tc.want)
			}
			if !strings.Contains(stderr, "TESTACCESSKEY") {
				t.Errorf("stderr %q does not say which key signed", stderr)
			}
		})
	}
}

// TestSignNowVerifies signs at the current time and checks the headers with
// the verifier the mock uses.
func TestSignNowVerifies(t *testing.T) {
	before := time.Now()
	stdout, _, err := runSign(t, vectorEnv, "--method", "DELETE", "--uri", "/api/v1/users/abc")
	if err != nil {
		t.Fatal(err)
	}
	h := http.Header{}
	for _, line := range strings.Split(strings.TrimSpace(stdout), "\n") {
		name, value, ok := strings.Cut(line, ": ")
		if !ok {
			t.Fatalf("line %q is not a header", line)
		}
		h.Set(name, value)
	}
	ms, err := strconv.ParseInt(h.Get(apigw.HeaderTimestamp), 10, 64)
	if err != nil || ms < before.UnixMilli() {
		t.Errorf("timestamp %q is not now", h.Get(apigw.HeaderTimestamp))
	}
	v, err := apigw.NewVerifier(apigw.VerifierConfig{Credentials: []apigw.Credentials{{
		AccessKey: vectorEnv[apigw.EnvAccessKey], SecretKey: vectorEnv[apigw.EnvSecretKey]}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := v.VerifyHeaders("DELETE", "/api/v1/users/abc", h); err != nil {
		t.Errorf("verify: %v", err)
	}
}

func TestSignUsageErrors(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{"no keys", nil, nil, "set NCP_ACCESS_KEY and NCP_SECRET_KEY"},
		{"no secret", map[string]string{apigw.EnvAccessKey: "AK"}, nil, "set NCP_SECRET_KEY"},
		{"relative uri", vectorEnv, []string{"--uri", "api/v1/users/bulk"}, "want a path starting with /"},
		{"lower-case method", vectorEnv, []string{"--method", "post"}, "upper-case"},
		{"bad timestamp", vectorEnv, []string{"--timestamp", "yesterday"}, "--timestamp"},
		{"argument", vectorEnv, []string{"extra"}, "unexpected argument"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			stdout, _, err := runSign(t, tc.env, tc.args...)
			var ue *usageError
			if !errors.As(err, &ue) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want a usage error containing %q", err, tc.want)
			}
			if stdout != "" {
				t.Errorf("printed %q on error", stdout)
			}
		})
	}
}
