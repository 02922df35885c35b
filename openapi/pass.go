package openapi

import (
	"fmt"
	"math"
	"slices"
	"unicode/utf8"
	"unsafe"
)

// maxPassDepth bounds the nesting the pass follows; deeper bodies go to the
// reference (encoding/json allows 10000 levels).
const maxPassDepth = 500

// maxLinearKeys is how many undeclared keys of one object are compared one
// by one before the pass indexes them in a map.
const maxLinearKeys = 16

// pass validates one body in a single scan of its bytes, and binds it to a
// Go value when asked. It reports what the reference would: kin-openapi's
// problems and ncpmock's own, with the same paths and messages, counting
// only the last of duplicate keys (encoding/json keeps the last).
type pass struct {
	s        string
	i        int
	bad      bool // the body is not JSON the pass reads: ask the reference
	depth    int
	maxDepth int // deeper bodies are Prescan's to refuse
	// maxUndeclared bounds the undeclared properties reported; a body with
	// more is Prescan's to refuse (which counts them as it does).
	maxUndeclared int
	sole          *Problem // set with bad: the one problem of a well-formed body, as Prescan reports it

	path     []step
	problems []record // kin-openapi's and x-max-bytes problems
	unknown  []record // undeclared properties
	keys     []keyRec // undeclared keys of the objects being read
	spans    []span   // per declared property of the objects being read
	names    []string // keys of the path that are not in the body
	buf      []byte
	arena    arena
	mapElem  string // where a map[string]string's element is read
}

// step is one segment of the current path: an array index (index >= 0) or
// a key: the raw key s[start:end] of the body, or, when start < 0, the name
// p.names[end]. It holds no pointer, so that pushing it costs no write
// barrier; keys are decoded only when a problem is reported.
type step struct {
	start, end int32
	index      int32
}

type record struct {
	locatedProblem
	dead bool // reported for an earlier duplicate of a key
}

// span is where the problems of one member's value sit in problems and unknown.
type span struct{ p0, p1, u0, u1 int32 }

type keyRec struct {
	key  string
	span span
}

func (p *pass) reset(body string) {
	*p = pass{s: body, path: p.path[:0], problems: p.problems[:0], unknown: p.unknown[:0],
		keys: p.keys[:0], spans: p.spans[:0], names: p.names[:0], buf: p.buf[:0],
		arena: arena{hints: p.arena.hints[:0], used: p.arena.used[:0]}}
}

// run reads the whole body as one value of root.
func (p *pass) run(root *node, b *binding, dst unsafe.Pointer) {
	p.value(root, true, b, dst)
	p.ws()
	if p.i != len(p.s) {
		p.bad = true
	}
}

func (p *pass) value(n *node, kin bool, b *binding, dst unsafe.Pointer) {
	p.ws()
	switch c := p.peek(); {
	case c == '"':
		p.stringValue(n, kin, b, dst)
	case c == '{':
		p.object(n, kin, b, dst)
	case c == '[':
		p.array(n, kin, b, dst)
	case c == 't':
		p.literal("true")
		p.boolValue(n, kin, true, b, dst)
	case c == 'f':
		p.literal("false")
		p.boolValue(n, kin, false, b, dst)
	case c == 'n':
		p.literal("null")
		p.nullValue(n, kin, b, dst)
	case c == '-' || isDigit(c):
		p.numberValue(n, kin)
	default:
		p.bad = true
	}
}

func (p *pass) stringValue(n *node, kin bool, b *binding, dst unsafe.Pointer) {
	v, ascii := p.str()
	if p.bad || n == nil {
		return
	}
	if kin && !n.empty {
		switch {
		case len(n.enum) != 0 && !n.enumHas(func(e any) bool { s, ok := e.(string); return ok && s == v }):
			p.report("enum", enumMessage(n.schema))
		case n.types&kindString == 0:
			p.report("type", typeMessage(n.schema, v))
		default:
			p.stringRules(n, v, ascii)
		}
	}
	if n.maxBytes >= 0 && len(v) > n.maxBytes {
		p.report(RuleMaxBytes, maxBytesMessage(n.maxBytes, v))
	}
	if b != nil && b.kind == bindString {
		p.arena.setString(b, dst, v)
	}
}

func (p *pass) stringRules(n *node, v string, ascii bool) {
	if n.minLen != 0 || n.maxLen >= 0 {
		length := len(v)
		if !ascii {
			length = utf8.RuneCountInString(v)
		}
		if n.minLen != 0 && uint64(length) < n.minLen {
			p.report("minLength", minLengthMessage(n.schema, length))
		}
		if n.maxLen >= 0 && int64(length) > n.maxLen {
			p.report("maxLength", maxLengthMessage(n.schema, length))
		}
	}
	if n.pattern != nil && !n.pattern.MatchString(v, ascii) {
		p.report("pattern", patternMessage(n.schema))
	}
	if n.format != nil && !n.format.ok(v, ascii) {
		msg := n.format.message
		if msg == "" {
			msg = formatMessage(n.schema)
		}
		p.report("format", msg)
	}
}

func (p *pass) boolValue(n *node, kin, v bool, b *binding, dst unsafe.Pointer) {
	if p.bad || n == nil {
		return
	}
	if kin && !n.empty {
		switch {
		case len(n.enum) != 0 && !n.enumHas(func(e any) bool { x, ok := e.(bool); return ok && x == v }):
			p.report("enum", enumMessage(n.schema))
		case n.types&kindBoolean == 0:
			p.report("type", typeMessage(n.schema, v))
		}
	}
	if b != nil && b.kind == bindBool {
		p.arena.setBool(b, dst, v)
	}
}

func (p *pass) nullValue(n *node, kin bool, b *binding, dst unsafe.Pointer) {
	if p.bad || n == nil {
		return
	}
	if kin && !n.nullOK {
		if !n.empty && len(n.enum) != 0 && !n.enumHas(func(e any) bool { return e == nil }) {
			p.report("enum", enumMessage(n.schema))
		} else {
			p.report("type", typeMessage(n.schema, nil))
		}
	}
	if b != nil {
		setZero(b, dst)
	}
}

func (p *pass) numberValue(n *node, kin bool) {
	f := p.num()
	if p.bad || n == nil || !kin || n.empty {
		return
	}
	switch {
	case len(n.enum) != 0:
		p.report("enum", enumMessage(n.schema)) // the compiler allows no number in an enum
	case n.types&kindInteger != 0 && n.types&kindNumber == 0:
		if f != math.Trunc(f) {
			p.report("type", typeMessage(n.schema, f))
		}
	case n.types&(kindInteger|kindNumber) == 0:
		p.report("type", typeMessage(n.schema, f))
	}
}

func (n *node) enumHas(eq func(any) bool) bool {
	return slices.ContainsFunc(n.enum, eq)
}

// container reports whether kin-openapi checks an array or object (and what
// it holds) at n, reporting the enum or type problem when it does not.
func (p *pass) container(n *node, kin bool, k kind, sample any) bool {
	if n != nil && n.types&k == 0 {
		// An array where the schema wants anything but an array, or an
		// object likewise: the first such container is the whole answer,
		// as Prescan gives it on the reference path (the pass has already
		// given up on anything Prescan would report before it), if the
		// body is well-formed JSON (which validate checks).
		got := containerName(k == kindArray)
		sole := newProblem(p.segments(), "type", fmt.Sprintf("must be %s, got %s", typeName(n.schema), got)).Problem
		if !p.bad {
			p.sole = &sole
		}
		p.bad = true
		return false
	}
	if n == nil || !kin || n.empty {
		return false
	}
	if len(n.enum) != 0 {
		p.report("enum", enumMessage(n.schema))
		return false
	}
	if n.types&k == 0 {
		p.report("type", typeMessage(n.schema, sample))
		return false
	}
	return true
}

func (p *pass) enter() bool {
	p.i++
	p.depth++
	if p.depth > maxPassDepth || p.depth > p.maxDepth {
		p.bad = true // too deep: Prescan refuses it in the reference
	}
	return !p.bad
}

func (p *pass) array(n *node, kin bool, b *binding, dst unsafe.Pointer) {
	if !p.enter() {
		return
	}
	kinHere := p.container(n, kin, kindArray, []any(nil))
	var items *node
	if n != nil {
		items = n.items
	}
	var sb *binding
	if b != nil && b.kind == bindSlice {
		startSlice(b, dst)
		sb = b
	}
	count := 0
	p.ws()
	if p.peek() == ']' {
		p.i++
	} else if !p.elements(items, kinHere, sb, dst, &count, n.maxItemsOrNone()) {
		return
	}
	p.depth--
	if kinHere {
		if n.minItems != 0 && uint64(count) < n.minItems {
			p.report("minItems", minItemsMessage(n.schema, count))
		}
		if n.maxItems >= 0 && int64(count) > n.maxItems {
			p.report("maxItems", maxItemsMessage(n.schema, count))
		}
	}
}

// elements reads an array's elements. Past limit (maxItems; -1 for none) the
// pass gives up: Prescan refuses such a body, and the reference decides.
func (p *pass) elements(items *node, kin bool, sb *binding, slice unsafe.Pointer, count *int, limit int64) bool {
	var eb *binding
	if sb != nil {
		eb = sb.elem
	}
	for {
		var elem unsafe.Pointer
		if eb != nil {
			elem = p.arena.appendElem(sb, slice)
		}
		p.path = append(p.path, step{index: int32(*count)})
		p.value(items, kin, eb, elem)
		p.path = p.path[:len(p.path)-1]
		*count++
		if limit >= 0 && int64(*count) > limit {
			p.bad = true
			return false
		}
		if p.bad {
			return false
		}
		p.ws()
		switch p.peek() {
		case ',':
			p.i++
		case ']':
			p.i++
			return true
		default:
			p.bad = true
			return false
		}
	}
}

func (p *pass) report(rule, msg string) {
	p.problems = append(p.problems, record{locatedProblem: newProblem(p.segments(), rule, msg)})
}

func (p *pass) reportUnknown(msg string) {
	if len(p.unknown) >= p.maxUndeclared {
		// Counting the repeats of a key, which Prescan counts too.
		p.bad = true
		return
	}
	p.unknown = append(p.unknown, record{locatedProblem: newProblem(p.segments(), RuleUnknownProperty, msg)})
}

func (p *pass) segments() []segment {
	path := make([]segment, len(p.path))
	for i, s := range p.path {
		switch {
		case s.index >= 0:
			path[i] = int(s.index)
		case s.start < 0:
			path[i] = p.names[s.end]
		default:
			path[i] = p.rawKey(s.start, s.end)
		}
	}
	return path
}

// live returns the problems not replaced by a later duplicate key.
func live(records []record) []locatedProblem {
	var out []locatedProblem
	for _, r := range records {
		if !r.dead {
			out = append(out, r.locatedProblem)
		}
	}
	return out
}

// maxItemsOrNone returns the node's maxItems, or -1 for none or no node.
func (n *node) maxItemsOrNone() int64 {
	if n == nil {
		return -1
	}
	return n.maxItems
}
