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
		want := fmt.Sprintf("MAYBE CREATED: %d login IDs got no answer with a user ID to delete them by; look them up by login ID:\n  %s (%s: the 200 answer has no result for it)\n",
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
// case, the status and why; no user the mock holds goes unlisted.
func TestUnansweredRequestsAreMaybeCreated(t *testing.T) {
	for _, tc := range unansweredTests {
		t.Run(tc.name, func(t *testing.T) {
			srv := faultOnTypical(t, tc.kind, tc.params)
			report, _ := contracttest.Check(context.Background(), srv.URL,
				contracttest.Config{RunID: "mc", Timeout: tc.timeout, ReproDir: t.TempDir()}, nil)
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
			listed := map[string]bool{}
			for _, u := range report.Created {
				listed[u.LoginID] = true
			}
			for _, m := range report.MaybeCreated {
				listed[m.LoginID] = true
			}
			for _, id := range storedLoginIDs(t, srv.URL) {
				if !listed[id] {
					t.Errorf("the mock holds %s, which the report lists neither as created nor as maybe created", id)
				}
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
