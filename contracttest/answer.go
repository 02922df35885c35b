package contracttest

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"regexp"
	"slices"
	"strings"

	"github.com/ncpmock/ncpmock/openapi"
)

var uuidRE = regexp.MustCompile(openapi.UUIDPattern)

// checkAnswer runs the checks every answer must pass, whatever was sent.
func (r *caseRun) checkAnswer(ex *Exchange) {
	if ex.Status >= 500 {
		r.fail(ex, CheckNotAServerError, "no 5xx answer", describe(ex))
	}
	if max := r.s.cfg.MaxResponseTime; max > 0 && ex.Duration > max {
		r.fail(ex, CheckResponseTime, fmt.Sprintf("an answer within %s", max), ex.Duration.String())
	}
	spec := r.s.cfg.Spec
	if !spec.ResponseDeclared(ex.Status) {
		r.fail(ex, CheckStatusCodeConformance, fmt.Sprintf("a status the spec declares for %s %s", spec.Method(), spec.Path()), describe(ex))
		return
	}
	r.checkErrorCode(ex)
	err := spec.ValidateResponse(r.ctx, ex.Status, ex.ResponseHeader, []byte(ex.ResponseBody))
	var verr *openapi.ValidationError
	if !errors.As(err, &verr) {
		return
	}
	// One failure per problem, as other checks fail once per user, so
	// that output folds a problem repeated for 100 users (WriteCase).
	for _, p := range verr.Problems {
		if p.Rule == openapi.RuleContentType {
			r.fail(ex, CheckContentTypeConformance, fmt.Sprintf("Content-Type %s for status %d",
				strings.Join(spec.ResponseContentTypes(ex.Status), " or "), ex.Status), fmt.Sprintf("%q", ex.ResponseHeader.Get("Content-Type")))
			continue
		}
		r.fail(ex, CheckResponseSchemaConformance, fmt.Sprintf("a body matching the spec's schema for status %d", ex.Status), p.String())
	}
}

// describe summarises an answer for a failure message: its status and
// the start of its body.
func describe(ex *Exchange) string {
	return fmt.Sprintf("%d %s: %s", ex.Status, http.StatusText(ex.Status), describeBody(ex))
}

// describeBody is the start of an answer's body for a failure message,
// without the newline that ends most JSON answers (printed, it would leave
// a blank line after each got:).
func describeBody(ex *Exchange) string {
	body := strings.TrimRight(ex.ResponseBody, "\r\n")
	if len(body) > 300 {
		body = strings.ToValidUTF8(body[:300], "") + "..."
	}
	return body
}

// expectRejected checks that an invalid request got the service's 400 and,
// when the answer lists fieldErrors (as ncpmock does), that they name want.
func (r *caseRun) expectRejected(ex *Exchange, want *openapi.Problem) {
	if ex == nil {
		return
	}
	const wantBody = "400 with an ErrorResponse {errorCode, message}"
	if ex.Status != http.StatusBadRequest {
		r.fail(ex, CheckNegativeDataRejection, wantBody, describeNotRejected(ex))
		return
	}
	var body struct {
		ErrorCode   *json.Number      `json:"errorCode"`
		Message     *string           `json:"message"`
		FieldErrors []openapi.Problem `json:"fieldErrors"`
	}
	if err := openapi.DecodeExact([]byte(ex.ResponseBody), &body); err != nil || body.ErrorCode == nil || body.Message == nil {
		r.fail(ex, CheckNegativeDataRejection, wantBody, describe(ex))
		return
	}
	if want == nil || body.FieldErrors == nil {
		return
	}
	for _, p := range body.FieldErrors {
		if p.Field == want.Field && p.Rule == want.Rule {
			return
		}
	}
	got := make([]string, len(body.FieldErrors))
	for i, p := range body.FieldErrors {
		got[i] = fieldName(p.Field) + " " + p.Rule
	}
	gotText := strings.Join(first(got, 5), ", ")
	if len(got) == 0 {
		gotText = "fieldErrors is empty ([])"
	}
	r.fail(ex, CheckFieldErrorNamed, fmt.Sprintf("fieldErrors naming %s %s", fieldName(want.Field), want.Rule), gotText)
}

// describeNotRejected says what came back for an invalid request instead
// of a 400: a 200 that refuses every user in its result did not accept the
// request, but it is no 400 either.
func describeNotRejected(ex *Exchange) string {
	if ex.Status != http.StatusOK {
		return describe(ex)
	}
	var results []struct {
		Success any `json:"success"`
	}
	refused := json.Unmarshal([]byte(ex.ResponseBody), &results) == nil && len(results) > 0
	for _, res := range results {
		refused = refused && res.Success == false
	}
	if refused {
		return "200 OK with every user refused in its result (success: false), instead of a 400: " + describeBody(ex)
	}
	return "200 OK: the server accepted an invalid request: " + describeBody(ex)
}

// result is one element of a 200 answer, as sent.
type result struct {
	Name    any `json:"name"`
	Success any `json:"success"`
	ID      any `json:"id"`
	NRN     any `json:"nrn"`
	Message any `json:"message"`
}

// expectCreated checks that a valid request of new login IDs was answered
// 200 with each user created, and returns the results.
func (r *caseRun) expectCreated(ex *Exchange, loginIDs []string) []result {
	if ex == nil {
		return nil
	}
	if ex.Status != http.StatusOK {
		r.fail(ex, CheckPositiveDataAcceptance, "200 with every user created", describe(ex))
		return nil
	}
	results := r.checkResults(ex, loginIDs)
	var failed []string
	for i, res := range results {
		if res.Success != true {
			failed = append(failed, fmt.Sprintf("%s (message %v)", loginIDs[i], res.Message))
		}
	}
	if len(failed) > 0 {
		r.fail(ex, CheckPositiveDataAcceptance, "every new user created (success: true)",
			fmt.Sprintf("%d not created: %s", len(failed), strings.Join(first(failed, 5), ", ")))
	}
	return results
}

// checkResults runs the endpoint's semantic checks on a 200 answer to a
// request of loginIDs. It returns nil when the answer is not one result per
// user.
func (r *caseRun) checkResults(ex *Exchange, loginIDs []string) []result {
	var results []result
	// Exact keys, as a client reads them: "ID" is not id.
	if err := openapi.DecodeExact([]byte(ex.ResponseBody), &results); err != nil {
		r.fail(ex, CheckResultPerUser, "a JSON array of "+plural(len(loginIDs), "result"), describe(ex))
		return nil
	}
	if len(results) != len(loginIDs) {
		r.fail(ex, CheckResultPerUser, plural(len(loginIDs), "result")+", one per requested user",
			plural(len(results), "result"))
		return nil
	}
	ok := true
	for i, res := range results {
		if res.Name != loginIDs[i] {
			r.fail(ex, CheckResultPerUser, fmt.Sprintf("result %d named %q (results in request order)", i, loginIDs[i]),
				fmt.Sprintf("name %s", jsonText(res.Name)))
			ok = false
		}
		if _, isBool := res.Success.(bool); !isBool {
			r.fail(ex, CheckResultPerUser, fmt.Sprintf("result %d with a boolean success", i),
				fmt.Sprintf("success %s", jsonText(res.Success)))
			ok = false
		}
		if res.Success == true {
			r.checkCreatedUser(ex, i, res)
		}
	}
	if !ok {
		return nil
	}
	return results
}

// checkCreatedUser checks the id and nrn of a created user (recordAnswer
// has recorded it, whatever the checks find).
func (r *caseRun) checkCreatedUser(ex *Exchange, i int, res result) {
	id, _ := res.ID.(string)
	if !uuidRE.MatchString(id) {
		got := fmt.Sprintf("id %s", jsonText(res.ID))
		if res.ID == nil {
			got = describeNoID(ex, i)
		}
		r.fail(ex, CheckUserIDFormat, fmt.Sprintf("result %d with a UUID id", i), got)
		return
	}
	if nrn, _ := res.NRN.(string); !r.s.nrnOK(nrn, id) {
		r.fail(ex, CheckNRNFormat, fmt.Sprintf("result %d with nrn %s", i, r.s.nrnWant(id)), fmt.Sprintf("nrn %s", jsonText(res.NRN)))
	}
	if other, seen := r.s.seenIDs[id]; seen {
		r.fail(ex, CheckUniqueIDs, fmt.Sprintf("result %d with an id not given before", i),
			fmt.Sprintf("id %s, given before in %s", id, other))
	}
	r.s.seenIDs[id] = r.c.Name
}

// describeNoID says how result i of a 200 answer lacks an id: null, or
// missing, with the keys it has instead (an id renamed "userId" or "ID").
func describeNoID(ex *Exchange, i int) string {
	var results []map[string]json.RawMessage
	if json.Unmarshal([]byte(ex.ResponseBody), &results) != nil || i >= len(results) {
		return "id missing or null"
	}
	if _, ok := results[i]["id"]; ok {
		return "id null"
	}
	keys := slices.Sorted(maps.Keys(results[i]))
	return fmt.Sprintf("id missing; the result's keys are %s", strings.Join(keys, ", "))
}

func (s *suite) nrnOK(nrn, id string) bool {
	rest, ok := strings.CutPrefix(nrn, "nrn:")
	if !ok {
		return false
	}
	domain, rest, _ := strings.Cut(rest, ":SSO::")
	switch {
	case s.cfg.NRNDomain != "" && domain != s.cfg.NRNDomain:
		return false
	case s.cfg.NRNDomain == "" && !slices.Contains(nrnDomains, domain):
		return false
	}
	member, userID, ok := strings.Cut(rest, ":User/")
	if !ok || userID != id || !memberNoRE.MatchString(member) {
		return false
	}
	return s.cfg.MemberNo == "" || member == s.cfg.MemberNo
}

func (s *suite) nrnWant(id string) string {
	domain, member := s.cfg.NRNDomain, s.cfg.MemberNo
	if domain == "" {
		domain = "<PUB|GOV>"
	}
	if member == "" {
		member = "<memberNo>"
	}
	return fmt.Sprintf("nrn:%s:SSO::%s:User/%s", domain, member, id)
}

func jsonText(v any) string {
	if v == nil {
		return "missing or null"
	}
	data, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(data)
}

func first(list []string, n int) []string {
	if len(list) <= n {
		return list
	}
	return append(list[:n:n], fmt.Sprintf("and %d more", len(list)-n))
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// fieldName shows the empty path of the body as a word.
func fieldName(field string) string {
	if field == "" {
		return "(body)"
	}
	return field
}
