package openapi

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/getkin/kin-openapi/openapi3"
)

// Invalid returns a body of the given number of users (fewer or more when
// the rule is about their number) that breaks the named rule and nothing
// else, or for a rule with Rule.With, the two length rules of one value
// and nothing else; Case.Want says what a validator must report. Unknown
// rules, and rules neither isolatable nor with a With, give a *RuleError.
func (g *Generator) Invalid(rule string, users int) (*Case, error) {
	r, err := g.rule(rule)
	if err != nil {
		return nil, err
	}
	if err := g.checkUsers(users); err != nil {
		return nil, err
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	c := g.newCtx(stTypical, users)
	root := c.value(g.root)
	root, want, note := c.breakAt(r, root)
	cs, err := c.finish(ModeInvalid, r.Name, root)
	if err != nil {
		return nil, err
	}
	cs.Want, cs.Note, cs.tabular = want, note, r.Tabular
	return cs, nil
}

// InvalidCases returns one Invalid body for every isolatable rule and every
// rule with a With, in the order of Rules: each length limit of the spec
// gets a body over it, even where a value of one-byte characters cannot
// break one limit without the other.
func (g *Generator) InvalidCases(users int) ([]*Case, error) {
	var out []*Case
	for _, r := range g.rules {
		if !r.Isolatable && r.With == "" {
			continue
		}
		cs, err := g.Invalid(r.Name, users)
		if err != nil {
			return nil, err
		}
		out = append(out, cs)
	}
	return out, nil
}

// breakAt breaks r in the valid body root and returns the body, the problem
// a validator must report and a note.
func (c *genCtx) breakAt(r *ruleDef, root any) (any, *Problem, string) {
	var path []any
	holder := &genObject{keys: []string{""}, vals: []any{root}}
	var parent any = holder
	slot := any("")
	for i := 1; i < len(r.chain); i++ {
		cur := c.slotValue(parent, slot)
		if items, ok := cur.([]any); ok && len(items) == 0 {
			cur = []any{c.value(r.chain[i-1].items)}
			c.setSlot(parent, slot, cur)
		}
		parent = cur
		slot = c.descend(parent, r.chain[i-1], r.chain[i])
		path = append(path, slot)
	}
	if r.kind == bkRequired {
		parent.(*genObject).remove(slot.(string))
		field := FormatPath(path)
		return holder.vals[0], &Problem{Field: field, Rule: r.Rule.Rule}, field + " left out"
	}
	value, key := c.broken(r, c.slotValue(parent, slot))
	c.setSlot(parent, slot, value)
	if key != "" {
		path = append(path, key)
	}
	field := FormatPath(path)
	return holder.vals[0], &Problem{Field: field, Rule: r.Rule.Rule}, describe(field, r.kind, r.target(), value, key)
}

// descend picks, in the container parent (a value of node pn), the slot of
// child (a property name, map key or index), making a valid value there
// when there is none.
func (c *genCtx) descend(parent any, pn, child *genNode) any {
	switch p := parent.(type) {
	case *genObject:
		key := child.name
		if child == pn.extra {
			key = c.mapKey(pn, p)
		}
		if _, ok := p.get(key); !ok {
			c.key = key
			p.set(key, c.value(child))
			c.key = ""
		}
		return key
	case []any:
		return c.f.IntN(len(p))
	}
	return nil
}

// mapKey returns an existing key of a map entry, or a new one.
func (c *genCtx) mapKey(pn *genNode, o *genObject) string {
	for _, k := range o.keys {
		if !pn.declares(k) {
			return k
		}
	}
	for _, k := range tagKeys {
		if !pn.declares(k) {
			return k
		}
	}
	return "tag01"
}

func (c *genCtx) slotValue(container, slot any) any {
	switch p := container.(type) {
	case *genObject:
		v, _ := p.get(slot.(string))
		return v
	case []any:
		return p[slot.(int)]
	}
	return nil
}

func (c *genCtx) setSlot(container, slot, v any) {
	switch p := container.(type) {
	case *genObject:
		p.set(slot.(string), v)
	case []any:
		p[slot.(int)] = v
	}
}

// broken returns the value that breaks r in place of old, and for an added
// property its key.
func (c *genCtx) broken(r *ruleDef, old any) (any, string) {
	n := r.target()
	switch r.kind {
	case bkNull:
		return nil, ""
	case bkType:
		return c.wrongType(n, old), ""
	case bkString:
		if s, ok, _ := c.breakString(n, r.Rule.Rule); ok {
			return s, ""
		}
		if s, _, ok := c.breakLengths(n, r.Rule.Rule); ok && r.With != "" {
			return s, ""
		}
		return r.probe, ""
	case bkMinItems:
		return c.items(n, n.minItems-1), ""
	case bkMaxItems:
		return c.items(n, n.maxItems+1), ""
	case bkMinProps:
		return c.mapOf(n, n.minProps-1), ""
	case bkMaxProps:
		return c.mapOf(n, n.maxProps+1), ""
	case bkUndeclared:
		o, _ := old.(*genObject)
		key := undeclaredName(n)
		o.set(key, "")
		return o, key
	case bkMinimum:
		return breakNumber(n, n.num.min, -1, n.num.exclMin), ""
	case bkMaximum:
		return breakNumber(n, n.num.max, 1, n.num.exclMax), ""
	case bkEnum:
		return outsideEnum(n), ""
	}
	return old, ""
}

func (c *genCtx) items(n *genNode, count int) []any {
	out := make([]any, count)
	for i := range out {
		out[i] = c.value(n.items)
	}
	return out
}

// mapOf makes the object n with exactly count properties: its required
// ones, then map entries.
func (c *genCtx) mapOf(n *genNode, count int) *genObject {
	o := &genObject{}
	for _, p := range n.props {
		if p.required {
			o.set(p.name, c.value(p))
		}
	}
	c.fillMap(n, o, count-len(o.keys))
	return o
}

func undeclaredName(n *genNode) string {
	name := "nickname"
	for i := 2; n.declares(name); i++ {
		name = "nickname" + strconv.Itoa(i)
	}
	return name
}

func breakNumber(n *genNode, limit float64, dir float64, exclusive bool) any {
	v := limit + dir
	if exclusive {
		v = limit
	}
	if n.typ == openapi3.TypeInteger || v == float64(int64(v)) {
		return int64(v)
	}
	return v
}

// wrongType returns a value of another JSON type than n's, the way people
// get it wrong: a number for a string of digits, "true" for true, an object
// where an array of them belongs (and the other way round).
func (c *genCtx) wrongType(n *genNode, old any) any {
	switch n.typ {
	case openapi3.TypeString:
		if s, ok := old.(string); ok {
			if v, err := strconv.ParseInt(strings.ReplaceAll(s, "-", ""), 10, 64); err == nil && v > 0 {
				return v
			}
		}
		return int64(1 + c.f.IntN(99999))
	case openapi3.TypeBoolean:
		b, _ := old.(bool)
		return strconv.FormatBool(b)
	case openapi3.TypeInteger, openapi3.TypeNumber:
		return fmt.Sprint(old)
	case openapi3.TypeObject:
		return []any{old}
	case openapi3.TypeArray:
		if items, ok := old.([]any); ok && len(items) > 0 && n.items.typ != openapi3.TypeArray {
			return items[0]
		}
		return &genObject{}
	}
	return nil
}

// describe says what a broken value is, shortly.
func describe(field string, kind breakKind, n *genNode, v any, key string) string {
	name := displayPath(field)
	if kind == bkType {
		if _, scalar := v.(*genObject); !scalar {
			if _, scalar = v.([]any); !scalar {
				return fmt.Sprintf("%s is %s (%s, not %s)", name, clip(string(appendJSON(nil, v))), article(genType(v)), article(n.typ))
			}
		}
		return fmt.Sprintf("%s is %s, not %s", name, article(genType(v)), article(n.typ))
	}
	switch v := v.(type) {
	case string:
		return fmt.Sprintf("%s is %s (%d characters, %d bytes)", name, clip(string(appendJSONString(nil, v))),
			utf8.RuneCountInString(v), len(v))
	case []any:
		return fmt.Sprintf("%s has %s", name, plural(uint64(len(v)), "item"))
	case *genObject:
		if key != "" {
			return name + " is not declared by the spec"
		}
		return fmt.Sprintf("%s has %s", name, plural(uint64(len(v.keys)), "property"))
	}
	return fmt.Sprintf("%s is %s", name, clip(string(appendJSON(nil, v))))
}

// genType names the JSON type of a generated value.
func genType(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case string:
		return "string"
	case int64:
		return "integer"
	case float64:
		return "number"
	case []any:
		return "array"
	}
	return "object"
}

// clip returns s, or its first 45 characters and "..." when it has more
// than 48, without copying s into runes.
func clip(s string) string {
	n := 0
	for i := range s {
		if n == 45 {
			if utf8.RuneCountInString(s[i:]) > 3 {
				return s[:i] + "..."
			}
			return s
		}
		n++
	}
	return s
}

// outsideEnum returns a value of n's type that its enum does not list.
func outsideEnum(n *genNode) any {
	switch n.typ {
	case openapi3.TypeBoolean:
		for _, b := range []bool{true, false} {
			if !slices.Contains(n.enum, any(b)) {
				return b
			}
		}
	case openapi3.TypeInteger, openapi3.TypeNumber:
		v := int64(0)
		for slices.ContainsFunc(n.enum, func(e any) bool { return normalize(e) == any(v) }) {
			v++
		}
		return v
	}
	return nil
}
