package mock

import (
	"bytes"
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
	var bulk openapi.BulkRequest
	warnings, err := s.validator.Decode(req.Context(), req.Header.Get(echo.HeaderContentType), body, &bulk)
	for _, w := range warnings {
		c.Response().Header().Add(HeaderWarning, headerSafe(w.String()))
	}
	if err != nil {
		return err
	}
	results, err := s.create(c, bulk.Params)
	if err != nil {
		return err
	}
	return s.writeResults(c, results)
}

// create stores the users and builds their results.
func (s *Server) create(c echo.Context, params []openapi.UserCreate) ([]openapi.UserResult, error) {
	now := s.cfg.Now()
	ids, nrns := s.newIDs(len(params))
	users := make([]User, len(params))
	for i, p := range params {
		users[i] = User{ID: ids[i], LoginID: p.LoginID, NRN: nrns[i], CreatedAt: now, Request: p}
	}
	added, err := s.store.Insert(c.Request().Context(), users)
	if err != nil {
		return nil, fmt.Errorf("store users: %w", err)
	}
	results := make([]openapi.UserResult, len(users))
	for i, u := range users {
		if added[i] {
			results[i] = openapi.UserResult{ID: u.ID, NRN: u.NRN, Name: u.LoginID, Success: true}
		} else {
			results[i] = openapi.UserResult{Name: u.LoginID, Message: MsgDuplicateLoginID}
		}
	}
	return results, nil
}

// writeResults answers 200 with the results, as c.JSON would but encoded by
// appendResults into a pooled buffer. A request with a query (such as
// ?pretty) goes through c.JSON.
func (s *Server) writeResults(c echo.Context, results []openapi.UserResult) error {
	if c.Request().URL.RawQuery != "" {
		return c.JSON(http.StatusOK, results)
	}
	bp, _ := s.buffers.Get().(*[]byte)
	if bp == nil {
		bp = new([]byte)
	}
	b := appendResults((*bp)[:0], results)
	err := c.JSONBlob(http.StatusOK, b) // writers must not keep b (io.Writer)
	if cap(b) <= maxPooledBuffer {
		*bp = b
		s.buffers.Put(bp)
	}
	return err
}

// maxPooledBuffer bounds the answer buffers kept for reuse.
const maxPooledBuffer = 1 << 16

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
		return nil, fmt.Errorf("read body: %w", err)
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
