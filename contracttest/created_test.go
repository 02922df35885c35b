package contracttest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/ncpmock/ncpmock/contracttest"
	"github.com/ncpmock/ncpmock/mock"
	"github.com/ncpmock/ncpmock/mock/mocktest"
)

// mockUsers returns the users the mock at url holds, read from its admin API
// (url may be a proxy in front of the mock, as defective's is).
func mockUsers(t *testing.T, url string) []mock.User {
	t.Helper()
	resp, err := http.Get(url + mock.PathAdminUsers)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var stored struct{ Users []mock.User }
	if err := json.NewDecoder(resp.Body).Decode(&stored); err != nil {
		t.Fatal(err)
	}
	return stored.Users
}

// storedLoginIDs returns the login IDs of the users the mock at url holds.
func storedLoginIDs(t *testing.T, url string) []string {
	t.Helper()
	users := mockUsers(t, url)
	ids := make([]string, len(users))
	for i, u := range users {
		ids[i] = u.LoginID
	}
	return ids
}

// checkNothingLost fails t unless every user the mock still holds after a
// run with Cleanup is listed in the report as maybe created.
func checkNothingLost(t *testing.T, url string, report *contracttest.Report) {
	t.Helper()
	maybe := make([]string, len(report.MaybeCreated))
	for i, m := range report.MaybeCreated {
		maybe[i] = m.LoginID
		if m.Case == "" || m.Reason == "" || m.Status < 200 || m.Status > 299 {
			t.Errorf("maybe created %+v: want its case, a reason and a 2xx status", m)
		}
	}
	for _, id := range storedLoginIDs(t, url) {
		if !slices.Contains(maybe, id) {
			t.Errorf("user %s is left after the clean-up and not listed as maybe created (%d listed)", id, len(maybe))
		}
	}
	if c := report.Cleanup; c == nil || len(c.Failed) != 0 || c.Deleted != len(report.Created) {
		t.Errorf("cleanup %+v, want all %d created users deleted", c, len(report.Created))
	}
}

// TestUsersOfBrokenAnswersAreCleanedUp: users a 2xx answer created are
// recorded and deleted even when the answer fails its checks, and the login
// IDs an answer leaves without a readable ID are listed as maybe created.
func TestUsersOfBrokenAnswersAreCleanedUp(t *testing.T) {
	t.Run("too-few", func(t *testing.T) {
		fault, err := mock.NewFault(mock.KindContractBreak, map[string]any{"variant": "too-few"})
		if err != nil {
			t.Fatal(err)
		}
		srv := mocktest.NewServer(t, mock.Config{Faults: []mock.Rule{{Fault: fault}}})
		report, _ := contracttest.Check(context.Background(), srv.URL, contracttest.Config{Cleanup: true, ReproDir: t.TempDir()}, nil)
		if len(report.Created) < 100 || len(report.MaybeCreated) == 0 {
			t.Fatalf("created %d, maybe created %d; want the users of every short answer but its last", len(report.Created), len(report.MaybeCreated))
		}
		checkNothingLost(t, srv.URL, report)
		var out bytes.Buffer
		contracttest.WriteSummary(&out, report, contracttest.SummaryOptions{ListAll: true})
		m := report.MaybeCreated[0]
		want := fmt.Sprintf("MAYBE CREATED: %d login IDs answered 2xx without a user ID to delete by; look them up by login ID:\n  %s (%s: the 200 answer has no result for it)\n",
			len(report.MaybeCreated), m.LoginID, m.Case)
		if !strings.Contains(out.String(), want) {
			t.Errorf("summary lacks %q:\n%s", want, out.String())
		}
	})
	tests := []struct {
		name   string
		defect func(a *answer)
		maybe  bool // some users are left with no readable ID
	}{
		{"success as a string", func(a *answer) {
			results(a, func(rs []map[string]any) []map[string]any {
				for _, r := range rs {
					if r["success"] == true {
						r["success"] = "true"
					}
				}
				return rs
			})
		}, false},
		{"201 for 200", func(a *answer) {
			if a.status == 200 {
				a.status = 201
			}
		}, false},
		{"body cut in the middle", func(a *answer) {
			if a.status == 200 {
				a.body = a.body[:len(a.body)/2]
			}
		}, true},
		{"no id", func(a *answer) {
			results(a, func(rs []map[string]any) []map[string]any {
				delete(rs[0], "id")
				return rs
			})
		}, true},
		// The foreign id is not deleted: checkNothingLost wants no failed deletion.
		{"a result for a user nobody sent", func(a *answer) {
			results(a, func(rs []map[string]any) []map[string]any {
				return append(rs, map[string]any{"name": "someone-else@example.com", "success": true,
					"id": "1a2b3c4d-1111-4abc-8def-0123456789ab", "nrn": "nrn:PUB:SSO::1234567:User/1a2b3c4d-1111-4abc-8def-0123456789ab"})
			})
		}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			url := defective(t, func(a *answer) {
				if a.path == "/api/v1/users/bulk" { // clean-up is answered as it should be
					tc.defect(a)
				}
			})
			report, _ := contracttest.Check(context.Background(), url, contracttest.Config{Cleanup: true, ReproDir: t.TempDir()}, nil)
			if len(report.Created) == 0 || (len(report.MaybeCreated) > 0) != tc.maybe {
				t.Fatalf("created %d, maybe created %d; want some created and maybe created: %t", len(report.Created), len(report.MaybeCreated), tc.maybe)
			}
			checkNothingLost(t, url, report)
		})
	}
}

// TestIDsThatAreNoUUIDAreRecorded: a server whose ids are not UUIDs fails
// user_id_format, and its ids are still the ones to delete the users by.
func TestIDsThatAreNoUUIDAreRecorded(t *testing.T) {
	url := defective(t, func(a *answer) {
		results(a, func(rs []map[string]any) []map[string]any {
			for i, r := range rs {
				if r["success"] == true {
					r["id"] = "user-" + r["name"].(string)
					rs[i] = r
				}
			}
			return rs
		})
	})
	report, _ := contracttest.Check(context.Background(), url, contracttest.Config{Only: []string{"positive/typical"}}, nil)
	if len(report.Created) != 3 {
		t.Fatalf("created %+v, want the 3 users of positive/typical", report.Created)
	}
	for _, u := range report.Created {
		if u.ID != "user-"+u.LoginID {
			t.Errorf("created %+v, want the id the server gave", u)
		}
	}
}

// TestJSONListsAreNeverNull: a run that creates nobody writes "created": []
// and "maybeCreated": [], which a script can iterate without a null check.
func TestJSONListsAreNeverNull(t *testing.T) {
	srv := mocktest.NewServer(t, mock.Config{})
	report, err := contracttest.Check(context.Background(), srv.URL, contracttest.Config{Only: []string{"negative/empty-body"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var js bytes.Buffer
	if err := contracttest.WriteJSON(&js, report); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"created": [],`, `"maybeCreated": []`} {
		if !strings.Contains(js.String(), want) {
			t.Errorf("JSON report lacks %s:\n%s", want, js.String())
		}
	}
}
