package mock

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"testing"
)

type faultsBody struct {
	Count  int               `json:"count"`
	Faults []json.RawMessage `json:"faults"`
}

type ruleView struct {
	ID          string         `json:"id"`
	Fault       string         `json:"fault"`
	Params      map[string]any `json:"params"`
	Probability float64        `json:"probability"`
	Times       int            `json:"times"`
	Matched     *uint64        `json:"matched"`
	Hits        *uint64        `json:"hits"`
	Remaining   *int           `json:"remaining"`
}

func listFaults(t *testing.T, s *Server) []ruleView {
	t.Helper()
	rec := do(t, s, http.MethodGet, PathAdminFaults, "")
	var fb faultsBody
	decode(t, rec.Body.Bytes(), &fb)
	out := make([]ruleView, len(fb.Faults))
	for i, raw := range fb.Faults {
		decode(t, raw, &out[i])
	}
	if rec.Code != 200 || fb.Count != len(out) {
		t.Fatalf("GET %s: got %d, count %d of %d", PathAdminFaults, rec.Code, fb.Count, len(out))
	}
	return out
}

func TestAdminFaultsLifecycle(t *testing.T) {
	s := newTestServer(t, Config{})
	rec := do(t, s, http.MethodPost, PathAdminFaults, `{"id":"twice","fault":"status","params":{"status":503},"times":2}`)
	if rec.Code != http.StatusCreated {
		t.Fatalf("POST: got %d %s, want 201", rec.Code, rec.Body)
	}
	yaml := "- fault: latency\n  params: {delay: 1ms}\n- fault: partial\n  params: {loginId: ^x}\n"
	if rec := do(t, s, http.MethodPost, PathAdminFaults, yaml, "Content-Type", "application/yaml"); rec.Code != http.StatusCreated {
		t.Fatalf("POST YAML: got %d %s, want 201", rec.Code, rec.Body)
	}
	statuses(t, s, 3)
	list := listFaults(t, s)
	if len(list) != 3 || list[0].ID != "twice" || list[1].ID != "rule-1" || list[2].ID != "rule-2" {
		t.Fatalf("got %+v, want twice, rule-1, rule-2", list)
	}
	if r := list[0]; *r.Hits != 2 || *r.Matched != 3 || *r.Remaining != 0 || r.Params["status"] != 503.0 || r.Probability != 1 {
		t.Fatalf("got %+v (hits %d matched %d remaining %d), want 2 hits of 3, 0 remaining", r, *r.Hits, *r.Matched, *r.Remaining)
	}
	if r := list[1]; r.Remaining != nil || r.Params["cap"] != "30s" {
		t.Fatalf("got %+v, want no remaining (unlimited) and the default cap shown", r)
	}
	rec = do(t, s, http.MethodGet, PathAdminFaults+"/twice", "")
	var one ruleView
	decode(t, rec.Body.Bytes(), &one)
	if rec.Code != 200 || one.ID != "twice" || *one.Hits != 2 {
		t.Fatalf("GET one: got %d %+v", rec.Code, one)
	}
	if rec := do(t, s, http.MethodDelete, PathAdminFaults+"/twice", ""); rec.Code != 200 {
		t.Fatalf("DELETE one: got %d %s", rec.Code, rec.Body)
	}
	for _, m := range []string{http.MethodGet, http.MethodDelete} {
		rec := do(t, s, m, PathAdminFaults+"/twice", "")
		if g := gatewayErr(t, rec.Body.Bytes()); rec.Code != 404 || !strings.Contains(g.Details, `"twice"`) {
			t.Fatalf("%s after delete: got %d %+v, want 404 naming the id", m, rec.Code, g)
		}
	}
	rec = do(t, s, http.MethodDelete, PathAdminFaults, "")
	if rec.Code != 200 || strings.TrimSpace(rec.Body.String()) != `{"removed":2}` || len(listFaults(t, s)) != 0 {
		t.Fatalf("DELETE all: got %d %s, want 2 removed", rec.Code, rec.Body)
	}
}

func TestAdminFaultsErrors(t *testing.T) {
	s := newTestServer(t, Config{Faults: []Rule{{ID: "taken", Fault: &ResetFault{}}}})
	tests := []struct {
		body   string
		status int
		want   string
	}{
		{`{"fault":"status","params":{"status":"x"}}`, 400, `rule 1: status: parameter status: want an integer, got "x"`},
		{`{"fault":"nope"}`, 400, `unknown fault kind "nope"`},
		{`[{"fault":"reset"},{"id":"taken","fault":"empty"}]`, 409, `rule 2 (id "taken"): a fault rule with this id exists`},
		{`{"fault":"reset"`, 400, "read rules: unexpected end of JSON input"},
	}
	for _, tc := range tests {
		rec := do(t, s, http.MethodPost, PathAdminFaults, tc.body)
		if g := gatewayErr(t, rec.Body.Bytes()); rec.Code != tc.status || !strings.Contains(g.Details, tc.want) {
			t.Errorf("%s: got %d %+v, want %d saying %q", tc.body, rec.Code, g, tc.status, tc.want)
		}
	}
	if n := len(listFaults(t, s)); n != 1 {
		t.Fatalf("got %d rules, want 1: a rejected POST adds none of its rules", n)
	}
	if rec := do(t, s, http.MethodPut, PathAdminFaults+"/taken", ""); rec.Code != 405 || rec.Header().Get("Allow") != "GET, HEAD, DELETE" {
		t.Fatalf("PUT: got %d Allow %q, want 405 with GET, HEAD, DELETE", rec.Code, rec.Header().Get("Allow"))
	}
}

func TestAdminResetRestoresStart(t *testing.T) {
	s := newTestServer(t, Config{Faults: []Rule{{ID: "start", Fault: &StatusFault{Status: 503}, Times: 1}}})
	statuses(t, s, 2)
	do(t, s, http.MethodPost, PathAdminFaults, `{"id":"added","fault":"reset","match":{"path":"/elsewhere"}}`)
	if users, _ := s.store.List(t.Context()); len(users) != 1 {
		t.Fatalf("got %d users before reset, want 1", len(users))
	}
	if rec := do(t, s, http.MethodPost, PathAdminReset, ""); rec.Code != 200 {
		t.Fatalf("reset: got %d", rec.Code)
	}
	users, _ := s.store.List(t.Context())
	list := listFaults(t, s)
	if len(users) != 0 || len(s.Requests(JournalFilter{})) != 0 || len(list) != 1 || list[0].ID != "start" || *list[0].Hits != 0 || *list[0].Remaining != 1 {
		t.Fatalf("after reset: %d users, %d journal entries, rules %+v; want none, none, and the start rule afresh",
			len(users), len(s.Requests(JournalFilter{})), list)
	}
	if got := statuses(t, s, 2); got[0] != 503 || got[1] != 200 {
		t.Fatalf("got %v, want the start rule to fire once again", got)
	}
}

func TestAdminToken(t *testing.T) {
	const token = "s3cret-admin-token"
	var log bytes.Buffer
	s := newTestServer(t, Config{AdminToken: token, Logger: slog.New(slog.NewTextHandler(&log, nil))})
	tests := []struct {
		name    string
		headers []string
		want    int
	}{
		{"none", nil, 401},
		{"wrong bearer", []string{"Authorization", "Bearer nope"}, 401},
		{"prefix of the token", []string{"Authorization", "Bearer s3cret"}, 401},
		{"basic scheme", []string{"Authorization", "Basic " + token}, 401},
		{"bearer", []string{"Authorization", "Bearer " + token}, 200},
		{"bearer lower case", []string{"Authorization", "bearer " + token}, 200},
		{"header", []string{HeaderAdminToken, token}, 200},
	}
	for _, tc := range tests {
		for _, p := range []string{PathAdminFaults, PathAdminRequests, PathAdminUsers, PathAdminStats} {
			rec := do(t, s, http.MethodGet, p, "", tc.headers...)
			if rec.Code != tc.want {
				t.Errorf("%s %s: got %d, want %d", tc.name, p, rec.Code, tc.want)
			}
			if tc.want == 401 && (strings.Contains(rec.Body.String(), token) || rec.Header().Get("WWW-Authenticate") == "") {
				t.Errorf("%s %s: got %s %v, want a 401 with WWW-Authenticate and no token", tc.name, p, rec.Body, rec.Header())
			}
			if tc.want == 401 && !strings.Contains(rec.Body.String(), "Authorization: Bearer TOKEN") {
				t.Errorf("%s %s: got %s, want it to say, readably, how to send the token", tc.name, p, rec.Body)
			}
		}
	}
	if rec := do(t, s, http.MethodPost, bulkPath, bulkBody("a@example.com"), HeaderAdminToken, token); rec.Code != 200 {
		t.Fatalf("the API itself needs no admin token: got %d", rec.Code)
	}
	if out := do(t, s, http.MethodGet, PathAdminRequests, "", HeaderAdminToken, token).Body.String(); strings.Contains(out, token) {
		t.Fatalf("the token shows in the journal: %s", out)
	}
	if strings.Contains(log.String(), token) {
		t.Fatalf("the token shows in the log: %s", log.String())
	}
}

func TestNoAdmin(t *testing.T) {
	s := newTestServer(t, Config{NoAdmin: true})
	for _, p := range []string{PathAdminFaults, PathAdminRequests, PathAdminUsers, PathAdminStats, PathAdminFaults + "/x"} {
		if rec := do(t, s, http.MethodGet, p, ""); rec.Code != 404 {
			t.Errorf("GET %s: got %d, want 404", p, rec.Code)
		}
	}
	if rec := do(t, s, http.MethodPost, PathAdminReset, ""); rec.Code != 404 {
		t.Errorf("POST %s: got %d, want 404", PathAdminReset, rec.Code)
	}
}

// TestAdminRefusesWebPagesWithoutAToken checks the admin API without a
// token against the two ways a page in the user's browser could reach it: a
// cross-site request (a text/plain POST needs no preflight) and DNS
// rebinding (a name the page controls, made to resolve to 127.0.0.1). Each
// refused request must change nothing; command-line clients, local pages and
// token holders pass.
func TestAdminRefusesWebPagesWithoutAToken(t *testing.T) {
	const rule = `{"id":"evil","fault":"status","params":{"status":503}}`
	tests := []struct {
		name   string
		cfg    Config
		origin string
		host   string // "" for the test server's own 127.0.0.1:port
		header []string
		want   int
	}{
		{name: "command line", want: http.StatusCreated},
		{name: "local page", origin: "http://localhost:5173", want: http.StatusCreated},
		{name: "another site", origin: "http://evil.example", want: http.StatusForbidden},
		{name: "local page, https", origin: "https://localhost:5173", want: http.StatusCreated},
		{name: "a site under a local-looking name", origin: "https://localhost.evil.example", want: http.StatusForbidden},
		{name: "origin in --cors-origin", cfg: Config{CORSOrigins: []string{"https://staging.example.com"}},
			origin: "https://staging.example.com", want: http.StatusCreated},
		{name: "local page, not in --cors-origin", cfg: Config{CORSOrigins: []string{"https://staging.example.com"}},
			origin: "http://localhost:5173", want: http.StatusForbidden},
		{name: "rebound name", host: "attacker.example:8780", want: http.StatusForbidden},
		{name: "localhost", host: "localhost:8780", want: http.StatusCreated},
		{name: "name under localhost", host: "app.localhost", want: http.StatusCreated},
		{name: "IPv6 loopback", host: "[::1]:8780", want: http.StatusCreated},
		{name: "token holder, another site and name", cfg: Config{AdminToken: "tok"}, origin: "http://evil.example",
			host: "attacker.example", header: []string{HeaderAdminToken, "tok"}, want: http.StatusCreated},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newTestServer(t, tc.cfg)
			ts := serve(t, s)
			send := func(method, path, body string) *http.Response {
				t.Helper()
				req, err := http.NewRequestWithContext(t.Context(), method, ts.URL+path, strings.NewReader(body))
				if err != nil {
					t.Fatal(err)
				}
				req.Header.Set("Content-Type", "text/plain")
				if tc.origin != "" {
					req.Header.Set("Origin", tc.origin)
				}
				if tc.host != "" {
					req.Host = tc.host
				}
				for i := 0; i+1 < len(tc.header); i += 2 {
					req.Header.Set(tc.header[i], tc.header[i+1])
				}
				resp, err := ts.Client().Do(req)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { resp.Body.Close() })
				return resp
			}
			resp := send(http.MethodPost, PathAdminFaults, rule)
			if resp.StatusCode != tc.want {
				b, _ := readAllBody(resp.Body)
				t.Fatalf("POST %s: got %d %s, want %d", PathAdminFaults, resp.StatusCode, b, tc.want)
			}
			if tc.want == http.StatusForbidden {
				b, _ := readAllBody(resp.Body)
				if g := gatewayErr(t, b); !strings.Contains(g.Details, "--admin-token") && !strings.Contains(g.Details, "--cors-origin") {
					t.Errorf("details %q do not say what to change", g.Details)
				}
				if r := send(http.MethodGet, PathAdminRequests, ""); r.StatusCode != http.StatusForbidden {
					t.Errorf("GET %s: got %d, want 403 (the journal is not the page's to read)", PathAdminRequests, r.StatusCode)
				}
			}
			if got := len(s.faults.list()); got != map[bool]int{true: 1, false: 0}[tc.want == http.StatusCreated] {
				t.Errorf("%d rules after the request, want the rule added only when allowed", got)
			}
			// The API itself answers any page (CORS decides what it may read).
			if r := send(http.MethodGet, apiBase+"/users", ""); r.StatusCode != http.StatusOK {
				t.Errorf("GET the directory: got %d, want 200", r.StatusCode)
			}
		})
	}
}

// TestResetReplaysTheSeed checks that after POST /__admin/reset the same
// requests get the same answers as after start: the same user IDs and the
// same requests hit by a rule of probability 0.5. Trace IDs go on counting.
func TestResetReplaysTheSeed(t *testing.T) {
	s := newTestServer(t, Config{Seed: 99, Faults: []Rule{{ID: "coin", Fault: &StatusFault{Status: 500}, Probability: 0.5}}})
	run := func() (answers []string, traces []string) {
		for i := range 12 {
			rec := do(t, s, http.MethodPost, bulkPath, bulkBody(fmt.Sprintf("u%d@example.com", i)))
			answers = append(answers, fmt.Sprintf("%d %s", rec.Code, rec.Body))
			traces = append(traces, rec.Header().Get(HeaderTraceID))
		}
		return answers, traces
	}
	first, firstTraces := run()
	if got := strings.Count(strings.Join(first, "\n"), `"success":true`); got == 0 || got == len(first) {
		t.Fatalf("%d of %d requests created their user; want some hit by the rule and some not:\n%s", got, len(first), strings.Join(first, "\n"))
	}
	if rec := do(t, s, http.MethodPost, PathAdminReset, ""); rec.Code != http.StatusOK {
		t.Fatalf("reset: got %d", rec.Code)
	}
	again, againTraces := run()
	if !slices.Equal(first, again) {
		t.Errorf("after reset the same requests got other answers:\nfirst:\n%s\nafter reset:\n%s", strings.Join(first, "\n"), strings.Join(again, "\n"))
	}
	if slices.ContainsFunc(againTraces, func(id string) bool { return slices.Contains(firstTraces, id) }) {
		t.Errorf("a trace ID repeats after reset: %v then %v", firstTraces, againTraces)
	}
}

// TestFaultsHandedOutAreCopies: the rules Faults, AddFaults and RemoveFault
// return are the caller's to change; the server's own, and those Reset
// restores, stay as they were added (before, changing one changed what the
// server did, raced with requests, and survived Reset).
func TestFaultsHandedOutAreCopies(t *testing.T) {
	s := newTestServer(t, Config{Faults: []Rule{{ID: "slow", Fault: &StatusFault{Status: 429, RetryAfter: new(5)}, Match: Match{Path: "/users/bulk"}}}})
	statusOf := func(id string) *StatusFault {
		t.Helper()
		for _, r := range s.Faults() {
			if r.Rule.ID == id {
				return r.Rule.Fault.(*StatusFault)
			}
		}
		t.Fatalf("no rule %q", id)
		return nil
	}
	mine := statusOf("slow")
	mine.Status, *mine.RetryAfter = 418, 99
	if f := statusOf("slow"); f.Status != 429 || *f.RetryAfter != 5 {
		t.Fatalf("after changing what Faults returned: %+v (retryAfter %d), want 429 and 5", f, *f.RetryAfter)
	}
	added, err := s.AddFaults(Rule{ID: "fail", Fault: &StatusFault{Status: 503}})
	if err != nil {
		t.Fatal(err)
	}
	added[0].Fault.(*StatusFault).Status = 418
	if rec := do(t, s, http.MethodPost, bulkPath, bulkBody("a@example.com")); rec.Code != 503 || statusOf("fail").Status != 503 {
		t.Fatalf("after changing what AddFaults returned: answer %d, rule %+v; want 503 both", rec.Code, statusOf("fail"))
	}
	if err := s.Reset(t.Context()); err != nil {
		t.Fatal(err)
	}
	statusOf("slow").Status = 418
	if err := s.Reset(t.Context()); err != nil {
		t.Fatal(err)
	}
	if f := statusOf("slow"); f.Status != 429 || *f.RetryAfter != 5 {
		t.Fatalf("after Reset: %+v, want the rule of Config.Faults", f)
	}
}

// TestAdminChangesAreLogged: on a shared mock, the operator who finds every
// upload failing looks in the access log for who added which rule; each
// admin request that changes something says what it changed.
func TestAdminChangesAreLogged(t *testing.T) {
	var log bytes.Buffer
	s := newTestServer(t, Config{Logger: slog.New(slog.NewTextHandler(&log, nil))})
	steps := []struct {
		method, path, body string
		want               string
	}{
		{http.MethodPost, PathAdminFaults, `[{"id":"a","fault":"status","params":{"status":503}},{"fault":"reset"}]`, `admin="added rules a, rule-1"`},
		{http.MethodDelete, PathAdminFaults + "/a", "", `admin="removed rule a"`},
		{http.MethodDelete, PathAdminFaults, "", `admin="removed every rule (1)"`},
		{http.MethodDelete, PathAdminRequests, "", `admin="cleared the journal"`},
		{http.MethodPost, PathAdminReset, "", `admin="reset: users, journal and rules as at start"`},
	}
	for _, st := range steps {
		log.Reset()
		if rec := do(t, s, st.method, st.path, st.body); rec.Code/100 != 2 {
			t.Fatalf("%s %s: got %d %s", st.method, st.path, rec.Code, rec.Body)
		}
		if !strings.Contains(log.String(), st.want) {
			t.Errorf("%s %s: got log %q, want %s", st.method, st.path, log.String(), st.want)
		}
	}
	log.Reset()
	do(t, s, http.MethodGet, PathAdminFaults, "")
	if strings.Contains(log.String(), "admin=") {
		t.Errorf("GET %s: got log %q, want no admin change", PathAdminFaults, log.String())
	}
}
