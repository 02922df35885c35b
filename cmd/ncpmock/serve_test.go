package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ncpmock/ncpmock/apigw"
	"github.com/ncpmock/ncpmock/mock"
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
	t.Run("journal-body-bytes", func(t *testing.T) {
		for _, tc := range []struct {
			flag string
			kept int // of the body's len(body) bytes; 0 for all
		}{{"20", 20}, {"1048577", 0}} {
			r := startServe(t, nil, "--log-format", "none", "--journal-body-bytes", tc.flag)
			body := `{"params":[{"loginId":"whole@example.com","accessRules":{"consoleAccessAllowed":true,"apiAccessAllowed":false}}]}` + strings.Repeat(" ", 5000)
			if tc.kept == 0 {
				tc.kept = len(body)
			}
			resp, err := http.Post(r.url+"/api/v1/users/bulk", "application/json", strings.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			var j struct {
				Requests []mock.JournalEntry `json:"requests"`
			}
			jr, err := http.Get(r.url + "/__admin/requests")
			if err != nil {
				t.Fatal(err)
			}
			err = json.NewDecoder(jr.Body).Decode(&j)
			jr.Body.Close()
			if err != nil {
				t.Fatal(err)
			}
			if len(j.Requests) != 1 || j.Requests[0].Body != body[:tc.kept] || j.Requests[0].BodyBytes != len(body) {
				t.Errorf("--journal-body-bytes %s: got %+v, want the first %d of %d bytes", tc.flag, j.Requests, tc.kept, len(body))
			}
		}
	})
	t.Run("max-users", func(t *testing.T) {
		for _, tc := range []struct {
			limit            string
			users, forgotten int
		}{{"2", 2, 1}, {"0", 3, 0}} {
			r := startServe(t, nil, "--log-format", "none", "--max-users", tc.limit)
			for i := range 3 {
				body := fmt.Sprintf(`{"params":[{"loginId":"user%d@example.com","accessRules":{"consoleAccessAllowed":true,"apiAccessAllowed":false}}]}`, i)
				resp, err := http.Post(r.url+"/api/v1/users/bulk", "application/json", strings.NewReader(body))
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					t.Fatalf("--max-users %s: create user %d: %d", tc.limit, i, resp.StatusCode)
				}
			}
			resp, err := http.Get(r.url + "/__admin/stats")
			if err != nil {
				t.Fatal(err)
			}
			var st struct {
				Users          int    `json:"users"`
				UsersForgotten uint64 `json:"usersForgotten"`
			}
			err = json.NewDecoder(resp.Body).Decode(&st)
			resp.Body.Close()
			if err != nil || st.Users != tc.users || st.UsersForgotten != uint64(tc.forgotten) {
				t.Errorf("--max-users %s after 3 users: got (%d users, %d forgotten, %v), want (%d, %d)",
					tc.limit, st.Users, st.UsersForgotten, err, tc.users, tc.forgotten)
			}
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
// requests, some carrying the admin token, and admin requests with the right
// and wrong tokens; then it reads the journal (GET /__admin/requests) and
// looks for the secret keys, the admin token, the wrong tokens and every
// signature sent in all that the server printed and answered, the journal
// included.
func TestServeKeepsSecretsOutOfOutput(t *testing.T) {
	const adminToken = "s3cr3t-admin-token-value"
	good := apigw.Credentials{AccessKey: "AKGOOD", SecretKey: "s3cr3t-good-key-value"}
	file := writeKeysFile(t, "AKGOOD s3cr3t-good-key-value\nAKFILE s3cr3t-file-key-value\n")
	for _, format := range []string{"text", "json"} {
		t.Run(format, func(t *testing.T) {
			r := startServe(t, map[string]string{envAdminToken: adminToken}, "--auth", "ncp", "--credentials", file,
				"--access-key", "AKFLAG", "--secret-key", "s3cr3t-flag-key-value", "--log-format", format)
			var answers, signatures []string
			do := func(req *http.Request) string {
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				defer resp.Body.Close()
				data, _ := io.ReadAll(resp.Body)
				answers = append(answers, resp.Status+" "+fmt.Sprint(resp.Header)+" "+string(data))
				return string(data)
			}
			send := func(c apigw.Credentials, body string, edit func(h http.Header)) {
				req, err := http.NewRequest(http.MethodPost, r.url+"/api/v1/users/bulk", strings.NewReader(body))
				if err != nil {
					t.Fatal(err)
				}
				req.Header.Set("Content-Type", "application/json")
				(&apigw.Signer{Credentials: c, Now: func() time.Time { return time.Now() }}).Sign(req)
				edit(req.Header)
				signatures = append(signatures, req.Header.Get(apigw.HeaderSignature))
				do(req)
			}
			admin := func(path string, header ...string) string {
				req, err := http.NewRequest(http.MethodGet, r.url+path, nil)
				if err != nil {
					t.Fatal(err)
				}
				for i := 0; i+1 < len(header); i += 2 {
					req.Header.Set(header[i], header[i+1])
				}
				return do(req)
			}
			keep := func(http.Header) {}
			send(good, oneUserBody, keep)
			send(good, `{"params":[{"loginId":"bad"}]}`, keep)
			send(apigw.Credentials{AccessKey: "AKGOOD", SecretKey: "s3cr3t-file-key-value"}, oneUserBody, keep)
			send(apigw.Credentials{AccessKey: "AKNOBODY", SecretKey: "s3cr3t-unknown-key"}, oneUserBody, keep)
			send(good, oneUserBody, func(h http.Header) { h.Set(apigw.HeaderTimestamp, "1") })
			send(good, oneUserBody, func(h http.Header) { h.Del(apigw.HeaderTimestamp) })
			send(good, oneUserBody, func(h http.Header) { h.Set("X-Ncpmock-Admin-Token", adminToken) })
			send(good, oneUserBody, func(h http.Header) { h.Set("Authorization", "Bearer "+adminToken) })
			admin("/__admin/faults", "X-Ncpmock-Admin-Token", "s3cr3t-wrong-admin-token")
			admin("/__admin/faults", "Authorization", "Bearer s3cr3t-wrong-bearer-token")
			admin("/__admin/faults", "Authorization", "s3cr3t-not-even-bearer")
			journal := admin("/__admin/requests", "Authorization", "Bearer "+adminToken)
			if n := strings.Count(journal, `"method":"POST"`); n != len(signatures) || !strings.Contains(journal, `"X-Ncp-Apigw-Signature-V2":"[REDACTED]"`) ||
				!strings.Contains(journal, `"X-Ncpmock-Admin-Token":"[REDACTED]"`) {
				t.Fatalf("the journal does not hold the %d requests sent, with secrets redacted (%d found):\n%s", len(signatures), n, journal)
			}
			r.cancel()
			if err := r.wait(t); err != nil {
				t.Fatal(err)
			}
			var stdout strings.Builder
			for line := range r.lines {
				stdout.WriteString(line + "\n")
			}
			all := stdout.String() + r.stderr.String() + strings.Join(answers, "\n")
			if !strings.Contains(r.stderr.String(), "AKGOOD") || !strings.Contains(r.stderr.String(), "401") ||
				!strings.Contains(r.stderr.String(), "/__admin/requests") {
				t.Fatalf("the access log does not show the requests:\n%s", r.stderr.String())
			}
			for _, s := range append([]string{"s3cr3t"}, signatures...) {
				if s != "" && strings.Contains(all, s) {
					t.Errorf("output reveals %q:\n%s", s, all)
				}
			}
		})
	}
}

func TestServeUsageErrorHidesSecret(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		args []string
	}{
		{"secret key", nil, []string{"--auth", "ncp", "--secret-key", "s3cr3t"}},
		{"admin token flag", nil, []string{"--admin-token", "s3cr3t", "--max-body-bytes", "-1"}},
		{"admin token env", map[string]string{envAdminToken: "s3cr3t"}, []string{"--journal-size", "-1"}},
		{"admin token off loopback", nil, []string{"--admin-token", "s3cr3t", "--addr", "192.0.2.1:0"}},
	}
	for _, tc := range tests {
		var stdout, stderr strings.Builder
		args := append([]string{"serve", "--addr", "127.0.0.1:0"}, tc.args...)
		err := run(t.Context(), args, mapEnv(tc.env), &stdout, &stderr)
		if err == nil || strings.Contains(err.Error()+stdout.String()+stderr.String(), "s3cr3t") {
			t.Errorf("%s: got %v (stdout %q, stderr %q), want an error without the secret", tc.name, err, stdout.String(), stderr.String())
		}
	}
}

// TestServeBannerSaysAdminAndFaults checks that the start-up banner says
// whether the admin API is on and to whom, and how many fault rules the
// --faults file set, and that the admin API behaves as the banner says.
func TestServeBannerSaysAdminAndFaults(t *testing.T) {
	tests := []struct {
		name       string
		env        map[string]string
		args       []string
		admin      string // what the banner's admin line ends with
		statsCode  int    // GET /__admin/stats without a token
		faultsLine string
	}{
		{"open", nil, nil, "/__admin/ (open: no --admin-token; this address is loopback only)", http.StatusOK, ""},
		{"token flag", nil, []string{"--admin-token", "tok"}, "/__admin/ (token required)", http.StatusUnauthorized, ""},
		{"token environment", map[string]string{envAdminToken: "tok"}, nil, "/__admin/ (token required)", http.StatusUnauthorized, ""},
		{"off", nil, []string{"--no-admin"}, "off (--no-admin)", http.StatusNotFound, ""},
		{"faults", nil, []string{"--faults", "testdata/faults.yaml"}, "(open: no --admin-token; this address is loopback only)", http.StatusOK,
			"fault rules: 4 from testdata/faults.yaml (GET "},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := startServe(t, tc.env, append([]string{"--log-format", "none"}, tc.args...)...)
			dir := r.waitLine(t, "directory: GET ")
			users := strings.TrimSuffix(strings.Fields(dir)[2], ",")
			if users != r.url+"/api/v1/users" {
				t.Errorf("directory line %q, want it to name %s/api/v1/users", dir, r.url)
			} else if resp, err := http.Get(users); err != nil || resp.StatusCode != http.StatusOK {
				t.Errorf("GET %s: %v %v, want 200", users, resp, err)
			} else {
				resp.Body.Close()
			}
			line := r.waitLine(t, "admin API: ")
			if !strings.HasSuffix(line, tc.admin) {
				t.Errorf("banner line %q, want it to end with %q", line, tc.admin)
			}
			if tc.faultsLine != "" {
				if got := r.waitLine(t, "fault rules: "); !strings.Contains(got, tc.faultsLine) || !strings.HasSuffix(got, "/__admin/faults lists them)") {
					t.Errorf("banner line %q, want %q", got, tc.faultsLine)
				}
			}
			resp, err := http.Get(r.url + "/__admin/stats")
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tc.statsCode {
				t.Errorf("GET /__admin/stats: %d, want %d", resp.StatusCode, tc.statsCode)
			}
		})
	}
}

// TestServeBannerSaysCORS checks that the start-up banner says which
// browser origins CORS allows, and that the server allows what it says.
func TestServeBannerSaysCORS(t *testing.T) {
	tests := []struct {
		name             string
		args             []string
		line             string // what the banner's CORS line says
		allowed, refused string // an origin of each kind
	}{
		{"default", nil, "CORS: pages on localhost, *.localhost, 127.0.0.1 or [::1] (http or https, any port); --cors-origin sets others instead",
			"http://localhost:5173", "https://app.example.com"},
		{"list", []string{"--cors-origin", "https://app.example.com,https://*.corp.example"},
			"CORS: pages of https://app.example.com, https://*.corp.example (--cors-origin)", "https://web.corp.example", "http://localhost:5173"},
		{"any", []string{"--cors-origin", "https://app.example.com", "--cors-origin", "*"},
			"CORS: pages of any origin (--cors-origin *)", "https://elsewhere.example", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := startServe(t, nil, append([]string{"--log-format", "none"}, tc.args...)...)
			if got := strings.TrimSpace(r.waitLine(t, "CORS: ")); got != tc.line {
				t.Errorf("banner line %q, want %q", got, tc.line)
			}
			for origin, want := range map[string]bool{tc.allowed: true, tc.refused: false} {
				if origin == "" {
					continue
				}
				req, err := http.NewRequest(http.MethodOptions, r.url+"/api/v1/users/bulk", nil)
				if err != nil {
					t.Fatal(err)
				}
				req.Header.Set("Origin", origin)
				req.Header.Set("Access-Control-Request-Method", http.MethodPost)
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				if got := resp.Header.Get("Access-Control-Allow-Origin") == origin; got != want {
					t.Errorf("preflight from %s: Access-Control-Allow-Origin %q, want allowed=%t", origin, resp.Header.Get("Access-Control-Allow-Origin"), want)
				}
			}
		})
	}
}
