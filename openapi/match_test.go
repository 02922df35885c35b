package openapi

import (
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"
)

// matcherPatterns are the spec's patterns and formats plus constructs the DFA
// must get right (alternation, repetition, classes, anchors in odd places,
// case folding) or must hand to regexp (word boundaries, multi-line).
var matcherPatterns = []string{
	EmailPattern,
	UUIDPattern,
	`^(?:[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,})?$`,
	`^(?:\d{1,4})?$`,
	`^(?:\d{3}-\d{3,4}-\d{4}|\d{9,11})?$`,
	`^nrn:[A-Z]+:SSO::[0-9]+:User/[0-9a-fA-F-]{36}$`,
	`abc`, `a|b|`, `^$`, `$^`, `^`, `$`, `x*`, `^a*$`, `(a|ab)(c|bcd)(d*)`,
	`(?i)k[a-z]m`, `(?i)^straße$`, `[^@]+@[^@<>",\s]+`, `.`, `^.$`, `^.{2,3}$`,
	`a$|^b`, `(^a|b$)c`, `\Aab\z`, `^(?:|x)+$`, `(a*)*b`, `\bfoo\b`, `(?m)^a$`,
	`\x{41}\x41`, `[[:alpha:]]+\d`, `(?s).+\n`, `.+\n`, `^[\x00-\x1f]`,
	`^\p{Greek}+$`, `é`,
}

var matcherInputs = []string{
	"", "a", "b", "ab", "abc", "abcd", "xabcx", "kim", "KIM", "k\u212am", "straße", "STRASSE",
	"gildong.hong@example.com", "bad@", "@x.io", "a@b.c", "a@b.co", "82", "12345",
	"010-1100-0000", "0101100000", "010-110-0000", "01011000000", "123456789012",
	"1a2b3c4d-1111-4abc-8def-0123456789ab", "nrn:PUB:SSO::1234567:User/1a2b3c4d-1111-4abc-8def-0123456789ab",
	"foo", "a foo b", "afoob", "a\nb", "\n", "ab\n", "x\x00", "é", "αβγ", "\xff", "AAB",
}

func TestMatcherAgreesWithRegexp(t *testing.T) {
	for _, pat := range append(matcherPatterns, intoGoRegexp(`^\u0041+$`)) {
		m, err := newMatcher(pat)
		if err != nil {
			t.Fatalf("newMatcher(%q): %v", pat, err)
		}
		re := regexp.MustCompile(pat)
		for _, in := range matcherInputs {
			if got, want := m.MatchString(in, isASCII(in)), re.MatchString(in); got != want {
				t.Errorf("pattern %q on %q: got %t, want %t", pat, in, got, want)
			}
		}
	}
}

func TestMatcherBuildsDFAForSpecPatterns(t *testing.T) {
	for _, pat := range matcherPatterns[:6] {
		m, err := newMatcher(pat)
		if err != nil {
			t.Fatal(err)
		}
		if m.dfa == nil {
			t.Errorf("pattern %q: no DFA; the spec's patterns must not need regexp", pat)
		}
	}
	for _, pat := range []string{`\bfoo\b`, `(?m)^a$`} {
		m, err := newMatcher(pat)
		if err != nil {
			t.Fatal(err)
		}
		if m.dfa != nil {
			t.Errorf("pattern %q: got a DFA, want regexp (assertion the DFA does not model)", pat)
		}
	}
}

// TestMatcherRandom compares the matcher with regexp on generated patterns
// and inputs drawn from a small alphabet, so that matches are frequent.
func TestMatcherRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	n := 3000
	if testing.Short() {
		n = 300
	}
	for range n {
		pat := randomPattern(rng, 3)
		m, err := newMatcher(pat)
		if err != nil {
			continue
		}
		re := regexp.MustCompile(pat)
		for range 20 {
			in := randomInput(rng)
			if got, want := m.MatchString(in, isASCII(in)), re.MatchString(in); got != want {
				t.Fatalf("pattern %q on %q: got %t, want %t", pat, in, got, want)
			}
		}
	}
}

func FuzzMatcher(f *testing.F) {
	for i, pat := range matcherPatterns {
		f.Add(pat, matcherInputs[i%len(matcherInputs)])
	}
	f.Fuzz(func(t *testing.T, pat, in string) {
		if len(pat) > 64 || len(in) > 256 {
			return
		}
		re, err := regexp.Compile(pat)
		if err != nil {
			return
		}
		m, err := newMatcher(pat)
		if err != nil {
			t.Fatalf("newMatcher(%q): %v, regexp compiles it", pat, err)
		}
		if got, want := m.MatchString(in, isASCII(in)), re.MatchString(in); got != want {
			t.Fatalf("pattern %q on %q: got %t, want %t", pat, in, got, want)
		}
	})
}

func randomPattern(rng *rand.Rand, depth int) string {
	atoms := []string{"a", "b", "c", ".", "[ab]", "[^a]", `\d`, `\s`, "^", "$", "-", "(?i)a", `\n`}
	if depth == 0 || rng.IntN(3) == 0 {
		return atoms[rng.IntN(len(atoms))]
	}
	a, b := randomPattern(rng, depth-1), randomPattern(rng, depth-1)
	switch rng.IntN(8) {
	case 0:
		return a + "|" + b
	case 1:
		return "(?:" + a + ")*"
	case 2:
		return "(?:" + a + ")+" + b
	case 3:
		return "(?:" + a + ")?" + b
	case 4:
		return "(?:" + a + "){1,3}"
	case 5:
		return "(" + a + "|" + b + ")" + b
	}
	return a + b
}

func randomInput(rng *rand.Rand) string {
	alphabet := []string{"a", "b", "c", "A", "1", "-", " ", "\n", "é"}
	var sb strings.Builder
	for range rng.IntN(8) {
		sb.WriteString(alphabet[rng.IntN(len(alphabet))])
	}
	return sb.String()
}

func TestIntoGoRegexpAsKinOpenAPI(t *testing.T) {
	// kin-openapi's own rewrite (openapi3/schema_pattern.go).
	kin := regexp.MustCompile(`(?P<replaced_with_slash_x>\\u)(?P<code>[0-9A-F]{4})`)
	for _, pat := range []string{`abc`, `\u0041`, `\\u0041`, `\u004`, `\u004g`, `\u00e9`, `x\u00E9\u0041y`, `\u\u0041`, `\u00411`} {
		if got, want := intoGoRegexp(pat), kin.ReplaceAllString(pat, `\x{${code}}`); got != want {
			t.Errorf("intoGoRegexp(%q): got %q, want %q", pat, got, want)
		}
	}
}

// BenchmarkMatcher runs the spec's patterns over values like the ones a
// body holds.
func BenchmarkMatcher(b *testing.B) {
	cases := []struct{ pattern, input string }{
		{EmailPattern, "candida.boyle000@corp.example.com"},
		{`^(?:[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,})?$`, "emp000@corp.example.com"},
		{`^(?:\d{1,4})?$`, "82"},
		{`^(?:\d{3}-\d{3,4}-\d{4}|\d{9,11})?$`, "010-9685-7299"},
	}
	ms := make([]*matcher, len(cases))
	n := 0
	for i, c := range cases {
		m, err := newMatcher(c.pattern)
		if err != nil || m.dfa == nil {
			b.Fatalf("%s: %v (dfa %v)", c.pattern, err, m.dfa != nil)
		}
		ms[i] = m
		n += len(c.input)
	}
	b.SetBytes(int64(n))
	for b.Loop() {
		for i, c := range cases {
			if !ms[i].MatchString(c.input, true) {
				b.Fatalf("%s does not match %s", c.input, c.pattern)
			}
		}
	}
}
