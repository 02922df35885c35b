package mock

import (
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
	"unsafe"

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
	x := exchangeOf(c)
	body, err := s.readBulkBody(req, x)
	if err != nil {
		return err
	}
	if x != nil {
		// For the journal, which copies what it keeps; nothing writes to it.
		x.body = unsafe.Slice(unsafe.StringData(body), len(body))
	}
	var bulk openapi.BulkUsers
	warnings, err := s.validator.DecodeUsers(req.Context(), req.Header.Get(echo.HeaderContentType), body, &bulk)
	addWarnings(c.Response().Header(), warnings)
	if err != nil {
		return err
	}
	if err := s.applyTriggers(c, bulk.Params); err != nil {
		return err
	}
	users, added, failed, err := s.create(c, bulk.Params)
	if err != nil {
		return err
	}
	if x != nil && x.breaker != nil {
		return x.answerBroken(results(users, added, failed))
	}
	if failed != nil {
		return c.JSON(http.StatusOK, results(users, added, failed))
	}
	return s.writeResults(c, users, added)
}

// create stores the users and reports which were added and, when a fault or
// a trigger login ID fails some users, why each of those failed. Failed
// users are not stored.
func (s *Server) create(c echo.Context, params []openapi.UserText) ([]User, []bool, []string, error) {
	now := s.cfg.Now()
	var users []User
	if x := exchangeOf(c); x != nil {
		users = x.userScratch(len(params))
	} else {
		users = make([]User, len(params))
	}
	for i, p := range params {
		users[i] = User{LoginID: p.LoginID, CreatedAt: now, Request: p.JSON}
	}
	failed := s.userFailures(c, params)
	added, err := s.insert(c, users, failed)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("store users: %w", err)
	}
	return users, added, failed, nil
}

// insert stores the users that have not failed, giving those it adds their
// IDs, and reports for each user whether it was added.
func (s *Server) insert(c echo.Context, users []User, failed []string) ([]bool, error) {
	if failed == nil {
		return s.store.Insert(c.Request().Context(), users, s.assignIDs)
	}
	var keep []User
	for i, u := range users {
		if failed[i] == "" {
			keep = append(keep, u)
		}
	}
	kept, err := s.store.Insert(c.Request().Context(), keep, s.assignIDs)
	if err != nil {
		return nil, err
	}
	added := make([]bool, len(users))
	for i, j := 0, 0; i < len(users); i++ {
		if failed[i] == "" {
			added[i] = kept[j]
			users[i].ID, users[i].NRN = keep[j].ID, keep[j].NRN
			j++
		}
	}
	return added, nil
}

// results returns the answer to a batch: one result per user, in order.
// failed, when not nil, holds the message of each user a fault failed.
func results(users []User, added []bool, failed []string) []openapi.UserResult {
	out := make([]openapi.UserResult, len(users))
	for i, u := range users {
		switch {
		case failed != nil && failed[i] != "":
			out[i] = openapi.UserResult{Name: u.LoginID, Message: failed[i]}
		case added[i]:
			out[i] = openapi.UserResult{ID: u.ID, NRN: u.NRN, Name: u.LoginID, Success: true}
		default:
			out[i] = openapi.UserResult{Name: u.LoginID, Message: MsgDuplicateLoginID}
		}
	}
	return out
}

// writeResults answers 200 with the results, as c.JSON would but encoded by
// appendResults into a pooled buffer. A request with a query (such as
// ?pretty) goes through c.JSON.
func (s *Server) writeResults(c echo.Context, users []User, added []bool) error {
	if c.Request().URL.RawQuery != "" {
		return c.JSON(http.StatusOK, results(users, added, nil))
	}
	return s.writeEncoded(c, http.StatusOK, func(dst []byte) []byte { return appendResults(dst, users, added) })
}

// writeEncoded answers status with the JSON that encode appends to the
// buffer it is given (a pooled one), with its length.
func (s *Server) writeEncoded(c echo.Context, status int, encode func([]byte) []byte) error {
	buf := s.buffer()
	defer s.recycle(buf)
	*buf = encode((*buf)[:0])
	// With its length known net/http sends the answer as it is, not in
	// chunks, in fewer writes.
	c.Response().Header().Set(echo.HeaderContentLength, strconv.Itoa(len(*buf)))
	if len(*buf) > holdAnswersOver {
		// It will not fit net/http's buffer: one writev, not two writes.
		defer holdConnWrites(c.Request().Context())()
	}
	return c.JSONBlob(status, *buf) // writers must not keep it (io.Writer)
}

// holdAnswersOver is the size of results above which writeResults has its
// connection hold writes (see holdConnWrites): answers that may not fit,
// headers included, in net/http's 4 KB connection buffer.
const holdAnswersOver = 3 << 10

// maxPooledBuffer bounds the buffers kept for reuse.
const maxPooledBuffer = 256 << 10

// buffer returns a buffer for a request body or an answer; recycle it when
// nothing refers to it any more.
func (s *Server) buffer() *[]byte {
	if b, ok := s.buffers.Get().(*[]byte); ok {
		return b
	}
	return new([]byte)
}

func (s *Server) recycle(b *[]byte) {
	if cap(*b) <= maxPooledBuffer {
		*b = (*b)[:0]
		s.buffers.Put(b)
	}
}

// readBulkBody reads the body of a bulk request as readBody does, into a
// pooled buffer that the exchange gives back when it is released (after the
// journal has copied what it keeps): what outlives the request must not
// point into it. Store.Insert's assign (assignIDs) copies the strings of
// the users created.
func (s *Server) readBulkBody(r *http.Request, x *exchange) (string, error) {
	if err := checkEncoding(r); err != nil {
		return "", err
	}
	limit := s.cfg.MaxBodyBytes
	if x == nil || r.ContentLength <= 0 || r.ContentLength > min(limit, maxPooledBuffer) {
		return s.readBody(r)
	}
	buf := s.buffer()
	x.bodyBuf = buf
	n := int(r.ContentLength)
	if cap(*buf) < n {
		*buf = make([]byte, n, max(n, 32<<10))
	}
	*buf = (*buf)[:n]
	// net/http delivers exactly ContentLength bytes or an error.
	if _, err := io.ReadFull(r.Body, *buf); err != nil {
		return "", &bodyReadError{err: err}
	}
	return unsafe.String(&(*buf)[0], n), nil
}

// checkEncoding refuses a compressed body: read as JSON it would only be
// "malformed" (Assumed: the real gateway's answer to one is not known).
func checkEncoding(r *http.Request) error {
	if enc := r.Header.Get(echo.HeaderContentEncoding); enc != "" && !strings.EqualFold(enc, "identity") {
		return &contentEncodingError{encoding: enc}
	}
	return nil
}

// readBody reads the whole body, refusing more than the configured limit. It
// returns a string, which the decoded request shares.
func (s *Server) readBody(r *http.Request) (string, error) {
	if err := checkEncoding(r); err != nil {
		return "", err
	}
	limit := s.cfg.MaxBodyBytes
	if r.ContentLength > limit {
		return "", &bodyTooLargeError{limit: limit}
	}
	if r.ContentLength > 0 {
		// net/http delivers exactly ContentLength bytes or an error. The
		// bytes are read once, then only ever seen as the string.
		buf := make([]byte, r.ContentLength)
		if _, err := io.ReadFull(r.Body, buf); err != nil {
			return "", &bodyReadError{err: err}
		}
		return unsafe.String(&buf[0], len(buf)), nil
	}
	scratch := s.buffer()
	defer s.recycle(scratch)
	buf, err := readAll(r.Body, limit, (*scratch)[:0])
	*scratch = buf
	if err != nil {
		return "", err
	}
	return string(buf), nil
}

// readAll reads r to its end into buf, refusing more than limit bytes.
func readAll(r io.Reader, limit int64, buf []byte) ([]byte, error) {
	for {
		if len(buf) == cap(buf) {
			buf = slices.Grow(buf, max(512, len(buf)))
		}
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if int64(len(buf)) > limit {
			return buf[:0], &bodyTooLargeError{limit: limit}
		}
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf[:0], &bodyReadError{err: err}
		}
	}
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

// nrn returns the NCP Resource Name of a user: nrn:PUB:SSO::<memberNo>:User/<id>.
func (s *Server) nrn(id string) string {
	return s.nrnPrefix + id
}
