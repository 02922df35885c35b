package contracttest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

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

// checkNothingLost fails t unless a run with Cleanup left the mock at url
// no user: every created user deleted, and every maybe-created login ID
// looked up, and its user deleted when found.
func checkNothingLost(t *testing.T, url string, report *contracttest.Report) {
	t.Helper()
	for _, m := range report.MaybeCreated {
		if m.Case == "" || m.Reason == "" {
			t.Errorf("maybe created %+v: want its case and a reason", m)
		}
	}
	if left := storedLoginIDs(t, url); len(left) != 0 {
		t.Errorf("the mock still holds %q after the clean-up", left)
	}
	c := report.Cleanup
	if c == nil || len(c.Failed) != 0 || len(c.LookupFailed) != 0 || len(c.Found)+len(c.NotFound) != len(report.MaybeCreated) ||
		c.Deleted < len(report.Created) {
		t.Errorf("cleanup %+v, want all %d created users deleted and all %d maybe created looked up", c, len(report.Created), len(report.MaybeCreated))
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
		c, n := report.Cleanup, len(report.MaybeCreated)
		if len(c.Found) != n {
			t.Errorf("found %d of %d maybe created, want all: the mock created them", len(c.Found), n)
		}
		var out bytes.Buffer
		contracttest.WriteSummary(&out, report, contracttest.SummaryOptions{ListAll: true})
		for _, want := range []string{
			fmt.Sprintf("created %d users and found %d maybe created (login IDs ncpmock-%s-*); deleted %d with POST %s\n", len(report.Created), n, report.RunID, len(report.Created)+n, c.URL),
			fmt.Sprintf("MAYBE CREATED: %d login IDs got no answer with a user ID to delete them by; looked up with GET %s/api/v1/users: %d found and deleted, 0 not found (not created)\n", n, srv.URL, n),
		} {
			if !strings.Contains(out.String(), want) {
				t.Errorf("summary lacks %q:\n%s", want, out.String())
			}
		}
		// Without clean-up, the summary lists them to be looked up by hand.
		out.Reset()
		uncleaned := *report
		uncleaned.Cleanup = nil
		contracttest.WriteSummary(&out, &uncleaned, contracttest.SummaryOptions{ListAll: true})
		m := report.MaybeCreated[0]
		want := fmt.Sprintf("MAYBE CREATED: %d login IDs got no answer with a user ID to delete them by; look them up by login ID:\n  %s (%s: the 200 answer has no result for it)\n",
			n, m.LoginID, m.Case)
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

// typicalLoginIDs are the login IDs positive/typical sends in a run with
// run ID "mc": the generator counts users from 1.
var typicalLoginIDs = []string{"ncpmock-mc-1@example.com", "ncpmock-mc-2@example.com", "ncpmock-mc-3@example.com"}

// unansweredTests are requests that may create users and get no usable
// answer: the mock applies the fault to positive/typical's request only.
var unansweredTests = []struct {
	name    string
	kind    string
	params  map[string]any
	timeout time.Duration
	status  int    // of the answer, 0 for none
	reason  string // the start of each maybe-created reason
	created bool   // whether the mock creates the users
}{
	{"reset after creating", mock.KindReset, map[string]any{"created": true}, 0, 0, "no answer: ", true},
	{"empty after creating", mock.KindEmpty, map[string]any{"created": true}, 0, 0, "no answer: ", true},
	{"reset", mock.KindReset, nil, 0, 0, "no answer: ", false},
	{"latency over the timeout", mock.KindLatency, map[string]any{"delay": "5s"}, time.Second, 0, "no answer: ", false},
	{"503", mock.KindStatus, map[string]any{"status": 503}, 0, 503, "the 503 answer does not say", false},
	{"truncated 200", mock.KindTruncated, map[string]any{"bytes": 20}, 0, 200, "the 200 answer is not a whole", true},
}

// faultOnTypical returns a mock that applies a fault of kind to the first
// request that sends typicalLoginIDs[0].
func faultOnTypical(t *testing.T, kind string, params map[string]any) *mocktest.Server {
	t.Helper()
	fault, err := mock.NewFault(kind, params)
	if err != nil {
		t.Fatal(err)
	}
	rule := mock.Rule{Fault: fault, Match: mock.Match{LoginID: "^" + regexp.QuoteMeta(typicalLoginIDs[0]) + "$"}, Times: 1}
	return mocktest.NewServer(t, mock.Config{Faults: []mock.Rule{rule}})
}

// TestUnansweredRequestsAreMaybeCreated: the login IDs of a request that
// got no answer, a cut answer or a 5xx are listed as maybe created, with the
// case, the status and why; Cleanup looks them up, finds those the mock
// created, and deletes them with the rest: the mock is left with no user.
func TestUnansweredRequestsAreMaybeCreated(t *testing.T) {
	for _, tc := range unansweredTests {
		t.Run(tc.name, func(t *testing.T) {
			srv := faultOnTypical(t, tc.kind, tc.params)
			report, _ := contracttest.Check(context.Background(), srv.URL,
				contracttest.Config{RunID: "mc", Timeout: tc.timeout, Cleanup: true, ReproDir: t.TempDir()}, nil)
			for _, id := range typicalLoginIDs {
				i := slices.IndexFunc(report.MaybeCreated, func(m contracttest.MaybeCreated) bool { return m.LoginID == id })
				if i < 0 {
					t.Errorf("%s is not listed as maybe created; listed: %+v", id, report.MaybeCreated)
					continue
				}
				if m := report.MaybeCreated[i]; m.Case != "positive/typical" || m.Status != tc.status || !strings.HasPrefix(m.Reason, tc.reason) {
					t.Errorf("got %+v, want case positive/typical, status %d, reason %q...", m, tc.status, tc.reason)
				}
			}
			c := report.Cleanup
			if c == nil {
				t.Fatal("no cleanup in the report")
			}
			var found []string
			for _, u := range c.Found {
				found = append(found, u.LoginID)
			}
			want, wantNot := typicalLoginIDs, []string(nil)
			if !tc.created {
				want, wantNot = nil, typicalLoginIDs
			}
			if !slices.Equal(found, want) || !slices.Equal(c.NotFound, wantNot) || len(c.LookupFailed) != 0 {
				t.Errorf("found %q, not found %q, lookups failed %+v; want found %q, not found %q", found, c.NotFound, c.LookupFailed, want, wantNot)
			}
			if c.LookupURL != srv.URL+"/api/v1/users" || len(c.Failed) != 0 || c.Deleted != len(report.Created)+len(want) {
				t.Errorf("cleanup %+v, want lookups at %s and all %d+%d users deleted", c, srv.URL+"/api/v1/users", len(report.Created), len(want))
			}
			if left := storedLoginIDs(t, srv.URL); len(left) != 0 {
				t.Errorf("the mock still holds %q", left)
			}
		})
	}
}

// TestRefusedConnectionsCreateNobody: a request that got no connection was
// never sent; its login IDs are not maybe created.
func TestRefusedConnectionsCreateNobody(t *testing.T) {
	url, kill := dyingMock(t)
	kill()
	report, err := contracttest.Check(context.Background(), url, contracttest.Config{}, nil)
	if !errors.Is(err, contracttest.ErrUnreachable) || len(report.MaybeCreated) != 0 {
		t.Fatalf("got %v and maybe created %+v, want ErrUnreachable and none", err, report.MaybeCreated)
	}
}
