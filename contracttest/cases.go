package contracttest

import (
	"encoding/json"
	"fmt"

	"github.com/ncpmock/ncpmock/openapi"
)

// Kind says what a case expects of the server.
type Kind string

// The kinds of case.
const (
	// Positive cases send valid requests of new users: each must be created.
	Positive Kind = "positive"
	// Negative cases send invalid requests: each must be refused with a 400.
	Negative Kind = "negative"
	// Semantic cases check behaviour of this endpoint over several requests,
	// such as duplicate login IDs.
	Semantic Kind = "semantic"
)

// Case is one scenario of the suite.
type Case struct {
	Name        string
	Kind        Kind
	Description string
	// Writes is true for cases that create users on a correct server.
	Writes bool

	run func(r *caseRun)
}

const jsonType = "application/json"

// buildCases returns every case of the suite, in the order they run.
func buildCases(s *suite) ([]*Case, error) {
	maxUsers, minUsers, err := batchLimits(s.cfg.Spec)
	if err != nil {
		return nil, err
	}
	cases := []*Case{
		positive(s, "positive/minimal", "one user with only the required fields", 1, minimalUser),
		positive(s, "positive/full", "three users with every field set", 3, fullUser),
		positive(s, fmt.Sprintf("positive/%d-users", maxUsers), "the largest batch the spec allows", maxUsers, fullUser),
		negativeRaw("negative/malformed-json", "a body that is not JSON", []byte(`{"params":[{"loginId":`), jsonType),
		negativeRaw("negative/empty-body", "no body at all", nil, jsonType),
		negativeRaw("negative/wrong-content-type", "a valid body sent as text/plain",
			mustJSON(openapi.BulkRequest{Params: []openapi.UserCreate{minimalUser("someone@example.com", 0)}}), "text/plain"),
		negativeBatch(s, fmt.Sprintf("negative/%d-users", maxUsers+1), "one user more than the spec allows", maxUsers+1),
	}
	if minUsers > 0 {
		cases = append(cases, negativeBatch(s, fmt.Sprintf("negative/%d-users", minUsers-1), "fewer users than the spec allows", minUsers-1))
	}
	cases = append(cases, resubmitCase(s), duplicateInBatchCase(s))
	return cases, nil
}

// batchLimits reads minItems and maxItems of params from the spec.
func batchLimits(spec *openapi.Spec) (maxUsers, minUsers int, err error) {
	ref := spec.RequestSchema().Properties["params"]
	if ref == nil || ref.Value == nil || ref.Value.MaxItems == nil {
		return 0, 0, fmt.Errorf("contracttest: the spec's request has no params array with maxItems")
	}
	return int(*ref.Value.MaxItems), int(ref.Value.MinItems), nil
}

// userFunc builds the n-th user of a body with the given login ID.
type userFunc func(loginID string, n int) openapi.UserCreate

func minimalUser(loginID string, n int) openapi.UserCreate {
	return openapi.UserCreate{LoginID: loginID, AccessRules: openapi.AccessRules{ConsoleAccessAllowed: n%2 == 0}}
}

func fullUser(loginID string, n int) openapi.UserCreate {
	str := func(s string) *string { return &s }
	return openapi.UserCreate{
		LoginID:     loginID,
		Description: str("Created by the ncpmock contract suite"),
		UserProfile: &openapi.UserProfile{
			FirstName: str("Gildong"), LastName: str("Hong"), Email: str(loginID),
			EmpNo: str(fmt.Sprintf("E-%04d", n)), PhoneCountryCode: str("82"),
			PhoneNo: str(fmt.Sprintf("010-%04d-%04d", 1000+n%9000, n%10000)), DeptName: str("QA"),
		},
		AccessRules: openapi.AccessRules{ConsoleAccessAllowed: true, APIAccessAllowed: n%2 == 1},
	}
}

func mustJSON(v any) []byte {
	data, err := json.Marshal(v)
	if err != nil {
		panic(err) // only the package's own types are marshalled
	}
	return data
}

// loginID returns a new login ID of this run: ncpmock-<run>-<n>@<domain>.
func (s *suite) loginID() string {
	s.nextUser++
	return fmt.Sprintf("ncpmock-%s-%d@%s", s.cfg.RunID, s.nextUser, s.cfg.LoginDomain)
}

// batch builds a body of n users with new login IDs.
func (s *suite) batch(n int, user userFunc) ([]byte, []string) {
	req := openapi.BulkRequest{Params: make([]openapi.UserCreate, n)}
	ids := make([]string, n)
	for i := range n {
		ids[i] = s.loginID()
		req.Params[i] = user(ids[i], i)
	}
	return mustJSON(req), ids
}

func positive(s *suite, name, description string, users int, user userFunc) *Case {
	return &Case{Name: name, Kind: Positive, Description: description, Writes: true, run: func(r *caseRun) {
		body, ids := s.batch(users, user)
		r.expectCreated(r.send(body, jsonType), ids)
	}}
}

func negativeRaw(name, description string, body []byte, contentType string) *Case {
	return &Case{Name: name, Kind: Negative, Description: description, run: func(r *caseRun) {
		r.expectRejected(r.send(body, contentType))
	}}
}

func negativeBatch(s *suite, name, description string, users int) *Case {
	return &Case{Name: name, Kind: Negative, Description: description, run: func(r *caseRun) {
		body, _ := s.batch(users, minimalUser)
		r.expectRejected(r.send(body, jsonType))
	}}
}

// resubmitCase creates two users, then sends one of them again beside a new
// one: the old one must fail with a message, the new one be created.
func resubmitCase(s *suite) *Case {
	return &Case{Name: "semantic/resubmit-duplicate", Kind: Semantic, Writes: true,
		Description: "a login ID created earlier fails with a message; the new user beside it is created",
		run: func(r *caseRun) {
			body, ids := s.batch(2, fullUser)
			if r.expectCreated(r.send(body, jsonType), ids) == nil {
				return
			}
			fresh := s.loginID()
			again := []string{ids[0], fresh}
			body = mustJSON(openapi.BulkRequest{Params: []openapi.UserCreate{fullUser(ids[0], 0), fullUser(fresh, 1)}})
			r.expectDuplicates(r.send(body, jsonType), again, []bool{false, true}, CheckDuplicateRejected)
		}}
}

// duplicateInBatchCase sends one login ID twice in a batch: the first is
// created, the repeat fails, the user between them is created.
func duplicateInBatchCase(s *suite) *Case {
	return &Case{Name: "semantic/duplicate-in-batch", Kind: Semantic, Writes: true,
		Description: "a login ID repeated within a batch fails for the repeat only",
		run: func(r *caseRun) {
			a, b := s.loginID(), s.loginID()
			ids := []string{a, b, a}
			body := mustJSON(openapi.BulkRequest{Params: []openapi.UserCreate{fullUser(a, 0), fullUser(b, 1), fullUser(a, 2)}})
			r.expectDuplicates(r.send(body, jsonType), ids, []bool{true, true, false}, CheckDuplicateInBatch)
		}}
}

// expectDuplicates checks a 200 answer where want[i] says whether user i
// must be created; users that must not have to fail with a message.
func (r *caseRun) expectDuplicates(ex *Exchange, ids []string, want []bool, check string) {
	if ex == nil {
		return
	}
	if ex.Status != 200 {
		r.fail(ex, check, "200 with one result per user", describe(ex))
		return
	}
	results := r.checkResults(ex, ids)
	for i, res := range results {
		switch {
		case want[i] && res.Success != true:
			r.fail(ex, check, fmt.Sprintf("%s (result %d) created", ids[i], i), fmt.Sprintf("success %s, message %s", jsonText(res.Success), jsonText(res.Message)))
		case !want[i] && res.Success != false:
			r.fail(ex, check, fmt.Sprintf("%s (result %d) refused as a duplicate", ids[i], i), fmt.Sprintf("success %s", jsonText(res.Success)))
		case !want[i] && (res.Message == nil || res.Message == ""):
			r.fail(ex, check, fmt.Sprintf("a message saying why %s (result %d) was refused", ids[i], i), fmt.Sprintf("message %s", jsonText(res.Message)))
		}
	}
}
