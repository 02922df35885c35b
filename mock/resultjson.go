package mock

import (
	"encoding/binary"
	"math/bits"
	"strconv"
	"unicode/utf8"
	"unsafe"

	"github.com/ncpmock/ncpmock/openapi"
)

// appendResults appends the answer to a batch (see results) as JSON, byte
// for byte what echo's c.JSON (encoding/json's Encoder: HTML-escaped,
// newline-terminated) writes, at a fraction of the cost.
func appendResults(dst []byte, users []User, added []bool) []byte {
	dst = append(dst, '[')
	for i := range users {
		if i > 0 {
			dst = append(dst, ',')
		}
		u := &users[i]
		if !added[i] {
			dst = append(dst, `{"name":`...)
			dst = appendJSONString(dst, u.LoginID)
			dst = append(dst, duplicateTail...)
			continue
		}
		dst = append(dst, '{')
		if u.ID != "" {
			dst = append(dst, `"id":`...)
			dst = appendJSONString(dst, u.ID)
			dst = append(dst, ',')
		}
		if u.NRN != "" {
			dst = append(dst, `"nrn":`...)
			dst = appendJSONString(dst, u.NRN)
			dst = append(dst, ',')
		}
		dst = append(dst, `"name":`...)
		dst = appendJSONString(dst, u.LoginID)
		dst = append(dst, `,"success":true,"message":""}`...)
	}
	return append(dst, ']', '\n')
}

// appendErrorResponse appends r as JSON, byte for byte what echo's c.JSON
// writes (see appendResults): the 400 answer of an invalid body is written
// on the hot path of a load test that sends such bodies.
func appendErrorResponse(dst []byte, r openapi.ErrorResponse) []byte {
	dst = append(dst, `{"errorCode":`...)
	dst = strconv.AppendInt(dst, int64(r.ErrorCode), 10)
	dst = append(dst, `,"message":`...)
	dst = appendJSONString(dst, r.Message)
	if len(r.FieldErrors) > 0 { // omitempty
		dst = append(dst, `,"fieldErrors":[`...)
		for i, p := range r.FieldErrors {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = append(dst, `{"field":`...)
			dst = appendJSONString(dst, p.Field)
			dst = append(dst, `,"rule":`...)
			dst = appendJSONString(dst, p.Rule)
			dst = append(dst, `,"message":`...)
			dst = appendJSONString(dst, p.Message)
			dst = append(dst, '}')
		}
		dst = append(dst, ']')
	}
	return append(dst, '}', '\n')
}

// duplicateTail ends the result of a duplicate login ID.
const duplicateTail = `,"success":false,"message":"` + MsgDuplicateLoginID + `"}`

// htmlSafe marks the bytes encoding/json writes as they are (with HTML
// escaping on): printable ASCII but " \ < > &. It is never written.
var htmlSafe = func() (t [256]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\' && c != '<' && c != '>' && c != '&'
	}
	return t
}()

// appendJSONString quotes s as encoding/json does with HTML escaping on.
func appendJSONString(dst []byte, s string) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	start := 0
	for i := htmlSafeRun(s); i < len(s); {
		c := s[i]
		if htmlSafe[c] {
			i++
			continue
		}
		if c < utf8.RuneSelf {
			dst = append(dst, s[start:i]...)
			switch c {
			case '"', '\\':
				dst = append(dst, '\\', c)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hex[r&0xf])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

// htmlSafeRun returns the length of the longest prefix of s that
// appendJSONString writes as it is (see htmlSafe), eight bytes at a time.
func htmlSafeRun(s string) int {
	const (
		ones  = 0x0101010101010101
		highs = 0x8080808080808080
	)
	i := 0
	for ; i+8 <= len(s); i += 8 {
		w := load64(s, i)
		// A byte's high bit is set in special when the byte is below 0x20,
		// one of " \ < > & (the zero-byte test of w xor the byte), or has
		// its own high bit set. A test may also flag bytes above one it
		// rightly flags, never below: the lowest flagged byte is special.
		q, bs := w^(ones*'"'), w^(ones*'\\')
		lt, gt, amp := w^(ones*'<'), w^(ones*'>'), w^(ones*'&')
		special := (w-ones*0x20)&^w | w | (q-ones)&^q | (bs-ones)&^bs |
			(lt-ones)&^lt | (gt-ones)&^gt | (amp-ones)&^amp
		if special &= highs; special != 0 {
			return i + bits.TrailingZeros64(special)/8
		}
	}
	for i < len(s) && htmlSafe[s[i]] {
		i++
	}
	return i
}

// load64 reads 8 bytes of s from i on as a little-endian word.
func load64(s string, i int) uint64 {
	_ = s[i+7] // bounds check
	return binary.LittleEndian.Uint64(unsafe.Slice((*byte)(unsafe.Add(unsafe.Pointer(unsafe.StringData(s)), i)), 8))
}
