package openapi

import (
	"slices"
	"strconv"
	"strings"
)

// segment is one step of a field path: a property name (string) or an array
// index (int).
type segment = any

// locatedProblem is a Problem with the structured path it was rendered from,
// so that problems sort in document order (params[2] before params[10]).
type locatedProblem struct {
	path []segment
	Problem
}

func newProblem(path []segment, rule, message string) locatedProblem {
	path = slices.Clone(path)
	return locatedProblem{path: path, Problem: Problem{Field: FormatPath(path), Rule: rule, Message: message}}
}

// FormatPath renders a path as ncpmock reports it: params[3].userProfile.phoneNo.
// Names that are not plain identifiers are quoted: tags["cost center"].
func FormatPath(path []any) string {
	var b strings.Builder
	for _, seg := range path {
		switch s := seg.(type) {
		case int:
			b.WriteByte('[')
			b.WriteString(strconv.Itoa(s))
			b.WriteByte(']')
		case string:
			if !isIdentifier(s) {
				b.WriteByte('[')
				b.WriteString(strconv.Quote(s))
				b.WriteByte(']')
				continue
			}
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(s)
		}
	}
	return b.String()
}

func isIdentifier(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		switch {
		case r == '_' || r == '$' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z':
		case i > 0 && '0' <= r && r <= '9':
		default:
			return false
		}
	}
	return true
}

// pathFromPointer turns kin-openapi's JSON pointer segments into a path,
// using the decoded value to tell array indexes from property names.
func pathFromPointer(pointer []string, root any) []segment {
	path := make([]segment, 0, len(pointer))
	cur := root
	for _, tok := range pointer {
		switch v := cur.(type) {
		case []any:
			i, err := strconv.Atoi(tok)
			if err == nil && i >= 0 && i < len(v) {
				path = append(path, i)
				cur = v[i]
				continue
			}
		case map[string]any:
			path = append(path, tok)
			cur = v[tok]
			continue
		}
		path = append(path, tok)
		cur = nil
	}
	return path
}

func comparePaths(a, b []segment) int {
	for i := 0; i < len(a) && i < len(b); i++ {
		if c := compareSegments(a[i], b[i]); c != 0 {
			return c
		}
	}
	return len(a) - len(b)
}

func compareSegments(a, b segment) int {
	ai, aIsInt := a.(int)
	bi, bIsInt := b.(int)
	switch {
	case aIsInt && bIsInt:
		return ai - bi
	case aIsInt:
		return -1
	case bIsInt:
		return 1
	}
	return strings.Compare(a.(string), b.(string))
}

// sortedProblems orders problems by field position, then rule, and drops
// exact duplicates.
func sortedProblems(located []locatedProblem) []Problem {
	if len(located) == 0 {
		return nil
	}
	slices.SortStableFunc(located, func(a, b locatedProblem) int {
		if c := comparePaths(a.path, b.path); c != 0 {
			return c
		}
		return strings.Compare(a.Rule, b.Rule)
	})
	out := make([]Problem, 0, len(located))
	for i, p := range located {
		if i > 0 && p.Problem == located[i-1].Problem {
			continue
		}
		out = append(out, p.Problem)
	}
	return out
}
