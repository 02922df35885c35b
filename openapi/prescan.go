package openapi

import (
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/getkin/kin-openapi/openapi3"
)

// DefaultMaxDepth is the deepest nesting of arrays and objects a request
// body may have unless ValidatorConfig.MaxDepth says otherwise. The bulk
// request needs 4 levels; the rest is room for unknown properties.
const DefaultMaxDepth = 64

// RuleMaxDepth is broken by a body nested deeper than the validator allows.
const RuleMaxDepth = "maxDepth"

// DefaultMaxUndeclared is how many properties the spec does not declare a
// body may hold in all unless ValidatorConfig.MaxUndeclared says otherwise:
// far more than typos, and few enough that their warnings stay small.
const DefaultMaxUndeclared = 1000

// RuleMaxUndeclared is broken by a body with more undeclared properties than
// the validator allows.
const RuleMaxUndeclared = "maxUndeclared"

// Prescan refuses, in one pass over the bytes and before any decoding, a body
// whose size alone would make validation slow or its answer huge: an array
// longer than its schema's maxItems, an object with more properties than its
// schema's maxProperties, an array where the schema wants an object or the
// other way round, nesting deeper than maxDepth (DefaultMaxDepth when 0
// or less), or more than DefaultMaxUndeclared properties the spec does not
// declare. It
// returns the first such problem and false, or true when it found none. It
// does not check that the body is well-formed JSON; what it cannot follow it
// leaves to the decoder.
func Prescan(schema *openapi3.Schema, body []byte, maxDepth int) (Problem, bool) {
	return prescan(schema, body, maxDepth, DefaultMaxUndeclared)
}

func prescan(schema *openapi3.Schema, body []byte, maxDepth, maxUndeclared int) (Problem, bool) {
	if maxDepth <= 0 {
		maxDepth = DefaultMaxDepth
	}
	s := scanner{body: body, maxDepth: maxDepth, maxUndeclared: maxUndeclared, root: schema, over: -1}
	s.run()
	if s.problem == nil {
		return Problem{}, true
	}
	return *s.problem, false
}

// What a container expects next.
const (
	expectValue = iota // array: an element; object: a property's value
	expectKey
	expectMore // a comma or the end
)

// scanFrame is one open array or object.
type scanFrame struct {
	schema *openapi3.Schema // its schema; nil when unknown
	seg    segment          // the key or index that leads to it; nil at the root
	array  bool
	expect int
	count  int // elements or properties seen
	// The schema and name of the property whose value comes next (objects).
	child    *openapi3.Schema
	childSeg segment
}

type scanner struct {
	body     []byte
	maxDepth int
	root     *openapi3.Schema
	stack    []scanFrame
	// Undeclared properties seen, each repeat of a key counted, and how
	// many are allowed.
	undeclared, maxUndeclared int
	over                      int    // index in stack of the container over its limit; -1 for none
	overRule                  string // maxItems or maxProperties
	limit                     uint64
	problem                   *Problem
	rootDone                  bool // the top-level value has started
}

func (s *scanner) run() {
	for i := 0; i < len(s.body) && s.problem == nil; i++ {
		if s.rootDone && len(s.stack) == 0 {
			return // what follows the top-level value is the decoder's to report
		}
		switch c := s.body[i]; c {
		case ' ', '\t', '\r', '\n':
		case ':':
			s.setExpect(expectValue)
		case ',':
			if top := s.top(); top != nil && top.array {
				top.expect = expectValue
			} else if top != nil {
				top.expect = expectKey
			}
		case '"':
			end, ok := stringEnd(s.body, i)
			if !ok {
				return
			}
			if top := s.top(); top != nil && !top.array && top.expect == expectKey {
				s.key(top, s.body[i:end+1])
			} else {
				s.value()
				s.setExpect(expectMore)
			}
			i = end
		case '{', '[':
			schema, seg := s.value()
			s.open(c == '[', schema, seg)
		case '}', ']':
			if !s.close() {
				return
			}
			s.setExpect(expectMore)
		default: // a number, true, false or null
			s.value()
			s.setExpect(expectMore)
			for i+1 < len(s.body) && !isDelimiter(s.body[i+1]) {
				i++
			}
		}
	}
	if s.problem == nil && s.over >= 0 {
		s.reportOver()
	}
}

func isDelimiter(c byte) bool {
	switch c {
	case ',', ']', '}', ':', '"', '[', '{', ' ', '\t', '\r', '\n':
		return true
	}
	return false
}

func (s *scanner) top() *scanFrame {
	if len(s.stack) == 0 {
		return nil
	}
	return &s.stack[len(s.stack)-1]
}

func (s *scanner) setExpect(e int) {
	if top := s.top(); top != nil {
		top.expect = e
	}
}

// value is called where a value starts: it counts an array element and
// returns the schema and path segment of the value.
func (s *scanner) value() (*openapi3.Schema, segment) {
	top := s.top()
	switch {
	case top == nil:
		s.rootDone = true
		return s.root, nil
	case !top.array:
		return top.child, top.childSeg
	}
	top.count++
	if top.schema == nil {
		return nil, top.count - 1
	}
	if m := top.schema.MaxItems; m != nil && uint64(top.count) > *m && s.over < 0 {
		s.over, s.overRule, s.limit = len(s.stack)-1, "maxItems", *m
	}
	if top.schema.Items == nil {
		return nil, top.count - 1
	}
	return top.schema.Items.Value, top.count - 1
}

// key records a property name of the object top.
func (s *scanner) key(top *scanFrame, quoted []byte) {
	top.count++
	top.expect = expectValue
	name := string(quoted[1 : len(quoted)-1])
	if hasEscape(quoted) {
		if err := json.Unmarshal(quoted, &name); err != nil {
			name = string(quoted)
		}
	}
	top.child, top.childSeg = nil, name
	if top.schema == nil {
		return
	}
	top.child = childOfObject(top.schema, name)
	if top.child == nil && undeclaredIn(top.schema) {
		if s.undeclared++; s.undeclared > s.maxUndeclared {
			// A problem of the whole body; the message says where the
			// count ran over, for a client that sends extra fields per user.
			s.problem = &Problem{Rule: RuleMaxUndeclared, Message: fmt.Sprintf(
				"the body has more than %d properties the spec does not declare (a limit of ncpmock's); the %s is %s",
				s.maxUndeclared, ordinal(s.undeclared), FormatPath(s.path(clip(name))))}
			return
		}
	}
	if m := top.schema.MaxProps; m != nil && uint64(top.count) > *m && s.over < 0 {
		s.over, s.overRule, s.limit = len(s.stack)-1, "maxProperties", *m
	}
}

// open starts an array or object whose schema is schema.
func (s *scanner) open(array bool, schema *openapi3.Schema, seg segment) {
	if len(s.stack) >= s.maxDepth {
		s.fail(seg, RuleMaxDepth, fmt.Sprintf("nesting is deeper than %d levels of arrays and objects", s.maxDepth))
		return
	}
	if want, clash := typeClash(schema, array); clash && s.over < 0 {
		s.fail(seg, "type", fmt.Sprintf("must be %s, got %s", want, containerName(array)))
		return
	}
	expect := expectKey
	if array {
		expect = expectValue
	}
	s.stack = append(s.stack, scanFrame{schema: schema, seg: seg, array: array, expect: expect})
}

// close ends the innermost container; it reports false when it is the one
// over its limit (now fully counted) or when nothing was open.
func (s *scanner) close() bool {
	if len(s.stack) == 0 {
		return false
	}
	if len(s.stack)-1 == s.over {
		s.reportOver()
		return false
	}
	s.stack = s.stack[:len(s.stack)-1]
	return true
}

// reportOver reports the container over its limit, with its count so far
// (all of it once it is closed).
func (s *scanner) reportOver() {
	f := s.stack[s.over]
	s.stack = s.stack[:s.over]
	noun := "item"
	if s.overRule == "maxProperties" {
		noun = "property"
	}
	s.fail(f.seg, s.overRule, fmt.Sprintf("must have at most %s, got %d", plural(s.limit, noun), f.count))
}

// fail records a problem at the path of the open containers, then seg.
func (s *scanner) fail(seg segment, rule, msg string) {
	p := newProblem(s.path(seg), rule, msg).Problem
	s.problem = &p
}

// path returns the path of the open containers, then seg.
func (s *scanner) path(seg segment) []segment {
	path := make([]segment, 0, len(s.stack)+1)
	for _, f := range s.stack {
		if f.seg != nil {
			path = append(path, f.seg)
		}
	}
	if seg != nil {
		path = append(path, seg)
	}
	return path
}

// ordinal returns n as "1st", "2nd", "1001st".
func ordinal(n int) string {
	suffix := "th"
	switch n % 10 {
	case 1:
		suffix = "st"
	case 2:
		suffix = "nd"
	case 3:
		suffix = "rd"
	}
	if n%100 >= 11 && n%100 <= 13 {
		suffix = "th"
	}
	return strconv.Itoa(n) + suffix
}

// undeclaredIn reports whether a key that s does not declare is an
// undeclared property, as the validator reports one: s is an object schema
// that neither allows nor refuses other properties itself.
func undeclaredIn(s *openapi3.Schema) bool {
	ap := s.AdditionalProperties
	return allowsType(s, openapi3.TypeObject) && ap.Schema == nil && ap.Has == nil && len(s.AnyOf) == 0 && len(s.OneOf) == 0
}

func childOfObject(s *openapi3.Schema, name string) *openapi3.Schema {
	if p := propertySchema(s, name); p != nil {
		return p
	}
	if ap := s.AdditionalProperties.Schema; ap != nil {
		return ap.Value
	}
	return nil
}

// typeClash reports whether schema wants an object where an array starts,
// or an array where an object starts, and what it wants.
func typeClash(schema *openapi3.Schema, array bool) (string, bool) {
	if schema == nil || schema.Type == nil || len(*schema.Type) == 0 {
		return "", false
	}
	if schema.Type.Includes(containerName(array)) {
		return "", false
	}
	return typeName(schema), true
}

func containerName(array bool) string {
	if array {
		return "array"
	}
	return "object"
}

// stringEnd returns the index of the quote that closes the string starting
// at body[i].
func stringEnd(body []byte, i int) (int, bool) {
	for j := i + 1; j < len(body); j++ {
		switch body[j] {
		case '\\':
			j++
		case '"':
			return j, true
		}
	}
	return 0, false
}

func hasEscape(quoted []byte) bool {
	for _, c := range quoted {
		if c == '\\' {
			return true
		}
	}
	return false
}
