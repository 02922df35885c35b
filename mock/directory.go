package mock

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/ncpmock/ncpmock/openapi"
)

// The directory: the neighbouring SSO v1 operations that read back and
// delete what createUsersBulk created, so that a screen can list the users
// it just uploaded, open one, check a login ID before uploading it, and
// delete test users to upload them again. They share the bulk endpoint's
// store, authentication and error mapping. Their paths and shapes come from
// NCP's API documentation; what they answer where the documentation is
// silent is marked Inferred (see the README's fidelity section).

// Paths of the directory operations, relative to a server base path such as
// /api/v1.
const (
	PathUsers           = "/users"
	PathUser            = "/users/:userId"
	PathUsersDelete     = "/users/delete"
	PathUsersCheckLogin = "/users/check-login-id"
)

// StatusActive is the status of every user the mock creates (Inferred: the
// documentation lists active, suspended and deleted).
const StatusActive = "active"

// MsgUserNotFound answers a user ID the mock does not hold (Inferred).
const MsgUserNotFound = "User not found."

const (
	defaultPageSize      = 20
	maxPageSize          = 1000 // Inferred: the documentation says 1-N
	maxDeleteIDs         = 100  // Inferred: as many as one bulk create makes
	msgDeleteFieldUserID = "userIds"
)

// searchColumnList names the search columns of GET /users, for messages.
const searchColumnList = "loginId, status, nrn, userId"

// UserDetail is a user as GET /users/{userId} and GET /users answer it.
type UserDetail struct {
	// UserID is the ID the mock gave the user (User.ID), a UUID.
	UserID string `json:"userId"`
	// LoginID is the user's login ID, as the request that created it
	// spelled it.
	LoginID string `json:"loginId"`
	// NRN is the user's NRN: nrn:<domain>:SSO::<member number>:User/<id>.
	NRN string `json:"nrn"`
	// UserProfile is the profile the user was created with; its fields are
	// empty when the request sent none.
	UserProfile UserProfileDetail `json:"userProfile"`
	// AccessRules are the access rules the user was created with; both
	// false when the request sent none.
	AccessRules openapi.AccessRules `json:"accessRules"`
	// Status is StatusActive for every user the mock creates.
	Status string `json:"status"`
	// Description is the description the user was created with; empty,
	// and left out of the JSON, when it had none.
	Description string `json:"description,omitempty"`
	// LastLoginAt is null: no one logs in to the mock.
	LastLoginAt *string `json:"lastLoginAt"`
	// CreatedAt is when the user was created, in UTC, RFC 3339 to the
	// second ("2025-01-02T03:04:05Z").
	CreatedAt string `json:"createdAt"`
	// UpdatedAt is CreatedAt: the mock changes no user after creating it.
	UpdatedAt string `json:"updatedAt"`
}

// UserProfileDetail is a user's profile as the directory answers it: what
// was sent, and whether email and phone number are verified (never, in the
// mock).
type UserProfileDetail struct {
	// FirstName is the userProfile's firstName as sent; empty, and left out
	// of the JSON, when it was not sent (as for each string field here).
	FirstName string `json:"firstName,omitempty"`
	// LastName is the userProfile's lastName as sent.
	LastName string `json:"lastName,omitempty"`
	// Email is the userProfile's email as sent.
	Email string `json:"email,omitempty"`
	// EmailVerified is always false: the mock verifies no email.
	EmailVerified bool `json:"emailVerified"`
	// EmpNo is the userProfile's empNo (employee number) as sent.
	EmpNo string `json:"empNo,omitempty"`
	// PhoneCountryCode is the userProfile's phoneCountryCode as sent.
	PhoneCountryCode string `json:"phoneCountryCode,omitempty"`
	// PhoneNo is the userProfile's phoneNo as sent.
	PhoneNo string `json:"phoneNo,omitempty"`
	// PhoneNoVerified is always false: the mock verifies no phone number.
	PhoneNoVerified bool `json:"phoneNoVerified"`
	// DeptName is the userProfile's deptName (department) as sent.
	DeptName string `json:"deptName,omitempty"`
}

// UserPage is the body of GET /users.
type UserPage struct {
	// Page is the page asked for (the query's page), counted from 0.
	Page int `json:"page"`
	// TotalPages is how many pages of the query's size the matching users
	// fill; 0 when none matches.
	TotalPages int `json:"totalPages"`
	// TotalItems counts the users that match the search, on every page.
	TotalItems int `json:"totalItems"`
	// IsFirst is true on page 0.
	IsFirst bool `json:"isFirst"`
	// IsLast is true on the last page, and on any page past it.
	IsLast bool `json:"isLast"`
	// HasPrevious is true on every page but page 0.
	HasPrevious bool `json:"hasPrevious"`
	// HasNext is true when a page after this one holds users.
	HasNext bool `json:"hasNext"`
	// Items are the page's users, in the order they were created; empty,
	// never null, on a page past the last.
	Items []UserDetail `json:"items"`
}

// DeleteResult is the outcome of deleting one user: the body of
// DELETE /users/{userId} and an element of POST /users/delete's answer.
type DeleteResult struct {
	// ID is the user ID asked for.
	ID string `json:"id"`
	// NRN is the deleted user's NRN; empty, and left out of the JSON, when
	// no user had the ID.
	NRN string `json:"nrn,omitempty"`
	// Success is true when a user had the ID and was deleted.
	Success bool `json:"success"`
	// Message is MsgUserNotFound when no user had the ID; empty on success.
	Message string `json:"message"`
}

// DeleteRequest is the body of POST /users/delete.
type DeleteRequest struct {
	// UserIDs are the IDs of the users to delete: 1 to 100 of them (the
	// upper limit Inferred).
	UserIDs []string `json:"userIds"`
}

// directoryRoutes declares the directory operations under every base path
// the bulk endpoint is served at.
func (s *Server) directoryRoutes(bases []string, handle func(method, path string, h echo.HandlerFunc)) {
	for _, b := range bases {
		handle(http.MethodGet, b+PathUsers, s.listUsers)
		handle(http.MethodGet, b+PathUsersCheckLogin, s.checkLoginID)
		handle(http.MethodPost, b+PathUsersDelete, s.deleteUsers)
		handle(http.MethodGet, b+PathUser, s.getUser)
		handle(http.MethodDelete, b+PathUser, s.deleteUser)
	}
}

// detail renders a stored user for the directory.
func detail(u User) UserDetail {
	var req openapi.UserCreate
	_ = openapi.DecodeExact([]byte(u.Request), &req) // validated when it was created
	created := u.CreatedAt.UTC().Format(time.RFC3339)
	d := UserDetail{
		UserID: u.ID, LoginID: u.LoginID, NRN: u.NRN, AccessRules: req.AccessRules,
		Status: StatusActive, CreatedAt: created, UpdatedAt: created,
	}
	if req.Description != nil {
		d.Description = *req.Description
	}
	if p := req.UserProfile; p != nil {
		d.UserProfile = UserProfileDetail{
			FirstName: deref(p.FirstName), LastName: deref(p.LastName), Email: deref(p.Email),
			EmpNo: deref(p.EmpNo), PhoneCountryCode: deref(p.PhoneCountryCode),
			PhoneNo: deref(p.PhoneNo), DeptName: deref(p.DeptName),
		}
	}
	return d
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// listUsers answers GET /users: the users in the order they were created,
// filtered by searchColumn and searchWord (a part of the column's value),
// a page of size users at a time.
func (s *Server) listUsers(c echo.Context) error {
	q := c.Request().URL.Query()
	warnUnknownQuery(c, q, "GET /users", "page", "size", "searchColumn", "searchWord")
	page, size, column, word, err := listQuery(q)
	if err != nil {
		return err
	}
	users, err := s.store.List(c.Request().Context())
	if err != nil {
		return err
	}
	matches := make([]UserDetail, 0, min(len(users), size))
	total := 0
	for _, u := range users {
		if column != "" && !strings.Contains(columnValue(u, column), word) {
			continue
		}
		if total >= page*size && total < (page+1)*size {
			matches = append(matches, detail(u)) // only the page's users are decoded
		}
		total++
	}
	pages := (total + size - 1) / size
	return c.JSON(http.StatusOK, UserPage{
		Page: page, TotalPages: pages, TotalItems: total,
		IsFirst: page == 0, IsLast: page >= pages-1,
		HasPrevious: page > 0, HasNext: page < pages-1,
		Items: matches,
	})
}

// RuleUnknownParameter is the rule of a warning about a query parameter
// that a directory operation does not read.
const RuleUnknownParameter = "unknownParameter"

// warnUnknownQuery warns of each query parameter of q that the operation op
// does not read, in known: it changes nothing in the answer, which would
// otherwise not show that pageSize was meant as size. Echo's pretty, which
// indents the answer, is read by every operation.
func warnUnknownQuery(c echo.Context, q url.Values, op string, known ...string) {
	reads := known[0]
	if n := len(known); n > 1 {
		reads = strings.Join(known[:n-1], ", ") + " and " + known[n-1]
	}
	var warnings []openapi.Problem
	for _, name := range slices.Sorted(maps.Keys(q)) {
		if name == "pretty" || slices.Contains(known, name) {
			continue
		}
		msg := fmt.Sprintf("is not a query parameter of %s, which reads %s; it is ignored", op, reads)
		if i := slices.IndexFunc(known, func(k string) bool { return strings.EqualFold(k, name) }); i >= 0 {
			msg += fmt.Sprintf(" (did you mean %q?)", known[i])
		}
		warnings = append(warnings, openapi.Problem{Field: name, Rule: RuleUnknownParameter, Message: msg})
	}
	addWarnings(c.Response().Header(), warnings)
}

// listQuery reads and checks the query of GET /users.
func listQuery(q url.Values) (page, size int, column, word string, err error) {
	var problems []openapi.Problem
	intParam := func(name string, def, lo, hi int) int {
		v := q.Get(name)
		if v == "" {
			return def
		}
		n, perr := strconv.Atoi(v)
		switch {
		case perr != nil:
			problems = append(problems, openapi.Problem{Field: name, Rule: "type",
				Message: fmt.Sprintf("%s is %q; want an integer from %d to %d", name, v, lo, hi)})
		case n < lo:
			problems = append(problems, openapi.Problem{Field: name, Rule: "minimum",
				Message: fmt.Sprintf("%s is %d; want at least %d", name, n, lo)})
		case n > hi:
			problems = append(problems, openapi.Problem{Field: name, Rule: "maximum",
				Message: fmt.Sprintf("%s is %d; want at most %d", name, n, hi)})
		}
		return n
	}
	page = intParam("page", 0, 0, 1<<30)
	size = intParam("size", defaultPageSize, 1, maxPageSize)
	column, word = q.Get("searchColumn"), q.Get("searchWord")
	switch {
	case column != "" && !isSearchColumn(column):
		problems = append(problems, openapi.Problem{Field: "searchColumn", Rule: "enum",
			Message: fmt.Sprintf("searchColumn is %q; want one of %s", column, searchColumnList)})
	case column == "" && word != "":
		problems = append(problems, openapi.Problem{Field: "searchColumn", Rule: "required",
			Message: "searchColumn is required with searchWord; want one of " + searchColumnList})
	}
	if problems != nil {
		return 0, 0, "", "", &openapi.ValidationError{Problems: problems}
	}
	return page, size, column, word, nil
}

func isSearchColumn(c string) bool {
	switch c {
	case "loginId", "status", "nrn", "userId":
		return true
	}
	return false
}

// columnValue returns the value of a search column of a stored user.
func columnValue(u User, column string) string {
	switch column {
	case "loginId":
		return u.LoginID
	case "status":
		return StatusActive
	case "nrn":
		return u.NRN
	}
	return u.ID
}

// errUserNotFound is the answer to GET /users/{userId} for an ID the mock
// does not hold (Inferred: a 404 in the service's error shape).
var errUserNotFound = errors.New(MsgUserNotFound)

// userIDParam returns the {userId} of a /users/{userId} request, or
// echo.ErrMethodNotAllowed when the path is another operation's (GET
// /users/bulk is a POST-only path, not a user called "bulk"), or
// echo.ErrNotFound when the path has more segments than the route (Echo's
// last :param takes the rest of the path, slashes and all).
func (s *Server) userIDParam(c echo.Context) (string, error) {
	// The path as Echo routed it (escaped, as sent), so that the answer
	// agrees with the route: /users/%62ulk is a user ID.
	if _, other := s.allow[echo.GetPath(c.Request())]; other {
		return "", echo.ErrMethodNotAllowed
	}
	id := c.Param("userId")
	if strings.Contains(id, "/") {
		return "", echo.ErrNotFound
	}
	return id, nil
}

// getUser answers GET /users/{userId}.
func (s *Server) getUser(c echo.Context) error {
	id, err := s.userIDParam(c)
	if err != nil {
		return err
	}
	u, ok, err := s.store.Get(c.Request().Context(), id)
	if err != nil {
		return err
	}
	if !ok {
		return errUserNotFound
	}
	return c.JSON(http.StatusOK, detail(u))
}

// deleteUser answers DELETE /users/{userId}: a DeleteResult, with success
// false for an ID the mock does not hold (Inferred).
func (s *Server) deleteUser(c echo.Context) error {
	id, err := s.userIDParam(c)
	if err != nil {
		return err
	}
	results, err := s.deleteIDs(c.Request().Context(), []string{id})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, results[0])
}

// deleteUsers answers POST /users/delete: one DeleteResult per ID, in order.
func (s *Server) deleteUsers(c echo.Context) error {
	var req DeleteRequest
	if err := s.decodeDeleteRequest(c, &req); err != nil {
		return err
	}
	results, err := s.deleteIDs(c.Request().Context(), req.UserIDs)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, results)
}

func (s *Server) decodeDeleteRequest(c echo.Context, req *DeleteRequest) error {
	// As the bulk endpoint: JSON only, which also keeps a page of another
	// site from posting a form here without asking first.
	if p, ok := openapi.CheckJSONContentType(c.Request().Header.Get(echo.HeaderContentType)); !ok {
		return &openapi.ValidationError{Problems: []openapi.Problem{p}}
	}
	body, err := s.readBody(c.Request())
	if err != nil {
		return err
	}
	problem := func(field, rule, msg string) error {
		return &openapi.ValidationError{Problems: []openapi.Problem{{Field: field, Rule: rule, Message: msg}}}
	}
	if err := openapi.CheckJSON([]byte(body)); err != nil {
		return problem("", openapi.RuleJSON, err.Error())
	}
	var raw struct {
		UserIDs json.RawMessage `json:"userIds"`
	}
	// Exact keys, as the bulk endpoint reads its body: "USERIDS" is not userIds.
	if err := openapi.DecodeExact([]byte(body), &raw); err != nil {
		return problem("", openapi.RuleBody, `the body must be a JSON object {"userIds": ["<user ID>", ...]}: `+err.Error())
	}
	if len(raw.UserIDs) == 0 || string(raw.UserIDs) == "null" {
		return problem(msgDeleteFieldUserID, "required", "userIds is required: an array of 1 to "+strconv.Itoa(maxDeleteIDs)+" user IDs")
	}
	var items []json.RawMessage
	if err := json.Unmarshal(raw.UserIDs, &items); err != nil {
		return problem(msgDeleteFieldUserID, "type", "userIds must be an array of strings")
	}
	req.UserIDs = make([]string, len(items))
	for i, item := range items {
		if err := json.Unmarshal(item, &req.UserIDs[i]); err != nil || string(item) == "null" {
			return problem(fmt.Sprintf("%s[%d]", msgDeleteFieldUserID, i), "type", "must be a string (a user ID), got "+jsonKind(item))
		}
	}
	switch n := len(req.UserIDs); {
	case n == 0:
		return problem(msgDeleteFieldUserID, "minItems", "userIds has 0 items; want at least 1")
	case n > maxDeleteIDs:
		return problem(msgDeleteFieldUserID, "maxItems", fmt.Sprintf("userIds has %d items; want at most %d", n, maxDeleteIDs))
	}
	return nil
}

func (s *Server) deleteIDs(ctx context.Context, ids []string) ([]DeleteResult, error) {
	removed, err := s.store.Delete(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("delete users: %w", err)
	}
	results := make([]DeleteResult, len(ids))
	for i, u := range removed {
		if u.ID == "" {
			results[i] = DeleteResult{ID: ids[i], Success: false, Message: MsgUserNotFound}
			continue
		}
		results[i] = DeleteResult{ID: u.ID, NRN: u.NRN, Success: true, Message: ""}
	}
	return results, nil
}

// checkLoginID answers GET /users/check-login-id?loginId=...: success when
// the login ID is free and valid; "Duplicate login ID." when a user holds it
// (or it is duplicate@fail.ncpmock.test); "Invalid login ID." when it breaks
// the spec's loginId rules (or it is invalid@fail.ncpmock.test); and, for a
// name in the trigger domain that is no trigger (statuss-503@...), what the
// bulk endpoint's 400 would say of it.
func (s *Server) checkLoginID(c echo.Context) error {
	q := c.Request().URL.Query()
	warnUnknownQuery(c, q, "GET /users/check-login-id", "loginId")
	if !q.Has("loginId") {
		return &openapi.ValidationError{Problems: []openapi.Problem{{Field: "loginId", Rule: "required",
			Message: "the query parameter loginId is required"}}}
	}
	id := q.Get("loginId")
	answer := openapi.UserResult{Name: id, Success: true}
	// duplicate@, invalid@ and a name that is no trigger answer here as
	// they fail in a bulk request, so that a form that checks first sees
	// it. A request-wide trigger (status-503@) passes: it fails the upload.
	var notTrigger error
	if isTrigger(id) {
		msg, _, err := readTrigger(id)
		if msg != "" {
			answer.Success, answer.Message = false, msg
			return c.JSON(http.StatusOK, answer)
		}
		notTrigger = err
	}
	valid, err := s.validLoginID(c.Request().Context(), id)
	if err != nil {
		return err
	}
	if !valid {
		answer.Success, answer.Message = false, MsgInvalidLoginID
		return c.JSON(http.StatusOK, answer)
	}
	if notTrigger != nil {
		// As the bulk endpoint, which checks the spec's rules first.
		answer.Success, answer.Message = false, notTrigger.Error()
		return c.JSON(http.StatusOK, answer)
	}
	if _, taken, err := s.store.Lookup(c.Request().Context(), id); err != nil {
		return err
	} else if taken {
		answer.Success, answer.Message = false, MsgDuplicateLoginID
	}
	return c.JSON(http.StatusOK, answer)
}

// validLoginID reports whether a login ID keeps the spec's rules for
// params[].loginId, by validating a one-user body that holds it.
func (s *Server) validLoginID(ctx context.Context, id string) (bool, error) {
	quoted, err := json.Marshal(id)
	if err != nil {
		return false, err
	}
	body := `{"params":[{"loginId":` + string(quoted) + `,"accessRules":{"consoleAccessAllowed":false,"apiAccessAllowed":false}}]}`
	_, err = s.validator.Validate(ctx, echo.MIMEApplicationJSON, []byte(body))
	var verr *openapi.ValidationError
	if !errors.As(err, &verr) {
		return err == nil, err
	}
	for _, p := range verr.Problems {
		if p.Field == "params[0].loginId" {
			return false, nil
		}
	}
	return true, nil
}

// jsonKind names the JSON type of a well-formed value.
func jsonKind(v json.RawMessage) string {
	switch v[0] {
	case '{':
		return "object"
	case '[':
		return "array"
	case '"':
		return "string"
	case 't', 'f':
		return "boolean"
	case 'n':
		return "null"
	}
	return "number"
}
