package openapi

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// Rule is one constraint of the spec that invalid mode knows how to break.
type Rule struct {
	// Name identifies the rule across seeds and runs: the abstract path and
	// what is broken, such as "params[].userProfile.phoneNo/pattern",
	// "params[].loginId/required" or "params[].loginId/null".
	Name string
	// Path is the abstract path of the value, params[] standing for any user
	// and tags.* for any tag; "" is the body itself.
	Path string
	// Rule is the Problem.Rule a validator reports for the broken body.
	Rule string
	// Limit is the constraint as the spec states it, such as "200" or a pattern.
	Limit string
	// Isolatable reports whether a body can break this rule and no other.
	Isolatable bool
	// Reason says, when the rule is not isolatable, which other rule breaks
	// with it and why.
	Reason string
	// With names, for a length rule that is not isolatable only because the
	// value's other length rule breaks with it (maxLength beside
	// x-max-bytes: a value of one-byte characters has as many bytes as
	// characters), that other rule: Invalid then breaks the two together,
	// and nothing else. Empty otherwise.
	With string
	// Tabular reports whether a CSV row can carry the broken value, for a
	// rule Invalid makes a case of (isolatable, or with a With).
	Tabular bool
}

// Sentinel errors of Invalid, matched through *RuleError.
var (
	// ErrUnknownRule reports a rule name the spec does not give rise to.
	ErrUnknownRule = errors.New("unknown rule")
	// ErrNotIsolatable reports a rule that cannot be broken alone.
	ErrNotIsolatable = errors.New("rule cannot be broken alone")
)

// RuleError is the error for a rule Invalid cannot make a case of.
type RuleError struct {
	// Name is the rule name as given to Invalid.
	Name string
	// Reason says why no case can be made of it: for ErrNotIsolatable,
	// which other rule breaks with it; for ErrUnknownRule, where to find
	// the names.
	Reason string
	Err    error // ErrUnknownRule or ErrNotIsolatable
}

// Error names the rule and says why.
func (e *RuleError) Error() string {
	if e.Reason == "" {
		return fmt.Sprintf("rule %q: %v", e.Name, e.Err)
	}
	return fmt.Sprintf("rule %q: %v: %s", e.Name, e.Err, e.Reason)
}

// Unwrap returns ErrUnknownRule or ErrNotIsolatable.
func (e *RuleError) Unwrap() error { return e.Err }

// breakKind is how a rule is broken.
type breakKind int

const (
	bkRequired breakKind = iota
	bkNull
	bkType
	bkString // minLength, maxLength, maxBytes, pattern, format, enum of a string
	bkMinItems
	bkMaxItems
	bkMinProps
	bkMaxProps
	bkUndeclared
	bkMinimum
	bkMaximum
	bkEnum // of a number or boolean
)

type ruleDef struct {
	Rule
	kind  breakKind
	chain []*genNode // from the root to the value broken
	probe string     // for bkString: a breaking value found by NewGenerator
}

func (r *ruleDef) target() *genNode { return r.chain[len(r.chain)-1] }

// Rules lists every rule invalid mode knows, in document order, isolatable
// or not.
func (g *Generator) Rules() []Rule {
	out := make([]Rule, len(g.rules))
	for i, r := range g.rules {
		out[i] = r.Rule
	}
	return out
}

func (g *Generator) rule(name string) (*ruleDef, error) {
	for _, r := range g.rules {
		if r.Name == name {
			if !r.Isolatable && r.With == "" {
				return nil, &RuleError{Name: name, Reason: r.Reason, Err: ErrNotIsolatable}
			}
			return r, nil
		}
	}
	return nil, &RuleError{Name: name, Reason: "see Rules (ncpmock gen --list-rules)", Err: ErrUnknownRule}
}

// findRules lists the rules of every node and decides, with a scratch
// faker, which can be broken alone.
func (g *Generator) findRules() []*ruleDef {
	var out []*ruleDef
	c := g.scratchCtx(stTypical, 1)
	var walk func(chain []*genNode)
	walk = func(chain []*genNode) {
		n := chain[len(chain)-1]
		add := func(kind breakKind, variant, rule, limit string) {
			r := &ruleDef{Rule: Rule{Name: displayPath(n.path) + "/" + variant, Path: n.path,
				Rule: rule, Limit: limit, Isolatable: true}, kind: kind, chain: chain}
			c.decide(r)
			out = append(out, r)
		}
		g.nodeRules(n, add)
		for _, p := range n.props {
			walk(append(chain[:len(chain):len(chain)], p))
		}
		for _, child := range []*genNode{n.extra, n.items} {
			if child != nil {
				walk(append(chain[:len(chain):len(chain)], child))
			}
		}
	}
	walk([]*genNode{g.root})
	return out
}

func (g *Generator) nodeRules(n *genNode, add func(kind breakKind, variant, rule, limit string)) {
	if n.required {
		add(bkRequired, "required", "required", "required")
	}
	if !n.nullable {
		add(bkNull, "null", "type", "not null")
	}
	add(bkType, "type", "type", n.typ)
	if len(n.enum) > 0 && n.typ != openapi3.TypeString {
		add(bkEnum, "enum", "enum", fmt.Sprint(n.enum))
	}
	switch n.typ {
	case openapi3.TypeString:
		g.stringRules(n, add)
	case openapi3.TypeInteger, openapi3.TypeNumber:
		if !isInf(n.num.min) {
			add(bkMinimum, "minimum", exclusive("minimum", n.num.exclMin), fmtNum(n.num.min))
		}
		if !isInf(n.num.max) {
			add(bkMaximum, "maximum", exclusive("maximum", n.num.exclMax), fmtNum(n.num.max))
		}
	case openapi3.TypeArray:
		if n.minItems > 0 {
			add(bkMinItems, "minItems", "minItems", strconv.Itoa(n.minItems))
		}
		if n.maxItems >= 0 {
			add(bkMaxItems, "maxItems", "maxItems", strconv.Itoa(n.maxItems))
		}
	case openapi3.TypeObject:
		if n.minProps > 0 {
			add(bkMinProps, "minProperties", "minProperties", strconv.Itoa(n.minProps))
		}
		if n.maxProps >= 0 {
			add(bkMaxProps, "maxProperties", "maxProperties", strconv.Itoa(n.maxProps))
		}
		if n.extra == nil && (n.closed || g.cfg.Strict) {
			add(bkUndeclared, "additionalProperties", "additionalProperties", "false")
		}
	}
}

func (g *Generator) stringRules(n *genNode, add func(kind breakKind, variant, rule, limit string)) {
	sp := n.str
	if len(n.enum) > 0 {
		add(bkString, "enum", "enum", fmt.Sprint(n.enum))
		return // the other constraints of an enum are moot
	}
	if sp.minLen > 0 {
		add(bkString, "minLength", "minLength", strconv.Itoa(sp.minLen))
	}
	if sp.maxLen >= 0 {
		add(bkString, "maxLength", "maxLength", strconv.Itoa(sp.maxLen))
	}
	if sp.maxBytes >= 0 {
		add(bkString, RuleMaxBytes, RuleMaxBytes, strconv.Itoa(sp.maxBytes))
	}
	if sp.pattern != "" {
		add(bkString, "pattern", "pattern", sp.pattern)
	}
	if sp.format != "" {
		add(bkString, "format", "format", sp.format)
	}
}

// decide works out whether r can be broken alone, and how the CSV fares.
func (c *genCtx) decide(r *ruleDef) {
	n := r.target()
	switch r.kind {
	case bkNull, bkType:
		if len(n.enum) > 0 {
			r.Isolatable, r.Reason = false, fmt.Sprintf("%s must be one of %v, so a value of another type also breaks enum",
				displayPath(n.path), n.enum)
		}
	case bkEnum:
		if outsideEnum(n) == nil {
			r.Isolatable, r.Reason = false, fmt.Sprintf("enum %v lists every %s", n.enum, n.typ)
		}
	case bkString:
		s, ok, reason := c.breakString(n, r.Rule.Rule)
		r.probe, r.Isolatable, r.Reason = s, ok, reason
		if !ok {
			r.probe, r.With, _ = c.breakLengths(n, r.Rule.Rule)
		}
	case bkMaxProps:
		if n.extra == nil {
			r.Isolatable, r.Reason = false, fmt.Sprintf(
				"%s allows no properties beyond the %d it declares, so more than %d properties means undeclared ones",
				displayPath(n.path), len(n.props), n.maxProps)
		}
	case bkMinProps:
		if req := n.requiredCount(); req > n.minProps-1 {
			r.Isolatable, r.Reason = false, fmt.Sprintf(
				"%s requires %d properties, so fewer than minProperties %d also breaks required",
				displayPath(n.path), req, n.minProps)
		}
	}
	r.Tabular = (r.Isolatable || r.With != "") && r.csvExpressible()
}

func (n *genNode) requiredCount() int {
	k := 0
	for _, p := range n.props {
		if p.required {
			k++
		}
	}
	return k
}

// csvExpressible reports whether the broken value fits in a CSV cell: a
// string (or a missing cell) in a column, or a tag list.
func (r *ruleDef) csvExpressible() bool {
	if !columnChain(r.chain) {
		return false
	}
	switch r.kind {
	case bkString, bkRequired:
		return true
	case bkMinProps, bkMaxProps:
		return r.target().isMap()
	}
	return false
}

// columnChain reports whether the chain ends at a CSV column: from the
// array of users down through objects to a scalar or a map.
func columnChain(chain []*genNode) bool {
	i := 0
	for i < len(chain) && !chain[i].isRow {
		i++
	}
	if i >= len(chain)-1 {
		return false
	}
	for _, n := range chain[i+1 : len(chain)-1] {
		if n.typ != openapi3.TypeObject || n.isMap() || n.extra != nil {
			return false
		}
	}
	t := chain[len(chain)-1]
	return t.isMap() || t.typ != openapi3.TypeObject && t.typ != openapi3.TypeArray
}

// isMap reports whether an object is a free map (such as tags): no declared
// properties, values under additionalProperties.
func (n *genNode) isMap() bool {
	return n.typ == openapi3.TypeObject && len(n.props) == 0 && n.extra != nil
}

// exclusive names the keyword kin-openapi reports for a bound:
// exclusiveMinimum for an exclusive minimum.
func exclusive(keyword string, excl bool) string {
	if excl {
		return "exclusive" + strings.ToUpper(keyword[:1]) + keyword[1:]
	}
	return keyword
}

func isInf(f float64) bool { return f > 1e308 || f < -1e308 }

func fmtNum(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }

// shapeName names what shapes a string, for reasons.
func shapeName(sp *strSpec) string {
	if sp.patChars != nil {
		return "pattern " + sp.pattern
	}
	return "format " + sp.format
}

func shapeRule(sp *strSpec) string {
	if sp.patChars != nil {
		return "pattern"
	}
	return "format"
}

// only reports whether broken is exactly [rule].
func only(broken []string, rule string) bool {
	return len(broken) == 1 && broken[0] == rule
}

// breakString makes a value of n that breaks rule and nothing else, or says
// why there is none.
func (c *genCtx) breakString(n *genNode, rule string) (string, bool, string) {
	switch rule {
	case "minLength":
		return c.breakMinLength(n)
	case "maxLength":
		return c.breakMaxLength(n)
	case RuleMaxBytes:
		return c.breakMaxBytes(n)
	}
	return c.breakShape(n, rule)
}

func (c *genCtx) breakMinLength(n *genNode) (string, bool, string) {
	sp := n.str
	want := sp.minLen - 1
	if !sp.shaped() {
		next, sep := c.words(n.sem, false)
		s, ok := c.fill(next, sep, false, textSpan{0, bytesLimit(sp), want, want})
		return c.verdict(n, s, ok, "minLength", "")
	}
	lang := sp.lang(false)
	t := lang.nearest(0, want, true)
	if t < 0 {
		return "", false, fmt.Sprintf("%s admits no value shorter than %d characters, so one under minLength %d also breaks %s",
			shapeName(sp), lang.min(), sp.minLen, shapeRule(sp))
	}
	s, ok := c.shapedNear(n.withoutMin(), lang, 0, want, true)
	return c.verdict(n, s, ok, "minLength", "")
}

// withoutMin returns a copy of n whose string has no minLength, so that
// shapedNear can make values below it.
func (n *genNode) withoutMin() *genNode {
	m := *n
	sp := *n.str
	sp.minLen = 0
	m.str = &sp
	return &m
}

func (c *genCtx) breakMaxLength(n *genNode) (string, bool, string) {
	sp := n.str
	t := sp.maxLen + 1
	if sp.maxBytes >= 0 && t > sp.maxBytes {
		return "", false, fmt.Sprintf("%d characters take at least %d bytes, over x-max-bytes %d, so breaking maxLength %d also breaks maxBytes",
			t, t, sp.maxBytes, sp.maxLen)
	}
	if !sp.shaped() {
		next, sep := c.words(n.sem, false)
		s, ok := c.fill(next, sep, false, textSpan{0, bytesLimit(sp), t, t})
		return c.verdict(n, s, ok, "maxLength", "")
	}
	lang := sp.lang(false)
	if !lang.has(t) {
		return "", false, fmt.Sprintf("%s admits no value of %d characters, so breaking maxLength %d also breaks %s",
			shapeName(sp), t, sp.maxLen, shapeRule(sp))
	}
	if n.sem == semLoginID || n.sem == semEmail {
		if s := c.stretchAddress(c.candidate(n), t); only(sp.broken(s, n.enum), "maxLength") {
			return s, true, ""
		}
	}
	s, ok := lang.generate(c.f, t, 8)
	return c.verdict(n, s, ok, "maxLength", "")
}

func (c *genCtx) breakMaxBytes(n *genNode) (string, bool, string) {
	sp := n.str
	t := sp.maxBytes + 1
	if !sp.shaped() {
		next, sep := c.words(n.sem, true)
		s, ok := c.fill(next, sep, true, textSpan{t, t, sp.minLen, charsLimit(sp)})
		if !ok {
			// The locale's letters are too narrow (Hangul takes 3 bytes,
			// accented Latin 2); emoji take 4.
			s, ok = c.denseText(t, sp.minLen, charsLimit(sp))
		}
		return c.verdict(n, s, ok, RuleMaxBytes, fmt.Sprintf(
			"no text of %d bytes has at most %d characters, at 4 bytes a character at most", t, sp.maxLen))
	}
	lang := sp.lang(true)
	switch {
	case !lang.has(t):
		return "", false, fmt.Sprintf("%s admits no value of %d bytes, so breaking x-max-bytes %d also breaks %s",
			shapeName(sp), t, sp.maxBytes, shapeRule(sp))
	case lang.singleByte() && sp.maxLen >= 0 && t > sp.maxLen:
		return "", false, fmt.Sprintf("%s admits only single-byte characters, so %d bytes are %d characters, over maxLength %d",
			shapeName(sp), t, t, sp.maxLen)
	}
	s, ok := lang.generate(c.f, t, 8)
	return c.verdict(n, s, ok, RuleMaxBytes, "")
}

// lengthRules are the two length rules of a string, in the order
// strSpec.broken reports them.
var lengthRules = []string{"maxLength", RuleMaxBytes}

// breakLengths makes a value of n over both its maxLength and its
// x-max-bytes that breaks nothing else, for a length rule that cannot be
// broken alone, and names the other length rule. It reports false when
// rule is not a length rule, n lacks the other limit, or no such value
// exists (a pattern that admits no value that long).
func (c *genCtx) breakLengths(n *genNode, rule string) (string, string, bool) {
	sp := n.str
	if !slices.Contains(lengthRules, rule) || sp.maxLen < 0 || sp.maxBytes < 0 {
		return "", "", false
	}
	with := lengthRules[0]
	if rule == with {
		with = lengthRules[1]
	}
	t := max(sp.maxLen, sp.maxBytes) + 1 // characters, so bytes too
	var s string
	ok := false
	switch lang := sp.lang(false); {
	case !sp.shaped():
		next, sep := c.words(n.sem, false)
		s, ok = c.fill(next, sep, false, textSpan{t, unbounded, t, t})
	case !lang.has(t):
	case n.sem == semLoginID || n.sem == semEmail:
		s, ok = c.stretchAddress(c.candidate(n), t), true
		if !slices.Equal(sp.broken(s, n.enum), lengthRules) {
			s, ok = lang.generate(c.f, t, 8)
		}
	default:
		s, ok = lang.generate(c.f, t, 8)
	}
	if !ok || !slices.Equal(sp.broken(s, n.enum), lengthRules) {
		return "", "", false
	}
	return s, with, true
}

// breakShape breaks a pattern, format or enum by changing a valid value:
// mistakes people make first, then single-character edits.
func (c *genCtx) breakShape(n *genNode, rule string) (string, bool, string) {
	also := make(map[string]bool)
	for range 4 {
		v := c.typical(n)
		c.err = nil
		for _, m := range c.mutations(v, n.sem) {
			broken := n.str.broken(m, n.enum)
			if only(broken, rule) {
				return m, true, ""
			}
			if slices.Contains(broken, rule) {
				for _, b := range broken {
					also[b] = b != rule
				}
			}
		}
	}
	var others []string
	for b, ok := range also {
		if ok {
			others = append(others, b)
		}
	}
	slices.Sort(others)
	return "", false, fmt.Sprintf("every value tried that breaks %s also breaks %s", rule, strings.Join(others, " or "))
}

// verdict checks a made value against every constraint of n.
func (c *genCtx) verdict(n *genNode, s string, ok bool, rule, reason string) (string, bool, string) {
	if ok && only(n.str.broken(s, n.enum), rule) {
		return s, true, ""
	}
	if reason == "" {
		reason = fmt.Sprintf("no value found that breaks %s of %s alone", rule, displayPath(n.path))
	}
	return "", false, reason
}

// mutationChars are the characters single-character edits use.
var mutationChars = []string{"#", " ", "!", "x", "0", "@", "-", ".", "é", "가"}

func (c *genCtx) mutations(v string, sem semantic) []string {
	var out []string
	switch sem {
	case semLoginID, semEmail:
		if at := strings.LastIndexByte(v, '@'); at >= 0 {
			out = append(out, v[:at]+v[at+1:], strings.Replace(v, "@", " at ", 1))
			if dot := strings.LastIndexByte(v, '.'); dot > at {
				out = append(out, v[:dot])
			}
		}
	case semPhone:
		out = append(out, strings.ReplaceAll(v, "-", " "), strings.ReplaceAll(v, "-", "."))
	case semCountryCode:
		out = append(out, "+"+v)
	}
	runes := []rune(v)
	for range 24 {
		ch := mutationChars[c.f.IntN(len(mutationChars))]
		i := c.f.IntN(len(runes) + 1)
		out = append(out, string(runes[:i])+ch+string(runes[i:]))
		if i < len(runes) {
			out = append(out, string(runes[:i])+ch+string(runes[i+1:]), string(runes[:i])+string(runes[i+1:]))
		}
	}
	return out
}

// denseChars are characters of 1 to 4 bytes, for denseText.
var denseChars = [4][]string{
	{"a", "e", "k", "s"},
	{"é", "ü", "ñ", "ø"},
	{"가", "한", "글", "팀"},
	{"😀", "🚀", "🎉", "🌱"},
}

// denseText makes text of exactly bytes bytes in as few characters as
// possible, but at least cLo, widest first; it reports false when more than
// cHi characters are needed, as for more than 4 bytes a character.
func (c *genCtx) denseText(bytes, cLo, cHi int) (string, bool) {
	chars := max(cLo, (bytes+3)/4)
	if chars > cHi || chars > bytes {
		return "", false
	}
	var b strings.Builder
	extra := bytes - chars // bytes beyond one a character
	for range chars {
		w := 1 + min(3, extra)
		extra -= w - 1
		set := denseChars[w-1]
		b.WriteString(set[c.f.IntN(len(set))])
	}
	return b.String(), true
}
