package mock

import (
	"net/http/httptest"
	"testing"
)

func TestWithSelfServerYAML(t *testing.T) {
	const u = "http://127.0.0.1:8780/api/v1"
	tests := []struct {
		name, raw, url, want string
	}{
		{"indented items", "a: 1\nservers:\n  - url: https://x\n", u,
			"a: 1\nservers:\n  - url: " + u + "\n    description: " + selfServerDescription + "\n  - url: https://x\n"},
		{"items at the key's column", "a: 1\nservers:\n- url: https://x\n", u,
			"a: 1\nservers:\n- url: " + u + "\n  description: " + selfServerDescription + "\n- url: https://x\n"},
		{"flow list: as it is", "a: 1\nservers: [{url: https://x}]\n", u, "a: 1\nservers: [{url: https://x}]\n"},
		{"no servers: as it is", "a: 1\n", u, "a: 1\n"},
		{"no URL to add: as it is", "a: 1\nservers:\n  - url: https://x\n", "", "a: 1\nservers:\n  - url: https://x\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := string(withSelfServerYAML([]byte(tc.raw), tc.url)); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

// TestSelfServerURLHost: only a Host that is a name or an address with a
// port goes into the spec served; anything else leaves the spec as it is.
func TestSelfServerURLHost(t *testing.T) {
	s := newTestServer(t, Config{})
	for host, want := range map[string]string{
		"127.0.0.1:8780":       "http://127.0.0.1:8780/api/v1",
		"localhost":            "http://localhost/api/v1",
		"[::1]:8780":           "http://[::1]:8780/api/v1",
		"mock.internal:80":     "http://mock.internal:80/api/v1",
		"a b":                  "",
		"x\n  - url: evil":     "",
		"evil.example/path":    "",
		"":                     "",
		"user@evil.example:80": "",
	} {
		r := httptest.NewRequest("GET", "/openapi.yaml", nil)
		r.Host = host
		if got := s.selfServerURL(r); got != want {
			t.Errorf("Host %q: got %q, want %q", host, got, want)
		}
	}
}
