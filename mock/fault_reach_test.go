package mock

import (
	"errors"
	"net/http"
	"strings"
	"testing"
)

// everyRoute is how a refusal lists the routes of the embedded spec.
const everyRoute = "they act on POST /api/v1/users/bulk, POST /users/bulk, GET /api/v1/users, GET /api/v1/users/check-login-id, " +
	"POST /api/v1/users/delete, GET and DELETE /api/v1/users/{userId}, GET /users, GET /users/check-login-id, " +
	"POST /users/delete, GET and DELETE /users/{userId}"

// TestRuleWithAPathNoRouteTakesRefused: a match.path (exact or prefix) that
// no route of the API answers could never fire, so the rule is refused when
// added, naming the routes faults act on and, for a near miss, the route
// meant; a path of the mock's own endpoints says that faults never touch them.
func TestRuleWithAPathNoRouteTakesRefused(t *testing.T) {
	tests := []struct {
		name  string
		match Match
		want  string // the whole reason
		notIn string // what the reason must not say
	}{
		{"typo in a segment", Match{Path: "/api/v1/user/bulk"},
			`match.path "/api/v1/user/bulk" reaches no route that faults act on (did you mean "/api/v1/users/bulk"?); ` + everyRoute, ""},
		{"trailing slash", Match{Path: "/api/v1/users/"},
			`match.path "/api/v1/users/" reaches no route that faults act on (did you mean "/api/v1/users"?); ` + everyRoute, ""},
		{"another case", Match{Path: "/API/v1/users"},
			`match.path "/API/v1/users" reaches no route that faults act on (did you mean "/api/v1/users"?); ` + everyRoute, ""},
		{"a user ID under a typo", Match{Path: "/api/v1/user/u-123"},
			`match.path "/api/v1/user/u-123" reaches no route that faults act on (did you mean "/api/v1/users/u-123"?); ` + everyRoute, ""},
		{"prefix of another version", Match{Path: "/api/v2/*"},
			`match.path "/api/v2/*" reaches no route that faults act on (did you mean "/api/v1/*"?); ` + everyRoute, ""},
		{"below a user", Match{Path: "/api/v1/users/u-123/roles"},
			`match.path "/api/v1/users/u-123/roles" reaches no route that faults act on; ` + everyRoute, "did you mean"},
		{"elsewhere", Match{Path: "/v2/accounts"},
			`match.path "/v2/accounts" reaches no route that faults act on; ` + everyRoute, "did you mean"},
		{"a query", Match{Path: apiBase + "/users?size=5"},
			`match.path "/api/v1/users?size=5" reaches no route that faults act on (it is compared with the request's path alone, without the query: "/api/v1/users"); ` + everyRoute, ""},
		{"the admin API", Match{Path: PathAdminUsers},
			`match.path "/__admin/users" reaches no route that faults act on (/healthz, /openapi.yaml, /openapi.json and /__admin/ are the mock's own, which faults never touch); ` + everyRoute, ""},
		{"the admin API by prefix", Match{Path: "/__adm*"},
			`match.path "/__adm*" reaches no route that faults act on (/healthz, /openapi.yaml, /openapi.json and /__admin/ are the mock's own, which faults never touch); ` + everyRoute, ""},
		{"healthz", Match{Path: PathHealth},
			`match.path "/healthz" reaches no route that faults act on (/healthz, /openapi.yaml, /openapi.json and /__admin/ are the mock's own, which faults never touch); ` + everyRoute, ""},
		{"the bulk path with GET", Match{Method: "get", Path: bulkPath},
			`match.method "get" never meets match.path "/api/v1/users/bulk", which reaches POST /api/v1/users/bulk`, ""},
		{"a user ID with POST", Match{Method: http.MethodPost, Path: apiBase + "/users/u-123"},
			`match.method "POST" never meets match.path "/api/v1/users/u-123", which reaches GET and DELETE /api/v1/users/{userId}`, ""},
		{"HEAD on delete", Match{Method: http.MethodHead, Path: apiBase + "/users/delete"},
			`match.method "HEAD" never meets match.path "/api/v1/users/delete", which reaches POST /api/v1/users/delete`, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rule := Rule{ID: "r", Fault: &StatusFault{Status: 503}, Match: tc.match}
			_, err := New(Config{Faults: []Rule{rule}})
			var fe *FaultError
			if !errors.As(err, &fe) || !errors.Is(err, ErrRuleNeverFires) {
				t.Fatalf("New: got %v, want a *FaultError that matches ErrRuleNeverFires", err)
			}
			if got, want := err.Error(), `mock: faults: rule 1 (id "r"): `+tc.want; got != want {
				t.Fatalf("got  %q,\nwant %q", got, want)
			}
			if tc.notIn != "" && strings.Contains(err.Error(), tc.notIn) {
				t.Fatalf("got %q, want no %q", err, tc.notIn)
			}
			// The admin API refuses it alike.
			s := newTestServer(t, Config{})
			if _, err := s.AddFaults(rule); !errors.Is(err, ErrRuleNeverFires) {
				t.Fatalf("AddFaults: got %v, want ErrRuleNeverFires", err)
			}
		})
	}
}

// TestRuleWithAPathSomeRouteTakesFires: each path a refusal could be
// mistaken for is accepted, and the rule fires on a request to it, so that
// the check refuses only what could never fire.
func TestRuleWithAPathSomeRouteTakesFires(t *testing.T) {
	tests := []struct {
		name         string
		match        Match
		method, path string // a request the rule fires on
	}{
		{"the bulk endpoint without base", Match{Path: "/users/bulk"}, http.MethodPost, "/users/bulk"},
		{"a user ID", Match{Path: apiBase + "/users/u-123"}, http.MethodGet, apiBase + "/users/u-123"},
		{"a user ID, deleted", Match{Method: "delete", Path: apiBase + "/users/u-123"}, http.MethodDelete, apiBase + "/users/u-123"},
		{"part of a user ID", Match{Path: apiBase + "/users/u-1*"}, http.MethodGet, apiBase + "/users/u-123"},
		{"every user", Match{Method: http.MethodDelete, Path: apiBase + "/users/*"}, http.MethodDelete, apiBase + "/users/u-9"},
		{"HEAD of the list", Match{Method: http.MethodHead, Path: apiBase + "/users"}, http.MethodHead, apiBase + "/users"},
		{"part of a segment", Match{Path: apiBase + "/us*"}, http.MethodGet, apiBase + "/users/check-login-id?loginId=a@b.co"},
		{"part of the bulk path", Match{Method: http.MethodPost, Path: "/api/v1/users/b*"}, http.MethodPost, bulkPath},
		{"everything", Match{Path: "/*"}, http.MethodPost, apiBase + "/users/delete"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newTestServer(t, Config{Faults: []Rule{{Fault: &StatusFault{Status: 503}, Match: tc.match}}})
			rec := do(t, s, tc.method, tc.path, `{"userIds":["u-1"]}`)
			if rec.Code != http.StatusServiceUnavailable {
				t.Fatalf("%s %s: got %d %s, want 503 from the rule", tc.method, tc.path, rec.Code, rec.Body)
			}
			if st := s.Faults()[0]; st.Hits != 1 {
				t.Fatalf("got %d hits, want 1", st.Hits)
			}
		})
	}
}
