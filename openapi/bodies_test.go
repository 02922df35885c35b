package openapi

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/getkin/kin-openapi/openapi3"
)

// A generator of request bodies for the differential tests: realistic users,
// then mutations that break one rule at a time (or several), written with
// varied JSON spelling (whitespace, escapes, duplicate keys).

// jobj is an object that keeps its key order and duplicates.
type jobj []jkv

type jkv struct {
	k string
	v any
}

// jraw is JSON text written as it is.
type jraw string

type bodyGen struct {
	rng     *rand.Rand
	strings map[*openapi3.Schema][]string // the pool's strings each schema accepts
}

func newBodyGen(seed uint64) *bodyGen {
	return &bodyGen{rng: rand.New(rand.NewPCG(seed, seed^0x5eed))}
}

var (
	givenNames  = []string{"Gildong", "Minji", "Seojun", "Jiwoo", "Hana", "Alice", "Bob", "길동", "민지", "서준"}
	familyNames = []string{"Hong", "Kim", "Lee", "Park", "Choi", "Smith", "홍", "김", "이", "박"}
	depts       = []string{"Sales", "R&D", "Finance", "영업팀", "개발팀", "Customer <Success>"}
	domains     = []string{"example.com", "corp.example.co.kr", "ncp-test.io"}
)

func (g *bodyGen) pick(list []string) string { return list[g.rng.IntN(len(list))] }

// user returns a valid user.
func (g *bodyGen) user(i int) jobj {
	first, last := g.pick(givenNames), g.pick(familyNames)
	login := fmt.Sprintf("%s.%s%d@%s", strings.ToLower(asciiOr(first, "user")), strings.ToLower(asciiOr(last, "kim")), i, g.pick(domains))
	u := jobj{{"loginId", login}}
	if g.rng.IntN(3) > 0 {
		u = append(u, jkv{"description", g.pick([]string{"Sales team lead", "신규 입사자", "contractor (2025)", ""})})
	}
	if g.rng.IntN(4) > 0 {
		u = append(u, jkv{"userProfile", g.profile(first, last, login)})
	}
	u = append(u, jkv{"accessRules", jobj{
		{"consoleAccessAllowed", g.rng.IntN(2) == 0},
		{"apiAccessAllowed", g.rng.IntN(2) == 0},
	}})
	if g.rng.IntN(5) == 0 {
		u = append(u, jkv{"tags", jobj{{"team", g.pick(depts)}, {"cost center", "CC-" + strconv.Itoa(g.rng.IntN(999))}}})
	}
	g.rng.Shuffle(len(u), func(a, b int) { u[a], u[b] = u[b], u[a] })
	return u
}

func asciiOr(s, alt string) string {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return alt
		}
	}
	return s
}

func (g *bodyGen) profile(first, last, email string) jobj {
	p := jobj{
		{"firstName", first}, {"lastName", last}, {"email", email},
		{"empNo", fmt.Sprintf("E-%04d", g.rng.IntN(10000))},
		{"phoneCountryCode", "82"},
		{"phoneNo", g.pick([]string{"010-1100-0000", "01012345678", "02-123-4567", ""})},
		{"deptName", g.pick(depts)},
	}
	if p[5].v == "02-123-4567" {
		p[5].v = "010-123-4567"
	}
	keep := p[:0]
	for _, kv := range p {
		if g.rng.IntN(6) > 0 {
			keep = append(keep, kv)
		}
	}
	return keep
}

func (g *bodyGen) request(users int) jobj {
	params := make([]any, users)
	for i := range params {
		params[i] = g.user(i)
	}
	return jobj{{"params", params}}
}

// body returns a generated body: valid, or broken by a few mutations.
func (g *bodyGen) body() []byte {
	n := 1 + g.rng.IntN(4)
	if g.rng.IntN(10) == 0 {
		n = 95 + g.rng.IntN(10)
	}
	var root any = g.request(n)
	for range g.rng.IntN(4) {
		root = g.mutate(root, 0)
	}
	return []byte(g.write(root))
}

// mutate changes one randomly chosen place of v.
func (g *bodyGen) mutate(v any, depth int) any {
	switch x := v.(type) {
	case jobj:
		if len(x) > 0 && g.rng.IntN(4) > 0 {
			i := g.rng.IntN(len(x))
			out := append(jobj(nil), x...)
			switch g.rng.IntN(6) {
			case 0:
				return append(out[:i], out[i+1:]...) // drop a key
			case 1:
				return append(out, jkv{out[i].k, g.scalar()}) // duplicate key, later value wins
			case 2:
				return append(jobj{{out[i].k, g.scalar()}}, out...) // duplicate key, earlier value loses
			case 3:
				out[i].k = g.typo(out[i].k)
				return out
			}
			out[i].v = g.mutate(out[i].v, depth+1)
			return out
		}
		return append(append(jobj(nil), x...), jkv{g.pick([]string{"extra", "loginID", "Tags", "x", "0", "a b"}), g.scalar()})
	case []any:
		if len(x) > 0 && g.rng.IntN(5) > 0 {
			out := append([]any(nil), x...)
			i := g.rng.IntN(len(out))
			out[i] = g.mutate(out[i], depth+1)
			return out
		}
		switch g.rng.IntN(3) {
		case 0:
			return []any{}
		case 1:
			out := append([]any(nil), x...)
			for len(out) < 101 {
				out = append(out, g.user(len(out)))
			}
			return out
		}
		return append(append([]any(nil), x...), g.scalar())
	case string:
		return g.mutateString(x)
	}
	return g.scalar()
}

func (g *bodyGen) mutateString(s string) any {
	switch g.rng.IntN(9) {
	case 0:
		return strings.Repeat("가", 60+g.rng.IntN(150)) // 3 bytes a character: maxBytes before maxLength
	case 1:
		return strings.Repeat("x", 190+g.rng.IntN(120))
	case 2:
		return s + "\u00e9\U0001F600"
	case 3:
		return jraw(`"` + s + `\ud800x"`) // a lone surrogate becomes U+FFFD
	case 4:
		return jraw("\"" + s + "\xff\xfe\"") // invalid UTF-8 becomes U+FFFD
	case 5:
		return g.pick([]string{"", "a", "@", "no-at-sign", "a@b.c", "ab@cd.ef", "010-1100-000", "12345678901", "8210", "+82"})
	case 6:
		return jraw(`"` + strings.ReplaceAll(s, "a", `\u0061`) + `"`)
	case 7:
		return s + `"\/` + "\n\t"
	}
	return g.scalar()
}

func (g *bodyGen) scalar() any {
	switch g.rng.IntN(11) {
	case 0:
		return nil
	case 1:
		return g.rng.IntN(2) == 0
	case 2:
		return jraw(g.pick([]string{"0", "-1", "1.0", "1e2", "1.5", "-0", "12345678901234567890", "1E-7", "1e308"}))
	case 3:
		return []any{}
	case 4:
		return jobj{}
	case 5:
		return jobj{{"consoleAccessAllowed", true}}
	case 6:
		return []any{"a", jobj{{"b", nil}}}
	case 7:
		return jraw(strings.Repeat("[", 30) + strings.Repeat("]", 30))
	}
	return g.pick([]string{"x", "kim@example.com", "82", "010-1100-0000", "true", "A@B.CO"})
}

func (g *bodyGen) typo(k string) string {
	switch g.rng.IntN(4) {
	case 0:
		return strings.ToUpper(k[:1]) + k[1:]
	case 1:
		return k + "s"
	case 2:
		if len(k) > 2 {
			return k[:len(k)-2]
		}
	}
	return strings.ReplaceAll(k, "Id", "ID")
}

// write spells v as JSON, varying whitespace and escapes.
func (g *bodyGen) write(v any) string {
	var sb strings.Builder
	style := g.rng.IntN(3)
	g.writeValue(&sb, v, style)
	return sb.String()
}

func (g *bodyGen) writeValue(sb *strings.Builder, v any, style int) {
	ws := func() {
		if style == 1 {
			sb.WriteString(" \n\t"[:1+g.rng.IntN(3)])
		}
	}
	switch x := v.(type) {
	case nil:
		sb.WriteString("null")
	case float64:
		sb.WriteString(strconv.FormatFloat(x, 'g', -1, 64))
	case bool:
		sb.WriteString(strconv.FormatBool(x))
	case jraw:
		sb.WriteString(string(x))
	case string:
		g.writeString(sb, x, style == 2)
	case []any:
		sb.WriteByte('[')
		for i, e := range x {
			if i > 0 {
				sb.WriteByte(',')
			}
			ws()
			g.writeValue(sb, e, style)
		}
		ws()
		sb.WriteByte(']')
	case jobj:
		sb.WriteByte('{')
		for i, kv := range x {
			if i > 0 {
				sb.WriteByte(',')
			}
			ws()
			g.writeString(sb, kv.k, style == 2)
			ws()
			sb.WriteByte(':')
			ws()
			g.writeValue(sb, kv.v, style)
		}
		ws()
		sb.WriteByte('}')
	default:
		panic(fmt.Sprintf("bodyGen: %T", v))
	}
}

// writeString quotes s; with escapeAll it escapes every non-ASCII rune (as
// \uXXXX or a surrogate pair) and some ASCII ones.
func (g *bodyGen) writeString(sb *strings.Builder, s string, escapeAll bool) {
	sb.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			sb.WriteByte('\\')
			sb.WriteRune(r)
		case r < 0x20:
			fmt.Fprintf(sb, `\u%04x`, r)
		case escapeAll && (r >= utf8.RuneSelf || g.rng.IntN(20) == 0):
			if r > 0xffff {
				r -= 0x10000
				fmt.Fprintf(sb, `\u%04X\u%04x`, 0xd800+(r>>10), 0xdc00+(r&0x3ff))
			} else {
				fmt.Fprintf(sb, `\u%04x`, r)
			}
		default:
			sb.WriteRune(r)
		}
	}
	sb.WriteByte('"')
}

// byteMutation damages a body at the byte level, to reach the JSON errors.
func (g *bodyGen) byteMutation(b []byte) []byte {
	out := append([]byte(nil), b...)
	if len(out) == 0 {
		return []byte("{")
	}
	i := g.rng.IntN(len(out))
	switch g.rng.IntN(6) {
	case 0:
		return append(out[:i], out[i+1:]...)
	case 1:
		const junk = "{}[]\",:\\ 0a\x00\xff"
		out[i] = junk[g.rng.IntN(len(junk))]
		return out
	case 2:
		return out[:i]
	case 3:
		return append(out, g.pick([]string{" ", "x", "{}", "\n\n", "]"})...)
	case 4:
		return append([]byte("\xef\xbb\xbf"), out...)
	}
	return append(out[:i:i], append([]byte(g.pick([]string{"1e400", "-", "tru", `"\q"`, `"\u12"`})), out[i:]...)...)
}

var stringPool = []string{
	"", "a", "ab", "Hong", "hong", "HONG", "ABC", "kim@example.com", "x@y", "a@b.co",
	"1a2b3c4d-1111-4abc-8def-0123456789ab", "1A2B3C4D-1111-4ABC-8DEF-0123456789AB", "not-a-uuid",
	"2024-02-29", "2023-02-29", "2024-13-01", "010-1100-0000", "01012345678", "Sales", "R&D", "sales",
	"영업팀", "가나", "가나다라", "ab가나다라", "a가나다", "abcd가", "abcde가", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "fast", "safe", "é", "\u2028", "a\x00b",
}

// fromSchema returns a value for s: often valid, sometimes not.
func (g *bodyGen) fromSchema(s *openapi3.Schema, depth int) any {
	if s == nil || depth > 5 || g.rng.IntN(60) == 0 {
		return g.scalar()
	}
	if len(s.Enum) > 0 && g.rng.IntN(10) > 0 {
		return s.Enum[g.rng.IntN(len(s.Enum))]
	}
	typ := ""
	if s.Type != nil && len(*s.Type) > 0 {
		typ = (*s.Type)[0]
	}
	switch typ {
	case "object":
		return g.objectFromSchema(s, depth)
	case "array":
		n := int(s.MinItems) + g.rng.IntN(2)
		if g.rng.IntN(10) == 0 {
			n = max(0, n-2)
		}
		out := make([]any, n)
		for i := range out {
			if s.Items != nil {
				out[i] = g.fromSchema(s.Items.Value, depth+1)
			} else {
				out[i] = g.scalar()
			}
		}
		return out
	case "boolean":
		return g.rng.IntN(2) == 0
	case "integer", "number":
		return jraw(g.pick([]string{"0", "7", "-3", "1.0", "1e2", "2.5", "-0.0", "1E400", "1e-400"}))
	case "string":
		return g.stringFor(s)
	}
	return g.scalar()
}

// stringFor picks a string of the pool, mostly one that s accepts (asking
// kin-openapi, with ncpmock's formats).
func (g *bodyGen) stringFor(s *openapi3.Schema) string {
	if g.rng.IntN(12) == 0 {
		return g.pick(stringPool)
	}
	ok, cached := g.strings[s]
	if !cached {
		formats := formatValidators()
		opts := []openapi3.SchemaValidationOption{openapi3.WithStringFormatValidators(map[string]openapi3.StringFormatValidator{
			"email": formats["email"], "uuid": formats["uuid"],
		})}
		for _, c := range stringPool {
			limit, hasLimit := MaxBytes(s)
			if s.VisitJSON(c, opts...) == nil && (!hasLimit || len(c) <= limit) {
				ok = append(ok, c)
			}
		}
		if g.strings == nil {
			g.strings = make(map[*openapi3.Schema][]string)
		}
		g.strings[s] = ok
	}
	if len(ok) == 0 {
		return g.pick(stringPool)
	}
	return g.pick(ok)
}

func (g *bodyGen) objectFromSchema(s *openapi3.Schema, depth int) jobj {
	var out jobj
	for _, name := range slices.Sorted(maps.Keys(s.Properties)) {
		p := 1
		if slices.Contains(s.Required, name) {
			p = 30
		}
		if g.rng.IntN(p+1) > 0 {
			out = append(out, jkv{name, g.fromSchema(s.Properties[name].Value, depth+1)})
		}
	}
	for _, name := range s.Required {
		if _, declared := s.Properties[name]; !declared && g.rng.IntN(10) > 0 {
			out = append(out, jkv{name, g.scalar()})
		}
	}
	if ap := s.AdditionalProperties.Schema; ap != nil {
		for range g.rng.IntN(4) {
			out = append(out, jkv{g.pick([]string{"team", "a", "b", "cost center", "team"}), g.fromSchema(ap.Value, depth+1)})
		}
	}
	g.rng.Shuffle(len(out), func(a, b int) { out[a], out[b] = out[b], out[a] })
	return out
}
