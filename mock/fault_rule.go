package mock

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"reflect"
	"regexp"
	"strconv"
	"strings"
)

// Rule says when a Fault applies: to requests that Match, with the given
// Probability, for the next Times requests that it fires on.
type Rule struct {
	// ID names the rule in the admin API and the journal; empty means one is
	// given when the rule is added ("rule-1", "rule-2" ...).
	ID string
	// Fault is what happens to a request the rule fires on.
	Fault Fault
	// Probability in (0, 1] is the chance that the rule fires on a matching
	// request, drawn from the server's seed; 0 means 1 (always).
	Probability float64
	// Match selects the requests; the zero Match selects every request to
	// the API (never /healthz, /openapi.* or /__admin/).
	Match Match
	// Times, when above 0, stops the rule after it has fired that many times
	// ("fail twice, then succeed" is Times: 2); 0 means no limit.
	Times int
}

// Match selects requests. Every field set must match; the zero Match matches
// every API request.
type Match struct {
	// Method is an HTTP method, compared without regard to case.
	Method string `json:"method,omitempty" yaml:"method"`
	// Path is the request path; a trailing "*" makes it a prefix. A path no
	// route of the API answers (a typo, /healthz, /__admin/...) is refused
	// with an error that matches ErrRuleNeverFires, as is a Method that the
	// routes of Path do not take.
	Path string `json:"path,omitempty" yaml:"path"`
	// Headers maps header names to regular expressions (RE2, unanchored)
	// that the header's value must match; an absent header has the value "".
	Headers map[string]string `json:"headers,omitempty" yaml:"headers"`
	// LoginID is a regular expression (RE2, unanchored) that at least one
	// loginId in the request body must match.
	LoginID string `json:"loginId,omitempty" yaml:"loginId"`
}

// RuleStatus is a rule with its counters, as GET /__admin/faults lists it.
type RuleStatus struct {
	// Rule is a copy of the rule, with the ID it was given.
	Rule Rule
	// Matched counts the requests the rule matched, whether or not it fired.
	Matched uint64
	// Hits counts the requests the rule fired on.
	Hits uint64
	// Remaining is how many more times the rule fires; -1 when unlimited.
	Remaining int
}

// ruleJSON is the wire form of a rule in files, headers and the admin API.
type ruleJSON struct {
	ID          string         `json:"id,omitempty" yaml:"id"`
	Fault       string         `json:"fault" yaml:"fault"`
	Params      map[string]any `json:"params,omitempty" yaml:"params"`
	Probability *float64       `json:"probability,omitempty" yaml:"probability"`
	Match       Match          `json:"match,omitzero" yaml:"match"`
	Times       int            `json:"times,omitempty" yaml:"times"`
}

// ruleOut is how a rule is shown: its parameters after defaults.
type ruleOut struct {
	ID          string  `json:"id"`
	Fault       string  `json:"fault"`
	Params      Fault   `json:"params"`
	Probability float64 `json:"probability"`
	Match       Match   `json:"match,omitzero"`
	Times       int     `json:"times,omitempty"`
	Matched     *uint64 `json:"matched,omitempty"`
	Hits        *uint64 `json:"hits,omitempty"`
	Remaining   *int    `json:"remaining,omitempty"`
}

func (r Rule) out() ruleOut {
	p := r.Probability
	if p == 0 {
		p = 1
	}
	o := ruleOut{ID: r.ID, Params: r.Fault, Probability: p, Match: r.Match, Times: r.Times}
	if r.Fault != nil {
		o.Fault = r.Fault.Kind()
	}
	return o
}

// MarshalJSON writes the rule as {"id","fault","params","probability","match","times"}.
func (r Rule) MarshalJSON() ([]byte, error) { return json.Marshal(r.out()) }

// UnmarshalJSON reads a rule written as MarshalJSON writes it; probability,
// match, times and id may be left out.
func (r *Rule) UnmarshalJSON(data []byte) error {
	rules, err := ParseRules(data)
	if err != nil {
		return err
	}
	if len(rules) != 1 {
		return errors.New("want one rule object")
	}
	*r = rules[0]
	return nil
}

// MarshalJSON writes the rule with "matched", "hits" and, for a rule with
// times, "remaining".
func (s RuleStatus) MarshalJSON() ([]byte, error) {
	o := s.Rule.out()
	o.Matched, o.Hits = &s.Matched, &s.Hits
	if s.Remaining >= 0 {
		o.Remaining = &s.Remaining
	}
	return json.Marshal(o)
}

// rule builds a rule from its wire form, written as sp says.
func (j ruleJSON) rule(sp spelling) (Rule, error) {
	f, err := newFault(j.Fault, j.Params, sp)
	if err != nil {
		return Rule{}, err
	}
	if len(j.Match.Headers) == 0 {
		j.Match.Headers = nil // "headers": {} matches every request, as no headers does
	}
	r := Rule{ID: j.ID, Fault: f, Match: j.Match, Times: j.Times}
	if j.Probability != nil {
		if *j.Probability == 0 {
			return Rule{}, errors.New("probability 0 never fires; want a number in (0, 1] or leave it out for 1")
		}
		r.Probability = *j.Probability
	}
	if _, err := compileRule(r); err != nil {
		return Rule{}, err
	}
	return r, nil
}

// compiledRule is a checked rule, ready to match requests.
type compiledRule struct {
	rule      Rule
	method    string
	path      string
	prefix    bool
	headers   []headerMatch
	loginID   *regexp.Regexp
	latency   bool // latency faults add up; every other kind excludes the rest
	matched   uint64
	hits      uint64
	remaining int // -1 when unlimited
}

type headerMatch struct {
	name string
	re   *regexp.Regexp
}

var validID = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

// compileRule checks r and compiles its matchers.
func compileRule(r Rule) (*compiledRule, error) {
	if r.Fault = cloneFault(r.Fault); r.Fault == nil { // check fills in defaults: never in the caller's struct
		return nil, errors.New("no fault; want one of " + kindNames())
	}
	if r.ID != "" && !validID.MatchString(r.ID) {
		return nil, fmt.Errorf("id %q: want 1 to 64 letters, digits, '.', '_' or '-'", r.ID)
	}
	if r.Probability < 0 || r.Probability > 1 {
		return nil, fmt.Errorf("probability %v: want a number in (0, 1]", r.Probability)
	}
	if r.Times < 0 {
		return nil, fmt.Errorf("times %d: want 0 (no limit) or more", r.Times)
	}
	if err := r.Fault.check(); err != nil {
		return nil, &FaultError{Where: r.Fault.Kind(), Err: err}
	}
	c := &compiledRule{rule: r, method: strings.ToUpper(r.Match.Method), remaining: -1}
	if r.Times > 0 {
		c.remaining = r.Times
	}
	c.path, c.prefix = strings.CutSuffix(r.Match.Path, "*")
	if r.Match.Path != "" && !strings.HasPrefix(r.Match.Path, "/") {
		return nil, fmt.Errorf("match.path %q: want a path starting with /", r.Match.Path)
	}
	_, c.latency = r.Fault.(*LatencyFault)
	return c, c.compileRegexps()
}

func (c *compiledRule) compileRegexps() error {
	m := c.rule.Match
	for _, name := range sortedKeys(m.Headers) {
		re, err := regexp.Compile(m.Headers[name])
		if err != nil {
			return fmt.Errorf("match.headers[%s]: %w", name, err)
		}
		c.headers = append(c.headers, headerMatch{name: http.CanonicalHeaderKey(name), re: re})
	}
	if m.LoginID != "" {
		re, err := regexp.Compile(m.LoginID)
		if err != nil {
			return fmt.Errorf("match.loginId: %w", err)
		}
		c.loginID = re
	}
	return nil
}

// pathMatches reports whether match.path selects path.
func (c *compiledRule) pathMatches(path string) bool {
	return path == c.path || c.prefix && strings.HasPrefix(path, c.path)
}

// matches reports whether the rule selects r, whose body holds loginIDs.
func (c *compiledRule) matches(r *http.Request, loginIDs []string) bool {
	if c.method != "" && c.method != r.Method {
		return false
	}
	if c.rule.Match.Path != "" && !c.pathMatches(r.URL.Path) {
		return false
	}
	for _, h := range c.headers {
		if !h.re.MatchString(strings.Join(r.Header.Values(h.name), ", ")) {
			return false
		}
	}
	if c.loginID == nil {
		return true
	}
	for _, id := range loginIDs {
		if c.loginID.MatchString(id) {
			return true
		}
	}
	return false
}

func (c *compiledRule) status() RuleStatus {
	return RuleStatus{Rule: c.rule.clone(), Matched: c.matched, Hits: c.hits, Remaining: c.remaining}
}

// clone returns a copy of r that shares nothing with it, so that a rule
// handed out (Faults, AddFaults) or restored (Reset) cannot change another.
func (r Rule) clone() Rule {
	r.Fault = cloneFault(r.Fault)
	r.Match.Headers = maps.Clone(r.Match.Headers)
	return r
}

// cloneFault returns a copy of the struct f points to, its pointer fields
// (such as StatusFault.RetryAfter) pointing to copies, or nil for none.
func cloneFault(f Fault) Fault {
	v := reflect.ValueOf(f)
	if f == nil || v.Kind() != reflect.Pointer || v.IsNil() {
		return nil
	}
	c := reflect.New(v.Elem().Type())
	c.Elem().Set(v.Elem())
	for i := range c.Elem().NumField() {
		if fv := c.Elem().Field(i); fv.Kind() == reflect.Pointer && !fv.IsNil() && fv.CanSet() {
			p := reflect.New(fv.Type().Elem())
			p.Elem().Set(fv.Elem())
			fv.Set(p)
		}
	}
	return c.Interface().(Fault)
}

// ruleWhere names rule i (counted from 1) for error messages.
func ruleWhere(i int, id string) string {
	if id == "" {
		return "rule " + strconv.Itoa(i)
	}
	return fmt.Sprintf("rule %d (id %q)", i, id)
}
