package contracttest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/ncpmock/ncpmock/apigw"
	"github.com/ncpmock/ncpmock/contracttest"
	"github.com/ncpmock/ncpmock/mock"
	"github.com/ncpmock/ncpmock/mock/mocktest"
)

// storedUsers returns how many users the mock holds.
func storedUsers(t *testing.T, srv *mocktest.Server) int {
	t.Helper()
	return len(mockUsers(t, srv.URL))
}

func TestCleanupDeletesWhatTheRunCreated(t *testing.T) {
	srv := mocktest.NewServer(t, mock.Config{})
	report, err := contracttest.Check(context.Background(), srv.URL, contracttest.Config{Cleanup: true}, nil)
	if err != nil {
		t.Fatal(err)
	}
	c := report.Cleanup
	if c == nil || len(report.Created) < 100 || c.Deleted != len(report.Created) || len(c.Failed) != 0 {
		t.Fatalf("created %d, cleanup %+v; want every created user deleted", len(report.Created), c)
	}
	if c.URL != srv.URL+"/api/v1/users/delete" {
		t.Errorf("cleanup sent to %s", c.URL)
	}
	if n := storedUsers(t, srv); n != 0 {
		t.Errorf("the mock still holds %d users", n)
	}
	var out bytes.Buffer
	contracttest.WriteSummary(&out, report, contracttest.SummaryOptions{})
	if want := "; deleted " + strconv.Itoa(len(report.Created)) + " with POST " + c.URL; !strings.Contains(out.String(), want) || strings.Contains(out.String(), "NOT DELETED") {
		t.Errorf("summary %q, want %q", out.String(), want)
	}

	// Without Cleanup the users stay.
	report, err = contracttest.Check(context.Background(), srv.URL, contracttest.Config{}, nil)
	if err != nil || report.Cleanup != nil || storedUsers(t, srv) != len(report.Created) {
		t.Errorf("without cleanup: %v, %+v, %d stored", err, report.Cleanup, storedUsers(t, srv))
	}
}

// TestCleanupReportsWhatItCouldNotDelete runs against a server that deletes
// only some users, and one that has no delete operation: the users left are
// listed with the reason, and the contract verdict does not change.
func TestCleanupReportsWhatItCouldNotDelete(t *testing.T) {
	m, err := mock.New(mock.Config{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		delete http.HandlerFunc
		reason string
	}{
		{"no delete operation", func(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) }, "answered 404"},
		{"refuses each", func(w http.ResponseWriter, r *http.Request) {
			var req struct{ UserIDs []string }
			_ = json.NewDecoder(r.Body).Decode(&req)
			out := make([]map[string]any, len(req.UserIDs))
			for i, id := range req.UserIDs {
				out[i] = map[string]any{"id": id, "success": false, "message": "Permission denied."}
			}
			_ = json.NewEncoder(w).Encode(out)
		}, `success false: "Permission denied."`},
		{"short answer", func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte(`[]`)) }, "0 results for"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_ = m.Reset(context.Background())
			mux := http.NewServeMux()
			mux.Handle("/", m)
			mux.Handle("POST /api/v1/users/delete", tc.delete)
			ts := httptest.NewServer(mux)
			defer ts.Close()
			report, err := contracttest.Check(context.Background(), ts.URL, contracttest.Config{Cleanup: true}, nil)
			if err != nil {
				t.Fatalf("the contract holds, cleanup or not: %v", err)
			}
			c := report.Cleanup
			if c == nil || c.Deleted != 0 || len(c.Failed) != len(report.Created) || len(c.Failed) == 0 {
				t.Fatalf("cleanup %+v, want all %d users failed", c, len(report.Created))
			}
			if f := c.Failed[0]; f.ID != report.Created[0].ID || !strings.Contains(f.Reason, tc.reason) || strings.Contains(f.Reason, "\n") {
				t.Errorf("first failure %+v, want user %s with reason %q on one line", f, report.Created[0].ID, tc.reason)
			}
			var out bytes.Buffer
			contracttest.WriteSummary(&out, report, contracttest.SummaryOptions{})
			if !strings.Contains(out.String(), "NOT DELETED: "+strconv.Itoa(len(c.Failed))+" users") || !strings.Contains(out.String(), report.Created[0].ID) {
				t.Errorf("summary does not list the users left: %s", out.String())
			}
		})
	}
}

// TestCleanupReportsLookupsItCouldNotMake runs against a mock whose first
// two bulk answers are lost after it created the users, behind a GET /users
// that cannot answer the lookups: each maybe-created login ID is listed
// with why it could not be looked up, and after three lookups in a row that
// got no answer, the rest are not tried.
func TestCleanupReportsLookupsItCouldNotMake(t *testing.T) {
	lost, err := mock.NewFault(mock.KindReset, map[string]any{"created": true})
	if err != nil {
		t.Fatal(err)
	}
	hangUp := func(w http.ResponseWriter, r *http.Request) {
		conn, _, err := http.NewResponseController(w).Hijack()
		if err == nil {
			conn.Close()
		}
	}
	for _, tc := range []struct {
		name    string
		lookup  http.HandlerFunc
		reasons []string // of the first failure, and of the last
	}{
		{"500", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "boom", 500) }, []string{"answered 500: boom", "answered 500: boom"}},
		{"not a page", func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte(`[]`)) }, []string{"is not a page of users", "is not a page of users"}},
		{"no items", func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte(`{"totalItems":0}`)) }, []string{"is not a page of users", "is not a page of users"}},
		{"more pages", func(w http.ResponseWriter, r *http.Request) {
			_, _ = w.Write([]byte(`{"page":0,"totalItems":25,"hasNext":true,"items":[{"userId":"x","loginId":"someone-else@example.com"}]}`))
		}, []string{"25 users match, and the first page (1) does not hold it", "25 users match"}},
		{"no answer", hangUp, []string{"EOF", "not looked up: the 3 lookups before it got no answer"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, err := mock.New(mock.Config{Faults: []mock.Rule{{Fault: lost, Times: 2}}})
			if err != nil {
				t.Fatal(err)
			}
			mux := http.NewServeMux()
			mux.Handle("/", m)
			mux.Handle("GET /api/v1/users", tc.lookup)
			ts := httptest.NewServer(mux)
			defer ts.Close()
			report, _ := contracttest.Check(context.Background(), ts.URL, contracttest.Config{Cleanup: true, ReproDir: t.TempDir()}, nil)
			c := report.Cleanup
			if n := len(report.MaybeCreated); n != 6 || c == nil || len(c.LookupFailed) != n || len(c.Found) != 0 || len(c.NotFound) != 0 {
				t.Fatalf("maybe created %d, cleanup %+v; want 6, none found, every lookup failed", n, c)
			}
			first, last := c.LookupFailed[0], c.LookupFailed[len(c.LookupFailed)-1]
			if first.LoginID != report.MaybeCreated[0].LoginID || first.Case != "positive/typical" ||
				!strings.Contains(first.Reason, tc.reasons[0]) || !strings.Contains(last.Reason, tc.reasons[1]) {
				t.Errorf("lookup failures %+v; want reasons %q", c.LookupFailed, tc.reasons)
			}
			if n := storedUsers(t, &mocktest.Server{URL: ts.URL}); n != 6 || c.Deleted != len(report.Created) {
				t.Errorf("the mock holds %d users, cleanup deleted %d; want the 6 not found left, all %d created deleted", n, c.Deleted, len(report.Created))
			}
			var out bytes.Buffer
			contracttest.WriteSummary(&out, report, contracttest.SummaryOptions{})
			for _, want := range []string{
				"; looked up with GET " + ts.URL + "/api/v1/users: 0 found and deleted, 0 not found (not created), 6 not looked up\n",
				"LOOKUP FAILED: 6 login IDs; to look them up by hand:\n  " + first.LoginID + " (positive/typical: ",
			} {
				if !strings.Contains(out.String(), want) {
					t.Errorf("summary lacks %q:\n%s", want, out.String())
				}
			}
		})
	}
}

// TestCleanupLooksUpSigned: the lookups are signed as the rest of the run,
// against a mock that checks signatures on its directory too.
func TestCleanupLooksUpSigned(t *testing.T) {
	creds := apigw.Credentials{AccessKey: "AKCLEANUP", SecretKey: "cleanup-secret"}
	lost, err := mock.NewFault(mock.KindReset, map[string]any{"created": true})
	if err != nil {
		t.Fatal(err)
	}
	srv := mocktest.NewServer(t, mock.Config{Faults: []mock.Rule{{Fault: lost, Times: 1}},
		Auth: mock.AuthConfig{Mode: mock.AuthNCP, Credentials: []apigw.Credentials{creds}}})
	signer, err := apigw.NewSigner(creds)
	if err != nil {
		t.Fatal(err)
	}
	report, _ := contracttest.Check(context.Background(), srv.URL, contracttest.Config{Signer: signer, Cleanup: true, ReproDir: t.TempDir()}, nil)
	if c := report.Cleanup; c == nil || len(c.Found) != 3 || len(c.LookupFailed) != 0 {
		t.Fatalf("cleanup %+v, want the 3 users of the lost answer found", c)
	}
	if n := storedUsers(t, srv); n != 0 {
		t.Errorf("the mock still holds %d users", n)
	}
}
