package contracttest_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/ncpmock/ncpmock/contracttest"
)

// refuseEachUser answers an invalid body 200, each user refused in its
// result, as a server that checks users one by one might.
func refuseEachUser(a *answer) {
	if a.status != 400 {
		return
	}
	acceptEverything(a)
	results(a, func(rs []map[string]any) []map[string]any {
		for _, r := range rs {
			r["message"] = "Invalid login ID."
		}
		return rs
	})
}

// createEachUser answers an invalid body 200, each user created.
func createEachUser(a *answer) {
	if a.status != 400 {
		return
	}
	acceptEverything(a)
	results(a, func(rs []map[string]any) []map[string]any {
		for _, r := range rs {
			id := "1a2b3c4d-1111-4abc-8def-0123456789ab"
			r["success"], r["message"], r["id"], r["nrn"] = true, "", id, "nrn:PUB:SSO::1234567:User/"+id
		}
		return rs
	})
}

// TestFailureSaysWhatCameBack: a failure's got says what the server did,
// not only that a check failed.
func TestFailureSaysWhatCameBack(t *testing.T) {
	tests := []struct {
		name   string
		defect func(a *answer)
		only   string
		check  string
		want   string // the start of got
	}{
		{"200 refusing each user", refuseEachUser, "negative/params[].loginId/format", contracttest.CheckNegativeDataRejection,
			`200 OK with every user refused in its result (success: false), instead of a 400: [{"message":"Invalid login ID.",`},
		{"200 creating each user", createEachUser, "negative/params[].loginId/format", contracttest.CheckNegativeDataRejection,
			`200 OK: the server accepted an invalid request: [{"id":`},
		{"empty fieldErrors", func(a *answer) {
			if a.status == 400 {
				a.body = []byte(`{"errorCode":400,"message":"Invalid request","fieldErrors":[]}`)
			}
		}, "negative/params[].loginId/format", contracttest.CheckFieldErrorNamed, "fieldErrors is empty ([])"},
		{"id renamed userId", func(a *answer) {
			results(a, func(rs []map[string]any) []map[string]any {
				rs[0]["userId"] = rs[0]["id"]
				delete(rs[0], "id")
				return rs
			})
		}, "positive/boundary/minItems", contracttest.CheckUserIDFormat, "id missing; the result's keys are message, name, nrn, success, userId"},
		{"id null", func(a *answer) {
			results(a, func(rs []map[string]any) []map[string]any { rs[0]["id"] = nil; return rs })
		}, "positive/boundary/minItems", contracttest.CheckUserIDFormat, "id null"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			report, err := contracttest.Check(context.Background(), defective(t, tc.defect), contracttest.Config{Only: []string{tc.only}}, nil)
			if !errors.Is(err, contracttest.ErrContract) {
				t.Fatalf("got %v, want a contract error", err)
			}
			var got []string
			for _, f := range report.Failures() {
				if f.Check == tc.check {
					got = append(got, f.Got)
				}
			}
			if len(got) != 1 || !strings.HasPrefix(got[0], tc.want) {
				t.Errorf("%s got %q, want one starting %q", tc.check, got, tc.want)
			}
		})
	}
}
