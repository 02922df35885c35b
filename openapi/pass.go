package openapi

import (
	"math"
	"math/bits"
	"reflect"
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
	s     string
	i     int
	bad   bool // the body is not JSON the pass reads: ask the reference
	depth int

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

// object is the state of one object being read.
type object struct {
	n        *node
	kin      bool   // kin-openapi checks this object
	seen     uint64 // declared properties seen
	spanned  uint64 // declared properties whose spans are recorded
	keysBase int
	spanBase int
	index    map[string]int // key -> index in p.keys, once there are many
	b        *binding
	target   unsafe.Pointer // the struct bound to
	m        boundMap       // the map bound to
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
	if p.depth > maxPassDepth {
		p.bad = true
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
	var slice reflect.Value
	if b != nil && b.kind == bindSlice {
		slice, sb = startSlice(b, dst), b
	}
	count := 0
	p.ws()
	if p.peek() == ']' {
		p.i++
	} else if !p.elements(items, kinHere, sb, slice, &count) {
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

func (p *pass) elements(items *node, kin bool, sb *binding, slice reflect.Value, count *int) bool {
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

func (p *pass) object(n *node, kin bool, b *binding, dst unsafe.Pointer) {
	if !p.enter() {
		return
	}
	o := object{n: n, kin: p.container(n, kin, kindObject, map[string]any(nil)),
		keysBase: len(p.keys), spanBase: len(p.spans)}
	if n != nil {
		p.spans = slices.Grow(p.spans, len(n.props))[:o.spanBase+len(n.props)]
	}
	switch {
	case b == nil:
	case b.kind == bindStruct:
		o.b, o.target = b, p.arena.startStruct(b, dst)
	case b.kind == bindMap:
		o.b, o.m = b, startMap(b, dst, &p.mapElem)
	}
	p.ws()
	if p.peek() == '}' {
		p.i++
	} else if !p.members(&o) {
		return
	}
	p.depth--
	p.endObject(&o)
	p.keys, p.spans = p.keys[:o.keysBase], p.spans[:o.spanBase]
}

// members reads an object's members. It keeps the text and the position in
// locals (p.i is written back around calls that read it), because this loop
// runs for every key of a body.
func (p *pass) members(o *object) bool {
	s, i := p.s, p.i
	for {
		i = skipWS(s, i)
		if i >= len(s) || s[i] != '"' {
			p.bad = true
			return false
		}
		start := i + 1
		var key string // decoded only for undeclared keys
		prop, end := -1, 0
		if o.n != nil {
			prop, end = o.n.matchKey(s, start)
		}
		if prop >= 0 {
			i = end + 1
		} else {
			p.i = i
			key, _ = p.str()
			i = p.i
			if p.bad {
				return false
			}
			if o.n != nil {
				prop = o.n.propIndex(key)
			}
		}
		rawEnd := i - 1
		if i >= len(s) || s[i] != ':' { // compact JSON has the colon right there
			i = skipWS(s, i)
			if i >= len(s) || s[i] != ':' {
				p.bad = true
				return false
			}
		}
		i = skipWS(s, i+1)
		if next := p.fastMember(o, prop, i); next > 0 {
			i = next
		} else {
			p.i = i
			p.member(o, step{start: int32(start), end: int32(rawEnd), index: -1}, key, prop)
			i = p.i
			if p.bad {
				return false
			}
		}
		i = skipWS(s, i)
		if i < len(s) && s[i] == ',' {
			i++
			continue
		}
		if i < len(s) && s[i] == '}' {
			p.i = i + 1
			return true
		}
		p.bad = true
		return false
	}
}

// member reads the value of one key (at raw in the body; key is its decoded
// text when prop < 0): a declared property, an additionalProperties value,
// or an undeclared one.
func (p *pass) member(o *object, raw step, key string, prop int) {
	n := o.n
	sp := span{p0: int32(len(p.problems)), u0: int32(len(p.unknown))}
	var child *node
	kinChild := false
	if n != nil {
		if prop >= 0 {
			child, kinChild = n.props[prop].node, o.kin
		} else {
			child, kinChild = n.ap, o.kin && n.ap != nil && !n.apFalse
		}
	}
	p.path = append(p.path, raw)
	if prop < 0 && n != nil && n.reportsExtra {
		p.reportUnknown(unknownMessage(n.schema, key))
	}
	cb, cdst := p.memberBinding(o, prop)
	p.value(child, kinChild, cb, cdst)
	p.path = p.path[:len(p.path)-1]
	if p.bad {
		return
	}
	if o.b != nil && o.b.kind == bindMap {
		o.m.set(o.b, key)
	}
	sp.p1, sp.u1 = int32(len(p.problems)), int32(len(p.unknown))
	if prop >= 0 {
		if o.spanned&(1<<prop) != 0 {
			p.kill(p.spans[o.spanBase+prop])
		}
		o.seen |= 1 << prop
		o.spanned |= 1 << prop
		p.spans[o.spanBase+prop] = sp
		return
	}
	if k := p.findKey(o, key); k >= 0 {
		p.kill(p.keys[k].span)
		p.keys[k].span = sp
		return
	}
	p.keys = append(p.keys, keyRec{key: key, span: sp})
	p.indexKey(o, len(p.keys)-1)
}

// fastMember reads, from s[i], the value of declared property prop when it
// is the common case: a string of printable ASCII or a boolean, met for the
// first time in its object, that breaks no rule. Such a value yields no
// problem, so the bookkeeping that problems need is skipped. It returns the
// position after the value, or 0, having read nothing, when the general path
// (member) must read it.
func (p *pass) fastMember(o *object, prop int, i int) int {
	if prop < 0 || !o.kin || o.seen&(1<<prop) != 0 || i >= len(p.s) {
		return 0
	}
	s := p.s
	n := o.n.children[prop]
	var fb fieldBinding
	if o.b != nil && o.b.kind == bindStruct {
		fb = o.b.fields[prop]
	}
	var next int
	switch s[i] {
	case '"':
		if !n.plainString {
			return 0
		}
		end := plainRun(s, i+1)
		var v string
		switch {
		case end < len(s) && s[end] == '"':
			v = s[i+1 : end]
			if !n.acceptsASCII(v) {
				return 0
			}
		case end < len(s) && s[end] >= utf8.RuneSelf && n.pattern == nil && n.format == nil:
			ascii := end - (i + 1)
			var runes int
			if end, runes = utf8Run(s, end); end < 0 {
				return 0
			}
			runes += ascii
			v = s[i+1 : end]
			if !n.acceptsText(v, runes) {
				return 0
			}
		default:
			return 0
		}
		if fb.b != nil && fb.b.kind == bindString {
			p.arena.setString(fb.b, unsafe.Add(o.target, fb.offset), v)
		}
		next = end + 1
	case 't', 'f':
		v := s[i] == 't'
		next = i + 5
		if v {
			next = i + 4
		}
		if !n.plainBool || next > len(s) || s[i:next] != "true" && s[i:next] != "false" {
			return 0
		}
		if fb.b != nil && fb.b.kind == bindBool {
			p.arena.setBool(fb.b, unsafe.Add(o.target, fb.offset), v)
		}
	default:
		return 0
	}
	o.seen |= 1 << prop
	return next
}

func (p *pass) memberBinding(o *object, prop int) (*binding, unsafe.Pointer) {
	switch {
	case o.b == nil:
	case o.b.kind == bindMap:
		return o.b.elem, o.m.elem()
	case prop >= 0 && o.b.fields[prop].b != nil:
		f := o.b.fields[prop]
		return f.b, unsafe.Add(o.target, f.offset)
	}
	return nil, nil
}

// findKey returns the index in p.keys of an undeclared key of o, or -1.
func (p *pass) findKey(o *object, key string) int {
	if o.index != nil {
		if k, ok := o.index[key]; ok {
			return k
		}
		return -1
	}
	for k := o.keysBase; k < len(p.keys); k++ {
		if p.keys[k].key == key {
			return k
		}
	}
	return -1
}

func (p *pass) indexKey(o *object, k int) {
	switch {
	case o.index != nil:
		o.index[p.keys[k].key] = k
	case k-o.keysBase >= maxLinearKeys:
		o.index = make(map[string]int, 2*maxLinearKeys)
		for j := o.keysBase; j <= k; j++ {
			o.index[p.keys[j].key] = j
		}
	}
}

// kill drops the problems of a value that a later duplicate key replaced.
func (p *pass) kill(sp span) {
	for i := sp.p0; i < sp.p1; i++ {
		p.problems[i].dead = true
	}
	for i := sp.u0; i < sp.u1; i++ {
		p.unknown[i].dead = true
	}
}

// endObject runs the checks that need the whole object.
func (p *pass) endObject(o *object) {
	if !o.kin {
		return
	}
	n := o.n
	undeclared := p.keys[o.keysBase:]
	count := bits.OnesCount64(o.seen) + len(undeclared)
	if n.minProps != 0 && uint64(count) < n.minProps {
		p.report("minProperties", minPropertiesMessage(n.schema, count))
	}
	if n.maxProps >= 0 && int64(count) > n.maxProps {
		p.report("maxProperties", maxPropertiesMessage(n.schema, count))
	}
	if n.apFalse && len(undeclared) > 0 {
		names := make([]string, len(undeclared))
		for i, k := range undeclared {
			names[i] = k.key
		}
		slices.Sort(names) // kin-openapi visits keys in this order
		for _, name := range names {
			p.report("properties", unsupportedPropertyMessage(name))
		}
	}
	if o.seen&n.requiredMask == n.requiredMask && !n.requiredUndeclared {
		return // the common case: every required property is there
	}
	for _, r := range n.required {
		present := r.prop >= 0 && o.seen&(1<<r.prop) != 0 || r.prop < 0 && p.findKey(o, r.name) >= 0
		if !present {
			p.names = append(p.names, r.name)
			p.path = append(p.path, step{start: -1, end: int32(len(p.names) - 1), index: -1})
			p.report("required", requiredMessage)
			p.path = p.path[:len(p.path)-1]
		}
	}
}

func (p *pass) report(rule, msg string) {
	p.problems = append(p.problems, record{locatedProblem: newProblem(p.segments(), rule, msg)})
}

func (p *pass) reportUnknown(msg string) {
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
