package contracttest

// Looking up, for Config.Cleanup, the users that requests may have created
// without an answer that gives their ids (Report.MaybeCreated).
//
// Assumption: GET /users's query (searchColumn=loginId, searchWord matching
// a part of the login ID, page from 0, size default 20) and its answer
// ({page, totalPages, totalItems, ..., items: [{userId, loginId, nrn, ...}]})
// come from NCP's documentation of the neighbouring v1 operations, not from
// answers of the real service (Inferred; see the README).

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// maxSilentLookups is how many lookups in a row may get no answer before
// the rest are given up: a server that stopped answering would otherwise
// cost Config.Timeout per maybe-created login ID.
const maxSilentLookups = 3

// LookupFailure is a maybe-created login ID that could not be looked up:
// whether it was created is unknown.
type LookupFailure struct {
	// LoginID is the maybe-created login ID.
	LoginID string `json:"loginId"`
	// Case is the case whose request may have created it.
	Case string `json:"case"`
	// Reason is why the lookup failed.
	Reason string `json:"reason"`
}

// userPage is what a lookup reads of GET /users's answer.
type userPage struct {
	TotalItems int         `json:"totalItems"`
	HasNext    bool        `json:"hasNext"`
	Items      *[]pageUser `json:"items"`
}

// pageUser is what a lookup reads of an item of GET /users's answer.
type pageUser struct {
	UserID  string `json:"userId"`
	LoginID string `json:"loginId"`
	NRN     string `json:"nrn"`
}

// lookUpMaybeCreated looks each maybe-created login ID up with GET
// <base>/users, one request per login ID (each bounded by Config.Timeout),
// records in res what it found, did not find and could not look up, and
// returns the users found.
func (s *suite) lookUpMaybeCreated(ctx context.Context, res *CleanupResult) []CreatedUser {
	res.LookupURL = s.siblingURL("/users")
	var found []CreatedUser
	silent := 0 // lookups in a row that got no answer
	for _, m := range s.report.MaybeCreated {
		if silent >= maxSilentLookups {
			res.LookupFailed = append(res.LookupFailed, LookupFailure{LoginID: m.LoginID, Case: m.Case,
				Reason: fmt.Sprintf("not looked up: the %d lookups before it got no answer", silent)})
			continue
		}
		user, err := s.lookUp(ctx, res.LookupURL, m.LoginID)
		var noAnswer *noAnswerError
		if errors.As(err, &noAnswer) {
			silent++
		} else {
			silent = 0
		}
		switch {
		case err != nil:
			res.LookupFailed = append(res.LookupFailed, LookupFailure{LoginID: m.LoginID, Case: m.Case, Reason: err.Error()})
		case user == nil:
			res.NotFound = append(res.NotFound, m.LoginID)
		default:
			user.Case = m.Case
			found = append(found, *user)
		}
	}
	res.Found = found
	return found
}

// lookUp returns the user that holds loginID, nil when none does, or why it
// cannot tell.
func (s *suite) lookUp(ctx context.Context, base, loginID string) (*CreatedUser, error) {
	u := base + "?searchColumn=loginId&searchWord=" + url.QueryEscape(loginID) + "&page=0"
	data, err := s.call(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	var page userPage
	if err := json.Unmarshal(data, &page); err != nil || page.Items == nil {
		why := "no items"
		if err != nil {
			why = err.Error()
		}
		return nil, fmt.Errorf("GET %s: the answer is not a page of users {..., \"items\": [...]}: %s", u, why)
	}
	user, err := holder(*page.Items, loginID)
	if err != nil || user != nil {
		return user, err
	}
	if page.HasNext || page.TotalItems > len(*page.Items) {
		return nil, fmt.Errorf("GET %s: %d users match, and the first page (%d) does not hold it", u, page.TotalItems, len(*page.Items))
	}
	return nil, nil
}

// holder returns the item whose login ID is loginID, compared without
// regard to case (as the mock compares login IDs); one that matches case
// too is preferred. Several that differ only in case are an error: which
// one the run created is unknown.
func holder(items []pageUser, loginID string) (*CreatedUser, error) {
	var matches []pageUser
	for _, it := range items {
		if it.LoginID == loginID {
			matches = []pageUser{it}
			break
		}
		if strings.EqualFold(it.LoginID, loginID) {
			matches = append(matches, it)
		}
	}
	switch {
	case len(matches) == 0:
		return nil, nil
	case len(matches) > 1:
		return nil, fmt.Errorf("%d users hold it in other cases of letters", len(matches))
	case matches[0].UserID == "":
		return nil, fmt.Errorf("the user %q that holds it has no userId", matches[0].LoginID)
	}
	m := matches[0]
	return &CreatedUser{LoginID: m.LoginID, ID: m.UserID, NRN: m.NRN}, nil
}

// writeLookups writes, for a run with Config.Cleanup, what looking up the
// maybe-created login IDs gave, and every login ID that could not be looked
// up. Users found and not deleted are under NOT DELETED.
func writeLookups(w io.Writer, maybe []MaybeCreated, c *CleanupResult) {
	deleted := 0
	for _, f := range c.Found {
		if !slices.ContainsFunc(c.Failed, func(x CleanupFailure) bool { return x.ID == f.ID }) {
			deleted++
		}
	}
	parts := []string{fmt.Sprintf("%d found and deleted", deleted)}
	if n := len(c.Found) - deleted; n > 0 {
		parts = append(parts, fmt.Sprintf("%d found and NOT DELETED", n))
	}
	parts = append(parts, fmt.Sprintf("%d not found (not created)", len(c.NotFound)))
	if n := len(c.LookupFailed); n > 0 {
		parts = append(parts, fmt.Sprintf("%d not looked up", n))
	}
	fmt.Fprintf(w, "MAYBE CREATED: %s got no answer with a user ID to delete them by; looked up with GET %s: %s\n",
		plural(len(maybe), "login ID"), c.LookupURL, strings.Join(parts, ", "))
	if len(c.LookupFailed) == 0 {
		return
	}
	fmt.Fprintf(w, "LOOKUP FAILED: %s; to look them up by hand:\n", plural(len(c.LookupFailed), "login ID"))
	for _, f := range c.LookupFailed {
		fmt.Fprintf(w, "  %s (%s: %s)\n", f.LoginID, f.Case, f.Reason)
	}
}
