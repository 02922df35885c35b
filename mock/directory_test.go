package mock

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers/legacy"
	"github.com/ncpmock/ncpmock/apigw"
	"github.com/ncpmock/ncpmock/openapi"
)

const apiBase = "/api/v1"

// strictDecode decodes a JSON answer into v, failing on a property v does not
// declare: the directory's answers must hold exactly their documented fields.
func strictDecode(t *testing.T, data []byte, v any) {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		t.Fatalf("decode %s: %v", data, err)
	}
}

func createOK(t *testing.T, s *Server, body string) []openapi.UserResult {
	t.Helper()
	rec := do(t, s, http.MethodPost, apiBase+"/users/bulk", body)
	if rec.Code != http.StatusOK {
		t.Fatalf("create: %d %s", rec.Code, rec.Body)
	}
	return decodeResults(t, rec.Body.Bytes())
}

func getJSON(t *testing.T, s *Server, target string, want int, v any) {
	t.Helper()
	rec := do(t, s, http.MethodGet, target, "")
	if rec.Code != want {
		t.Fatalf("GET %s: %d %s, want %d", target, rec.Code, rec.Body, want)
	}
	strictDecode(t, rec.Body.Bytes(), v)
}

// TestDirectoryReadsBackWhatBulkCreated follows a screen's round trip:
// create, list, open one, check login IDs, delete, create again.
func TestDirectoryReadsBackWhatBulkCreated(t *testing.T) {
	created := time.Date(2026, 12, 3, 10, 30, 0, 0, time.FixedZone("KST", 9*3600))
	s := newTestServer(t, Config{Seed: 3, Now: func() time.Time { return created }})
	body := `{"params":[
		{"loginId":"kim@example.com","description":"팀장","userProfile":{"firstName":"민지","lastName":"김","email":"kim@corp.example","empNo":"E-1","phoneCountryCode":"82","phoneNo":"010-1100-0000","deptName":"영업"},"accessRules":{"consoleAccessAllowed":true,"apiAccessAllowed":false}},
		{"loginId":"lee@example.com","accessRules":{"consoleAccessAllowed":false,"apiAccessAllowed":true}},
		{"loginId":"park@example.com","accessRules":{"consoleAccessAllowed":true,"apiAccessAllowed":true}}]}`
	results := createOK(t, s, body)

	var page UserPage
	getJSON(t, s, apiBase+"/users", http.StatusOK, &page)
	if page.TotalItems != 3 || len(page.Items) != 3 || page.TotalPages != 1 || !page.IsFirst || !page.IsLast || page.HasNext || page.HasPrevious {
		t.Fatalf("GET /users: %+v, want the 3 users on one page", page)
	}
	kim := page.Items[0]
	want := UserDetail{
		UserID: results[0].ID, LoginID: "kim@example.com", NRN: results[0].NRN,
		UserProfile: UserProfileDetail{FirstName: "민지", LastName: "김", Email: "kim@corp.example", EmpNo: "E-1",
			PhoneCountryCode: "82", PhoneNo: "010-1100-0000", DeptName: "영업"},
		AccessRules: openapi.AccessRules{ConsoleAccessAllowed: true},
		Status:      "active", Description: "팀장",
		CreatedAt: "2026-12-03T01:30:00Z", UpdatedAt: "2026-12-03T01:30:00Z",
	}
	if fmt.Sprint(kim) != fmt.Sprint(want) {
		t.Errorf("first user:\n got %+v\nwant %+v", kim, want)
	}
	for i, u := range page.Items {
		if u.UserID != results[i].ID || u.NRN != results[i].NRN || u.LoginID != results[i].Name {
			t.Errorf("item %d is %s %s, want the user created %d-th: %+v", i, u.LoginID, u.UserID, i, results[i])
		}
	}
	if lee := page.Items[1]; lee.AccessRules != (openapi.AccessRules{APIAccessAllowed: true}) || lee.UserProfile != (UserProfileDetail{}) {
		t.Errorf("second user: %+v, want its access rules and an empty profile", lee)
	}

	var one UserDetail
	getJSON(t, s, apiBase+"/users/"+results[1].ID, http.StatusOK, &one)
	if fmt.Sprint(one) != fmt.Sprint(page.Items[1]) {
		t.Errorf("GET /users/{id}: %+v, want %+v", one, page.Items[1])
	}

	check := func(loginID, wantMsg string) {
		t.Helper()
		var got openapi.UserResult
		getJSON(t, s, apiBase+"/users/check-login-id?loginId="+url.QueryEscape(loginID), http.StatusOK, &got)
		if got.Name != loginID || got.Success != (wantMsg == "") || got.Message != wantMsg || got.ID != "" {
			t.Errorf("check-login-id %s: %+v, want message %q", loginID, got, wantMsg)
		}
	}
	check("lee@example.com", MsgDuplicateLoginID)
	check("LEE@Example.com", MsgDuplicateLoginID) // login IDs compare without case
	check("choi@example.com", "")
	check("not-an-email", MsgInvalidLoginID)
	// The per-user triggers answer as they fail in a bulk request.
	check("duplicate@fail.ncpmock.test", MsgDuplicateLoginID)
	check("invalid+signup@fail.ncpmock.test", MsgInvalidLoginID)
	check("status-503@fail.ncpmock.test", "")

	rec := do(t, s, http.MethodDelete, apiBase+"/users/"+results[1].ID, "")
	var del DeleteResult
	strictDecode(t, rec.Body.Bytes(), &del)
	if rec.Code != http.StatusOK || del != (DeleteResult{ID: results[1].ID, NRN: results[1].NRN, Success: true}) {
		t.Fatalf("DELETE: %d %+v", rec.Code, del)
	}
	rec = do(t, s, http.MethodGet, apiBase+"/users/"+results[1].ID, "")
	var gone openapi.ErrorResponse
	strictDecode(t, rec.Body.Bytes(), &gone)
	if rec.Code != http.StatusNotFound || gone.ErrorCode != http.StatusNotFound || gone.Message != MsgUserNotFound {
		t.Errorf("GET a deleted user: %d %s, want 404 %q", rec.Code, rec.Body, MsgUserNotFound)
	}
	check("lee@example.com", "")
	rec = do(t, s, http.MethodDelete, "/users/"+results[1].ID, "") // the bare path too
	del = DeleteResult{}
	strictDecode(t, rec.Body.Bytes(), &del)
	if rec.Code != http.StatusOK || del != (DeleteResult{ID: results[1].ID, Message: MsgUserNotFound}) {
		t.Errorf("DELETE again: %d %+v, want success false, %q", rec.Code, del, MsgUserNotFound)
	}

	again := createOK(t, s, bulkBody("lee@example.com"))
	if !again[0].Success || again[0].ID == results[1].ID {
		t.Errorf("recreating a deleted login ID: %+v, want a new user", again[0])
	}
	getJSON(t, s, apiBase+"/users", http.StatusOK, &page)
	if page.TotalItems != 3 || page.Items[2].UserID != again[0].ID || page.Items[1].LoginID != "park@example.com" {
		t.Errorf("after delete and create: %+v", page.Items)
	}
}

func TestDirectoryPagesAndSearches(t *testing.T) {
	s := newTestServer(t, Config{Seed: 4})
	var ids []string
	for i := range 45 {
		domain := "example.com"
		if i%3 == 0 {
			domain = "corp.example"
		}
		ids = append(ids, fmt.Sprintf("user%02d@%s", i, domain))
	}
	results := createOK(t, s, bulkBody(ids...))

	tests := []struct {
		query             string
		total, pages, n   int
		first, last       bool
		prev, next        bool
		firstID           string
		wantEveryContains string
	}{
		{"", 45, 3, 20, true, false, false, true, "user00@corp.example", ""},
		{"?page=1", 45, 3, 20, false, false, true, true, "user20@example.com", ""},
		{"?page=2", 45, 3, 5, false, true, true, false, "user40@example.com", ""},
		{"?page=3", 45, 3, 0, false, true, true, false, "", ""},
		{"?size=45", 45, 1, 45, true, true, false, false, "user00@corp.example", ""},
		{"?size=7&page=6", 45, 7, 3, false, true, true, false, "user42@corp.example", ""},
		{"?searchColumn=loginId&searchWord=corp", 15, 1, 15, true, true, false, false, "user00@corp.example", "corp"},
		{"?searchColumn=loginId&searchWord=corp&size=10&page=1", 15, 2, 5, false, true, true, false, "user30@corp.example", "corp"},
		{"?searchColumn=status&searchWord=active", 45, 3, 20, true, false, false, true, "user00@corp.example", ""},
		{"?searchColumn=status&searchWord=suspended", 0, 0, 0, true, true, false, false, "", ""},
		{"?searchColumn=userId&searchWord=" + results[7].ID, 1, 1, 1, true, true, false, false, "user07@example.com", ""},
		{"?searchColumn=nrn&searchWord=" + results[8].NRN, 1, 1, 1, true, true, false, false, "user08@example.com", ""},
		{"?searchColumn=loginId", 45, 3, 20, true, false, false, true, "user00@corp.example", ""},
	}
	for _, tc := range tests {
		t.Run(tc.query, func(t *testing.T) {
			var p UserPage
			getJSON(t, s, apiBase+"/users"+tc.query, http.StatusOK, &p)
			if p.TotalItems != tc.total || p.TotalPages != tc.pages || len(p.Items) != tc.n ||
				p.IsFirst != tc.first || p.IsLast != tc.last || p.HasPrevious != tc.prev || p.HasNext != tc.next {
				t.Fatalf("got total %d, pages %d, %d items, first %t last %t prev %t next %t; want %+v",
					p.TotalItems, p.TotalPages, len(p.Items), p.IsFirst, p.IsLast, p.HasPrevious, p.HasNext, tc)
			}
			if p.Items == nil {
				t.Error("items is null, want []")
			}
			if tc.n > 0 && p.Items[0].LoginID != tc.firstID {
				t.Errorf("first item %s, want %s", p.Items[0].LoginID, tc.firstID)
			}
			for _, u := range p.Items {
				if !strings.Contains(u.LoginID, tc.wantEveryContains) {
					t.Errorf("item %s does not match the search", u.LoginID)
				}
			}
		})
	}
}

// TestDirectoryBadInput checks that every refused request names the field,
// the rule and the limit, in the service's 400 shape.
func TestDirectoryBadInput(t *testing.T) {
	s := newTestServer(t, Config{Seed: 5})
	created := createOK(t, s, bulkBody("a@example.com"))
	many := make([]string, maxDeleteIDs+1)
	for i := range many {
		many[i] = fmt.Sprintf("id-%d", i)
	}
	manyJSON, _ := json.Marshal(DeleteRequest{UserIDs: many})
	tests := []struct {
		name, method, target, body string
		field, rule, inMessage     string
	}{
		{"size 0", "GET", "/users?size=0", "", "size", "minimum", "at least 1"},
		{"size too big", "GET", "/users?size=1001", "", "size", "maximum", "at most 1000"},
		{"negative page", "GET", "/users?page=-1", "", "page", "minimum", "at least 0"},
		{"page not a number", "GET", "/users?page=two", "", "page", "type", `"two"`},
		{"unknown column", "GET", "/users?searchColumn=email&searchWord=x", "", "searchColumn", "enum", "loginId, status, nrn, userId"},
		{"word without column", "GET", "/users?searchWord=x", "", "searchColumn", "required", "with searchWord"},
		{"check without loginId", "GET", "/users/check-login-id", "", "loginId", "required", "loginId is required"},
		{"delete no ids", "POST", "/users/delete", `{}`, "userIds", "required", "1 to 100"},
		{"delete empty", "POST", "/users/delete", `{"userIds":[]}`, "userIds", "minItems", "at least 1"},
		{"delete ids spelled otherwise", "POST", "/users/delete", `{"USERIDS":["` + created[0].ID + `"]}`, "userIds", "required", "1 to 100"},
		{"delete too many", "POST", "/users/delete", string(manyJSON), "userIds", "maxItems", "101 items; want at most 100"},
		{"delete wrong type", "POST", "/users/delete", `{"userIds":"` + created[0].ID + `"}`, "userIds", "type", "array of strings"},
		{"delete not JSON", "POST", "/users/delete", `userIds=1`, "", openapi.RuleJSON, "malformed JSON at byte offset 0"},
		{"delete missing comma", "POST", "/users/delete", `{"userIds":["a" "b"]}`, "", openapi.RuleJSON, "malformed JSON at byte offset 16"},
		{"delete not an object", "POST", "/users/delete", `["` + created[0].ID + `"]`, "", openapi.RuleBody, `{"userIds"`},
		{"delete an ID not a string", "POST", "/users/delete", `{"userIds":["` + created[0].ID + `",1]}`, "userIds[1]", "type", "must be a string (a user ID), got number"},
		{"delete a null ID", "POST", "/users/delete", `{"userIds":[null]}`, "userIds[0]", "type", "got null"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := do(t, s, tc.method, apiBase+tc.target, tc.body)
			var e openapi.ErrorResponse
			strictDecode(t, rec.Body.Bytes(), &e)
			if rec.Code != http.StatusBadRequest || e.ErrorCode != 400 || len(e.FieldErrors) != 1 {
				t.Fatalf("got %d %s, want 400 with one field error", rec.Code, rec.Body)
			}
			if p := e.FieldErrors[0]; p.Field != tc.field || p.Rule != tc.rule || !strings.Contains(p.Message, tc.inMessage) {
				t.Errorf("got %+v, want field %q, rule %q, a message with %q", p, tc.field, tc.rule, tc.inMessage)
			}
		})
	}
	// Only JSON, as the bulk endpoint (a form from another site cannot
	// delete without asking first).
	for _, ct := range []string{"", "text/plain", "application/x-www-form-urlencoded", "application/json; charset=euc-kr"} {
		req := httptest.NewRequest(http.MethodPost, apiBase+"/users/delete", strings.NewReader(`{"userIds":["`+created[0].ID+`"]}`))
		if ct != "" {
			req.Header.Set("Content-Type", ct)
		}
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		var e openapi.ErrorResponse
		strictDecode(t, rec.Body.Bytes(), &e)
		if rec.Code != http.StatusBadRequest || len(e.FieldErrors) != 1 || e.FieldErrors[0].Rule != openapi.RuleContentType {
			t.Errorf("Content-Type %q: got %d %s, want 400 with rule %s", ct, rec.Code, rec.Body, openapi.RuleContentType)
		}
	}
	// Nothing was deleted by the refused requests.
	var p UserPage
	getJSON(t, s, apiBase+"/users", http.StatusOK, &p)
	if p.TotalItems != 1 {
		t.Errorf("%d users after refused requests, want 1", p.TotalItems)
	}
}

func TestDirectoryDeleteMany(t *testing.T) {
	s := newTestServer(t, Config{Seed: 6})
	r := createOK(t, s, bulkBody("a@example.com", "b@example.com", "c@example.com"))
	body, _ := json.Marshal(DeleteRequest{UserIDs: []string{r[2].ID, "no-such-id", r[0].ID, r[2].ID}})
	rec := do(t, s, http.MethodPost, apiBase+"/users/delete", string(body))
	var got []DeleteResult
	strictDecode(t, rec.Body.Bytes(), &got)
	want := []DeleteResult{
		{ID: r[2].ID, NRN: r[2].NRN, Success: true},
		{ID: "no-such-id", Message: MsgUserNotFound},
		{ID: r[0].ID, NRN: r[0].NRN, Success: true},
		{ID: r[2].ID, Message: MsgUserNotFound}, // deleted earlier in the same call
	}
	if rec.Code != http.StatusOK || fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("got %d %+v\nwant %+v", rec.Code, got, want)
	}
	var p UserPage
	getJSON(t, s, apiBase+"/users", http.StatusOK, &p)
	if p.TotalItems != 1 || p.Items[0].UserID != r[1].ID {
		t.Errorf("left %+v, want only b@example.com", p.Items)
	}
	again := createOK(t, s, bulkBody("a@example.com", "b@example.com", "c@example.com"))
	if !again[0].Success || again[1].Success || !again[2].Success {
		t.Errorf("recreate: %+v, want a and c created, b a duplicate", again)
	}
}

func TestDirectoryMethodsAndPaths(t *testing.T) {
	s := newTestServer(t, Config{Seed: 7})
	tests := []struct {
		method, target string
		want           int
		allow          string
	}{
		{"GET", apiBase + "/users/bulk", http.StatusMethodNotAllowed, "POST"},
		{"DELETE", apiBase + "/users/bulk", http.StatusMethodNotAllowed, "POST"},
		{"DELETE", apiBase + "/users/delete", http.StatusMethodNotAllowed, "POST"},
		{"POST", apiBase + "/users/check-login-id", http.StatusMethodNotAllowed, "GET, HEAD"},
		{"PUT", apiBase + "/users/some-id", http.StatusMethodNotAllowed, "GET, HEAD, DELETE"},
		// Routed as sent (Echo reads the escaped path): a user ID, not bulk.
		{"POST", apiBase + "/users/%62ulk", http.StatusMethodNotAllowed, "GET, HEAD, DELETE"},
		{"GET", apiBase + "/users/%62ulk", http.StatusNotFound, ""},
		{"GET", apiBase + "/users/check%2Dlogin-id", http.StatusNotFound, ""},
		{"GET", "/users", http.StatusOK, ""},
		// HEAD wherever GET is answered, as HTTP servers do.
		{"HEAD", apiBase + "/users", http.StatusOK, ""},
		{"HEAD", apiBase + "/users/check-login-id?loginId=a@b.co", http.StatusOK, ""},
		{"HEAD", PathAdminStats, http.StatusOK, ""},
		{"HEAD", PathHealth, http.StatusOK, ""},
		{"GET", apiBase + "/users/no-such-id", http.StatusNotFound, ""},
		{"GET", apiBase + "/users/bulk/", http.StatusNotFound, ""},
		{"DELETE", apiBase + "/users/some-id/x", http.StatusNotFound, ""},
	}
	for _, tc := range tests {
		t.Run(tc.method+" "+tc.target, func(t *testing.T) {
			rec := do(t, s, tc.method, tc.target, "")
			if rec.Code != tc.want || rec.Header().Get("Allow") != tc.allow {
				t.Errorf("got %d (Allow %q) %s, want %d (Allow %q)", rec.Code, rec.Header().Get("Allow"), rec.Body, tc.want, tc.allow)
			}
			if tc.want == http.StatusMethodNotAllowed {
				want := fmt.Sprintf("%s is not allowed on %s; use %s.", tc.method, tc.target, tc.allow)
				if g := gatewayErr(t, rec.Body.Bytes()); g.Details != want {
					t.Errorf("details %q, want %q", g.Details, want)
				}
			}
			if strings.Contains(tc.target, "/x") || strings.HasSuffix(tc.target, "/") {
				if g := gatewayErr(t, rec.Body.Bytes()); g.Details != "URL not found." {
					t.Errorf("got %s, want the gateway's URL not found", rec.Body)
				}
			}
		})
	}
}

// TestDirectoryNeedsSignatures checks that --auth ncp guards the directory
// as it guards the bulk endpoint: the signature covers the path and query.
func TestDirectoryNeedsSignatures(t *testing.T) {
	creds := apigw.Credentials{AccessKey: "AKDIR", SecretKey: "secret-dir"}
	s := newTestServer(t, Config{Seed: 8, Auth: AuthConfig{Mode: AuthNCP, Credentials: []apigw.Credentials{creds}}})
	signer, err := apigw.NewSigner(creds)
	if err != nil {
		t.Fatal(err)
	}
	signed := func(method, target, signedURI string) int {
		h := signer.Headers(method, signedURI)
		return do(t, s, method, target, "", apigw.HeaderTimestamp, h.Get(apigw.HeaderTimestamp),
			apigw.HeaderAccessKey, h.Get(apigw.HeaderAccessKey), apigw.HeaderSignature, h.Get(apigw.HeaderSignature)).Code
	}
	for _, target := range []string{apiBase + "/users?page=0&size=5", apiBase + "/users/check-login-id?loginId=a@b.co", apiBase + "/users/x"} {
		if rec := do(t, s, http.MethodGet, target, ""); rec.Code != http.StatusUnauthorized || gatewayErr(t, rec.Body.Bytes()).ErrorCode != "200" {
			t.Errorf("unsigned GET %s: %d %s, want 401 code 200", target, rec.Code, rec.Body)
		}
		if code := signed(http.MethodGet, target, apiBase+"/users"); code != http.StatusUnauthorized {
			t.Errorf("GET %s signed for another URI: %d, want 401", target, code)
		}
		if code := signed(http.MethodGet, target, target); code == http.StatusUnauthorized {
			t.Errorf("signed GET %s: 401", target)
		}
	}
	if code := signed(http.MethodDelete, apiBase+"/users/x", apiBase+"/users/x"); code != http.StatusOK {
		t.Errorf("signed DELETE: %d, want 200", code)
	}
}

// TestStoreDeleteUnderConcurrency creates and deletes the same login IDs from
// many goroutines: the store's indexes must stay true to its users.
func TestStoreDeleteUnderConcurrency(t *testing.T) {
	s := newTestServer(t, Config{Seed: 9})
	ctx := t.Context()
	logins := []string{"a@example.com", "B@example.com", "c@example.com", "b@EXAMPLE.com"}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 50 {
				if (g+i)%2 == 0 {
					do(t, s, http.MethodPost, apiBase+"/users/bulk", bulkBody(logins...))
					continue
				}
				users, _ := s.store.List(ctx)
				ids := make([]string, 0, len(users))
				for _, u := range users {
					ids = append(ids, u.ID)
				}
				if _, err := s.store.Delete(ctx, ids[:len(ids)/2]); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	users, _ := s.store.List(ctx)
	seen := map[string]bool{}
	for _, u := range users {
		key := strings.ToLower(u.LoginID)
		if seen[key] {
			t.Errorf("login ID %s held twice", key)
		}
		seen[key] = true
		if got, ok, _ := s.store.Get(ctx, u.ID); !ok || got.ID != u.ID {
			t.Errorf("Get(%s): %v %v", u.ID, got, ok)
		}
		if got, ok, _ := s.store.Lookup(ctx, strings.ToUpper(u.LoginID)); !ok || got.ID != u.ID {
			t.Errorf("Lookup(%s): %v %v", u.LoginID, got, ok)
		}
	}
	for _, l := range logins {
		if _, ok, _ := s.store.Lookup(ctx, l); ok != seen[strings.ToLower(l)] {
			t.Errorf("Lookup(%s) = %t, but the list says %t", l, ok, seen[strings.ToLower(l)])
		}
	}
}

// TestDirectoryAnswersKeepTheSpec validates every kind of directory answer
// against the operations the embedded spec declares, with kin-openapi.
func TestDirectoryAnswersKeepTheSpec(t *testing.T) {
	doc, err := openapi3.NewLoader().LoadFromData(openapi.EmbeddedYAML())
	if err != nil {
		t.Fatal(err)
	}
	doc.Servers = openapi3.Servers{{URL: apiBase}} // this copy routes requests of any host
	router, err := legacy.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}
	s := newTestServer(t, Config{Seed: 10})
	r := createOK(t, s, bulkBody("a@example.com", "b@example.com"))
	tests := []struct {
		method, target, body string
		want                 int
	}{
		{"GET", "/users", "", 200},
		{"GET", "/users?searchColumn=loginId&searchWord=b%40&size=1", "", 200},
		{"GET", "/users?page=9", "", 200},
		{"GET", "/users?size=0", "", 400},
		{"GET", "/users/" + r[0].ID, "", 200},
		{"GET", "/users/nope", "", 404},
		{"GET", "/users/check-login-id?loginId=a@example.com", "", 200},
		{"GET", "/users/check-login-id?loginId=new@example.com", "", 200},
		{"GET", "/users/check-login-id?loginId=bad", "", 200},
		{"POST", "/users/delete", `{"userIds":["` + r[1].ID + `","nope"]}`, 200},
		{"POST", "/users/delete", `{"userIds":[]}`, 400},
		{"DELETE", "/users/" + r[0].ID, "", 200},
		{"DELETE", "/users/" + r[0].ID, "", 200},
	}
	for _, tc := range tests {
		t.Run(tc.method+" "+tc.target, func(t *testing.T) {
			rec := do(t, s, tc.method, apiBase+tc.target, tc.body)
			if rec.Code != tc.want {
				t.Fatalf("got %d %s, want %d", rec.Code, rec.Body, tc.want)
			}
			req := httptest.NewRequest(tc.method, apiBase+tc.target, strings.NewReader(tc.body))
			route, params, err := router.FindRoute(req)
			if err != nil {
				t.Fatalf("the spec has no operation for it: %v", err)
			}
			err = openapi3filter.ValidateResponse(t.Context(), &openapi3filter.ResponseValidationInput{
				RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route},
				Status:                 rec.Code, Header: rec.Header(), Body: io.NopCloser(rec.Body),
				Options: &openapi3filter.Options{IncludeResponseStatus: true},
			})
			if err != nil {
				t.Errorf("the answer breaks the spec: %v", err)
			}
		})
	}
}

// TestDirectoryFaults checks which faults reach the directory: header
// faults, and rules that name a path; never a rule without one (written
// for the bulk endpoint), nor the faults that act on per-user results.
func TestDirectoryFaults(t *testing.T) {
	const users = apiBase + "/users"
	bulk := bulkBody("a@example.com")
	tests := []struct {
		name          string
		rule          *Rule
		header        string
		method, path  string
		want          int
		wantInMessage string
	}{
		{"header status", nil, "status=503", "GET", users, 503, ""},
		{"header status on a user", nil, "status=500", "DELETE", users + "/x", 500, ""},
		{"header partial refused", nil, "partial=0.5", "GET", users, 400, "partial acts on the results of POST .../users/bulk only"},
		{"header contract-break refused", nil, "contract-break=too-few", "GET", users + "/check-login-id?loginId=a@b.co", 400, "contract-break acts on"},
		{"rule without path: not here", &Rule{ID: "r", Fault: &StatusFault{Status: 503}}, "", "GET", users, 200, ""},
		{"rule without path: bulk still", &Rule{ID: "r", Fault: &StatusFault{Status: 503}}, "", "POST", apiBase + "/users/bulk", 503, ""},
		{"rule with the path", &Rule{ID: "r", Fault: &StatusFault{Status: 503}, Match: Match{Path: users}}, "", "GET", users, 503, ""},
		{"rule with the path: not bulk", &Rule{ID: "r", Fault: &StatusFault{Status: 503}, Match: Match{Path: users}}, "", "POST", apiBase + "/users/bulk", 200, ""},
		{"rule with a prefix", &Rule{ID: "r", Fault: &StatusFault{Status: 503}, Match: Match{Path: apiBase + "/*", Method: "DELETE"}}, "", "DELETE", users + "/x", 503, ""},
		{"partial rule with a path: not here", &Rule{ID: "r", Fault: &PartialFault{Fraction: 1}, Match: Match{Path: apiBase + "/*"}}, "", "GET", users, 200, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := Config{Seed: 11}
			if tc.rule != nil {
				cfg.Faults = []Rule{*tc.rule}
			}
			s := newTestServer(t, cfg)
			body := ""
			if tc.method == "POST" {
				body = bulk
			}
			var headers []string
			if tc.header != "" {
				headers = []string{HeaderFault, tc.header}
			}
			rec := do(t, s, tc.method, tc.path, body, headers...)
			if rec.Code != tc.want || !strings.Contains(rec.Body.String(), tc.wantInMessage) {
				t.Fatalf("got %d %s, want %d with %q", rec.Code, rec.Body, tc.want, tc.wantInMessage)
			}
			if applied := rec.Header().Get(HeaderFaultApplied); (tc.want >= 500) != (applied != "") {
				t.Errorf("%s: %q", HeaderFaultApplied, applied)
			}
			if tc.rule != nil && tc.want == 200 {
				if st := s.Faults()[0]; st.Matched != 0 {
					t.Errorf("the rule counted %d matches, want none", st.Matched)
				}
			}
		})
	}
}

// TestDirectoryOnlyBulkFaultRefused: a partial or contract-break rule whose
// path reaches only the directory could never fire, so it is refused when
// added, from Config and from the admin API alike.
func TestDirectoryOnlyBulkFaultRefused(t *testing.T) {
	rule := Rule{ID: "p", Fault: &PartialFault{Fraction: 0.5}, Match: Match{Path: apiBase + "/users"}}
	_, err := New(Config{Faults: []Rule{rule}})
	var fe *FaultError
	if !errors.As(err, &fe) || !strings.Contains(err.Error(), `partial acts on the results of POST /api/v1/users/bulk or /users/bulk only; match.path "/api/v1/users" does not reach it`) {
		t.Fatalf("New: got %v, want a *FaultError saying the rule cannot reach the bulk endpoint", err)
	}
	s := newTestServer(t, Config{})
	rec := do(t, s, http.MethodPost, PathAdminFaults, `{"fault":"contract-break","params":{"variant":"too-few"},"match":{"path":"/api/v1/users/check-login-id"}}`)
	if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), "contract-break acts on the results of POST") {
		t.Fatalf("admin API: got %d %s, want 400 naming the reach", rec.Code, rec.Body)
	}
	// A prefix that covers the bulk endpoint is fine.
	if _, err := s.AddFaults(Rule{Fault: &PartialFault{Fraction: 0.5}, Match: Match{Path: apiBase + "/*"}}); err != nil {
		t.Fatalf("partial on %s/*: %v", apiBase, err)
	}
}

// TestDirectoryWarnsOfUnknownQueryParameters: a query parameter the
// operation does not read (pageSize for size, a lower-case loginid) changes
// nothing in the answer, so the answer says it was ignored, as the bulk
// endpoint says of a property the spec does not declare.
func TestDirectoryWarnsOfUnknownQueryParameters(t *testing.T) {
	s := newTestServer(t, Config{Seed: 5})
	createOK(t, s, bulkBody("kim@example.com"))
	tests := []struct {
		target string
		want   []string // every warning, in order; none for nil
	}{
		{apiBase + "/users?page=0&size=5&searchColumn=loginId&searchWord=kim", nil},
		{apiBase + "/users?pageSize=5", []string{`pageSize: unknownParameter: is not a query parameter of GET /users, which reads page, size, searchColumn and searchWord; it is ignored`}},
		{apiBase + "/users?Size=5&sort=loginId", []string{
			`Size: unknownParameter: is not a query parameter of GET /users, which reads page, size, searchColumn and searchWord; it is ignored (did you mean "size"?)`,
			`sort: unknownParameter: is not a query parameter of GET /users, which reads page, size, searchColumn and searchWord; it is ignored`}},
		{apiBase + "/users?size=0&limit=5", []string{`limit: unknownParameter: is not a query parameter of GET /users, which reads page, size, searchColumn and searchWord; it is ignored`}},
		{apiBase + "/users/check-login-id?loginId=kim@example.com", nil},
		{apiBase + "/users/check-login-id?loginId=lee@example.com&email=lee@example.com", []string{`email: unknownParameter: is not a query parameter of GET /users/check-login-id, which reads loginId; it is ignored`}},
	}
	for _, tc := range tests {
		t.Run(tc.target, func(t *testing.T) {
			rec := do(t, s, http.MethodGet, tc.target, "")
			got := rec.Header().Values(HeaderWarning)
			if fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Errorf("warnings %q, want %q", got, tc.want)
			}
		})
	}
}

// TestRuleWithAMethodItNeverMeetsRefused: a rule without match.path acts on
// the bulk endpoint, which takes only POST, and a partial or contract-break
// acts on its results: match.method GET on either could never fire, so it is
// refused when added, naming the method, as a path that does not reach is.
func TestRuleWithAMethodItNeverMeetsRefused(t *testing.T) {
	tests := []struct {
		name string
		rule string
		want string // "" when the rule is accepted
	}{
		{"status, GET, no path", `{"fault":"status","params":{"status":503},"match":{"method":"GET"}}`,
			`match.method "GET" never fires without match.path: a rule without it acts on POST /api/v1/users/bulk or /users/bulk only`},
		{"partial, DELETE, directory prefix", `{"fault":"partial","params":{"fraction":0.5},"match":{"method":"delete","path":"/api/v1/*"}}`,
			`partial acts on the results of POST /api/v1/users/bulk or /users/bulk only; match.method "delete" does not reach it`},
		{"status, post in lower case, no path", `{"fault":"status","params":{"status":503},"match":{"method":"post"}}`, ""},
		{"status, GET, the list", `{"fault":"status","params":{"status":503},"match":{"method":"GET","path":"/api/v1/users"}}`, ""},
		{"partial, POST, prefix", `{"fault":"partial","params":{"fraction":0.5},"match":{"method":"POST","path":"/api/v1/*"}}`, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newTestServer(t, Config{})
			rec := do(t, s, http.MethodPost, PathAdminFaults, tc.rule)
			if tc.want == "" {
				if rec.Code != http.StatusCreated {
					t.Fatalf("got %d %s, want 201", rec.Code, rec.Body)
				}
				return
			}
			if rec.Code != http.StatusBadRequest || !strings.Contains(gatewayErr(t, rec.Body.Bytes()).Details, tc.want) {
				t.Fatalf("got %d %s, want 400 with %q", rec.Code, rec.Body, tc.want)
			}
		})
	}
	rule := Rule{ID: "g", Fault: &StatusFault{Status: 503}, Match: Match{Method: http.MethodGet}}
	var fe *FaultError
	if _, err := New(Config{Faults: []Rule{rule}}); !errors.As(err, &fe) {
		t.Fatalf("New: got %v, want a *FaultError", err)
	}
}

// TestCheckLoginIDAgreesWithBulkOnTriggerDomain checks that a form which
// checks a login ID first learns what the upload would say of it: a name in
// the trigger domain that the bulk endpoint refuses is refused by
// check-login-id too, with the bulk endpoint's message.
func TestCheckLoginIDAgreesWithBulkOnTriggerDomain(t *testing.T) {
	tests := []struct {
		loginID string
		refused bool // the bulk endpoint answers 400 with rule trigger
	}{
		{"statuss-503@fail.ncpmock.test", true},
		{"STATIS-503+signup@Fail.Ncpmock.Test", true},
		{"status@fail.ncpmock.test", true},
		{"status-99@fail.ncpmock.test", true},
		{"reset-5@fail.ncpmock.test", true},
		{"status-503@fail.ncpmock.test", false},
		{"duplicate@fail.ncpmock.test", false},
		{"ssssssssssssssssssssssssssssssssssssssssssss@fail.ncpmock.test", false}, // too long: the spec's rule comes first
	}
	for _, tc := range tests {
		t.Run(tc.loginID, func(t *testing.T) {
			s := newTestServer(t, Config{})
			rec := do(t, s, http.MethodPost, bulkPath, bulkBody(tc.loginID))
			want := openapi.UserResult{Name: tc.loginID, Success: true}
			var er openapi.ErrorResponse
			_ = json.Unmarshal(rec.Body.Bytes(), &er)
			refused := rec.Code == http.StatusBadRequest && len(er.FieldErrors) == 1 && er.FieldErrors[0].Rule == "trigger"
			if refused != tc.refused {
				t.Fatalf("bulk: got %d %s, want refused with rule trigger: %t", rec.Code, rec.Body, tc.refused)
			}
			switch {
			case refused:
				want.Success, want.Message = false, er.FieldErrors[0].Message
			case rec.Code == http.StatusBadRequest:
				want.Success, want.Message = false, MsgInvalidLoginID
			case rec.Code == http.StatusOK:
				if r := decodeResults(t, rec.Body.Bytes()); !r[0].Success {
					want.Success, want.Message = false, r[0].Message
				}
			}
			var got openapi.UserResult
			getJSON(t, s, apiBase+"/users/check-login-id?loginId="+url.QueryEscape(tc.loginID), http.StatusOK, &got)
			if got != want {
				t.Errorf("check-login-id: got %+v, want %+v (bulk answered %d %s)", got, want, rec.Code, rec.Body)
			}
		})
	}
}
