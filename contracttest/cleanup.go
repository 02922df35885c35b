package contracttest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"

	"github.com/ncpmock/ncpmock/openapi"
)

// deleteBatch is how many user IDs one POST /users/delete carries: the most
// the mock accepts (the real service's limit is not documented).
const deleteBatch = 100

// CleanupResult is what deleting a run's users gave.
type CleanupResult struct {
	// URL is where the deletions were sent: the SSO API's POST /users/delete
	// beside the bulk endpoint.
	URL string `json:"url"`
	// Deleted counts the users the server said it deleted: created, or
	// maybe created and found.
	Deleted int `json:"deleted"`
	// Failed lists the users it did not delete, and why.
	Failed []CleanupFailure `json:"failed,omitempty"`
	// LookupURL is where the maybe-created login IDs were looked up, one
	// request each: the SSO API's GET /users beside the bulk endpoint, with
	// searchColumn=loginId. Empty when none was maybe created.
	LookupURL string `json:"lookupUrl,omitempty"`
	// Found lists the users that hold a maybe-created login ID: they were
	// created, and are deleted with the rest (Failed lists those that were
	// not).
	Found []CreatedUser `json:"found,omitempty"`
	// NotFound lists the maybe-created login IDs no user holds: they were
	// not created.
	NotFound []string `json:"notFound,omitempty"`
	// LookupFailed lists the maybe-created login IDs that could not be
	// looked up, and why: they are to be looked up by hand.
	LookupFailed []LookupFailure `json:"lookupFailed,omitempty"`
}

// CleanupFailure is a created user that was not deleted.
type CleanupFailure struct {
	// CreatedUser is the user that was to be deleted; its fields appear at
	// the top level of the JSON.
	CreatedUser
	// Reason is why it was not deleted: the delete request's error, or the
	// message of a result whose success is false.
	Reason string `json:"reason"`
}

// deleteOutcome is an element of POST /users/delete's answer.
type deleteOutcome struct {
	ID      string `json:"id"`
	Success bool   `json:"success"`
	Message string `json:"message"`
}

// noAnswerError is a clean-up request that got no answer.
type noAnswerError struct{ err error }

// Error returns the cause's message.
func (e *noAnswerError) Error() string { return e.err.Error() }

// Unwrap returns the cause.
func (e *noAnswerError) Unwrap() error { return e.err }

// cleanup deletes the users the run created (s.report.Created) and those
// that hold a maybe-created login ID (lookUpMaybeCreated) with
// POST <base>/users/delete, deleteBatch IDs a request, and records the
// outcome in s.report.Cleanup. A user whose deletion the server did not
// confirm stays in the failures with the reason, so that it can be removed
// by hand; nothing here fails the contract.
func (s *suite) cleanup(ctx context.Context) {
	users := slices.Clone(s.report.Created)
	if len(users) == 0 && len(s.report.MaybeCreated) == 0 {
		return
	}
	res := &CleanupResult{URL: s.siblingURL("/users/delete")}
	s.report.Cleanup = res
	if len(s.report.MaybeCreated) > 0 {
		for _, f := range s.lookUpMaybeCreated(ctx, res) {
			if !slices.ContainsFunc(users, func(u CreatedUser) bool { return u.ID == f.ID }) {
				users = append(users, f)
			}
		}
	}
	for start := 0; start < len(users); start += deleteBatch {
		batch := users[start:min(start+deleteBatch, len(users))]
		outcomes, err := s.deleteUsers(ctx, res.URL, batch)
		for i, c := range batch {
			switch {
			case err != nil:
				res.Failed = append(res.Failed, CleanupFailure{CreatedUser: c, Reason: err.Error()})
			case outcomes[i].Success:
				res.Deleted++
			default:
				res.Failed = append(res.Failed, CleanupFailure{CreatedUser: c, Reason: fmt.Sprintf("success false: %q", outcomes[i].Message)})
			}
		}
	}
}

// siblingURL returns the URL of the SSO operation at path beside the bulk
// endpoint: path under the same base path.
func (s *suite) siblingURL(path string) string {
	u := *s.endpoint
	u.Path = strings.TrimSuffix(u.Path, s.cfg.Spec.Path()) + path
	return u.String()
}

// deleteUsers sends one POST /users/delete and returns its outcomes, one per
// user in order, or why it could not.
func (s *suite) deleteUsers(ctx context.Context, url string, users []CreatedUser) ([]deleteOutcome, error) {
	ids := make([]string, len(users))
	for i, u := range users {
		ids[i] = u.ID
	}
	body, err := json.Marshal(map[string][]string{"userIds": ids})
	if err != nil {
		return nil, err
	}
	data, err := s.call(ctx, http.MethodPost, url, body)
	if err != nil {
		return nil, err
	}
	var outcomes []deleteOutcome
	if err := openapi.DecodeExact(data, &outcomes); err != nil {
		return nil, fmt.Errorf("POST %s: the answer is not an array of results: %v", url, err)
	}
	if len(outcomes) != len(users) {
		return nil, fmt.Errorf("POST %s: %d results for %d user IDs", url, len(outcomes), len(users))
	}
	for i, o := range outcomes {
		if o.ID != ids[i] {
			return nil, fmt.Errorf("POST %s: result %d is for %q, want %q", url, i, o.ID, ids[i])
		}
	}
	return outcomes, nil
}

// call sends one clean-up request, signed as every request of the run is
// (Config.Client), with a JSON body when body is not nil, bounded by
// Config.Timeout, and returns the body of its 200 answer. An answer that
// does not come is a *noAnswerError; another status is an error that
// shows it.
func (s *suite) call(ctx context.Context, method, url string, body []byte) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, s.cfg.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, url, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "ncpmock-contracttest")
	resp, err := s.cfg.Client.Do(req)
	if err != nil {
		return nil, &noAnswerError{err: err}
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return nil, &noAnswerError{err: fmt.Errorf("%s %s: reading the answer: %w", method, url, err)}
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s %s answered %d: %s", method, url, resp.StatusCode, clip(strings.TrimRight(string(data), "\r\n"), 200))
	}
	return data, nil
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}
