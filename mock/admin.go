package mock

import (
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"
)

// HeaderAdminToken carries the admin token, as an alternative to
// "Authorization: Bearer <token>".
const HeaderAdminToken = "X-Ncpmock-Admin-Token"

// adminOnly guards an admin route: when Config.AdminToken is set, the request
// must carry it (the comparison takes the same time whatever the guess);
// without a token, the request must not come from a web page (browserCaller).
func (s *Server) adminOnly(next echo.HandlerFunc) echo.HandlerFunc {
	if s.cfg.AdminToken == "" {
		return func(c echo.Context) error {
			if err := browserCaller(c); err != nil {
				s.adminRefused.Add(1)
				return err
			}
			return next(c)
		}
	}
	want := sha256.Sum256([]byte(s.cfg.AdminToken))
	return func(c echo.Context) error {
		got := sha256.Sum256([]byte(adminToken(c.Request())))
		if subtle.ConstantTimeCompare(got[:], want[:]) != 1 {
			s.adminRefused.Add(1)
			return &GatewayErrorStatus{
				Status: http.StatusUnauthorized, Code: "200", Message: "Authentication Failed",
				Details: "The admin API needs its token: send it as Authorization: Bearer TOKEN or " + HeaderAdminToken + ": TOKEN.",
				Header:  http.Header{"Www-Authenticate": {`Bearer realm="ncpmock admin"`}},
			}
		}
		return next(c)
	}
}

// browserCaller refuses the two ways a web page the user merely visits
// could reach an admin API without a token (a page can send a POST to any
// address without asking first, and read the answer of a name it has made
// resolve to 127.0.0.1): a request whose Origin is not one the mock's CORS
// allows (the CORS middleware, which runs first, has answered it with no
// Access-Control-Allow-Origin), and a request that came over loopback
// naming a host that is neither localhost nor an IP address (DNS
// rebinding). Command-line clients send no Origin and name the address.
func browserCaller(c echo.Context) error {
	r := c.Request()
	if origin := r.Header.Get(echo.HeaderOrigin); origin != "" &&
		c.Response().Header().Get(echo.HeaderAccessControlAllowOrigin) == "" {
		return adminForbidden(fmt.Sprintf("The admin API has no token and refuses requests from web pages of origin %q, "+
			"which is not an allowed CORS origin (--cors-origin).", origin))
	}
	if local, ok := r.Context().Value(http.LocalAddrContextKey).(*net.TCPAddr); ok && local.IP.IsLoopback() && !loopbackHost(r.Host) {
		return adminForbidden(fmt.Sprintf("The admin API has no token and answers over loopback only requests for localhost or an IP address, not Host %q "+
			"(a web page could make that name point here); set --admin-token to use another name.", r.Host))
	}
	return nil
}

// loopbackHost reports whether a Host header names localhost (or a name under
// it) or an IP address, with or without a port.
func loopbackHost(host string) bool {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.ToLower(strings.Trim(host, "[]")), ".")
	return host == "localhost" || strings.HasSuffix(host, ".localhost") || net.ParseIP(host) != nil
}

func adminForbidden(details string) error {
	return &GatewayErrorStatus{Status: http.StatusForbidden, Code: "210", Message: "Permission Denied", Details: details}
}

// CheckAdminToken refuses an admin token no client could send: HTTP drops
// the spaces at either end of a header value, and a control character or a
// byte past ASCII has no place in one. The error never shows the token; ""
// (no token) passes.
func CheckAdminToken(token string) error {
	if token == "" {
		return nil
	}
	if strings.TrimSpace(token) != token {
		return errors.New("the admin token starts or ends with a space, or is only spaces: no client could send it, since HTTP drops them from a header")
	}
	for _, c := range []byte(token) {
		if c < 0x21 && c != ' ' || c >= 0x7f {
			return errors.New("the admin token holds a control character or a byte past ASCII: use printable ASCII, such as the output of 'openssl rand -hex 16'")
		}
	}
	return nil
}

func adminToken(r *http.Request) string {
	if t := r.Header.Get(HeaderAdminToken); t != "" {
		return t
	}
	scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if ok && strings.EqualFold(scheme, "Bearer") {
		return strings.TrimSpace(token)
	}
	return ""
}

// adminFaultsResponse is the body of GET /__admin/faults.
type adminFaultsResponse struct {
	Count  int          `json:"count"`
	Faults []RuleStatus `json:"faults"`
}

func (s *Server) adminListFaults(c echo.Context) error {
	list := s.faults.list()
	return c.JSON(http.StatusOK, adminFaultsResponse{Count: len(list), Faults: list})
}

// adminAddFaults adds the rules of the body (YAML or JSON: one rule, a list,
// or {"faults": [...]}) and answers 201 with them as added.
func (s *Server) adminAddFaults(c echo.Context) error {
	body, err := s.readBody(c.Request())
	if err != nil {
		return err
	}
	rules, err := ParseRules([]byte(body))
	if err != nil {
		return err
	}
	added, err := s.faults.add(rules...)
	if err != nil {
		return err
	}
	list := make([]RuleStatus, len(added))
	ids := make([]string, len(added))
	for i, r := range added {
		list[i] = RuleStatus{Rule: r, Remaining: remainingOf(r)}
		ids[i] = r.ID
	}
	c.Set(ctxAdminChange, "added rules "+strings.Join(ids, ", "))
	return c.JSON(http.StatusCreated, adminFaultsResponse{Count: len(list), Faults: list})
}

func remainingOf(r Rule) int {
	if r.Times > 0 {
		return r.Times
	}
	return -1
}

func (s *Server) adminGetFault(c echo.Context) error {
	r, err := s.faults.get(c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, r)
}

func (s *Server) adminDeleteFault(c echo.Context) error {
	r, err := s.faults.remove(c.Param("id"))
	if err != nil {
		return err
	}
	c.Set(ctxAdminChange, "removed rule "+r.Rule.ID)
	return c.JSON(http.StatusOK, r)
}

func (s *Server) adminClearFaults(c echo.Context) error {
	n := s.ClearFaults()
	c.Set(ctxAdminChange, "removed every rule ("+strconv.Itoa(n)+")")
	return c.JSON(http.StatusOK, map[string]int{"removed": n})
}

// adminRequestsResponse is the body of GET /__admin/requests.
type adminRequestsResponse struct {
	// Total counts the requests recorded since the start or the last reset,
	// including those the ring has dropped.
	Total    uint64         `json:"total"`
	Count    int            `json:"count"`
	Requests []JournalEntry `json:"requests"`
}

func (s *Server) adminRequests(c echo.Context) error {
	f, err := journalFilter(c.QueryParams())
	if err != nil {
		return err
	}
	entries := s.journal.entries(f)
	return c.JSON(http.StatusOK, adminRequestsResponse{Total: s.journal.total(), Count: len(entries), Requests: entries})
}

func (s *Server) adminClearRequests(c echo.Context) error {
	s.ClearRequests()
	c.Set(ctxAdminChange, "cleared the journal")
	return c.JSON(http.StatusOK, map[string]string{"status": "cleared"})
}

// journalFilter reads ?path=&status=&fault=&limit=. status is a code, 0 for
// requests without an answer, or a class such as 5xx.
func journalFilter(q map[string][]string) (JournalFilter, error) {
	get := func(k string) string {
		if v := q[k]; len(v) > 0 {
			return v[0]
		}
		return ""
	}
	f := JournalFilter{Path: get("path"), Fault: get("fault")}
	if st := get("status"); st != "" {
		if err := f.setStatus(st); err != nil {
			return f, err
		}
	}
	if l := get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 0 {
			return f, adminBadRequest(fmt.Sprintf("limit %q: want a number of 0 (all) or more", l))
		}
		f.Limit = n
	}
	return f, nil
}

func (f *JournalFilter) setStatus(st string) error {
	if len(st) == 3 && strings.HasSuffix(strings.ToLower(st), "xx") && st[0] >= '1' && st[0] <= '5' {
		f.StatusClass = int(st[0] - '0')
		return nil
	}
	n, err := strconv.Atoi(st)
	if err != nil || n < 0 || n > 599 {
		return adminBadRequest(fmt.Sprintf("status %q: want a status such as 503, a class such as 5xx, or 0 for no answer", st))
	}
	f.Status, f.StatusSet = n, true
	return nil
}

func adminBadRequest(details string) *GatewayErrorStatus {
	return &GatewayErrorStatus{Status: http.StatusBadRequest, Code: "100", Message: "Bad Request Exception", Details: details}
}
