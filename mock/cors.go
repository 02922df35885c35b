package mock

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
)

// Cross-origin calls from browser apps. The real service is called by
// servers, with signed requests; the mock is called by the app under
// development straight from the browser, so it answers CORS as a
// development server does: the pages of this machine by default, or the
// origins of Config.CORSOrigins, with credentials (cookies or HTTP auth,
// which an app's client may send on every request; the mock uses neither).

func (s *Server) corsConfig() middleware.CORSConfig {
	return middleware.CORSConfig{
		AllowOriginFunc: func(origin string) (bool, error) { return s.originAllowed(origin), nil },
		// The allowed origin is echoed, never "*", so that a request with
		// credentials is allowed too.
		AllowCredentials: true,
		AllowMethods:     []string{http.MethodGet, http.MethodPost, http.MethodDelete, http.MethodOptions},
		// No AllowHeaders: a preflight is allowed the headers it asks for
		// (Content-Type, the signature headers, X-Ncpmock-Fault, and
		// whatever the app's HTTP client or tracing adds, such as
		// Authorization or sentry-trace), as a mock for development should.
		// Every header the mock answers with that is not CORS-safelisted,
		// so that the page's JavaScript can read it: Allow on a 405,
		// Retry-After on a 429, WWW-Authenticate from the admin API.
		ExposeHeaders: []string{HeaderTraceID, HeaderWarning, headerRetryHint, HeaderFaultApplied,
			echo.HeaderAllow, echo.HeaderWWWAuthenticate},
		MaxAge: 600,
	}
}

// originAllowed reports whether a page of origin may call the mock: any
// origin of this machine when Config.CORSOrigins is nil; otherwise one in
// the list, "*" being any origin and "https://*.example.com" any origin
// under example.com.
func (s *Server) originAllowed(origin string) bool {
	if s.cfg.CORSOrigins == nil {
		return isLocalOrigin(origin)
	}
	for _, o := range s.cfg.CORSOrigins {
		if o == "*" || o == origin || matchWildcardOrigin(origin, o) {
			return true
		}
	}
	return false
}

// corsRefused marks the answer to a page whose origin is not allowed: the
// browser shows the app only a CORS error, so the warning header (which the
// browser's network panel shows) and the access log say why and what to set.
func (s *Server) corsRefused(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if origin := c.Request().Header.Get(echo.HeaderOrigin); origin != "" && !s.originAllowed(origin) {
			c.Response().Header().Add(HeaderWarning, shorten(headerSafe(fmt.Sprintf(
				"CORS: origin %q is not allowed, so the browser keeps this answer from the page; allow it with --cors-origin %s (mock.Config.CORSOrigins)",
				origin, origin)), maxTextBytes))
		}
		return next(c)
	}
}

// isLocalOrigin reports whether origin is a page served from this machine:
// http or https, localhost, a name under .localhost, 127.0.0.1 or [::1],
// on any port.
func isLocalOrigin(origin string) bool {
	scheme, host, ok := strings.Cut(origin, "://")
	if !ok || (scheme != "http" && scheme != "https") {
		return false
	}
	if i := strings.LastIndexByte(host, ':'); i >= 0 && !strings.HasSuffix(host, "]") {
		if !isPort(host[i+1:]) {
			return false
		}
		host = host[:i]
	}
	switch {
	case host == "localhost", host == "127.0.0.1", host == "[::1]":
		return true
	case strings.HasSuffix(host, ".localhost"):
		return isHostName(strings.TrimSuffix(host, ".localhost"))
	}
	return false
}

// isHostName reports whether s is made of DNS labels: letters, digits and
// hyphens, dot-separated.
func isHostName(s string) bool {
	for label := range strings.SplitSeq(s, ".") {
		if label == "" {
			return false
		}
		for _, c := range label {
			if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
				return false
			}
		}
	}
	return true
}

// matchWildcardOrigin reports whether origin is under the pattern
// scheme://*.domain[:port], as Echo's own origin list matches them.
func matchWildcardOrigin(origin, pattern string) bool {
	scheme, domain, ok := strings.Cut(pattern, "://*.")
	if !ok {
		return false
	}
	oscheme, host, ok := strings.Cut(origin, "://")
	return ok && oscheme == scheme && strings.HasSuffix(host, "."+domain) && isHostName(strings.TrimSuffix(host, "."+domain))
}

func isPort(s string) bool {
	if s == "" || len(s) > 5 {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
