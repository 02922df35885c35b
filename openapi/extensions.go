package openapi

import (
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"unicode/utf8"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/ncpmock/ncpmock/internal/editdist"
)

// ExtMaxBytes is the vendor extension that limits a string to a number of
// UTF-8 bytes, as NCP's documentation counts its limits.
const ExtMaxBytes = "x-max-bytes"

// MaxBytes returns the schema's x-max-bytes limit, if it has one.
func MaxBytes(s *openapi3.Schema) (int, bool) {
	if s == nil {
		return 0, false
	}
	raw, ok := s.Extensions[ExtMaxBytes]
	if !ok {
		return 0, false
	}
	var f float64
	switch v := raw.(type) {
	case float64:
		f = v
	case int:
		f = float64(v)
	case int64:
		f = float64(v)
	case uint64:
		f = float64(v)
	case json.Number:
		var err error
		if f, err = v.Float64(); err != nil {
			return 0, false
		}
	default:
		return 0, false
	}
	if f < 0 || f != math.Trunc(f) || f > math.MaxInt32 {
		return 0, false
	}
	return int(f), true
}

// walkExtensions checks what kin-openapi cannot: x-max-bytes limits, and
// properties the schema does not declare. It returns the byte-limit problems
// and, separately, the unknown properties.
func walkExtensions(schema *openapi3.Schema, value any) (problems, unknown []locatedProblem) {
	w := &extWalker{}
	w.walk(schema, value, nil)
	return w.problems, w.unknown
}

type extWalker struct {
	problems, unknown []locatedProblem
}

func (w *extWalker) walk(s *openapi3.Schema, value any, path []segment) {
	if s == nil {
		return
	}
	for _, sub := range s.AllOf {
		if sub != nil {
			w.walk(sub.Value, value, path)
		}
	}
	switch v := value.(type) {
	case string:
		if limit, ok := MaxBytes(s); ok && len(v) > limit {
			w.problems = append(w.problems, newProblem(path, RuleMaxBytes, maxBytesMessage(limit, v)))
		}
	case []any:
		if s.Items == nil || !allowsType(s, openapi3.TypeArray) {
			return
		}
		for i, item := range v {
			w.walk(s.Items.Value, item, append(path, i))
		}
	case map[string]any:
		if allowsType(s, openapi3.TypeObject) {
			w.walkObject(s, v, path)
		}
	}
}

// allowsType reports whether a value of JSON type t may match the schema:
// a value of another type is kin-openapi's to report (rule "type"), and its
// contents are not compared with a schema meant for something else.
func allowsType(s *openapi3.Schema, t string) bool {
	return s.Type == nil || len(s.Type.Slice()) == 0 || s.Type.Includes(t)
}

func (w *extWalker) walkObject(s *openapi3.Schema, obj map[string]any, path []segment) {
	for name, val := range obj {
		prop := propertySchema(s, name)
		if prop != nil {
			w.walk(prop, val, append(path, name))
			continue
		}
		ap := s.AdditionalProperties
		switch {
		case ap.Schema != nil:
			w.walk(ap.Schema.Value, val, append(path, name))
		case ap.Has != nil || len(s.AnyOf) > 0 || len(s.OneOf) > 0:
			// Explicitly allowed, refused by kin-openapi itself, or
			// ambiguous under anyOf/oneOf: not ours to report.
		default:
			w.unknown = append(w.unknown, newProblem(append(path, name), RuleUnknownProperty,
				unknownMessage(s, name)))
		}
	}
}

func maxBytesMessage(limit int, v string) string {
	return fmt.Sprintf("must be at most %d bytes of UTF-8, got %d bytes (%d characters)",
		limit, len(v), utf8.RuneCountInString(v))
}

// propertySchema finds a declared property in the schema or its allOf parts.
func propertySchema(s *openapi3.Schema, name string) *openapi3.Schema {
	if ref, ok := s.Properties[name]; ok && ref != nil {
		return ref.Value
	}
	for _, sub := range s.AllOf {
		if sub != nil && sub.Value != nil {
			if p := propertySchema(sub.Value, name); p != nil {
				return p
			}
		}
	}
	return nil
}

func unknownMessage(s *openapi3.Schema, name string) string {
	msg := "is not a property the spec declares"
	if guess := closestName(name, declaredNames(s)); guess != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", guess)
	}
	return msg
}

func declaredNames(s *openapi3.Schema) []string {
	var names []string
	for name := range s.Properties {
		names = append(names, name)
	}
	for _, sub := range s.AllOf {
		if sub != nil && sub.Value != nil {
			names = append(names, declaredNames(sub.Value)...)
		}
	}
	return names
}

// closestName suggests the declared name a typo most likely meant: the same
// name in another case, or the nearest by edit distance when it is close.
func closestName(name string, declared []string) string {
	best, bestDist := "", math.MaxInt
	for _, d := range declared {
		if strings.EqualFold(d, name) {
			return d
		}
		dist := editdist.Levenshtein(strings.ToLower(name), strings.ToLower(d))
		if dist < bestDist || dist == bestDist && d < best {
			best, bestDist = d, dist
		}
	}
	if best == "" {
		return ""
	}
	limit := max(2, min(len(name), len(best))/2)
	if bestDist <= limit || commonPrefix(strings.ToLower(name), strings.ToLower(best)) >= 5 {
		return best
	}
	return ""
}

func commonPrefix(a, b string) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}
