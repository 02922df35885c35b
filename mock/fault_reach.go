package mock

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/ncpmock/ncpmock/internal/editdist"
)

// ErrRuleNeverFires matches the error of a rule refused because no request
// could ever meet it: its match.method or match.path reaches no route that
// its fault acts on.
var ErrRuleNeverFires = errors.New("the fault rule can never fire")

// neverFires is a reason a rule can never fire; it matches ErrRuleNeverFires.
type neverFires struct{ msg string }

func (e *neverFires) Error() string        { return e.msg }
func (e *neverFires) Is(target error) bool { return target == ErrRuleNeverFires }

func neverFiresf(format string, args ...any) error {
	return &neverFires{msg: fmt.Sprintf(format, args...)}
}

// apiRoute is a route of the API, where faults act: routes declares them,
// and the fault table checks rules against them.
type apiRoute struct {
	method string // a GET route answers HEAD too
	path   string // Echo's pattern: ":userId" stands for one segment
	bulk   bool   // the bulk endpoint, whose per-user results partial and contract-break act on
}

// takes reports whether the route answers method.
func (r apiRoute) takes(method string) bool {
	return method == r.method || method == http.MethodHead && r.method == http.MethodGet
}

// checkReach refuses a rule that could never fire, which would otherwise sit
// in the table at 0 hits. A rule reaches the routes that its fault acts on
// (the bulk endpoint only for partial and contract-break, and for any rule
// without match.path, see injectFaults), that take its match.method and
// that a request whose path match.path selects is routed to. It is the one
// place that decides; each case that fails has its own reason.
func (t *faultTable) checkReach(c *compiledRule) error {
	kind, path, method := c.rule.Fault.Kind(), c.rule.Match.Path, c.rule.Match.Method
	var onPath, inKind []apiRoute // the routes match.path reaches; those of them the fault acts on
	for _, r := range t.routes {
		if path != "" && !t.pathReaches(c, r) {
			continue
		}
		onPath = append(onPath, r)
		if r.bulk || path != "" && !bulkOnly(kind) {
			if c.method == "" || r.takes(c.method) {
				return nil
			}
			inKind = append(inKind, r)
		}
	}
	bulk := t.bulkList()
	switch {
	case path == "":
		return neverFiresf("match.method %q never fires without match.path: a rule without it acts on %s only; name the directory's path in match.path to fault it",
			method, bulk)
	case len(onPath) == 0:
		return t.noRoute(c)
	case bulkOnly(kind) && len(inKind) > 0:
		return neverFiresf("%s acts on the results of %s only; match.method %q does not reach it", kind, bulk, method)
	case bulkOnly(kind):
		return neverFiresf("%s acts on the results of %s only; match.path %q does not reach it", kind, bulk, path)
	}
	return neverFiresf("match.method %q never meets match.path %q, which reaches %s", method, path, routeList(onPath))
}

// noRoute explains a match.path that reaches no route of the API.
func (t *faultTable) noRoute(c *compiledRule) error {
	msg := fmt.Sprintf("match.path %q reaches no route that faults act on", c.rule.Match.Path)
	if ownEndpoint(c.path, c.prefix) {
		msg += fmt.Sprintf(" (%s are the mock's own, which faults never touch)", ownEndpoints)
	} else if path, _, query := strings.Cut(c.path, "?"); query {
		msg += fmt.Sprintf(" (it is compared with the request's path alone, without the query: %q)", path)
	} else if guess := t.closestPath(c); guess != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", guess)
	}
	return neverFiresf("%s; they act on %s", msg, routeList(t.routes))
}

// bulkList names the bulk endpoint's routes: "POST /api/v1/users/bulk or
// /users/bulk".
func (t *faultTable) bulkList() string {
	var method string
	var paths []string
	for _, r := range t.routes {
		if r.bulk {
			method, paths = r.method, append(paths, r.path)
		}
	}
	return method + " " + strings.Join(paths, " or ")
}

// pathReaches reports whether some request path that c's match.path selects
// is routed to r. A static route shadows a parameter at the same place
// (GET /api/v1/users/bulk is refused with 405, not taken for a user ID), so
// an exact path that is a static route's reaches that route alone.
func (t *faultTable) pathReaches(c *compiledRule, r apiRoute) bool {
	if !c.prefix && slices.ContainsFunc(t.routes, func(s apiRoute) bool { return s.path == c.path }) {
		return r.path == c.path
	}
	ps, rs := strings.Split(c.path, "/"), strings.Split(r.path, "/")
	if len(ps) > len(rs) || !c.prefix && len(ps) != len(rs) {
		return false
	}
	for i, p := range ps {
		param := strings.HasPrefix(rs[i], ":")
		last := c.prefix && i == len(ps)-1 // may be the start of the route's segment
		switch {
		case param && (p != "" || last):
		case rs[i] == p, last && strings.HasPrefix(rs[i], p):
		default:
			return false
		}
	}
	return true
}

// closestPath returns the route path nearest to c's match.path when it is a
// near miss (a letter or two off, in another case), written as a
// match.path: a parameter takes the rule's segment in its place, a prefix
// is cut where the rule's ends. It returns "" when none is near.
func (t *faultTable) closestPath(c *compiledRule) string {
	ps := strings.Split(c.path, "/")
	best, bestDist := "", 3 // three edits or more make another path, not a typo
	for _, r := range t.routes {
		rs := strings.Split(r.path, "/")
		if last := len(ps) - 1; c.prefix && len(rs) > last {
			rs = rs[:last+1]
			rs[last] = rs[last][:min(len(rs[last]), len(ps[last]))]
		}
		for i := range rs {
			if strings.HasPrefix(rs[i], ":") && i < len(ps) && ps[i] != "" {
				rs[i] = ps[i]
			} else if strings.HasPrefix(rs[i], ":") {
				rs[i] = "{" + rs[i][1:] + "}"
			}
		}
		guess := strings.Join(rs, "/")
		if c.prefix {
			guess += "*"
		}
		d := editdist.Levenshtein(strings.ToLower(c.rule.Match.Path), strings.ToLower(guess))
		if d == 0 && guess != c.rule.Match.Path {
			d = 1 // another case: paths compare exactly
		}
		if d > 0 && d < bestDist {
			best, bestDist = guess, d
		}
	}
	return best
}

// routeList names routes for messages, one path with its methods each, in
// the order they were declared: "POST /api/v1/users/bulk, GET and DELETE
// /api/v1/users/{userId}".
func routeList(routes []apiRoute) string {
	var paths []string
	methods := map[string][]string{}
	for _, r := range routes {
		if methods[r.path] == nil {
			paths = append(paths, r.path)
		}
		methods[r.path] = append(methods[r.path], r.method)
	}
	out := make([]string, len(paths))
	for i, p := range paths {
		out[i] = strings.Join(methods[p], " and ") + " " + displayPath(p)
	}
	return strings.Join(out, ", ")
}

// displayPath writes a route's parameters as OpenAPI does: /users/{userId}.
func displayPath(route string) string {
	segs := strings.Split(route, "/")
	for i, s := range segs {
		if name, ok := strings.CutPrefix(s, ":"); ok {
			segs[i] = "{" + name + "}"
		}
	}
	return strings.Join(segs, "/")
}
