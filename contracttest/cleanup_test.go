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
