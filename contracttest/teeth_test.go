package contracttest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/ncpmock/ncpmock/contracttest"
	"github.com/ncpmock/ncpmock/mock"
)

// answer is what the mock answered, for a defect to rewrite.
type answer struct {
	status int
	header http.Header
	body   []byte
	req    []byte // the request body
	path   string // the request's path
}

// defective serves the mock, rewriting each of its answers with defect.
func defective(t *testing.T, defect func(a *answer)) string {
	t.Helper()
	m, err := mock.New(mock.Config{Seed: 9})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		reqBody, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(reqBody))
		rec := httptest.NewRecorder()
		m.ServeHTTP(rec, r)
		a := &answer{status: rec.Code, header: rec.Header(), body: rec.Body.Bytes(), req: reqBody, path: r.URL.Path}
		defect(a)
		for k, v := range a.header {
			w.Header()[k] = v
		}
		w.Header().Del("Content-Length")
		w.WriteHeader(a.status)
		w.Write(a.body)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// results rewrites each result of a 200 answer.
func results(a *answer, f func(rs []map[string]any) []map[string]any) {
	if a.status != 200 {
		return
	}
	var rs []map[string]any
	if json.Unmarshal(a.body, &rs) != nil {
		return
	}
	a.body, _ = json.Marshal(f(rs))
}

// acceptEverything answers 200 with a made-up result per user, whatever came.
func acceptEverything(a *answer) {
	if a.status != 400 {
		return
	}
	var req struct {
		Params []struct {
			LoginID any `json:"loginId"`
		} `json:"params"`
	}
	json.Unmarshal(a.req, &req)
	rs := []map[string]any{}
	for _, p := range req.Params {
		rs = append(rs, map[string]any{"name": p.LoginID, "success": false, "message": "accepted"})
	}
	a.status = 200
	a.header.Set("Content-Type", "application/json")
	a.body, _ = json.Marshal(rs)
}

func TestTheSuiteHasTeeth(t *testing.T) {
	tests := []struct {
		name   string
		defect func(a *answer)
		cfg    contracttest.Config
		want   []string // checks that must fail (others may fail too)
		case1  string   // a case that must fail
	}{
		{"accepts every body", acceptEverything, contracttest.Config{},
			[]string{contracttest.CheckNegativeDataRejection}, "negative/params/maxItems"},
		{"no length limit on email", func(a *answer) {
			// An email of one-byte characters breaks maxLength and
			// x-max-bytes together: the case that must exist for it.
			if bytes.Contains(a.body, []byte(`userProfile.email","rule":"maxLength"`)) {
				acceptEverything(a)
			}
		}, contracttest.Config{}, []string{contracttest.CheckNegativeDataRejection}, "negative/params[].userProfile.email/maxLength"},
		{"500 for malformed JSON", func(a *answer) {
			if bytes.Contains(a.body, []byte(`"rule":"json"`)) {
				a.status, a.body = 500, []byte(`{"error":{"errorCode":"900","message":"Unexpected Error"}}`)
			}
		}, contracttest.Config{}, []string{contracttest.CheckNotAServerError, contracttest.CheckNegativeDataRejection}, "negative/malformed-json"},
		{"one result for many users", func(a *answer) {
			results(a, func(rs []map[string]any) []map[string]any { return rs[:1] })
		}, contracttest.Config{}, []string{contracttest.CheckResultPerUser}, "positive/typical"},
		{"never reports duplicates", func(a *answer) {
			results(a, func(rs []map[string]any) []map[string]any {
				for i, r := range rs {
					if r["success"] == false {
						id := "00000000-0000-4000-8000-0000000000" + string(rune('0'+i/10)) + string(rune('0'+i%10))
						rs[i] = map[string]any{"id": id, "nrn": "nrn:PUB:SSO::1234567:User/" + id, "name": r["name"], "success": true, "message": ""}
					}
				}
				return rs
			})
		}, contracttest.Config{}, []string{contracttest.CheckDuplicateRejected, contracttest.CheckDuplicateInBatch}, "semantic/resubmit-duplicate"},
		{"results in reverse order", func(a *answer) {
			results(a, func(rs []map[string]any) []map[string]any { slices.Reverse(rs); return rs })
		}, contracttest.Config{}, []string{contracttest.CheckResultPerUser}, "positive/typical"},
		{"success as a string", func(a *answer) {
			results(a, func(rs []map[string]any) []map[string]any { rs[0]["success"] = "true"; return rs })
		}, contracttest.Config{}, []string{contracttest.CheckResponseSchemaConformance, contracttest.CheckResultPerUser}, "positive/boundary/requiredOnly"},
		{"id not a UUID", func(a *answer) {
			results(a, func(rs []map[string]any) []map[string]any {
				if rs[0]["success"] == true {
					rs[0]["id"] = "12345"
				}
				return rs
			})
		}, contracttest.Config{}, []string{contracttest.CheckUserIDFormat, contracttest.CheckResponseSchemaConformance}, "positive/boundary/requiredOnly"},
		{"id spelled ID", func(a *answer) {
			// A JavaScript client reads result.id and gets undefined;
			// encoding/json alone would bind "ID" to id and see nothing wrong.
			results(a, func(rs []map[string]any) []map[string]any {
				for _, r := range rs {
					if id, ok := r["id"]; ok {
						delete(r, "id")
						r["ID"] = id
					}
				}
				return rs
			})
		}, contracttest.Config{}, []string{contracttest.CheckUserIDFormat}, "positive/boundary/requiredOnly"},
		{"nrn of another id", func(a *answer) {
			results(a, func(rs []map[string]any) []map[string]any {
				if rs[0]["success"] == true {
					rs[0]["nrn"] = "nrn:PUB:SSO::1234567:User/1a2b3c4d-1111-4abc-8def-0123456789ab"
				}
				return rs
			})
		}, contracttest.Config{}, []string{contracttest.CheckNRNFormat}, "positive/boundary/requiredOnly"},
		{"nrn of another member", func(a *answer) {}, contracttest.Config{MemberNo: "7654321"},
			[]string{contracttest.CheckNRNFormat}, "positive/boundary/requiredOnly"},
		{"the same id twice", func(a *answer) {
			results(a, func(rs []map[string]any) []map[string]any {
				for _, r := range rs {
					r["id"], r["nrn"] = "1a2b3c4d-1111-4abc-8def-0123456789ab", "nrn:PUB:SSO::1234567:User/1a2b3c4d-1111-4abc-8def-0123456789ab"
				}
				return rs
			})
		}, contracttest.Config{}, []string{contracttest.CheckUniqueIDs}, "positive/typical"},
		{"text/plain answers", func(a *answer) { a.header.Set("Content-Type", "text/plain") }, contracttest.Config{},
			[]string{contracttest.CheckContentTypeConformance}, "positive/boundary/requiredOnly"},
		{"422 for invalid bodies", func(a *answer) {
			if a.status == 400 {
				a.status = 422
			}
		}, contracttest.Config{}, []string{contracttest.CheckStatusCodeConformance, contracttest.CheckNegativeDataRejection}, "negative/params/minItems"},
		{"a 400 without errorCode", func(a *answer) {
			if a.status == 400 {
				a.body = []byte(`{"message":"Invalid request"}`)
			}
		}, contracttest.Config{}, []string{contracttest.CheckResponseSchemaConformance, contracttest.CheckNegativeDataRejection}, "negative/empty-body"},
		{"a 400 with errorCode 500", func(a *answer) {
			if a.status == 400 {
				a.body = bytes.Replace(a.body, []byte(`"errorCode":400`), []byte(`"errorCode":500`), 1)
			}
		}, contracttest.Config{}, []string{contracttest.CheckErrorCode}, "negative/empty-body"},
		{"a 429 with the code of a 401", func(a *answer) {
			if bytes.Contains(a.body, []byte(`"rule":"json"`)) {
				a.status, a.body = 429, []byte(`{"error":{"errorCode":"200","message":"Authentication Failed"}}`)
			}
		}, contracttest.Config{}, []string{contracttest.CheckErrorCode}, "negative/malformed-json"},
		{"refuses valid users", func(a *answer) {
			results(a, func(rs []map[string]any) []map[string]any {
				rs[len(rs)-1] = map[string]any{"name": rs[len(rs)-1]["name"], "success": false, "message": "Invalid login ID."}
				return rs
			})
		}, contracttest.Config{}, []string{contracttest.CheckPositiveDataAcceptance}, "positive/boundary/maxItems"},
		{"fieldErrors naming the wrong field", func(a *answer) {
			if a.status == 400 {
				a.body = []byte(`{"errorCode":400,"message":"Invalid request","fieldErrors":[{"field":"params","rule":"type","message":"x"}]}`)
			}
		}, contracttest.Config{}, []string{contracttest.CheckFieldErrorNamed}, "negative/params[].loginId/format"},
		{"empty fieldErrors", func(a *answer) {
			if a.status == 400 {
				a.body = []byte(`{"errorCode":400,"message":"Invalid request","fieldErrors":[]}`)
			}
		}, contracttest.Config{}, []string{contracttest.CheckFieldErrorNamed}, "negative/params[].loginId/format"},
		{"slower than the maximum", func(a *answer) {}, contracttest.Config{MaxResponseTime: 1},
			[]string{contracttest.CheckResponseTime}, "positive/boundary/requiredOnly"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			url := defective(t, tc.defect)
			report, err := contracttest.Check(context.Background(), url, tc.cfg, nil)
			if !errors.Is(err, contracttest.ErrContract) {
				t.Fatalf("got %v, want a contract error", err)
			}
			failed := map[string]bool{}
			failedCases := map[string]bool{}
			for _, f := range report.Failures() {
				failed[f.Check] = true
				failedCases[f.Case] = true
				if f.Curl == "" || f.Expected == "" || f.Got == "" {
					t.Errorf("failure without detail: %+v", f)
				}
			}
			for _, check := range tc.want {
				if !failed[check] {
					t.Errorf("check %s did not fail; failed: %v", check, keys(failed))
				}
			}
			if !failedCases[tc.case1] {
				t.Errorf("case %s did not fail; failed: %v", tc.case1, keys(failedCases))
			}
		})
	}
}

func keys(m map[string]bool) string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return strings.Join(out, ", ")
}
