package mock_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/ncpmock/ncpmock/mock"
	"github.com/ncpmock/ncpmock/mock/mocktest"
	"github.com/ncpmock/ncpmock/openapi"
)

var (
	uuidRE = regexp.MustCompile(openapi.UUIDPattern)
	nrnRE  = regexp.MustCompile(`^nrn:PUB:SSO::1234567:User/(.+)$`)
)

// bulkBody returns a valid request body creating the given login IDs.
func bulkBody(loginIDs ...string) []byte {
	var req openapi.BulkRequest
	for _, id := range loginIDs {
		req.Params = append(req.Params, openapi.UserCreate{
			LoginID:     id,
			AccessRules: openapi.AccessRules{ConsoleAccessAllowed: true},
		})
	}
	data, err := json.Marshal(req)
	if err != nil {
		panic(err)
	}
	return data
}

type answer struct {
	status int
	header http.Header
	body   []byte
}

func post(t testing.TB, srv *mocktest.Server, path, contentType string, body []byte) answer {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, srv.URL+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	return do(t, srv, req)
}

func do(t testing.TB, srv *mocktest.Server, req *http.Request) answer {
	t.Helper()
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return answer{status: resp.StatusCode, header: resp.Header, body: data}
}

func createUsers(t testing.TB, srv *mocktest.Server, loginIDs ...string) []openapi.UserResult {
	t.Helper()
	a := post(t, srv, "/api/v1/users/bulk", "application/json", bulkBody(loginIDs...))
	if a.status != http.StatusOK {
		t.Fatalf("status %d, want 200: %s", a.status, a.body)
	}
	var results []openapi.UserResult
	if err := json.Unmarshal(a.body, &results); err != nil {
		t.Fatalf("decode %s: %v", a.body, err)
	}
	return results
}

func TestCreateUsersAnswersPerUserInOrder(t *testing.T) {
	srv := mocktest.NewServer(t, mock.Config{})
	ids := []string{"c@example.com", "a@example.com", "b@example.com"}
	results := createUsers(t, srv, ids...)
	if len(results) != len(ids) {
		t.Fatalf("got %d results, want %d", len(results), len(ids))
	}
	seen := map[string]bool{}
	for i, r := range results {
		if r.Name != ids[i] || !r.Success || r.Message != "" {
			t.Errorf("result %d: got %+v, want name %q, success, no message", i, r, ids[i])
		}
		if !uuidRE.MatchString(r.ID) {
			t.Errorf("result %d: id %q is not a UUID", i, r.ID)
		}
		m := nrnRE.FindStringSubmatch(r.NRN)
		if m == nil || m[1] != r.ID {
			t.Errorf("result %d: nrn %q, want nrn:PUB:SSO::1234567:User/%s", i, r.NRN, r.ID)
		}
		if seen[r.ID] {
			t.Errorf("result %d: id %s repeats", i, r.ID)
		}
		seen[r.ID] = true
	}
}

func TestCreateUsersAliasPathAndRawShape(t *testing.T) {
	srv := mocktest.NewServer(t, mock.Config{Seed: 3})
	a := post(t, srv, "/users/bulk", "application/json", bulkBody("x@example.com"))
	if a.status != http.StatusOK {
		t.Fatalf("status %d: %s", a.status, a.body)
	}
	var raw []map[string]any
	if err := json.Unmarshal(a.body, &raw); err != nil {
		t.Fatal(err)
	}
	keys := make([]string, 0)
	for k := range raw[0] {
		keys = append(keys, k)
	}
	if len(raw) != 1 || len(keys) != 5 {
		t.Fatalf("got %s, want one result with id, nrn, name, success, message", a.body)
	}
	if ct := a.header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type: got %q, want application/json", ct)
	}
}

func TestDuplicateLoginIDs(t *testing.T) {
	srv := mocktest.NewServer(t, mock.Config{})
	createUsers(t, srv, "kim@example.com")

	results := createUsers(t, srv, "lee@example.com", "KIM@example.com", "park@example.com", "Lee@Example.com")
	want := []struct {
		success bool
		message string
	}{{true, ""}, {false, mock.MsgDuplicateLoginID}, {true, ""}, {false, mock.MsgDuplicateLoginID}}
	for i, r := range results {
		if r.Success != want[i].success || r.Message != want[i].message {
			t.Errorf("result %d (%s): got success=%t message=%q, want %t %q", i, r.Name, r.Success, r.Message, want[i].success, want[i].message)
		}
		if !r.Success && (r.ID != "" || r.NRN != "") {
			t.Errorf("result %d: a failed user has id %q nrn %q", i, r.ID, r.NRN)
		}
	}
	if n := len(listUsers(t, srv)); n != 3 {
		t.Errorf("store has %d users, want 3", n)
	}
}

func TestCaseSensitiveLoginIDs(t *testing.T) {
	srv := mocktest.NewServer(t, mock.Config{CaseSensitiveLoginIDs: true})
	results := createUsers(t, srv, "kim@example.com", "KIM@example.com", "kim@example.com")
	got := fmt.Sprint(results[0].Success, results[1].Success, results[2].Success)
	if got != "true true false" {
		t.Fatalf("got successes %s, want true true false", got)
	}
}

func listUsers(t testing.TB, srv *mocktest.Server) []mock.User {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, srv.URL+mock.PathAdminUsers, nil)
	a := do(t, srv, req)
	var out struct {
		Count int         `json:"count"`
		Users []mock.User `json:"users"`
	}
	if err := json.Unmarshal(a.body, &out); err != nil || a.status != 200 {
		t.Fatalf("GET %s: %d %s (%v)", mock.PathAdminUsers, a.status, a.body, err)
	}
	if out.Count != len(out.Users) {
		t.Fatalf("count %d but %d users", out.Count, len(out.Users))
	}
	return out.Users
}

func TestAdminUsersAndReset(t *testing.T) {
	srv := mocktest.NewServer(t, mock.Config{})
	results := createUsers(t, srv, "a@example.com", "b@example.com")
	users := listUsers(t, srv)
	if len(users) != 2 || users[0].ID != results[0].ID || users[1].LoginID != "b@example.com" ||
		users[0].NRN != results[0].NRN || users[0].CreatedAt.IsZero() {
		t.Fatalf("got users %+v, want the two created, in order", users)
	}
	var sent openapi.UserCreate
	if err := json.Unmarshal([]byte(users[0].Request), &sent); err != nil ||
		sent.LoginID != "a@example.com" || !sent.AccessRules.ConsoleAccessAllowed {
		t.Fatalf("request of the first user: %s (%v), want the user sent", users[0].Request, err)
	}
	a := post(t, srv, mock.PathAdminReset, "", nil)
	if a.status != http.StatusOK {
		t.Fatalf("reset: %d %s", a.status, a.body)
	}
	if users := listUsers(t, srv); len(users) != 0 {
		t.Fatalf("after reset: %d users", len(users))
	}
	if r := createUsers(t, srv, "a@example.com"); !r[0].Success {
		t.Fatalf("after reset a@example.com is still taken: %+v", r[0])
	}
}

// TestAdminUsersShowRequestsAsSent checks that GET /__admin/users shows
// each created user's object as the request held it (compacted, as
// encoding/json writes it): with the unknown properties it was sent with,
// once per user created (not for a duplicate).
func TestAdminUsersShowRequestsAsSent(t *testing.T) {
	srv := mocktest.NewServer(t, mock.Config{})
	first := `{ "loginId": "a@example.com",  "x-note": "kept", "accessRules": {"consoleAccessAllowed": false, "apiAccessAllowed": true} }`
	second := `{"loginId":"b@example.com","description":"tab\there","accessRules":{"consoleAccessAllowed":true,"apiAccessAllowed":false}}`
	body := "{\"params\": [\n  " + first + ",\n  " + second + "\n]}"
	if a := post(t, srv, "/api/v1/users/bulk", "application/json", []byte(body)); a.status != http.StatusOK {
		t.Fatalf("create: %d %s", a.status, a.body)
	}
	dup := `{"loginId":"A@example.com","accessRules":{"consoleAccessAllowed":true,"apiAccessAllowed":true}}`
	if a := post(t, srv, "/api/v1/users/bulk", "application/json", []byte(`{"params":[`+dup+`]}`)); a.status != http.StatusOK {
		t.Fatalf("duplicate: %d %s", a.status, a.body)
	}
	req, _ := http.NewRequest(http.MethodGet, srv.URL+mock.PathAdminUsers, nil)
	a := do(t, srv, req)
	var raw struct {
		Users []struct {
			Request json.RawMessage `json:"request"`
		} `json:"users"`
	}
	if err := json.Unmarshal(a.body, &raw); err != nil {
		t.Fatalf("GET %s: %s (%v)", mock.PathAdminUsers, a.body, err)
	}
	if len(raw.Users) != 2 {
		t.Fatalf("got %d users, want 2: %s", len(raw.Users), a.body)
	}
	for i, want := range []string{first, second} {
		var compact bytes.Buffer
		if err := json.Compact(&compact, []byte(want)); err != nil {
			t.Fatal(err)
		}
		if got := string(raw.Users[i].Request); got != compact.String() {
			t.Errorf("user %d: request %s, want %s", i, got, compact.String())
		}
	}
}

func TestSeedReproducesIDs(t *testing.T) {
	run := func(seed uint64) string {
		srv := mocktest.NewServer(t, mock.Config{Seed: seed})
		a := post(t, srv, "/api/v1/users/bulk", "application/json", bulkBody("a@example.com", "b@example.com"))
		return string(a.body) + a.header.Get(mock.HeaderTraceID)
	}
	one, two, other := run(7), run(7), run(8)
	if one != two {
		t.Fatalf("seed 7 gave two different runs:\n%s\n%s", one, two)
	}
	if one == other {
		t.Fatalf("seeds 7 and 8 gave the same run: %s", one)
	}
	if zero1, zero2 := run(0), run(0); zero1 != zero2 {
		t.Fatalf("seed 0 is not reproducible")
	}
}

// TestIDsOnlyForCreatedUsers checks the rule that makes IDs reproducible:
// the seeded faker's UUIDs go, in order, to the users created, and a
// duplicate or a user failed by a trigger takes none.
func TestIDsOnlyForCreatedUsers(t *testing.T) {
	srv := mocktest.NewServer(t, mock.Config{Seed: 7})
	var got []openapi.UserResult
	got = append(got, createUsers(t, srv, "a@example.com", "b@example.com")...)
	got = append(got, createUsers(t, srv, "a@example.com", "duplicate@fail.ncpmock.test", "c@example.com")...)
	got = append(got, createUsers(t, srv, "B@example.com", "d@example.com")...)
	f := openapi.NewFaker(7)
	created := 0
	for _, r := range got {
		if !r.Success {
			if r.ID != "" {
				t.Errorf("%s failed but has id %q", r.Name, r.ID)
			}
			continue
		}
		created++
		if want := f.UUID(); r.ID != want {
			t.Errorf("%s: id %q, want the seed's UUID number %d, %q", r.Name, r.ID, created, want)
		}
	}
	if created != 4 {
		t.Fatalf("created %d users, want 4: %+v", created, got)
	}
}

func TestMemberNoAndNRNDomain(t *testing.T) {
	srv := mocktest.NewServer(t, mock.Config{MemberNo: "2701234", NRNDomain: "GOV"})
	r := createUsers(t, srv, "gov@example.com")[0]
	if want := "nrn:GOV:SSO::2701234:User/" + r.ID; r.NRN != want {
		t.Fatalf("got nrn %q, want %q", r.NRN, want)
	}
}

func TestNewRejectsBadConfig(t *testing.T) {
	tests := []struct {
		name string
		cfg  mock.Config
		want string
	}{
		{"member number", mock.Config{MemberNo: "12a"}, "member number"},
		{"nrn domain", mock.Config{NRNDomain: "pub"}, "NRN domain"},
		{"body limit", mock.Config{MaxBodyBytes: -1}, "max body bytes"},
		{"cors origin", mock.Config{CORSOrigins: []string{"localhost:3000"}}, "CORS origin"},
		// Forms of an origin that a browser never sends: the entry would
		// match no page, so New names the form it would have to take.
		{"cors origin in upper case", mock.Config{CORSOrigins: []string{"HTTP://App.Example.com"}}, `"http://app.example.com"`},
		{"cors origin with a query", mock.Config{CORSOrigins: []string{"http://localhost:5173?"}}, `"http://localhost:5173"`},
		{"cors origin with a user", mock.Config{CORSOrigins: []string{"https://me@app.example.com"}}, `"https://app.example.com"`},
		{"cors origin with its default port", mock.Config{CORSOrigins: []string{"https://app.example.com:443"}}, `"https://app.example.com"`},
		{"cors origin with an empty port", mock.Config{CORSOrigins: []string{"http://localhost:"}}, `"http://localhost"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := mock.New(tc.cfg)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want an error about %s", err, tc.want)
			}
		})
	}
}
