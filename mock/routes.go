package mock

import (
	"net/http"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
)

// Paths of the mock's own endpoints.
const (
	PathHealth        = "/healthz"
	PathSpecYAML      = "/openapi.yaml"
	PathSpecJSON      = "/openapi.json"
	PathAdminUsers    = "/__admin/users"
	PathAdminReset    = "/__admin/reset"
	PathAdminFaults   = "/__admin/faults"
	PathAdminRequests = "/__admin/requests"
	HeaderTraceID     = "X-Ncp-Trace-Id"
	HeaderWarning     = "X-Ncpmock-Warning"
	headerRetryHint   = "Retry-After"
)

// routes declares every route the mock answers, in one place.
func (s *Server) routes() *echo.Echo {
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = s.handleError
	e.Use(s.accessLog, s.traceID, s.corsRefused, middleware.CORSWithConfig(s.corsConfig()))

	var bases []string
	for _, p := range s.spec.ServerPaths() {
		s.api(e, s.spec.Method(), p, s.createUsers, true)
		bases = append(bases, strings.TrimSuffix(p, s.spec.Path()))
	}
	s.directoryRoutes(bases, func(method, path string, h echo.HandlerFunc) {
		s.api(e, method, path, h, false)
	})
	s.handle(e, http.MethodGet, PathHealth, s.health)
	s.handle(e, http.MethodGet, PathSpecYAML, s.specYAML)
	s.handle(e, http.MethodGet, PathSpecJSON, s.specJSON)
	if !s.cfg.NoAdmin {
		s.adminRoutes(e)
	}
	return e
}

// api declares a route of the API: behind authentication, with faults, and
// remembered in apiRoutes, against which fault rules are checked.
func (s *Server) api(e *echo.Echo, method, path string, h echo.HandlerFunc, bulk bool) {
	s.handle(e, method, path, s.injectFaults(h, bulk), s.authenticate)
	s.apiRoutes = append(s.apiRoutes, apiRoute{method: method, path: path, bulk: bulk})
}

// ownEndpoints names the mock's own endpoints, which faults never touch.
const ownEndpoints = PathHealth + ", " + PathSpecYAML + ", " + PathSpecJSON + " and /__admin/"

// ownEndpoint reports whether path (a prefix when prefix is set) names one
// of the mock's own endpoints.
func ownEndpoint(path string, prefix bool) bool {
	for _, own := range []string{PathHealth, PathSpecYAML, PathSpecJSON, "/__admin/"} {
		if path == own || prefix && strings.HasPrefix(own, path) {
			return true
		}
	}
	return strings.HasPrefix(path, "/__admin")
}

// adminRoutes declares the admin API, behind the admin token if there is one.
func (s *Server) adminRoutes(e *echo.Echo) {
	admin := func(method, path string, h echo.HandlerFunc) { s.handle(e, method, path, s.adminOnly(h)) }
	admin(http.MethodGet, PathAdminUsers, s.adminUsers)
	admin(http.MethodPost, PathAdminReset, s.adminReset)
	admin(http.MethodGet, PathAdminFaults, s.adminListFaults)
	admin(http.MethodPost, PathAdminFaults, s.adminAddFaults)
	admin(http.MethodDelete, PathAdminFaults, s.adminClearFaults)
	admin(http.MethodGet, PathAdminFaults+"/:id", s.adminGetFault)
	admin(http.MethodDelete, PathAdminFaults+"/:id", s.adminDeleteFault)
	admin(http.MethodGet, PathAdminRequests, s.adminRequests)
	admin(http.MethodDelete, PathAdminRequests, s.adminClearRequests)
	admin(http.MethodGet, PathAdminStats, s.adminStats)
}

// handle registers a route, with middleware m for it alone, and remembers its
// method for 405 answers. A GET route answers HEAD too, as HTTP servers do
// (for load balancers and uptime checks; net/http drops the body).
func (s *Server) handle(e *echo.Echo, method, path string, h echo.HandlerFunc, m ...echo.MiddlewareFunc) {
	methods := strings.Split(s.allow[path], ", ")
	if s.allow[path] == "" {
		methods = nil
	}
	adds := []string{method}
	if method == http.MethodGet {
		adds = append(adds, http.MethodHead)
	}
	for _, a := range adds {
		e.Add(a, path, h, m...)
		if !slices.Contains(methods, a) {
			methods = append(methods, a)
		}
	}
	s.allow[path] = strings.Join(methods, ", ")
}

// allowed returns the methods a path answers, for the Allow header.
func (s *Server) allowed(path string) string {
	if m, ok := s.allow[path]; ok {
		return m
	}
	for route, m := range s.allow {
		if matchRoute(route, path) {
			return m
		}
	}
	return ""
}

// matchRoute reports whether path fits a route with :param segments.
func matchRoute(route, path string) bool {
	rs, ps := strings.Split(route, "/"), strings.Split(path, "/")
	if len(rs) != len(ps) || !strings.Contains(route, ":") {
		return false
	}
	for i := range rs {
		if rs[i] != ps[i] && !(strings.HasPrefix(rs[i], ":") && ps[i] != "") {
			return false
		}
	}
	return true
}
