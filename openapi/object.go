package openapi

import (
	"math/bits"
	"slices"
	"unicode/utf8"
	"unsafe"
)

// Objects: the members of an object, the fast path of the common member,
// duplicate keys, and the checks that need the whole object.

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

func (p *pass) object(n *node, kin bool, b *binding, dst unsafe.Pointer) {
	start := p.i
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
	if o.b != nil && o.b.kind == bindStruct {
		setRaw(o.b, o.target, p.s[start:p.i])
	}
}

// members reads an object's members. It keeps the text and the position in
// locals (p.i is written back around calls that read it), because this loop
// runs for every key of a body.
func (p *pass) members(o *object) bool {
	s, i := p.s, p.i
	limit := int64(-1) // maxProperties; past it Prescan refuses the body
	if o.n != nil {
		limit = o.n.maxProps
	}
	for count := int64(1); ; count++ {
		if limit >= 0 && count > limit {
			p.bad = true
			return false
		}
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
		slices.Sort(names)
		// As the reference reports them: each at its own path, under the
		// rule the strict validator uses for undeclared properties.
		for _, name := range names {
			p.names = append(p.names, name)
			p.path = append(p.path, step{start: -1, end: int32(len(p.names) - 1), index: -1})
			p.report(RuleUnknownProperty, unknownMessage(n.schema, name))
			p.path = p.path[:len(p.path)-1]
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
