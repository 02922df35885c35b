package contracttest

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// MaybeCreated is a login ID that a 2xx answer may have created without
// giving an id to delete it by: no result names it, its result has no id,
// or the answer is not a whole JSON array. Neither Config.Cleanup nor the
// summary's list can remove it; look it up on the server by its login ID.
type MaybeCreated struct {
	LoginID string `json:"loginId"`
	Case    string `json:"case"`
	// Status is the 2xx status of the answer.
	Status int    `json:"status"`
	Reason string `json:"reason"`
}

// recordAnswer records what a 2xx answer may have created, whether or not
// it passes the checks: the id of every result for a login ID the request
// sent, unless the result says success false (Report.Created), and every
// login ID sent that no result accounts for (Report.MaybeCreated). Results
// for login IDs nobody sent are left alone: deleting by their id could
// remove someone else's user.
func (r *caseRun) recordAnswer(ex *Exchange) {
	if ex.Status < 200 || ex.Status > 299 {
		return
	}
	sent := requestLoginIDs(ex.RequestBody)
	if len(sent) == 0 {
		return
	}
	results, whole := readResults(ex.ResponseBody)
	accounted, noID := make(map[string]bool), make(map[string]bool)
	for i, res := range results {
		name, named := res["name"].(string)
		if !named && i < len(sent) {
			name = sent[i] // an unnamed result stands for the user at its place
		}
		if !slices.Contains(sent, name) {
			continue
		}
		id, _ := res["id"].(string)
		switch {
		case res["success"] == false:
			accounted[name] = true
		case id != "":
			accounted[name] = true
			r.s.recordCreated(CreatedUser{LoginID: name, ID: id, NRN: stringOr(res["nrn"]), Case: r.c.Name})
		default:
			noID[name] = true
		}
	}
	listed := make(map[string]bool)
	for _, name := range sent {
		if listed[name] || (accounted[name] && !noID[name]) {
			continue
		}
		listed[name] = true
		reason := fmt.Sprintf("the %d answer has no result for it", ex.Status)
		switch {
		case noID[name]:
			reason = fmt.Sprintf("its result in the %d answer has no id", ex.Status)
		case !whole:
			reason = fmt.Sprintf("the %d answer is not a whole JSON array of results", ex.Status)
		}
		r.s.report.MaybeCreated = append(r.s.report.MaybeCreated, MaybeCreated{LoginID: name, Case: r.c.Name, Status: ex.Status, Reason: reason})
	}
}

// recordCreated adds u to the report's created users, once per id.
func (s *suite) recordCreated(u CreatedUser) {
	if slices.ContainsFunc(s.report.Created, func(c CreatedUser) bool { return c.ID == u.ID }) {
		return
	}
	s.report.Created = append(s.report.Created, u)
}

// requestLoginIDs returns the string login IDs of a request body, valid or
// not, in order.
func requestLoginIDs(body string) []string {
	var req struct {
		Params []struct {
			LoginID any `json:"loginId"`
		} `json:"params"`
	}
	if json.Unmarshal([]byte(body), &req) != nil {
		return nil
	}
	var ids []string
	for _, p := range req.Params {
		if id, ok := p.LoginID.(string); ok {
			ids = append(ids, id)
		}
	}
	return ids
}

// readResults reads the elements of a JSON array of results as far as the
// body allows: an answer cut short still gives the results before the cut.
// An element that is not an object is kept as nil, so that the places of
// the others hold. whole reports whether the body is one complete array.
func readResults(body string) (results []map[string]any, whole bool) {
	dec := json.NewDecoder(strings.NewReader(body))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('[') {
		return nil, false
	}
	for dec.More() {
		var res map[string]any
		err := dec.Decode(&res)
		var typeErr *json.UnmarshalTypeError
		if err != nil && !errors.As(err, &typeErr) {
			return results, false
		}
		results = append(results, res)
	}
	if tok, err := dec.Token(); err != nil || tok != json.Delim(']') {
		return results, false
	}
	_, err := dec.Token()
	return results, err != nil
}

func stringOr(v any) string {
	s, _ := v.(string)
	return s
}
