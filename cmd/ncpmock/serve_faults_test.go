package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/ncpmock/ncpmock/mock"
)

// serveURL runs "ncpmock serve args..." until the test ends and returns its
// URL once it listens.
func serveURL(t *testing.T, env map[string]string, args ...string) string {
	t.Helper()
	return startServe(t, env, append([]string{"--log-format", "none"}, args...)...).url
}

func mapEnv(env map[string]string) func(string) string {
	return func(k string) string { return env[k] }
}

func TestServeRefusesAnOpenAdminAPIOffLoopback(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:0", ":0", "[::]:0", "192.0.2.1:0"} {
		err := run(t.Context(), []string{"serve", "--addr", addr}, mapEnv(nil), io.Discard, io.Discard)
		var ue *usageError
		if !errors.As(err, &ue) || !strings.Contains(ue.msg, "--admin-token") || !strings.Contains(ue.msg, "--no-admin") {
			t.Errorf("%s: got %v, want a usage error pointing at --admin-token and --no-admin", addr, err)
		}
	}
}

func TestAdminExposure(t *testing.T) {
	tests := []struct {
		ip    net.IP
		opts  serveOptions
		allow bool
	}{
		{net.IPv4(127, 0, 0, 1), serveOptions{}, true},
		{net.IPv6loopback, serveOptions{}, true},
		{net.IPv4zero, serveOptions{}, false},
		{net.IPv6unspecified, serveOptions{}, false},
		{net.IPv4(10, 1, 2, 3), serveOptions{}, false},
		{net.IPv4zero, serveOptions{adminToken: "t"}, true},
		{net.IPv4(10, 1, 2, 3), serveOptions{noAdmin: true}, true},
	}
	for _, tc := range tests {
		err := tc.opts.checkAdminExposure(&net.TCPAddr{IP: tc.ip, Port: 8780})
		if (err == nil) != tc.allow {
			t.Errorf("%s with %+v: got %v, want allowed %t", tc.ip, tc.opts, err, tc.allow)
		}
	}
}

func TestServeAdminTokenAndNoAdmin(t *testing.T) {
	tests := []struct {
		name  string
		env   map[string]string
		args  []string
		admin int // status of GET /__admin/faults without a token
	}{
		{"no token on loopback", nil, nil, http.StatusOK},
		{"token flag", nil, []string{"--admin-token", "tok"}, http.StatusUnauthorized},
		{"token env", map[string]string{envAdminToken: "tok"}, nil, http.StatusUnauthorized},
		{"no admin", nil, []string{"--no-admin"}, http.StatusNotFound},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			url := serveURL(t, tc.env, tc.args...)
			if got := get(t, url+"/__admin/faults", "").StatusCode; got != tc.admin {
				t.Fatalf("got %d, want %d", got, tc.admin)
			}
			if tc.admin == http.StatusUnauthorized {
				if got := get(t, url+"/__admin/faults", "tok").StatusCode; got != http.StatusOK {
					t.Fatalf("with the token: got %d, want 200", got)
				}
			}
		})
	}
}

func TestServeFaultsFile(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "faults.yaml")
	if err := os.WriteFile(good, []byte("faults:\n  - id: down\n    fault: status\n    params: {status: 503}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	url := serveURL(t, nil, "--faults", good)
	resp, err := http.Post(url+"/api/v1/users/bulk", "application/json",
		strings.NewReader(`{"params":[{"loginId":"a@example.com","accessRules":{"consoleAccessAllowed":true,"apiAccessAllowed":true}}]}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("got %d, want 503 from the file's rule", resp.StatusCode)
	}

	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte("faults:\n  - fault: status\n    params: {status: 700}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	// A rule that parses but could never fire is refused by mock.New; the
	// message still names the file.
	typo := filepath.Join(dir, "typo.yaml")
	if err := os.WriteFile(typo, []byte("faults:\n  - fault: status\n    params: {status: 503}\n    match: {path: /api/v1/user/bulk}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for file, want := range map[string]string{
		bad:                                "rule 1: status: status 700: want an HTTP status from 400 to 599",
		filepath.Join(dir, "missing.yaml"): "no such file",
		typo:                               `serve: --faults ` + typo + `: rule 1: match.path "/api/v1/user/bulk" reaches no route that faults act on (did you mean "/api/v1/users/bulk"?)`,
	} {
		err := run(t.Context(), []string{"serve", "--faults", file}, mapEnv(nil), io.Discard, io.Discard)
		var ue *usageError
		if !errors.As(err, &ue) || !strings.Contains(ue.msg, want) || !strings.Contains(ue.msg, "--faults") {
			t.Errorf("%s: got %v, want a usage error saying %q", file, err, want)
		}
	}
}

func get(t *testing.T, url, token string) *http.Response {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp
}

// The README's example file must stay valid.
func TestExampleFaultsFile(t *testing.T) {
	rules, err := loadFaults(filepath.Join("testdata", "faults.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, r := range rules {
		ids = append(ids, r.ID)
	}
	if got, want := strings.Join(ids, ","), "slow,fail-twice,throttle-mobile,reserved-names"; got != want {
		t.Fatalf("got rules %s, want %s", got, want)
	}
}

func TestDisplayAddr(t *testing.T) {
	tests := []struct {
		given string
		addr  *net.TCPAddr
		want  string
	}{
		{"0.0.0.0:0", &net.TCPAddr{IP: net.IPv6unspecified, Port: 41000}, "0.0.0.0:41000"},
		{":8780", &net.TCPAddr{IP: net.IPv6unspecified, Port: 8780}, "0.0.0.0:8780"},
		{"[::]:8780", &net.TCPAddr{IP: net.IPv6unspecified, Port: 8780}, "[::]:8780"},
		{"127.0.0.1:0", &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 41001}, "127.0.0.1:41001"},
		{"localhost:8780", &net.TCPAddr{IP: net.IPv6loopback, Port: 8780}, "[::1]:8780"},
	}
	for _, tc := range tests {
		if got := displayAddr(tc.given, tc.addr); got != tc.want {
			t.Errorf("displayAddr(%q, %s): got %q, want %q", tc.given, tc.addr, got, tc.want)
		}
	}
}

// readmeRule is a fault rule the README shows, and what it says of it.
type readmeRule struct {
	where   string // the README's line
	rule    string // YAML or JSON
	refusal string // the reason the README shows it refused with; "" when it loads
}

// readmeRules collects every fault rule of the README: the YAML blocks, the
// bodies sent to POST /__admin/faults (with the answer below each), the
// table of fault kinds and the paths the prose offers as match.path.
func readmeRules(t *testing.T) map[string][]readmeRule {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(data), "\n")
	found := map[string][]readmeRule{}
	add := func(kind string, i int, rule, refusal string) {
		found[kind] = append(found[kind], readmeRule{fmt.Sprintf("README.md:%d", i+1), rule, refusal})
	}
	tableRow := regexp.MustCompile("`(fault: [a-z-]+)`<br>`(params: [^`]*)`")
	prosePath := regexp.MustCompile("`path: (/[^`\\s]*)`")
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		switch {
		case line == "```yaml":
			end := i + slices.Index(lines[i:], "```")
			if block := strings.Join(lines[i+1:end], "\n"); strings.Contains(block, "fault:") {
				add("yaml block", i, block, "")
			}
			i = end
		case strings.HasPrefix(line, "$ curl") && strings.Contains(line, "/__admin/faults") && strings.Contains(line, " -d '"):
			body, _, _ := strings.Cut(line[strings.Index(line, " -d '")+5:], "'")
			var answer struct{ Error struct{ Details string } }
			_ = json.Unmarshal([]byte(lines[i+1]), &answer)
			refusal, _ := strings.CutPrefix(answer.Error.Details, "rule 1: ")
			if refusal == answer.Error.Details {
				refusal = "" // refused for another reason than the rule (CORS, say)
			}
			add("admin API", i, body, refusal)
		}
		for _, m := range tableRow.FindAllStringSubmatch(line, -1) {
			add("table", i, m[1]+"\n"+m[2], "")
		}
		for _, m := range prosePath.FindAllStringSubmatch(line, -1) {
			add("prose", i, "fault: status\nparams: {status: 503}\nmatch: {path: "+m[1]+"}", "")
		}
	}
	return found
}

// TestReadmeRulesLoad: every fault rule the README shows loads into a mock,
// and one it shows refused is refused with the reason it shows.
func TestReadmeRulesLoad(t *testing.T) {
	found := readmeRules(t)
	for _, kind := range []string{"yaml block", "admin API", "table", "prose"} {
		if len(found[kind]) == 0 {
			t.Errorf("found no rule in a README %s; has the README changed shape?", kind)
		}
		for _, r := range found[kind] {
			rules, err := mock.ParseRules([]byte(r.rule))
			if err == nil {
				_, err = mock.New(mock.Config{Faults: rules})
			}
			switch {
			case r.refusal == "" && err != nil:
				t.Errorf("%s: %s: %v", r.where, r.rule, err)
			case r.refusal != "" && (err == nil || !strings.HasSuffix(err.Error(), r.refusal)):
				t.Errorf("%s: %s: got %v, want the refusal the README shows: %s", r.where, r.rule, err, r.refusal)
			}
		}
	}
}
