package contracttest

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// MaybeCreated is a login ID that a request may have created without an
// answer that gives an id to delete it by: a 2xx answer that names no
// result for it, gives its result no id or is not a whole JSON array; a
// 5xx answer; or no answer at all (a timeout, a reset, an answer cut short
// before its status). Config.Cleanup looks it up by login ID
// (CleanupResult.Found); without it, look it up on the server by hand.
type MaybeCreated struct {
	// LoginID is the login ID the request sent.
	LoginID string `json:"loginId"`
	// Case is the name of the case whose request sent it.
	Case string `json:"case"`
	// Status is the status of the answer; 0 when none came.
	Status int `json:"status"`
	// Reason says why the answer does not tell whether the user was
	// created, such as "its result in the 200 answer has no id".
	Reason string `json:"reason"`
}

// recordAnswer records what a request may have created, whether or not its
// answer passes the checks: from a 2xx answer, see recordResults; from a 5xx
// answer or none, every login ID sent (Report.MaybeCreated), since the
// server may have failed or the answer been lost after the users were
// created. A request that got no connection was never sent: it created
// nobody.
func (r *caseRun) recordAnswer(ex *Exchange) {
	sent := requestLoginIDs(ex.RequestBody)
	if len(sent) == 0 {
		return
	}
	var reason string
	switch {
	case ex.Status >= 200 && ex.Status <= 299:
		r.recordResults(ex, sent)
		return
	case ex.Status >= 500 && ex.Status <= 599:
		reason = fmt.Sprintf("the %d answer does not say whether it was created", ex.Status)
	case ex.Status == 0 && ex.connected:
		reason = "no answer: " + clip(ex.Error, 200)
	default:
		return
	}
	for _, name := range sent {
		r.s.recordMaybe(MaybeCreated{LoginID: name, Case: r.c.Name, Status: ex.Status, Reason: reason})
	}
}

// recordResults records what a 2xx answer may have created: the id of
// every result for a login ID the request sent, unless the result says
// success false (Report.Created), and every login ID sent that no result
// accounts for (Report.MaybeCreated). Results for login IDs nobody sent are
// left alone: deleting by their id could remove someone else's user.
func (r *caseRun) recordResults(ex *Exchange, sent []string) {
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
	for _, name := range sent {
		if accounted[name] && !noID[name] {
			continue
		}
		reason := fmt.Sprintf("the %d answer has no result for it", ex.Status)
		switch {
		case noID[name]:
			reason = fmt.Sprintf("its result in the %d answer has no id", ex.Status)
		case !whole:
			reason = fmt.Sprintf("the %d answer is not a whole JSON array of results", ex.Status)
		}
		r.s.recordMaybe(MaybeCreated{LoginID: name, Case: r.c.Name, Status: ex.Status, Reason: reason})
	}
}

// recordCreated adds u to the report's created users, once per id.
func (s *suite) recordCreated(u CreatedUser) {
	if slices.ContainsFunc(s.report.Created, func(c CreatedUser) bool { return c.ID == u.ID }) {
		return
	}
	s.report.Created = append(s.report.Created, u)
}

// recordMaybe adds m to the report's maybe-created login IDs, unless the
// login ID is listed already, as created or maybe created: a server that
// holds a login ID refuses it again, and one lookup finds it. Login IDs
// compare without regard to case, as the mock compares them.
func (s *suite) recordMaybe(m MaybeCreated) {
	same := func(id string) bool { return strings.EqualFold(id, m.LoginID) }
	if slices.ContainsFunc(s.report.Created, func(c CreatedUser) bool { return same(c.LoginID) }) ||
		slices.ContainsFunc(s.report.MaybeCreated, func(c MaybeCreated) bool { return same(c.LoginID) }) {
		return
	}
	s.report.MaybeCreated = append(s.report.MaybeCreated, m)
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
