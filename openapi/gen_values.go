package openapi

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/brianvoe/gofakeit/v7"
	"github.com/getkin/kin-openapi/openapi3"
)

// strategy says which values to make.
type strategy int

const (
	stTypical      strategy = iota
	stMaxChars              // every string at its character limit
	stMaxBytes              // every string at its byte limit, in multibyte text where free
	stMin                   // every string and number at its minimum
	stRequiredOnly          // typical values, optional properties left out
	stMaxProps              // maps at their maxProperties
)

// genCtx is the state of making one body.
type genCtx struct {
	g     *Generator
	f     *gofakeit.Faker
	seq   *uint64
	st    strategy
	users int // items in the array of users
	who   *persona
	key   string          // the map key whose value is being made
	ids   map[string]bool // login IDs of this body, lowercased, to keep them unique
	err   error
}

func (g *Generator) newCtx(st strategy, users int) *genCtx {
	return &genCtx{g: g, f: g.f, seq: &g.seq, st: st, users: users, ids: make(map[string]bool)}
}

// scratchCtx makes bodies without touching the Generator's random sequence.
func (g *Generator) scratchCtx(st strategy, users int) *genCtx {
	var seq uint64
	return &genCtx{g: g, f: NewFaker(0), seq: &seq, st: st, users: users, ids: make(map[string]bool)}
}

func (c *genCtx) finish(mode Mode, name string, root any) (*Case, error) {
	if c.err != nil {
		return nil, c.err
	}
	cs := &Case{Mode: mode, Name: name, Body: appendJSON(nil, root), root: root, tabular: true}
	items := rowItems(root, c.g.rows)
	cs.Users = len(items)
	if login := c.g.loginNode(); login != nil {
		for _, it := range items {
			if o, ok := it.(*genObject); ok {
				if id, ok := o.get(login.name); ok {
					if s, ok := id.(string); ok {
						cs.LoginIDs = append(cs.LoginIDs, s)
					}
				}
			}
		}
	}
	return cs, nil
}

// rowItems returns the users of a body, or nil.
func rowItems(root any, rows *genNode) []any {
	o, ok := root.(*genObject)
	if !ok || rows == nil {
		return nil
	}
	v, _ := o.get(rows.name)
	items, _ := v.([]any)
	return items
}

func (c *genCtx) value(n *genNode) any {
	if len(n.enum) > 0 {
		return normalize(n.enum[c.f.IntN(len(n.enum))])
	}
	switch n.typ {
	case openapi3.TypeString:
		return c.str(n)
	case openapi3.TypeBoolean:
		return c.f.Bool()
	case openapi3.TypeInteger, openapi3.TypeNumber:
		return c.number(n)
	case openapi3.TypeObject:
		return c.genObject(n)
	case openapi3.TypeArray:
		return c.array(n)
	}
	return nil
}

// normalize turns a value decoded from the spec into a generated value.
func normalize(v any) any {
	switch v := v.(type) {
	case int:
		return int64(v)
	case float64:
		if v == math.Trunc(v) && math.Abs(v) < 1<<53 {
			return int64(v)
		}
	case map[string]any:
		o := &genObject{}
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			o.set(k, normalize(v[k]))
		}
		return o
	case []any:
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = normalize(x)
		}
		return out
	}
	return v
}

func (c *genCtx) genObject(n *genNode) *genObject {
	if n.isRow {
		c.who = c.g.newPersona(c)
	}
	o := &genObject{keys: make([]string, 0, len(n.props)), vals: make([]any, 0, len(n.props))}
	var present semSet
	for _, p := range n.props {
		if c.include(p) {
			o.set(p.name, c.value(p))
			present.add(p.sem)
		}
	}
	if c.st == stTypical {
		c.keepPairs(n, o, present)
	}
	if n.extra != nil {
		c.fillMap(n, o, c.mapSize(n)-len(o.keys))
	}
	return o
}

// semSet is a set of semantics, one bit each.
type semSet uint64

func (s *semSet) add(m semantic) { *s |= 1 << m }

func (s semSet) has(m semantic) bool { return s&(1<<m) != 0 }

// pairs are properties real data holds together or not at all: a country
// code without a phone number, or a last name without a first, reads as
// broken data. The first of each pair is left out when the second is.
var pairs = [][2]semantic{{semCountryCode, semPhone}, {semFirstName, semLastName}, {semLastName, semFirstName}}

// keepPairs leaves out, in a typical object, an optional property whose
// pair the draw left out. It draws nothing, so the rest of a seeded run is
// unchanged.
func (c *genCtx) keepPairs(n *genNode, o *genObject, present semSet) {
	for _, pair := range pairs {
		if !present.has(pair[0]) || present.has(pair[1]) || !n.hasSem(pair[1]) {
			continue
		}
		for _, p := range n.props {
			if p.sem == pair[0] && !p.required {
				o.remove(p.name)
			}
		}
	}
}

// hasSem reports whether the object n declares a property of meaning m.
func (n *genNode) hasSem(m semantic) bool {
	return slices.ContainsFunc(n.props, func(p *genNode) bool { return p.sem == m })
}

func (c *genCtx) include(p *genNode) bool {
	if p.required {
		return true
	}
	switch c.st {
	case stRequiredOnly:
		return false
	case stTypical:
		chance := 9
		switch p.sem {
		case semTags:
			chance = 3
		case semDescription:
			chance = 7
		}
		return c.f.IntN(10) < chance
	}
	return true
}

// mapSize picks how many properties a map gets.
func (c *genCtx) mapSize(n *genNode) int {
	lo := n.minProps
	if c.st == stTypical && n.maxProps != 0 {
		lo = max(lo, 1) // an empty map is a boundary, not typical
	}
	hi := lo + 3
	if n.maxProps >= 0 {
		if c.st == stMaxProps {
			return n.maxProps
		}
		hi = min(hi, n.maxProps)
	}
	return lo + c.f.IntN(hi-lo+1)
}

// fillMap adds count entries with keys that are not declared properties.
func (c *genCtx) fillMap(n *genNode, o *genObject, count int) {
	keys := slices.Clone(tagKeys)
	c.f.ShuffleStrings(keys)
	for i := 0; count > 0; i++ {
		key := fmt.Sprintf("tag%02d", i+1)
		if i < len(keys) {
			key = keys[i]
		}
		if _, taken := o.get(key); taken || n.declares(key) {
			continue
		}
		c.key = key
		o.set(key, c.value(n.extra))
		c.key = ""
		count--
	}
}

func (n *genNode) declares(name string) bool {
	for _, p := range n.props {
		if p.name == name {
			return true
		}
	}
	return false
}

func (c *genCtx) array(n *genNode) []any {
	count := c.users
	if !n.rows {
		hi := n.minItems + 3
		if n.maxItems >= 0 {
			hi = min(hi, n.maxItems)
		}
		count = n.minItems + c.f.IntN(hi-n.minItems+1)
	}
	out := make([]any, count)
	for i := range out {
		out[i] = c.value(n.items)
	}
	return out
}

func (c *genCtx) number(n *genNode) any {
	ns := n.num
	lo, hi := ns.integers()
	if lo > hi {
		// A number whose bounds hold no integer, such as 0.25 to 0.75.
		return c.decimal(ns)
	}
	if math.IsInf(lo, -1) {
		lo = math.Min(0, hi)
	}
	if math.IsInf(hi, 1) {
		hi = lo + 1000
	}
	v := lo + float64(c.f.IntN(int(math.Min(hi-lo, 1<<30))+1))
	switch c.st {
	case stMaxChars, stMaxBytes:
		v = hi
	case stMin:
		v = lo
	}
	return int64(v)
}

// decimal makes a number between finite bounds that hold no integer: at a
// bound (or, for an exclusive one, the nearest float inside) in boundary
// mode, else a short decimal inside.
func (c *genCtx) decimal(ns *numSpec) float64 {
	inside := func(v float64) bool {
		return (v > ns.min || !ns.exclMin && v == ns.min) && (v < ns.max || !ns.exclMax && v == ns.max)
	}
	switch {
	case c.st == stMaxChars || c.st == stMaxBytes:
		if ns.exclMax {
			return math.Nextafter(ns.max, ns.min)
		}
		return ns.max
	case c.st == stMin:
		if ns.exclMin {
			return math.Nextafter(ns.min, ns.max)
		}
		return ns.min
	}
	v := ns.min + (ns.max-ns.min)*(0.05+0.9*c.f.Float64())
	for digits := 1.0; digits <= 15; digits++ {
		p := math.Pow(10, digits)
		if r := math.Round(v*p) / p; inside(r) {
			return r
		}
	}
	return v
}

// str makes a string for n, unique among the body's login IDs when it is
// one. Login IDs are compared without case, as the mock compares them by
// default: "a@b.io" and "A@b.io" would make one user fail as a duplicate.
func (c *genCtx) str(n *genNode) string {
	if n.sem != semLoginID {
		return c.strOnce(n)
	}
	for range 50 {
		s := c.strOnce(n)
		if key := strings.ToLower(s); !c.ids[key] {
			c.ids[key] = true
			return s
		}
	}
	if c.err == nil {
		c.err = fmt.Errorf("%s: no unique login ID after 50 tries among %d users", displayPath(n.path), len(c.ids))
	}
	return ""
}

func (c *genCtx) strOnce(n *genNode) string {
	var s string
	var ok bool
	switch c.st {
	case stMaxChars:
		s, ok = c.atMaxChars(n)
	case stMaxBytes:
		s, ok = c.atMaxBytes(n)
	case stMin:
		s, ok = c.atMin(n)
	}
	if ok {
		return s
	}
	return c.typical(n)
}

func (c *genCtx) candidate(n *genNode) string {
	if n.sem == semNone && c.key != "" {
		return c.tagValue(c.key)
	}
	return c.realistic(n.sem)
}

func (c *genCtx) typical(n *genNode) string {
	sp := n.str
	if n.sem == semLoginID && c.g.cfg.LoginIDPrefix != "" {
		// The prefixed form or nothing: a suite finds its users by the
		// prefix, so a random address in its place would be lost.
		s := c.candidate(n)
		if s == "" || !sp.ok(s, n.enum) {
			if c.err == nil {
				c.err = fmt.Errorf("%s: login ID %q (LoginIDPrefix, the user's number, LoginIDDomain) breaks %s; shorten the prefix or the domain",
					displayPath(n.path), s, sp.limits(s, sp.broken(s, n.enum), n.enum))
			}
		}
		return s
	}
	for range 4 {
		if s := c.candidate(n); s != "" && sp.ok(s, n.enum) {
			return s
		}
		if n.sem == semNone && c.key == "" {
			break
		}
	}
	if s, ok := c.shortAddress(n); ok {
		return s
	}
	if sp.shaped() {
		return c.typicalShaped(n)
	}
	lo, hi := sp.charRange()
	wide := c.g.loc.name != LocaleEnglish
	next, sep := c.words(n.sem, wide)
	s, ok := c.fill(next, sep, wide, textSpan{0, bytesLimit(sp), lo, min(hi, max(lo, 12+c.f.IntN(20)))})
	if !ok || !sp.ok(s, n.enum) {
		c.fail(n)
	}
	return s
}

// shortAddress shortens the person's address for a limit that the full
// first.last form breaks: initial and last name, last name, initial, each
// with the user's number in a login ID, which keeps it unique.
func (c *genCtx) shortAddress(n *genNode) (string, bool) {
	p := c.who
	if n.sem != semLoginID && n.sem != semEmail || p == nil || p.rfirst == "" || p.rlast == "" {
		return "", false
	}
	num := ""
	if n.sem == semLoginID {
		num = strconv.FormatUint(p.seq, 10)
	}
	initial := p.rfirst[:1]
	for _, local := range []string{initial + "." + p.rlast, initial + p.rlast, p.rlast, initial} {
		if s := local + num + "@" + p.domain; n.str.ok(s, n.enum) {
			return s, true
		}
	}
	return "", false
}

func (c *genCtx) typicalShaped(n *genNode) string {
	sp := n.str
	lang := sp.lang(false)
	for range 3 {
		if s := c.f.Regex(lang.src); sp.ok(s, n.enum) {
			return s
		}
	}
	lo, hi := sp.charRange()
	want := lo + c.f.IntN(max(0, min(hi, lo+16)-lo)+1)
	for _, up := range []bool{false, true} {
		t := lang.nearest(want, hi, false)
		if up {
			t = lang.nearest(lo, want, true)
		}
		if s, ok := lang.generate(c.f, t, 5); ok && sp.ok(s, n.enum) {
			return s
		}
	}
	c.fail(n)
	return ""
}

func (c *genCtx) fail(n *genNode) {
	if c.err == nil {
		c.err = &SchemaError{Path: n.path, Reason: "no value meets all of its constraints"}
	}
}

func bytesLimit(sp *strSpec) int {
	if sp.maxBytes >= 0 {
		return sp.maxBytes
	}
	return unbounded
}

func charsLimit(sp *strSpec) int {
	if sp.maxLen >= 0 {
		return sp.maxLen
	}
	return unbounded
}

// atMaxChars makes a string of as many characters as the limits allow.
func (c *genCtx) atMaxChars(n *genNode) (string, bool) {
	sp := n.str
	if sp.maxLen < 0 && sp.maxBytes < 0 {
		return "", false
	}
	lo, hi := sp.charRange()
	if sp.shaped() {
		return c.shapedNear(n, sp.lang(false), lo, hi, true)
	}
	next, sep := c.words(n.sem, false)
	s, ok := c.fill(next, sep, false, textSpan{0, bytesLimit(sp), hi, hi})
	return s, ok && sp.ok(s, n.enum)
}

// atMaxBytes makes a string of as many bytes as the limits allow: multibyte
// text where no pattern or format applies.
func (c *genCtx) atMaxBytes(n *genNode) (string, bool) {
	sp := n.str
	if sp.maxBytes < 0 {
		return c.atMaxChars(n)
	}
	if sp.shaped() {
		if s, ok := c.atMaxChars(n); ok && len(s) == sp.maxBytes {
			return s, true
		}
		return c.shapedNear(n, sp.lang(true), 0, sp.maxBytes, true)
	}
	next, sep := c.words(n.sem, true)
	s, ok := c.fill(next, sep, true, textSpan{sp.maxBytes, sp.maxBytes, sp.minLen, charsLimit(sp)})
	if !ok {
		// Too few characters for the locale's letters to reach the limit.
		s, ok = c.denseText(sp.maxBytes, sp.minLen, charsLimit(sp))
	}
	return s, ok && sp.ok(s, n.enum)
}

// atMin makes the shortest string the limits allow.
func (c *genCtx) atMin(n *genNode) (string, bool) {
	sp := n.str
	lo, hi := sp.charRange()
	if n.sem == semLoginID && c.g.cfg.LoginIDPrefix != "" {
		return "", false // the prefixed form is as short as it gets
	}
	if sp.shaped() {
		return c.shapedNear(n, sp.lang(false), lo, hi, false)
	}
	next, sep := c.words(n.sem, false)
	s, ok := c.fill(next, sep, false, textSpan{0, bytesLimit(sp), lo, lo})
	return s, ok && sp.ok(s, n.enum)
}

// shapedNear makes a match of the pattern (or format) whose length in lang's
// unit is the largest (up) or smallest in [lo, hi] that meets every
// constraint, stretching the realistic address first when it is one.
func (c *genCtx) shapedNear(n *genNode, lang *regexLang, lo, hi int, up bool) (string, bool) {
	sp := n.str
	t := lang.nearest(lo, hi, up)
	if up && (n.sem == semLoginID || n.sem == semEmail) && !lang.bytes {
		if s := c.stretchAddress(c.candidate(n), t); runeCount(s) == t && sp.ok(s, n.enum) {
			return s, true
		}
	}
	for tries := 0; t >= 0 && tries < 8; tries++ {
		if s, ok := lang.generate(c.f, t, 5); ok && sp.ok(s, n.enum) {
			return s, true
		}
		if up {
			t = lang.nearest(lo, t-1, true)
		} else {
			t = lang.nearest(t+1, hi, false)
		}
	}
	return "", false
}

func runeCount(s string) int { return utf8.RuneCountInString(s) }
