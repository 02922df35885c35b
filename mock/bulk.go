package mock

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"
	"github.com/ncpmock/ncpmock/openapi"
)

// Per-user failure messages. The real service's texts are inferred from its
// check-login-id endpoint (see the README's fidelity section).
const (
	MsgDuplicateLoginID = "Duplicate login ID."
	MsgInvalidLoginID   = "Invalid login ID."
)

// createUsers answers createUsersBulk: validate, create each new login ID,
// answer one result per requested user in request order.
func (s *Server) createUsers(c echo.Context) error {
	req := c.Request()
	body, err := readBody(req, s.cfg.MaxBodyBytes)
	if err != nil {
		return err
	}
	if x := exchangeOf(c); x != nil {
		x.body = body // for the journal
	}
	warnings, err := s.validator.Validate(req.Context(), req.Header.Get(echo.HeaderContentType), body)
	addWarnings(c.Response().Header(), warnings)
	if err != nil {
		return err
	}
	bulk, err := decodeBulk(body)
	if err != nil {
		return err
	}
	if err := s.applyTriggers(c, bulk.Params); err != nil {
		return err
	}
	results, err := s.create(c, bulk.Params)
	if err != nil {
		return err
	}
	if x := exchangeOf(c); x != nil && x.breaker != nil {
		return x.answerBroken(results)
	}
	return c.JSON(http.StatusOK, results)
}

// create stores the users and builds their results. Users that a fault or a
// trigger login ID fails are not stored.
func (s *Server) create(c echo.Context, params []openapi.UserCreate) ([]openapi.UserResult, error) {
	now := s.cfg.Now()
	users := make([]User, len(params))
	for i, p := range params {
		id := s.faker.UUID()
		users[i] = User{ID: id, LoginID: p.LoginID, NRN: s.nrn(id), CreatedAt: now, Request: p}
	}
	failed := s.userFailures(c, params)
	added, err := s.insert(c, users, failed)
	if err != nil {
		return nil, fmt.Errorf("store users: %w", err)
	}
	results := make([]openapi.UserResult, len(users))
	for i, u := range users {
		switch {
		case failed != nil && failed[i] != "":
			results[i] = openapi.UserResult{Name: u.LoginID, Message: failed[i]}
		case added[i]:
			results[i] = openapi.UserResult{ID: u.ID, NRN: u.NRN, Name: u.LoginID, Success: true}
		default:
			results[i] = openapi.UserResult{Name: u.LoginID, Message: MsgDuplicateLoginID}
		}
	}
	return results, nil
}

// insert stores the users that have not failed, and reports for each user
// whether it was added.
func (s *Server) insert(c echo.Context, users []User, failed []string) ([]bool, error) {
	if failed == nil {
		return s.store.Insert(c.Request().Context(), users)
	}
	var keep []User
	for i, u := range users {
		if failed[i] == "" {
			keep = append(keep, u)
		}
	}
	kept, err := s.store.Insert(c.Request().Context(), keep)
	if err != nil {
		return nil, err
	}
	added := make([]bool, len(users))
	for i, j := 0, 0; i < len(users); i++ {
		if failed[i] == "" {
			added[i], j = kept[j], j+1
		}
	}
	return added, nil
}

// nrn returns the NCP Resource Name of a user: nrn:PUB:SSO::<memberNo>:User/<id>.
func (s *Server) nrn(id string) string {
	return "nrn:" + s.cfg.NRNDomain + ":SSO::" + s.cfg.MemberNo + ":User/" + id
}

// readBody reads the whole body, refusing more than limit bytes.
func readBody(r *http.Request, limit int64) ([]byte, error) {
	if r.ContentLength > limit {
		return nil, &bodyTooLargeError{limit: limit}
	}
	var buf bytes.Buffer
	if r.ContentLength > 0 {
		buf.Grow(int(r.ContentLength))
	}
	n, err := buf.ReadFrom(io.LimitReader(r.Body, limit+1))
	if err != nil {
		return nil, &bodyReadError{err: err}
	}
	if n > limit {
		return nil, &bodyTooLargeError{limit: limit}
	}
	return buf.Bytes(), nil
}

// headerSafe makes text fit in a header value: printable ASCII only.
func headerSafe(s string) string {
	ok := true
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] >= 0x7f {
			ok = false
			break
		}
	}
	if ok {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == utf8.RuneError || r < 0x20 || r >= 0x7f:
			b.WriteString(strings.Trim(strconv.QuoteRuneToASCII(r), "'"))
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// decodeBulk decodes a validated body. A key repeated in one object is
// decoded as the validator read it, the last value winning: encoding/json
// would instead try every value in turn and fail on an earlier one of
// another type.
func decodeBulk(body []byte) (openapi.BulkRequest, error) {
	var bulk openapi.BulkRequest
	err := json.Unmarshal(body, &bulk)
	if err == nil {
		return bulk, nil
	}
	var value any
	if json.Unmarshal(body, &value) != nil {
		return bulk, fmt.Errorf("decode a validated body: %w", err)
	}
	last, merr := json.Marshal(value)
	if merr != nil {
		return bulk, fmt.Errorf("decode a validated body: %w", merr)
	}
	bulk = openapi.BulkRequest{}
	if err := json.Unmarshal(last, &bulk); err != nil {
		return bulk, fmt.Errorf("decode a validated body: %w", err)
	}
	return bulk, nil
}
