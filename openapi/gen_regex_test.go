package openapi

import (
	"bytes"
	"encoding/json"
	"regexp"
	"slices"
	"testing"
	"unicode/utf8"
)

// TestRegexLengths checks the lengths the pattern analysis finds against the
// spec's patterns, counted in characters and in bytes.
func TestRegexLengths(t *testing.T) {
	tests := []struct {
		pattern string
		bytes   bool
		limit   int
		want    []int
	}{
		{`^(?:\d{3}-\d{3,4}-\d{4}|\d{9,11})?$`, false, 30, []int{0, 9, 10, 11, 12, 13}},
		{`^(?:\d{1,4})?$`, true, 12, []int{0, 1, 2, 3, 4}},
		{`^[가-힣]{2,3}$`, true, 12, []int{6, 9}},
		{`^[가-힣]{2,3}$`, false, 12, []int{2, 3}},
		{`^(ab|c)+$`, false, 5, []int{1, 2, 3, 4, 5}},
		{`^(ab)*$`, false, 7, []int{0, 2, 4, 6}},
		{`AB[0-9]{2}`, false, 6, []int{4, 5, 6}}, // unanchored: anything around it
		{`^x{3}$|^y$`, false, 5, []int{1, 3}},
	}
	for _, tc := range tests {
		t.Run(tc.pattern, func(t *testing.T) {
			l, err := newRegexLang(tc.pattern, tc.limit, tc.bytes)
			if err != nil {
				t.Fatal(err)
			}
			var got []int
			for n := 0; n <= tc.limit; n++ {
				if l.has(n) {
					got = append(got, n)
				}
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("got lengths %v, want %v", got, tc.want)
			}
		})
	}
	email, _ := newRegexLang(EmailPattern, 64, false)
	if got := email.min(); got != 6 {
		t.Errorf("shortest email: got %d, want 6", got)
	}
}

// TestRegexGenerateExhaustive compares, for small patterns, the lengths
// found with every string of a small alphabet: a length is in the set
// exactly when some string of that length matches, and generate makes a
// match of each length in the set.
func TestRegexGenerateExhaustive(t *testing.T) {
	patterns := []string{`^(ab|b)*a?$`, `^a+-?b{2,3}$`, `^(?:a|bb|-a-)?$`, `a-b`, `^[ab]{2}(-[ab])*$`, `^(a|b)$|^--$`,
		`^a-$|b`, `(a$|^b-)`, `^(?:ab|ba)$|-{3}`}
	const maxLen = 7
	f := NewFaker(1)
	for _, p := range patterns {
		l, err := newRegexLang(p, maxLen, false)
		if err != nil {
			t.Fatal(err)
		}
		re := regexp.MustCompile(p)
		for n := 0; n <= maxLen; n++ {
			exists := anyMatch(re, "ab-", n)
			if l.has(n) != exists {
				t.Errorf("%s: length %d: analysis says %v, brute force %v", p, n, l.has(n), exists)
			}
			if !exists {
				continue
			}
			s, ok := l.generate(f, n, 5)
			if !ok || utf8.RuneCountInString(s) != n || !re.MatchString(s) {
				t.Errorf("%s: generate(%d) = %q, %v; want a match of %d characters", p, n, s, ok, n)
			}
		}
	}
}

func anyMatch(re *regexp.Regexp, alphabet string, n int) bool {
	buf := make([]byte, n)
	var try func(i int) bool
	try = func(i int) bool {
		if i == n {
			return re.Match(buf)
		}
		for j := 0; j < len(alphabet); j++ {
			buf[i] = alphabet[j]
			if try(i + 1) {
				return true
			}
		}
		return false
	}
	return try(0)
}

func TestRegexBytesMode(t *testing.T) {
	l, err := newRegexLang(`^[a-z가-힣]+$`, 20, true)
	if err != nil {
		t.Fatal(err)
	}
	f := NewFaker(7)
	for _, n := range []int{1, 3, 4, 7, 20} {
		s, ok := l.generate(f, n, 5)
		if !ok || len(s) != n {
			t.Errorf("generate(%d bytes) = %q (%d bytes), %v", n, s, len(s), ok)
		}
	}
	if l.singleByte() {
		t.Error("singleByte: got true for a class with Hangul")
	}
}

// TestAppendJSONString checks the encoder against encoding/json (without
// its HTML escaping).
func TestAppendJSONString(t *testing.T) {
	inputs := []string{"", "plain", `quote " and \ backslash`, "tab\tnew\nline\rcr", "\x00\x01\x1f\x7f",
		"\b\f", "한글 이름", "line\u2028sep\u2029", "bad \xff utf8", "<html> & 'x'", "emoji 🙂"}
	for _, in := range inputs {
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(in); err != nil {
			t.Fatal(err)
		}
		got := string(appendJSONString(nil, in))
		if w := string(bytes.TrimSuffix(want.Bytes(), []byte("\n"))); got != w {
			t.Errorf("appendJSONString(%q): got %s, want %s", in, got, w)
		}
	}
}
