package openapi

import (
	"strings"
	"unicode/utf8"

	"github.com/getkin/kin-openapi/openapi3"
)

// semantic is what a property holds, guessed from its name (and format), so
// that values look real. It never overrides a constraint of the spec: a
// realistic value that breaks one is replaced by one built from the
// constraints.
type semantic int

const (
	semNone semantic = iota
	semLoginID
	semEmail
	semFirstName
	semLastName
	semEmpNo
	semCountryCode
	semPhone
	semDept
	semDescription
	semCity
	semTags
)

func semanticOf(name string, s *openapi3.Schema) semantic {
	n := strings.ToLower(name)
	has := func(parts ...string) bool {
		for _, p := range parts {
			if strings.Contains(n, p) {
				return true
			}
		}
		return false
	}
	switch {
	case has("login", "username", "userid"):
		return semLoginID
	case has("mail") || s.Format == "email":
		return semEmail
	case has("first", "given"):
		return semFirstName
	case has("last", "family", "surname"):
		return semLastName
	case has("countrycode", "country_code", "dialcode"):
		return semCountryCode
	case has("phone", "mobile", "tel"):
		return semPhone
	case has("empno", "employee", "emp_no", "staff"):
		return semEmpNo
	case has("dept", "department", "division"):
		return semDept
	case has("desc", "note", "memo", "comment", "remark"):
		return semDescription
	case has("city", "location", "office"):
		return semCity
	case has("tag", "label"):
		return semTags
	}
	return semNone
}

// persona is the person behind one generated user, so that their names,
// login ID and email agree.
type persona struct {
	first, last   string // in the locale's script
	rfirst, rlast string // romanized, for addresses
	dept, domain  string
	seq           uint64 // numbers the users of a Generator from 1
}

// realistic returns a plausible value for the semantic, or "" for none.
func (c *genCtx) realistic(sem semantic) string {
	if c.who == nil {
		c.who = c.g.newPersona(c)
	}
	p, f, loc := c.who, c.f, c.g.loc
	switch sem {
	case semLoginID:
		return c.g.loginID(p)
	case semEmail:
		return p.rfirst + "." + p.rlast + "@" + p.domain
	case semFirstName:
		return p.first
	case semLastName:
		return p.last
	case semEmpNo:
		return loc.empNo(f)
	case semCountryCode:
		return loc.countryCode
	case semPhone:
		return loc.phone(f)
	case semDept:
		return p.dept
	case semDescription:
		return loc.description(f, p.dept)
	case semCity:
		return loc.cities[f.IntN(len(loc.cities))]
	}
	return ""
}

// words returns the source of words for longer text of a semantic: wide
// prefers words of more bytes than characters.
func (c *genCtx) words(sem semantic, wide bool) (next func() string, sep string) {
	f, loc := c.f, c.g.loc
	name := sem == semFirstName || sem == semLastName
	switch {
	case name && wide:
		return func() string { return loc.nameParts(f) }, loc.nameSep
	case name:
		return func() string { return romanize(f.FirstName()) }, " "
	case wide && loc.name == LocaleEnglish:
		return func() string {
			if f.IntN(2) == 0 {
				return enWideNames[f.IntN(len(enWideNames))]
			}
			return asciiWord(f)
		}, " "
	case wide:
		return func() string { return loc.words(f) }, " "
	}
	return func() string { return asciiWord(f) }, " "
}

// textSpan bounds a text by bytes and characters, inclusive.
type textSpan struct{ bLo, bHi, cLo, cHi int }

const unbounded = 1 << 30

// fill builds text of words from next, joined by sep, whose size lies in sp,
// padded at the end with ASCII letters and, when wide, the locale's
// multibyte letters. It reports false when no such text exists.
func (c *genCtx) fill(next func() string, sep string, wide bool, sp textSpan) (string, bool) {
	var b strings.Builder
	chars := 0
	for misses := 0; misses < 3; {
		w := next()
		add, addChars := w, utf8.RuneCountInString(w)
		if b.Len() > 0 {
			add, addChars = sep+w, addChars+utf8.RuneCountInString(sep)
		}
		if _, ok := c.padCounts(sp.shift(b.Len()+len(add), chars+addChars), wide); !ok {
			misses++
			continue
		}
		b.WriteString(add)
		chars += addChars
	}
	counts, ok := c.padCounts(sp.shift(b.Len(), chars), wide)
	if !ok {
		return "", false
	}
	c.writePad(&b, counts, wide)
	return b.String(), true
}

func (sp textSpan) shift(bytes, chars int) textSpan {
	return textSpan{sp.bLo - bytes, sp.bHi - bytes, sp.cLo - chars, sp.cHi - chars}
}

// padCounts finds how many one-byte letters and wide letters make up the rest
// of a span, as few as possible.
func (c *genCtx) padCounts(sp textSpan, wide bool) ([2]int, bool) {
	w := len(c.g.loc.wide[0])
	maxWide := 0
	if wide {
		maxWide = min(max(sp.bHi, 0)/w, max(sp.cHi, 0), regexLimit)
	}
	best, found := [2]int{}, false
	for k := 0; k <= maxWide; k++ {
		lo := max(sp.cLo-k, sp.bLo-w*k, 0)
		hi := min(sp.cHi-k, sp.bHi-w*k)
		if lo <= hi && (!found || lo+k < best[0]+best[1]) {
			best, found = [2]int{lo, k}, true
		}
	}
	return best, found
}

func (c *genCtx) writePad(b *strings.Builder, counts [2]int, wide bool) {
	for range counts[0] {
		b.WriteByte(byte('a' + c.f.IntN(26)))
	}
	if wide {
		for range counts[1] {
			b.WriteString(c.g.loc.wide[c.f.IntN(len(c.g.loc.wide))])
		}
	}
}

// stretchAddress lengthens an address to n characters by adding letters to
// its local part, keeping a login-ID prefix and the domain.
func (c *genCtx) stretchAddress(s string, n int) string {
	at := strings.LastIndexByte(s, '@')
	if at < 0 || len(s) >= n {
		return s
	}
	var b strings.Builder
	b.WriteString(s[:at])
	for range n - len(s) {
		b.WriteByte(byte('a' + c.f.IntN(26)))
	}
	b.WriteString(s[at:])
	return b.String()
}

// tagValue returns a plausible value for a tag key.
func (c *genCtx) tagValue(key string) string {
	f, loc := c.f, c.g.loc
	switch key {
	case "team":
		if c.who == nil {
			c.who = c.g.newPersona(c)
		}
		return c.who.dept
	case "costCenter":
		return f.Numerify("CC-####")
	case "location":
		return loc.cities[f.IntN(len(loc.cities))]
	case "project":
		return strings.ToLower(asciiWord(f))
	case "role":
		return []string{"admin", "developer", "viewer", "auditor", "operator"}[f.IntN(5)]
	case "manager":
		first, last, _, _ := loc.person(f)
		if loc.name == LocaleKorean {
			return last + first
		}
		return first + " " + last
	case "contract":
		return []string{"full-time", "part-time", "contractor", "intern"}[f.IntN(4)]
	case "floor":
		return f.Numerify("#F")
	case "building":
		return "Building " + string(rune('A'+f.IntN(6)))
	case "shift":
		return []string{"day", "night", "swing"}[f.IntN(3)]
	case "onboarding":
		return f.Numerify("202#-0") + string(rune('1'+f.IntN(9))) + f.Numerify("-1#")
	case "vendor":
		return f.Company()
	}
	return strings.ToLower(asciiWord(f))
}
