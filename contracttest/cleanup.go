package contracttest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
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
	// Deleted counts the users the server said it deleted.
	Deleted int `json:"deleted"`
	// Failed lists the users it did not delete, and why.
	Failed []CleanupFailure `json:"failed,omitempty"`
}

// CleanupFailure is a created user that was not deleted.
type CleanupFailure struct {
	CreatedUser
	Reason string `json:"reason"`
}

// deleteOutcome is an element of POST /users/delete's answer.
type deleteOutcome struct {
	ID      string `json:"id"`
	Success bool   `json:"success"`
	Message string `json:"message"`
}

// cleanup deletes the users the run created (s.report.Created) with
// POST <base>/users/delete, deleteBatch IDs a request, and records the
// outcome in s.report.Cleanup. A user whose deletion the server did not
// confirm stays in the failures with the reason, so that it can be removed
// by hand; nothing here fails the contract.
func (s *suite) cleanup(ctx context.Context) {
	created := s.report.Created
	if len(created) == 0 {
		return
	}
	u := *s.endpoint
	u.Path = strings.TrimSuffix(u.Path, s.cfg.Spec.Path()) + "/users/delete"
	res := &CleanupResult{URL: u.String()}
	s.report.Cleanup = res
	for start := 0; start < len(created); start += deleteBatch {
		batch := created[start:min(start+deleteBatch, len(created))]
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
	ctx, cancel := context.WithTimeout(ctx, s.cfg.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "ncpmock-contracttest")
	resp, err := s.cfg.Client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("POST %s answered %d: %s", url, resp.StatusCode, clip(strings.TrimRight(string(data), "\r\n"), 200))
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

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}
