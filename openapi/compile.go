package openapi

import (
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// The compiled validator: the request schema turned, once, into a graph of
// nodes that the single pass over a body (pass.go) walks. A node applies two
// sets of rules, as the reference does: kin-openapi's (visitJSON of its
// OpenAPI 3.0 validator, with MultiError) and ncpmock's own (x-max-bytes and
// unknown properties, extensions.go). Every construct the compiler does not
// model makes it give up, and the Validator then uses the reference.

// kind is a JSON value kind, as a bit of a kindSet.
type kind uint8

const (
	kindString kind = 1 << iota
	kindNumber
	kindInteger
	kindBoolean
	kindObject
	kindArray
	kindNull
)

// node is one compiled schema.
type node struct {
	schema *openapi3.Schema // for messages

	// kin-openapi's rules
	types    kind // kinds the type permits (kindNumber/kindInteger as declared)
	nullOK   bool // nullable or a "null" type
	empty    bool // IsEmpty: kin-openapi only refuses null
	enum     []any
	minLen   uint64
	maxLen   int64 // -1: none
	pattern  *matcher
	format   *formatCheck
	minItems uint64
	maxItems int64 // -1: none
	items    *node
	props    []property     // declared properties, sorted by name
	children []*node        // props[i].node, packed for the pass
	byFirst  [128]propRange // the properties whose names start with a byte
	required []required
	minProps uint64
	maxProps int64 // -1: none
	ap       *node // additionalProperties schema
	apFalse  bool  // additionalProperties: false

	// ncpmock's own rules
	maxBytes     int  // x-max-bytes; -1: none
	reportsExtra bool // undeclared properties are reported as unknown

	// Summaries for the pass's fast paths.
	plainString        bool   // a string passes kin-openapi's checks by acceptsASCII alone
	plainBool          bool   // a boolean passes every check
	requiredMask       uint64 // the declared required properties
	requiredUndeclared bool   // a required property is not declared
}

type required struct {
	name string
	prop int // index in props; -1 when the property is not declared
}

// formatCheck checks a string format: with a matcher for ncpmock's regexp
// formats, else with kin-openapi's validator.
type formatCheck struct {
	match   *matcher
	message string // for match
	other   openapi3.StringFormatValidator
}

func (f *formatCheck) ok(s string, ascii bool) bool {
	if f.match != nil {
		return f.match.MatchString(s, ascii)
	}
	return f.other.Validate(s) == nil
}

// unsupportedError says why a schema cannot be compiled.
type unsupportedError struct {
	where string // JSON pointer-like location in the schema
	what  string
}

func (e *unsupportedError) Error() string {
	where := e.where
	if where == "" {
		where = "the request schema"
	}
	return fmt.Sprintf("%s: %s is not supported by the compiled validator", where, e.what)
}

// compiler turns schemas into nodes, sharing nodes between $ref uses and
// matchers between equal patterns.
type compiler struct {
	formats  map[string]regexpFormat
	nodes    map[*openapi3.Schema]*node
	matchers map[string]*matcher
}

func compileSchema(s *openapi3.Schema, formats map[string]regexpFormat) (*node, error) {
	c := &compiler{formats: formats, nodes: make(map[*openapi3.Schema]*node), matchers: make(map[string]*matcher)}
	return c.compile(s, "")
}

func (c *compiler) compile(s *openapi3.Schema, where string) (*node, error) {
	if s == nil {
		return nil, &unsupportedError{where, "an unresolved schema"}
	}
	if n, ok := c.nodes[s]; ok {
		return n, nil
	}
	if err := checkKeywords(s, where); err != nil {
		return nil, err
	}
	n := &node{schema: s, empty: s.IsEmpty(), maxLen: -1, maxItems: -1, maxProps: -1, maxBytes: -1}
	c.nodes[s] = n
	steps := []func(*node, *openapi3.Schema, string) error{c.compileType, c.compileEnum, c.compileString, c.compileArray, c.compileObject}
	for _, step := range steps {
		if err := step(n, s, where); err != nil {
			return nil, err
		}
	}
	if limit, ok := MaxBytes(s); ok {
		n.maxBytes = limit
	}
	n.summarize()
	return n, nil
}

// summarize fills the fast-path summaries.
func (n *node) summarize() {
	simple := !n.empty && len(n.enum) == 0
	n.plainString = simple && n.types&kindString != 0 && (n.format == nil || n.format.match != nil)
	n.plainBool = simple && n.types&kindBoolean != 0
	for _, r := range n.required {
		if r.prop >= 0 {
			n.requiredMask |= 1 << r.prop
		} else {
			n.requiredUndeclared = true
		}
	}
}

// acceptsText reports whether a string of runes characters (valid UTF-8, no
// escapes) breaks none of the string rules of a plainString node without a
// pattern or a format.
func (n *node) acceptsText(v string, runes int) bool {
	return uint64(runes) >= n.minLen && (n.maxLen < 0 || int64(runes) <= n.maxLen) &&
		(n.maxBytes < 0 || len(v) <= n.maxBytes)
}

// acceptsASCII reports whether a string of printable ASCII (no escapes)
// breaks none of the node's string rules; only for plainString nodes.
func (n *node) acceptsASCII(v string) bool {
	return uint64(len(v)) >= n.minLen && (n.maxLen < 0 || int64(len(v)) <= n.maxLen) &&
		(n.maxBytes < 0 || len(v) <= n.maxBytes) &&
		(n.pattern == nil || n.pattern.MatchString(v, true)) &&
		(n.format == nil || n.format.match.MatchString(v, true))
}

// checkKeywords refuses a schema that sets any field the compiler does not
// model. It looks at every field of openapi3.Schema, so that a keyword added
// by a later kin-openapi makes the compiler give up rather than ignore it.
func checkKeywords(s *openapi3.Schema, where string) error {
	v := reflect.ValueOf(s).Elem()
	t := v.Type()
	for i := range t.NumField() {
		name := t.Field(i).Name
		if modelled(name) || v.Field(i).IsZero() {
			continue
		}
		return &unsupportedError{where, "keyword " + jsonName(t.Field(i))}
	}
	return nil
}

// modelled reports whether the compiler implements an openapi3.Schema field,
// or whether the field does not change how kin-openapi validates a request
// body.
func modelled(field string) bool {
	switch field {
	case "Type", "Format", "Enum", "Nullable", "MinLength", "MaxLength", "Pattern",
		"MinItems", "MaxItems", "Items", "Required", "Properties", "MinProps", "MaxProps",
		"AdditionalProperties", "Extensions":
		return true // implemented
	case "WriteOnly", "AllowEmptyValue":
		return true // only change IsEmpty, which the compiler asks kin-openapi
	case "Origin", "Title", "Description", "Example", "Examples", "ExternalDocs",
		"Deprecated", "XML", "Comment", "SchemaDialect":
		return true // documentation
	case "Default":
		return true // defaults are not set (SkipSettingDefaults)
	}
	return false
}

func jsonName(f reflect.StructField) string {
	name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
	if name == "" || name == "-" {
		return f.Name
	}
	return name
}

func (c *compiler) compileType(n *node, s *openapi3.Schema, where string) error {
	for _, k := range []struct {
		name string
		kind kind
	}{
		{openapi3.TypeString, kindString}, {openapi3.TypeNumber, kindNumber},
		{openapi3.TypeInteger, kindInteger}, {openapi3.TypeBoolean, kindBoolean},
		{openapi3.TypeObject, kindObject}, {openapi3.TypeArray, kindArray},
	} {
		if s.Type.Permits(k.name) {
			n.types |= k.kind
		}
	}
	n.nullOK = s.Nullable || s.Type.IncludesNull()
	if s.Format != "" && n.types&(kindNumber|kindInteger) != 0 {
		return &unsupportedError{where, "a format on a number"}
	}
	return nil
}

func (c *compiler) compileEnum(n *node, s *openapi3.Schema, where string) error {
	for _, v := range s.Enum {
		switch v.(type) {
		case string, bool, nil:
		default:
			return &unsupportedError{where, fmt.Sprintf("an enum value of type %T", v)}
		}
	}
	n.enum = s.Enum
	return nil
}

func (c *compiler) compileString(n *node, s *openapi3.Schema, where string) error {
	n.minLen = s.MinLength
	if s.MaxLength != nil {
		n.maxLen = clampInt64(*s.MaxLength)
	}
	if s.Pattern != "" {
		m, err := c.matcher(s.Pattern)
		if err != nil {
			return &unsupportedError{where, fmt.Sprintf("pattern %q (%v)", s.Pattern, err)}
		}
		n.pattern = m
	}
	if s.Format == "" {
		return nil
	}
	if f, ok := c.formats[s.Format]; ok {
		m, err := c.matcher(f.re.String())
		if err != nil {
			return &unsupportedError{where, fmt.Sprintf("format %q (%v)", s.Format, err)}
		}
		n.format = &formatCheck{match: m, message: (&formatError{name: f.name, pattern: f.re.String()}).Error()}
	} else if f, ok := openapi3.SchemaStringFormats[s.Format]; ok {
		n.format = &formatCheck{other: f}
	}
	return nil
}

func (c *compiler) matcher(pattern string) (*matcher, error) {
	if m, ok := c.matchers[pattern]; ok {
		return m, nil
	}
	m, err := newMatcher(intoGoRegexp(pattern))
	if err != nil {
		return nil, err
	}
	c.matchers[pattern] = m
	return m, nil
}

func (c *compiler) compileArray(n *node, s *openapi3.Schema, where string) error {
	n.minItems = s.MinItems
	if s.MaxItems != nil {
		n.maxItems = clampInt64(*s.MaxItems)
	}
	if s.Items == nil {
		return nil
	}
	items, err := c.compile(s.Items.Value, where+"/items")
	n.items = items
	return err
}

func (c *compiler) compileObject(n *node, s *openapi3.Schema, where string) error {
	n.minProps = s.MinProps
	if s.MaxProps != nil {
		n.maxProps = clampInt64(*s.MaxProps)
	}
	names := make([]string, 0, len(s.Properties))
	for name := range s.Properties {
		names = append(names, name)
	}
	slices.Sort(names)
	if len(names) > maxProperties {
		return &unsupportedError{where, fmt.Sprintf("more than %d properties", maxProperties)}
	}
	for _, name := range names {
		ref := s.Properties[name]
		if ref == nil {
			return &unsupportedError{where + "/properties/" + name, "an unresolved schema"}
		}
		child, err := c.compile(ref.Value, where+"/properties/"+name)
		if err != nil {
			return err
		}
		n.props = append(n.props, newProperty(name, child))
		n.children = append(n.children, child)
	}
	n.indexProps()
	for _, name := range s.Required {
		n.required = append(n.required, required{name: name, prop: n.propIndex(name)})
	}
	ap := s.AdditionalProperties
	n.apFalse = ap.Has != nil && !*ap.Has
	n.reportsExtra = ap.Has == nil && ap.Schema == nil
	if ap.Schema != nil {
		child, err := c.compile(ap.Schema.Value, where+"/additionalProperties")
		if err != nil {
			return err
		}
		n.ap = child
	}
	return nil
}

// maxProperties bounds the declared properties of one object, so that a
// 64-bit mask tracks which were seen.
const maxProperties = 64

func clampInt64(v uint64) int64 {
	if v > 1<<62 {
		return 1 << 62
	}
	return int64(v)
}
