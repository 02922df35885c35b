package openapi

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// ErrUnsupportedSchema is matched by the error NewGenerator returns for a
// schema it cannot generate instances of.
var ErrUnsupportedSchema = errors.New("schema not supported by the generator")

// SchemaError says which part of a schema the generator cannot handle.
type SchemaError struct {
	// Path is the abstract path of the part, such as params[].userProfile.
	Path string
	// Reason says what in the schema the generator does not support, such
	// as "uniqueItems: true".
	Reason string
}

// Error names the path and the reason.
func (e *SchemaError) Error() string {
	return fmt.Sprintf("%s: %s: %s", displayPath(e.Path), ErrUnsupportedSchema, e.Reason)
}

// Is reports whether target is ErrUnsupportedSchema.
func (e *SchemaError) Is(target error) bool { return target == ErrUnsupportedSchema }

// genNode is one place in the request body, with the constraints the spec puts
// on it. Paths are abstract: params[].userProfile.phoneNo, tags.* for the
// values of a map.
type genNode struct {
	name     string // property name; "" for the root, array items and map values
	path     string
	required bool // required by the parent object
	typ      string
	nullable bool
	sem      semantic
	enum     []any
	str      *strSpec
	num      *numSpec

	props    []*genNode // object properties, in document order
	extra    *genNode   // map values (additionalProperties schema)
	closed   bool       // additionalProperties: false
	minProps int
	maxProps int // -1: none

	items    *genNode
	minItems int
	maxItems int  // -1: none
	rows     bool // the array of users, one CSV row each
	isRow    bool // one user: the items of the array of users
}

// numSpec holds the limits of a number or integer.
type numSpec struct {
	min, max         float64 // ±Inf when absent
	exclMin, exclMax bool
}

// compileGenSchema builds the genNode tree of the request schema. It reloads the
// spec with origins recorded, so that properties keep the document's order.
func compileGenSchema(spec *Spec) (*genNode, error) {
	schema := spec.RequestSchema()
	if ordered, err := orderedRequestSchema(spec); err == nil && ordered != nil {
		schema = ordered
	}
	c := &genCompiler{}
	root, err := c.compile(schema, "", "", 0)
	if err != nil {
		return nil, err
	}
	markRows(root)
	return root, nil
}

func orderedRequestSchema(spec *Spec) (*openapi3.Schema, error) {
	loader := openapi3.NewLoader()
	loader.Context = context.Background()
	loader.IncludeOrigin = true
	doc, err := loader.LoadFromData(spec.raw)
	if err != nil {
		return nil, err
	}
	op := doc.Paths.Find(spec.path).GetOperation(spec.method)
	if op == nil || op.RequestBody == nil || op.RequestBody.Value == nil {
		return nil, nil
	}
	mt := op.RequestBody.Value.Content.Get("application/json")
	if mt == nil || mt.Schema == nil {
		return nil, nil
	}
	return mt.Schema.Value, nil
}

type genCompiler struct{}

// maxDepth stops recursive schemas, which have no finite instance to build.
const maxDepth = 16

func (c *genCompiler) compile(s *openapi3.Schema, path, name string, depth int) (*genNode, error) {
	if s == nil {
		return nil, &SchemaError{Path: path, Reason: "missing schema"}
	}
	if depth > maxDepth {
		return nil, &SchemaError{Path: path, Reason: "schema nests too deep (recursive?)"}
	}
	if len(s.AllOf)+len(s.AnyOf)+len(s.OneOf) > 0 || s.Not != nil {
		return nil, &SchemaError{Path: path, Reason: "allOf, anyOf, oneOf and not are not supported"}
	}
	// Keywords the generator does not honour are refused rather than
	// ignored, which would make valid bodies the validator rejects.
	if s.UniqueItems {
		return nil, &SchemaError{Path: path, Reason: "uniqueItems: true"}
	}
	if s.MultipleOf != nil {
		return nil, &SchemaError{Path: path, Reason: "multipleOf " + fmtNum(*s.MultipleOf)}
	}
	n := &genNode{name: name, path: path, nullable: s.Nullable, enum: s.Enum,
		maxProps: -1, maxItems: -1}
	typ, err := schemaType(s, path)
	if err != nil {
		return nil, err
	}
	n.typ = typ
	n.sem = semanticOf(name, s)
	switch typ {
	case openapi3.TypeString:
		n.str, err = newStrSpec(s, path)
	case openapi3.TypeInteger, openapi3.TypeNumber:
		n.num, err = newNumSpec(s, typ, path)
	case openapi3.TypeObject:
		err = c.genObject(n, s, depth)
	case openapi3.TypeArray:
		err = c.array(n, s, depth)
	}
	return n, err
}

func schemaType(s *openapi3.Schema, path string) (string, error) {
	if s.Type != nil {
		types := s.Type.Slice()
		switch {
		case len(types) == 1:
			return types[0], nil
		case len(types) == 2 && slices.Contains(types, openapi3.TypeNull):
			for _, t := range types {
				if t != openapi3.TypeNull {
					return t, nil
				}
			}
		}
		if len(types) > 1 {
			return "", &SchemaError{Path: path, Reason: fmt.Sprintf("several types %v", types)}
		}
	}
	switch {
	case len(s.Properties) > 0 || s.AdditionalProperties.Schema != nil:
		return openapi3.TypeObject, nil
	case s.Items != nil:
		return openapi3.TypeArray, nil
	}
	return "", &SchemaError{Path: path, Reason: "no type"}
}

func (c *genCompiler) genObject(n *genNode, s *openapi3.Schema, depth int) error {
	n.minProps = int(s.MinProps)
	if s.MaxProps != nil {
		n.maxProps = int(*s.MaxProps)
	}
	for _, name := range propertyOrder(s) {
		child, err := c.compile(s.Properties[name].Value, joinPath(n.path, name), name, depth+1)
		if err != nil {
			return err
		}
		child.required = slices.Contains(s.Required, name)
		n.props = append(n.props, child)
	}
	ap := s.AdditionalProperties
	switch {
	case ap.Schema != nil:
		extra, err := c.compile(ap.Schema.Value, n.path+".*", "", depth+1)
		if err != nil {
			return err
		}
		n.extra = extra
	case ap.Has != nil && !*ap.Has:
		n.closed = true
	}
	for _, r := range s.Required {
		if s.Properties[r] == nil {
			return &SchemaError{Path: n.path, Reason: fmt.Sprintf("required property %q is not declared", r)}
		}
	}
	return nil
}

// propertyOrder lists the properties in the order the document writes them
// (when the loader recorded it), else by name.
func propertyOrder(s *openapi3.Schema) []string {
	names := make([]string, 0, len(s.Properties))
	for name := range s.Properties {
		names = append(names, name)
	}
	line := func(name string) int {
		if ref := s.Properties[name]; ref.Origin != nil && ref.Origin.Key != nil {
			return ref.Origin.Key.Line
		}
		return math.MaxInt
	}
	slices.SortFunc(names, func(a, b string) int {
		return cmp.Or(cmp.Compare(line(a), line(b)), strings.Compare(a, b))
	})
	return names
}

func (c *genCompiler) array(n *genNode, s *openapi3.Schema, depth int) error {
	n.minItems = int(s.MinItems)
	if s.MaxItems != nil {
		n.maxItems = int(*s.MaxItems)
	}
	if s.Items == nil {
		return &SchemaError{Path: n.path, Reason: "array without items"}
	}
	items, err := c.compile(s.Items.Value, n.path+"[]", "", depth+1)
	n.items = items
	return err
}

// markRows finds the array of users: the root's first array-of-objects property.
func markRows(root *genNode) {
	if root.typ != openapi3.TypeObject {
		return
	}
	for _, p := range root.props {
		if p.typ == openapi3.TypeArray && p.items.typ == openapi3.TypeObject {
			p.rows, p.items.isRow = true, true
			return
		}
	}
}

func joinPath(parent, name string) string {
	seg := FormatPath([]any{name})
	if parent == "" || strings.HasPrefix(seg, "[") {
		return parent + seg
	}
	return parent + "." + seg
}

// displayPath shows the root as "(body)".
func displayPath(p string) string {
	if p == "" {
		return "(body)"
	}
	return p
}

func newNumSpec(s *openapi3.Schema, typ, path string) (*numSpec, error) {
	ns := &numSpec{min: math.Inf(-1), max: math.Inf(1), exclMin: s.ExclusiveMin.IsTrue(), exclMax: s.ExclusiveMax.IsTrue()}
	if s.Min != nil {
		ns.min = *s.Min
	}
	if s.Max != nil {
		ns.max = *s.Max
	}
	if v := s.ExclusiveMin.Value; v != nil {
		ns.min, ns.exclMin = *v, true
	}
	if v := s.ExclusiveMax.Value; v != nil {
		ns.max, ns.exclMax = *v, true
	}
	if lo, hi := ns.integers(); typ == openapi3.TypeInteger && lo > hi {
		return nil, &SchemaError{Path: path, Reason: fmt.Sprintf("no integer lies between %s %s and %s %s",
			exclusive("minimum", ns.exclMin), fmtNum(ns.min), exclusive("maximum", ns.exclMax), fmtNum(ns.max))}
	}
	return ns, nil
}

// integers returns the least and the greatest integer within the bounds
// (lo > hi when there is none); an absent bound is ±Inf.
func (ns *numSpec) integers() (lo, hi float64) {
	lo, hi = math.Ceil(ns.min), math.Floor(ns.max)
	if ns.exclMin && lo == ns.min {
		lo++
	}
	if ns.exclMax && hi == ns.max {
		hi--
	}
	return lo, hi
}

// strSpec holds the constraints of a string, read from its schema.
type strSpec struct {
	minLen   int
	maxLen   int // -1: none
	maxBytes int // -1: none
	format   string
	pattern  string
	// regexes are the pattern and the format's regular expression, each
	// prepared in characters and in bytes.
	patChars, patBytes *regexLang
	fmtChars, fmtBytes *regexLang
}

func newStrSpec(s *openapi3.Schema, path string) (*strSpec, error) {
	sp := &strSpec{minLen: int(s.MinLength), maxLen: -1, maxBytes: -1, format: s.Format, pattern: s.Pattern}
	if s.MaxLength != nil {
		sp.maxLen = int(*s.MaxLength)
	}
	if b, ok := MaxBytes(s); ok {
		sp.maxBytes = b
	}
	limit := min(regexLimit, max(sp.minLen, sp.maxLen, sp.maxBytes, 62)+2)
	var err error
	if s.Pattern != "" {
		if sp.patChars, sp.patBytes, err = langPair(s.Pattern, limit); err != nil {
			return nil, &SchemaError{Path: path, Reason: err.Error()}
		}
	}
	if s.Format != "" {
		f, ok := formatValidators()[s.Format]
		if !ok {
			return nil, &SchemaError{Path: path, Reason: fmt.Sprintf("format %q: the generator knows only %s",
				s.Format, strings.Join(knownFormats(), ", "))}
		}
		if sp.fmtChars, sp.fmtBytes, err = langPair(f.re.String(), limit); err != nil {
			return nil, &SchemaError{Path: path, Reason: err.Error()}
		}
	}
	return sp, nil
}

func langPair(pattern string, limit int) (chars, bytes *regexLang, err error) {
	if chars, err = newRegexLang(pattern, limit, false); err != nil {
		return nil, nil, err
	}
	bytes, err = newRegexLang(pattern, limit, true)
	return chars, bytes, err
}

func knownFormats() []string {
	var names []string
	for name := range formatValidators() {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}

// lang returns the regular expression that shapes the string's values: the
// pattern if any, else the format's.
func (sp *strSpec) lang(bytes bool) *regexLang {
	switch {
	case sp.patChars != nil && bytes:
		return sp.patBytes
	case sp.patChars != nil:
		return sp.patChars
	case sp.fmtChars != nil && bytes:
		return sp.fmtBytes
	}
	return sp.fmtChars
}

// shaped reports whether a pattern or format constrains the characters.
func (sp *strSpec) shaped() bool { return sp.patChars != nil || sp.fmtChars != nil }

// broken returns the rules s breaks, in a fixed order, checking the spec's
// constraints directly (not through the validator, which the tests compare
// the generator against).
func (sp *strSpec) broken(s string, enum []any) []string {
	var rules []string
	chars := runeCount(s)
	if chars < sp.minLen {
		rules = append(rules, "minLength")
	}
	if sp.maxLen >= 0 && chars > sp.maxLen {
		rules = append(rules, "maxLength")
	}
	if sp.maxBytes >= 0 && len(s) > sp.maxBytes {
		rules = append(rules, RuleMaxBytes)
	}
	if sp.patChars != nil && !sp.patChars.match.MatchString(s) {
		rules = append(rules, "pattern")
	}
	if sp.fmtChars != nil && !sp.fmtChars.match.MatchString(s) {
		rules = append(rules, "format")
	}
	if len(enum) > 0 && !slices.Contains(enum, any(s)) {
		rules = append(rules, "enum")
	}
	return rules
}

// limits names the rules s breaks (from broken) with their limits and what
// s has, such as "maxLength 60 (63 characters)".
func (sp *strSpec) limits(s string, broken []string, enum []any) string {
	parts := make([]string, len(broken))
	for i, rule := range broken {
		switch rule {
		case "minLength":
			parts[i] = fmt.Sprintf("minLength %d (%d characters)", sp.minLen, runeCount(s))
		case "maxLength":
			parts[i] = fmt.Sprintf("maxLength %d (%d characters)", sp.maxLen, runeCount(s))
		case RuleMaxBytes:
			parts[i] = fmt.Sprintf("x-max-bytes %d (%d bytes)", sp.maxBytes, len(s))
		case "pattern":
			parts[i] = "pattern " + sp.pattern
		case "format":
			parts[i] = "format " + sp.format
		case "enum":
			parts[i] = fmt.Sprintf("enum %v", enum)
		default:
			parts[i] = rule
		}
	}
	return strings.Join(parts, " and ")
}

// ok reports whether s meets every constraint.
func (sp *strSpec) ok(s string, enum []any) bool { return len(sp.broken(s, enum)) == 0 }

// charRange returns the character counts a valid value may have.
func (sp *strSpec) charRange() (lo, hi int) {
	hi = regexLimit
	if sp.maxLen >= 0 {
		hi = sp.maxLen
	}
	if sp.maxBytes >= 0 {
		hi = min(hi, sp.maxBytes)
	}
	return sp.minLen, hi
}
