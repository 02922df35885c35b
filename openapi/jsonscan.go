package openapi

import (
	"math/bits"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// The lexical side of the single pass: JSON strings, numbers and literals,
// read exactly as encoding/json reads them (the reference decodes with it).
// Anything encoding/json would refuse makes the pass give up (p.bad), and the
// Validator then lets the reference name the problem.

// plainByte marks the bytes a JSON string may hold as they are: printable
// ASCII but the quote and the backslash. It is never written.
var plainByte = func() (t [256]bool) {
	for c := 0x20; c < 0x80; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// ws skips JSON whitespace.
func (p *pass) ws() {
	p.i = skipWS(p.s, p.i)
}

// skipWS returns the position of the first byte from i on that is not JSON
// whitespace.
func skipWS(s string, i int) int {
	for i < len(s) && s[i] <= ' ' && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n') {
		i++
	}
	return i
}

// peek returns the next byte, or 0 at the end.
func (p *pass) peek() byte {
	if p.i < len(p.s) {
		return p.s[p.i]
	}
	return 0
}

// str reads the string at p.i (which is a quote) and returns its value as
// encoding/json would decode it, and whether that value is all ASCII.
func (p *pass) str() (string, bool) {
	s := p.s
	start := p.i + 1
	i := plainRun(s, start)
	if i < len(s) && s[i] == '"' {
		p.i = i + 1
		return s[start:i], true
	}
	return p.strSlow(start, i)
}

// plainRun returns the index of the first byte from i on that is not a
// plainByte, eight bytes at a time.
func plainRun(s string, i int) int {
	const (
		ones  = 0x0101010101010101
		highs = 0x8080808080808080
	)
	for ; i+8 <= len(s); i += 8 {
		w := load64(s, i)
		// A byte's high bit is set in special when the byte is below 0x20,
		// a quote or a backslash (the zero-byte test of each, exact for the
		// lowest byte it flags), or has its own high bit set.
		q, b := w^(ones*'"'), w^(ones*'\\')
		special := ((w-ones*0x20)&^w | (q-ones)&^q | (b-ones)&^b | w) & highs
		if special != 0 {
			return i + bits.TrailingZeros64(special)/8
		}
	}
	for i < len(s) && plainByte[s[i]] {
		i++
	}
	return i
}

// utf8Run continues a string from i, where plainRun stopped at a byte above
// 0x7f, to its closing quote, which it returns, with the number of runes from
// i on. It returns -1 when the string holds an escape, a control character
// or invalid UTF-8 (whose value the slow path computes).
func utf8Run(s string, i int) (end, runes int) {
	start := i
	for i < len(s) {
		c := s[i]
		switch {
		case plainByte[c]:
			i++
		case c == '"':
			return i, runes + (i - start)
		case c >= utf8.RuneSelf:
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				return -1, 0
			}
			i += size
			runes -= size - 1 // counted below as bytes
		default:
			return -1, 0
		}
	}
	return -1, 0
}

// strSlow finishes a string with escapes, non-ASCII bytes or an error.
func (p *pass) strSlow(start, i int) (string, bool) {
	s := p.s
	escaped, ascii := false, true
	for i < len(s) {
		c := s[i]
		switch {
		case c == '"':
			p.i = i + 1
			raw := s[start:i]
			if !ascii && !utf8.ValidString(raw) {
				// encoding/json would read U+FFFD; the reference refuses it.
				p.bad = true
				return "", false
			}
			if !escaped {
				return raw, ascii
			}
			v := p.unquote(raw)
			return v, isASCIIString(v)
		case c == '\\':
			n := escapeLen(s[i:])
			if n == 0 {
				p.bad = true
				return "", false
			}
			escaped = true
			i += n
		case c < 0x20:
			p.bad = true
			return "", false
		default:
			if c >= utf8.RuneSelf {
				ascii = false
			}
			i++
		}
	}
	p.bad = true // unterminated
	return "", false
}

// rawKey decodes the key whose raw text is s[start:end].
func (p *pass) rawKey(start, end int32) string {
	raw := p.s[start:end]
	if !strings.Contains(raw, `\`) && utf8.ValidString(raw) {
		return raw
	}
	return p.unquote(raw)
}

// escapeLen returns the length of the valid escape sequence s starts with,
// or 0.
func escapeLen(s string) int {
	if len(s) < 2 {
		return 0
	}
	switch s[1] {
	case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
		return 2
	case 'u':
		if len(s) >= 6 && getu4(s[2:6]) >= 0 {
			return 6
		}
	}
	return 0
}

// getu4 decodes four hex digits, or returns -1.
func getu4(s string) rune {
	var r rune
	for i := 0; i < 4; i++ {
		c := s[i]
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c = c - 'a' + 10
		case 'A' <= c && c <= 'F':
			c = c - 'A' + 10
		default:
			return -1
		}
		r = r*16 + rune(c)
	}
	return r
}

// unquote decodes the content of a string whose escapes are known to be
// valid, exactly as encoding/json's unquoteBytes does: invalid UTF-8 and lone
// surrogates become U+FFFD.
func (p *pass) unquote(raw string) string {
	b := p.buf[:0]
	for r := 0; r < len(raw); {
		c := raw[r]
		switch {
		case c == '\\':
			var n int
			b, n = appendEscape(b, raw[r:])
			r += n
		case c < utf8.RuneSelf:
			b = append(b, c)
			r++
		default:
			rr, size := utf8.DecodeRuneInString(raw[r:])
			r += size
			b = utf8.AppendRune(b, rr)
		}
	}
	p.buf = b
	return string(b)
}

// appendEscape appends the value of the escape sequence s starts with and
// returns how many bytes it took.
func appendEscape(b []byte, s string) ([]byte, int) {
	switch s[1] {
	case 'b':
		return append(b, '\b'), 2
	case 'f':
		return append(b, '\f'), 2
	case 'n':
		return append(b, '\n'), 2
	case 'r':
		return append(b, '\r'), 2
	case 't':
		return append(b, '\t'), 2
	case 'u':
		rr := getu4(s[2:6])
		if utf16.IsSurrogate(rr) {
			if len(s) >= 12 && s[6] == '\\' && s[7] == 'u' {
				if r2 := getu4(s[8:12]); r2 >= 0 {
					if dec := utf16.DecodeRune(rr, r2); dec != utf8.RuneError {
						return utf8.AppendRune(b, dec), 12
					}
				}
			}
			rr = utf8.RuneError
		}
		return utf8.AppendRune(b, rr), 6
	}
	return append(b, s[1]), 2 // " \ /
}

func isASCIIString(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// literal reads true, false or null.
func (p *pass) literal(word string) {
	if len(p.s)-p.i >= len(word) && p.s[p.i:p.i+len(word)] == word {
		p.i += len(word)
		return
	}
	p.bad = true
}

// num reads a number and returns its value as encoding/json decodes it into
// an interface{} (a float64); a number out of range makes the pass give up,
// as it makes encoding/json fail.
func (p *pass) num() float64 {
	s, start := p.s, p.i
	i := start
	if i < len(s) && s[i] == '-' {
		i++
	}
	switch {
	case i < len(s) && s[i] == '0':
		i++
	case i < len(s) && '1' <= s[i] && s[i] <= '9':
		i = digits(s, i)
	default:
		p.bad = true
		return 0
	}
	if i < len(s) && s[i] == '.' {
		if i+1 >= len(s) || !isDigit(s[i+1]) {
			p.bad = true
			return 0
		}
		i = digits(s, i+1)
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if i >= len(s) || !isDigit(s[i]) {
			p.bad = true
			return 0
		}
		i = digits(s, i)
	}
	p.i = i
	f, err := strconv.ParseFloat(s[start:i], 64)
	if err != nil {
		p.bad = true
	}
	return f
}

func digits(s string, i int) int {
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	return i
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }
