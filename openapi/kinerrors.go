package openapi

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
)

// appendKinProblems flattens kin-openapi's error tree into problems with our
// field paths and messages (kin's own text embeds the whole schema).
func appendKinProblems(dst []locatedProblem, err error, root any) []locatedProblem {
	var multi openapi3.MultiError
	if errors.As(err, &multi) {
		for _, e := range multi {
			dst = appendKinProblems(dst, e, root)
		}
		return dst
	}
	var se *openapi3.SchemaError
	if errors.As(err, &se) {
		if undeclared := undeclaredProblems(se, root); len(undeclared) > 0 {
			return append(dst, undeclared...)
		}
		return append(dst, schemaProblem(se, root))
	}
	var re *openapi3filter.RequestError
	if errors.As(err, &re) && re.Err != nil && re.Err != err {
		return appendKinProblems(dst, re.Err, root)
	}
	return append(dst, newProblem(nil, "schema", err.Error()))
}

// undeclaredProblems reports the properties an object with
// "additionalProperties: false" does not declare, each at its own path and
// under the same rule as the strict validator's, rather than kin-openapi's
// "properties" problem at the object. kin-openapi raises one error per such
// property without saying which in a field, so every one is listed for each
// error and the duplicates are dropped when the problems are sorted.
func undeclaredProblems(se *openapi3.SchemaError, root any) []locatedProblem {
	obj, ok := se.Value.(map[string]any)
	if se.SchemaField != "properties" || !ok || se.Schema == nil {
		return nil
	}
	path := pathFromPointer(se.JSONPointer(), root)
	var out []locatedProblem
	for name := range obj {
		if propertySchema(se.Schema, name) == nil {
			out = append(out, newProblem(append(path, name), RuleUnknownProperty, unknownMessage(se.Schema, name)))
		}
	}
	return out
}

func schemaProblem(se *openapi3.SchemaError, root any) locatedProblem {
	path := pathFromPointer(se.JSONPointer(), root)
	rule := se.SchemaField
	if rule == "nullable" {
		rule = "type"
	}
	return newProblem(path, rule, schemaMessage(rule, se))
}

func schemaMessage(rule string, se *openapi3.SchemaError) string {
	s := se.Schema
	switch rule {
	case "required":
		return requiredMessage
	case "type":
		return typeMessage(s, se.Value)
	case "minLength":
		return minLengthMessage(s, runeLen(se.Value))
	case "maxLength":
		return maxLengthMessage(s, runeLen(se.Value))
	case "pattern":
		return patternMessage(s)
	case "format":
		var fe *formatError
		if errors.As(se.Origin, &fe) {
			return fe.Error()
		}
		return formatMessage(s)
	case "minItems":
		return minItemsMessage(s, lenOf(se.Value))
	case "maxItems":
		return maxItemsMessage(s, lenOf(se.Value))
	case "minProperties":
		return minPropertiesMessage(s, lenOf(se.Value))
	case "maxProperties":
		return maxPropertiesMessage(s, lenOf(se.Value))
	case "enum":
		return enumMessage(s)
	}
	return se.Reason
}

// The messages below are shared by the kin-openapi reference and the
// compiled validator, so that both say the same thing.

const requiredMessage = "is required"

func typeMessage(s *openapi3.Schema, value any) string {
	return fmt.Sprintf("must be %s, got %s", typeName(s), jsonTypeOf(value))
}

func minLengthMessage(s *openapi3.Schema, n int) string {
	return fmt.Sprintf("must be at least %d characters, got %d", s.MinLength, n)
}

func maxLengthMessage(s *openapi3.Schema, n int) string {
	return fmt.Sprintf("must be at most %d characters, got %d", *s.MaxLength, n)
}

func patternMessage(s *openapi3.Schema) string {
	return fmt.Sprintf("must match the pattern %s", s.Pattern)
}

func formatMessage(s *openapi3.Schema) string {
	return fmt.Sprintf("must be in %s format", s.Format)
}

func minItemsMessage(s *openapi3.Schema, n int) string {
	return fmt.Sprintf("must have at least %s, got %d", plural(s.MinItems, "item"), n)
}

func maxItemsMessage(s *openapi3.Schema, n int) string {
	return fmt.Sprintf("must have at most %s, got %d", plural(*s.MaxItems, "item"), n)
}

func minPropertiesMessage(s *openapi3.Schema, n int) string {
	return fmt.Sprintf("must have at least %s, got %d", plural(s.MinProps, "property"), n)
}

func maxPropertiesMessage(s *openapi3.Schema, n int) string {
	return fmt.Sprintf("must have at most %s, got %d", plural(*s.MaxProps, "property"), n)
}

func enumMessage(s *openapi3.Schema) string {
	return fmt.Sprintf("must be one of %v", s.Enum)
}

// unsupportedPropertyMessage is kin-openapi's reason for a property that
// additionalProperties: false refuses (rule "properties").
func unsupportedPropertyMessage(name string) string {
	return fmt.Sprintf("property %q is unsupported", name)
}

func typeName(s *openapi3.Schema) string {
	if s.Type == nil || len(*s.Type) == 0 {
		return "a value"
	}
	names := make([]string, len(*s.Type))
	for i, t := range *s.Type {
		names[i] = article(t)
	}
	return strings.Join(names, " or ")
}

func article(t string) string {
	switch t {
	case "array", "object", "integer":
		return "an " + t
	}
	return "a " + t
}

func jsonTypeOf(v any) string {
	switch v := v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case float64:
		if v == float64(int64(v)) {
			return "integer"
		}
		return "number"
	case string:
		return "string"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return fmt.Sprintf("%T", v)
}

func runeLen(v any) int {
	s, _ := v.(string)
	return utf8.RuneCountInString(s)
}

func lenOf(v any) int {
	switch v := v.(type) {
	case []any:
		return len(v)
	case map[string]any:
		return len(v)
	}
	return 0
}

func plural(n uint64, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	if strings.HasSuffix(noun, "y") {
		return fmt.Sprintf("%d %sies", n, noun[:len(noun)-1])
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
