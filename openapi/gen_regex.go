package openapi

import (
	"fmt"
	"regexp"
	"regexp/syntax"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/brianvoe/gofakeit/v7"
)

// regexLang is a pattern (or the regular expression behind a format) prepared
// for generation: it knows which lengths its matches can have and builds a
// match of an exact length. Lengths count characters or, with bytes set, bytes
// of UTF-8. Every string it returns has been checked with the compiled pattern.
type regexLang struct {
	src   string         // the pattern as the spec writes it
	match *regexp.Regexp // compiled as kin-openapi compiles it
	tree  *syntax.Regexp // simplified; unanchored sides padded with .*
	bytes bool
	limit int                         // lengths above limit are not considered
	sets  map[*syntax.Regexp]lenSet   // lengths of each node's matches
	stars map[*syntax.Regexp]lenSet   // lengths of Sub[0]* of each x+ and x*
	sufs  map[*syntax.Regexp][]lenSet // lengths of Sub[i:] of each concatenation
}

// regexLimit bounds the lengths regexLang reasons about when a string has no
// length limit of its own.
const regexLimit = 1024

// newRegexLang prepares pattern for generation of matches up to limit long.
func newRegexLang(pattern string, limit int, bytes bool) (*regexLang, error) {
	goPattern := intoGoPattern(pattern)
	match, err := regexp.Compile(goPattern)
	if err != nil {
		return nil, fmt.Errorf("pattern %q: %w", pattern, err)
	}
	tree, err := syntax.Parse(goPattern, syntax.Perl)
	if err != nil {
		return nil, fmt.Errorf("pattern %q: %w", pattern, err)
	}
	l := &regexLang{src: pattern, match: match, tree: padUnanchored(tree.Simplify()),
		bytes: bytes, limit: limit,
		sets: make(map[*syntax.Regexp]lenSet), stars: make(map[*syntax.Regexp]lenSet),
		sufs: make(map[*syntax.Regexp][]lenSet)}
	return l, nil
}

// intoGoPattern rewrites \uXXXX as kin-openapi does before compiling a pattern.
func intoGoPattern(p string) string {
	return codepointRE.ReplaceAllString(p, `\x{${code}}`)
}

var codepointRE = regexp.MustCompile(`(?P<slash>\\u)(?P<code>[0-9A-F]{4})`)

// padUnanchored lets a pattern match anything on a side where it is not
// anchored, as JSON Schema patterns search rather than match whole strings.
// Alternatives are padded each on its own: ^a$|b needs padding on b only.
func padUnanchored(re *syntax.Regexp) *syntax.Regexp {
	return padSide(padSide(re, false), true)
}

// padSide pads the end (or, with start, the beginning) of re where it is
// not anchored with .*.
func padSide(re *syntax.Regexp, start bool) *syntax.Regexp {
	if anchored(re, start) {
		return re
	}
	switch re.Op {
	case syntax.OpAlternate:
		subs := make([]*syntax.Regexp, len(re.Sub))
		for i, sub := range re.Sub {
			subs[i] = padSide(sub, start)
		}
		return &syntax.Regexp{Op: syntax.OpAlternate, Sub: subs}
	case syntax.OpCapture:
		return &syntax.Regexp{Op: syntax.OpCapture, Sub: []*syntax.Regexp{padSide(re.Sub[0], start)}}
	case syntax.OpConcat:
		subs := slices.Clone(re.Sub)
		edge := len(subs) - 1
		if start {
			edge = 0
		}
		if op := subs[edge].Op; op == syntax.OpAlternate || op == syntax.OpCapture {
			subs[edge] = padSide(subs[edge], start)
			return &syntax.Regexp{Op: syntax.OpConcat, Sub: subs}
		}
	}
	anyStar := &syntax.Regexp{Op: syntax.OpStar, Sub: []*syntax.Regexp{{Op: syntax.OpAnyCharNotNL}}}
	if start {
		return &syntax.Regexp{Op: syntax.OpConcat, Sub: []*syntax.Regexp{anyStar, re}}
	}
	return &syntax.Regexp{Op: syntax.OpConcat, Sub: []*syntax.Regexp{re, anyStar}}
}

// anchored reports whether every match of re starts at the beginning (or
// ends at the end) of the text.
func anchored(re *syntax.Regexp, start bool) bool {
	switch re.Op {
	case syntax.OpBeginText:
		return start
	case syntax.OpEndText:
		return !start
	case syntax.OpCapture:
		return anchored(re.Sub[0], start)
	case syntax.OpAlternate:
		for _, sub := range re.Sub {
			if !anchored(sub, start) {
				return false
			}
		}
		return len(re.Sub) > 0
	case syntax.OpConcat:
		if len(re.Sub) == 0 {
			return false
		}
		if start {
			return anchored(re.Sub[0], start)
		}
		return anchored(re.Sub[len(re.Sub)-1], start)
	}
	return false
}

// lenSet is a set of lengths 0..limit as a bitset.
type lenSet []uint64

func newLenSet(limit int) lenSet { return make(lenSet, limit/64+1) }

func (s lenSet) has(n int) bool {
	return n >= 0 && n/64 < len(s) && s[n/64]&(1<<(n%64)) != 0
}

func (s lenSet) add(n int) {
	if n >= 0 && n/64 < len(s) {
		s[n/64] |= 1 << (n % 64)
	}
}

func (s lenSet) union(o lenSet) {
	for i := range s {
		s[i] |= o[i]
	}
}

// lengths returns the lengths of the pattern's matches up to the limit.
func (l *regexLang) lengths() lenSet { return l.set(l.tree) }

// has reports whether the pattern has a match of length n.
func (l *regexLang) has(n int) bool { return n <= l.limit && l.lengths().has(n) }

// min returns the shortest match length, or -1 when no match fits the limit.
func (l *regexLang) min() int { return l.nearest(0, l.limit, false) }

// nearest returns the largest (or, with up false, smallest) length in
// [lo, hi] that a match can have, or -1.
func (l *regexLang) nearest(lo, hi int, up bool) int {
	lo, hi = max(lo, 0), min(hi, l.limit)
	s := l.lengths()
	for i := range hi - lo + 1 {
		n := lo + i
		if up {
			n = hi - i
		}
		if s.has(n) {
			return n
		}
	}
	return -1
}

func (l *regexLang) set(re *syntax.Regexp) lenSet {
	if s, ok := l.sets[re]; ok {
		return s
	}
	s := newLenSet(l.limit)
	switch re.Op {
	case syntax.OpNoMatch:
	case syntax.OpLiteral:
		s.add(l.width(string(re.Rune)))
	case syntax.OpCharClass, syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		for _, w := range l.runeWidths(re) {
			s.add(w)
		}
	case syntax.OpCapture:
		s = l.set(re.Sub[0])
	case syntax.OpStar, syntax.OpPlus, syntax.OpQuest:
		s = l.repeatSet(re)
	case syntax.OpConcat:
		s = l.suffixes(re)[0]
	case syntax.OpAlternate:
		for _, sub := range re.Sub {
			s.union(l.set(sub))
		}
	case syntax.OpRepeat: // Simplify expands repeats; only x{0} is left
		s.add(0)
	default: // empty match and zero-width assertions
		s.add(0)
	}
	l.sets[re] = s
	return s
}

// repeatSet handles x*, x+ and x?.
func (l *regexLang) repeatSet(re *syntax.Regexp) lenSet {
	sub := l.set(re.Sub[0])
	if re.Op == syntax.OpQuest {
		s := newLenSet(l.limit)
		s.add(0)
		s.union(sub)
		return s
	}
	star := l.star(re)
	if re.Op == syntax.OpStar {
		return star
	}
	return sumSet(sub, star, l.limit)
}

// star returns the lengths of re.Sub[0]* for a repeat node re.
func (l *regexLang) star(re *syntax.Regexp) lenSet {
	if s, ok := l.stars[re]; ok {
		return s
	}
	sub := l.set(re.Sub[0])
	star := newLenSet(l.limit)
	star.add(0)
	for n := 1; n <= l.limit; n++ {
		for k := 1; k <= n; k++ {
			if sub.has(k) && star.has(n-k) {
				star.add(n)
				break
			}
		}
	}
	l.stars[re] = star
	return star
}

// suffixes returns, for a concatenation, the length sets of Sub[i:] for every i.
func (l *regexLang) suffixes(re *syntax.Regexp) []lenSet {
	if sufs, ok := l.sufs[re]; ok {
		return sufs
	}
	sufs := make([]lenSet, len(re.Sub)+1)
	sufs[len(re.Sub)] = newLenSet(l.limit)
	sufs[len(re.Sub)].add(0)
	for i := len(re.Sub) - 1; i >= 0; i-- {
		sufs[i] = sumSet(l.set(re.Sub[i]), sufs[i+1], l.limit)
	}
	l.sufs[re] = sufs
	return sufs
}

// sumSet returns {i+j : i in a, j in b} up to limit.
func sumSet(a, b lenSet, limit int) lenSet {
	s := newLenSet(limit)
	for i := 0; i <= limit; i++ {
		if a.has(i) {
			s.orShifted(b, i)
		}
	}
	s.trim(limit)
	return s
}

// orShifted adds {j+k : j in b} to s.
func (s lenSet) orShifted(b lenSet, k int) {
	words, bits := k/64, uint(k%64)
	for i := len(s) - 1; i >= words; i-- {
		v := b[i-words] << bits
		if bits > 0 && i-words-1 >= 0 {
			v |= b[i-words-1] >> (64 - bits)
		}
		s[i] |= v
	}
}

// trim drops lengths above limit.
func (s lenSet) trim(limit int) {
	if r := (limit + 1) % 64; r != 0 {
		s[len(s)-1] &= 1<<r - 1
	}
}

func (l *regexLang) width(s string) int {
	if l.bytes {
		return len(s)
	}
	return utf8.RuneCountInString(s)
}

// runeWidths lists the lengths one character of a class can take: 1 when
// counting characters, the UTF-8 sizes its runes have when counting bytes.
func (l *regexLang) runeWidths(re *syntax.Regexp) []int {
	ranges := classRanges(re)
	if len(ranges) == 0 {
		return nil
	}
	if !l.bytes {
		return []int{1}
	}
	var widths []int
	for w := 1; w <= utf8.UTFMax; w++ {
		if _, ok := pickInRanges(ranges, w, 0); ok {
			widths = append(widths, w)
		}
	}
	return widths
}

// classRanges returns the rune ranges (pairs lo, hi) a character node matches.
func classRanges(re *syntax.Regexp) []rune {
	switch re.Op {
	case syntax.OpAnyChar:
		return []rune{0, utf8.MaxRune}
	case syntax.OpAnyCharNotNL:
		return []rune{0, '\n' - 1, '\n' + 1, utf8.MaxRune}
	}
	return re.Rune
}

// pickInRanges returns the k-th rune (modulo their number) of UTF-8 size w
// in ranges, leaving out ASCII controls and space and the surrogates, and
// whether there is any.
func pickInRanges(ranges []rune, w int, k int) (rune, bool) {
	var cands [][2]rune
	total := 0
	for i := 0; i+1 < len(ranges); i += 2 {
		for _, seg := range widthSegments(w) {
			lo, hi := max(ranges[i], seg[0]), min(ranges[i+1], seg[1])
			if lo <= hi {
				cands = append(cands, [2]rune{lo, hi})
				total += int(hi-lo) + 1
			}
		}
	}
	if total == 0 {
		return 0, false
	}
	k %= total
	for _, c := range cands {
		n := int(c[1]-c[0]) + 1
		if k < n {
			return c[0] + rune(k), true
		}
		k -= n
	}
	return 0, false
}

// widthSegments returns the rune ranges of UTF-8 size w worth generating.
func widthSegments(w int) [][2]rune {
	switch w {
	case 1:
		return [][2]rune{{0x21, 0x7e}}
	case 2:
		return [][2]rune{{0xa1, 0x7ff}}
	case 3:
		return [][2]rune{{0x800, 0xd7ff}, {0xe000, 0xfffd}}
	case 4:
		return [][2]rune{{0x10000, utf8.MaxRune}}
	}
	return nil
}

// generate returns a match of exactly n, drawing its choices from f, or false
// when the pattern has no such match (or a zero-width assertion refused the
// one built, tries times in a row).
func (l *regexLang) generate(f *gofakeit.Faker, n int, tries int) (string, bool) {
	if !l.has(n) {
		return "", false
	}
	for range tries {
		var b strings.Builder
		if l.gen(f, &b, l.tree, n) && l.match.MatchString(b.String()) {
			return b.String(), true
		}
	}
	return "", false
}

func (l *regexLang) gen(f *gofakeit.Faker, b *strings.Builder, re *syntax.Regexp, n int) bool {
	if !l.set(re).has(n) {
		return false
	}
	switch re.Op {
	case syntax.OpLiteral:
		b.WriteString(string(re.Rune))
	case syntax.OpCharClass, syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		b.WriteRune(pickRune(f, classRanges(re), l.charWidth(n)))
	case syntax.OpCapture:
		return l.gen(f, b, re.Sub[0], n)
	case syntax.OpQuest:
		return n == 0 || l.gen(f, b, re.Sub[0], n)
	case syntax.OpStar, syntax.OpPlus:
		return l.genRepeat(f, b, re, n)
	case syntax.OpConcat:
		return l.genConcat(f, b, re, n)
	case syntax.OpAlternate:
		return l.genAlternate(f, b, re, n)
	}
	return true
}

func (l *regexLang) charWidth(n int) int {
	if l.bytes {
		return n
	}
	return 0 // any width: prefer ASCII
}

func (l *regexLang) genConcat(f *gofakeit.Faker, b *strings.Builder, re *syntax.Regexp, n int) bool {
	sufs := l.suffixes(re)
	for i, sub := range re.Sub {
		k, ok := pickSplit(f, l.set(sub), sufs[i+1], n, 0)
		if !ok || !l.gen(f, b, sub, k) {
			return false
		}
		n -= k
	}
	return n == 0
}

func (l *regexLang) genRepeat(f *gofakeit.Faker, b *strings.Builder, re *syntax.Regexp, n int) bool {
	sub := l.set(re.Sub[0])
	star := l.star(re)
	for n > 0 {
		k, ok := pickSplit(f, sub, star, n, 1) // a non-empty piece, so repeats progress
		if !ok || !l.gen(f, b, re.Sub[0], k) {
			return false
		}
		n -= k
	}
	return true
}

func (l *regexLang) genAlternate(f *gofakeit.Faker, b *strings.Builder, re *syntax.Regexp, n int) bool {
	var fits []*syntax.Regexp
	for _, sub := range re.Sub {
		if l.set(sub).has(n) {
			fits = append(fits, sub)
		}
	}
	if len(fits) == 0 {
		return false
	}
	return l.gen(f, b, fits[f.IntN(len(fits))], n)
}

// pickSplit picks, at random, k >= from in head with n-k in tail.
func pickSplit(f *gofakeit.Faker, head, tail lenSet, n, from int) (int, bool) {
	var ks []int
	for k := from; k <= n; k++ {
		if head.has(k) && tail.has(n-k) {
			ks = append(ks, k)
		}
	}
	if len(ks) == 0 {
		return 0, false
	}
	return ks[f.IntN(len(ks))], true
}

// pickRune picks a rune of the ranges: of UTF-8 size w when w > 0, otherwise
// ASCII when the ranges allow it, mostly lowercase letters and digits.
func pickRune(f *gofakeit.Faker, ranges []rune, w int) rune {
	if w == 0 {
		if r, ok := pickFriendly(f, ranges); ok {
			return r
		}
		for w = 1; w <= utf8.UTFMax; w++ {
			if _, ok := pickInRanges(ranges, w, 0); ok {
				break
			}
		}
	}
	r, _ := pickInRanges(ranges, w, f.IntN(1<<20))
	return r
}

// pickFriendly prefers lowercase letters, then digits, then any printable ASCII.
func pickFriendly(f *gofakeit.Faker, ranges []rune) (rune, bool) {
	for _, set := range []string{"abcdefghijklmnopqrstuvwxyz", "0123456789"} {
		var in []rune
		for _, r := range set {
			if inRanges(ranges, r) {
				in = append(in, r)
			}
		}
		if len(in) > 0 && f.IntN(10) < 8 {
			return in[f.IntN(len(in))], true
		}
	}
	return pickInRanges(ranges, 1, f.IntN(1<<20))
}

func inRanges(ranges []rune, r rune) bool {
	for i := 0; i+1 < len(ranges); i += 2 {
		if ranges[i] <= r && r <= ranges[i+1] {
			return true
		}
	}
	return false
}

// singleByte reports whether every character the pattern can match is ASCII.
func (l *regexLang) singleByte() bool {
	ok := true
	var walk func(re *syntax.Regexp)
	walk = func(re *syntax.Regexp) {
		switch re.Op {
		case syntax.OpLiteral:
			for _, r := range re.Rune {
				ok = ok && r < utf8.RuneSelf
			}
		case syntax.OpCharClass, syntax.OpAnyChar, syntax.OpAnyCharNotNL:
			rs := classRanges(re)
			for i := 1; i < len(rs); i += 2 {
				ok = ok && rs[i] < utf8.RuneSelf
			}
		}
		for _, sub := range re.Sub {
			walk(sub)
		}
	}
	walk(l.tree)
	return ok
}
