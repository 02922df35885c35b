package openapi

import (
	"encoding/binary"
	"unsafe"
)

// Keys: how the pass finds the declared property a key names.

type property struct {
	name  string
	node  *node
	plain bool // the name is written as it is in JSON (no escapes needed)
	// The raw key as it appears in a body, name + `"`: its first 16 bytes as
	// two little-endian words (and masks), and the bytes beyond.
	w0, m0, w1, m1 uint64
	rest           string
}

func newProperty(name string, n *node) property {
	p := property{name: name, node: n, plain: isPlain(name)}
	raw := name + `"`
	p.w0, p.m0 = wordOf(raw)
	if len(raw) > 8 {
		p.w1, p.m1 = wordOf(raw[8:])
	}
	if len(raw) > 16 {
		p.rest = raw[16:]
	}
	return p
}

// wordOf returns the first (up to) 8 bytes of s as a little-endian word and
// the mask of the bytes it holds.
func wordOf(s string) (w, mask uint64) {
	for i := 0; i < 8 && i < len(s); i++ {
		w |= uint64(s[i]) << (8 * i)
		mask |= 0xff << (8 * i)
	}
	return w, mask
}

// matchKey matches the raw key at s[start:] (after its opening quote)
// against the declared names written without escapes, and returns the
// property and the index of the closing quote, or -1.
func (n *node) matchKey(s string, start int) (int, int) {
	if start >= len(s) || s[start] >= 128 {
		return -1, 0
	}
	r := n.byFirst[s[start]]
	lo, hi := int(r.lo), int(r.hi)
	if start+16 <= len(s) {
		w0, w1 := load64(s, start), load64(s, start+8)
		for k := lo; k < hi; k++ {
			pr := &n.props[k]
			if w0&pr.m0 == pr.w0 && w1&pr.m1 == pr.w1 && pr.plain {
				end := start + len(pr.name)
				if pr.rest == "" || end+1 <= len(s) && s[start+16:end+1] == pr.rest {
					return k, end
				}
			}
		}
		return -1, 0
	}
	for k := lo; k < hi; k++ {
		name := n.props[k].name
		end := start + len(name)
		if n.props[k].plain && end < len(s) && s[end] == '"' && s[start:end] == name {
			return k, end
		}
	}
	return -1, 0
}

// indexProps fills byFirst from props, which are sorted by name, so that
// the names that start with a byte are adjacent.
func (n *node) indexProps() {
	for i, pr := range n.props {
		if name := pr.name; name != "" && name[0] < 128 {
			r := &n.byFirst[name[0]]
			if r.lo == r.hi {
				r.lo = uint8(i)
			}
			r.hi = uint8(i + 1)
		}
	}
}

// propRange is the range props[lo:hi] of a node's properties; lo == hi
// when it is empty.
type propRange struct{ lo, hi uint8 }

// load64 reads 8 bytes of s from i on as a little-endian word.
func load64(s string, i int) uint64 {
	_ = s[i+7] // bounds check
	return binary.LittleEndian.Uint64(unsafe.Slice((*byte)(unsafe.Add(unsafe.Pointer(unsafe.StringData(s)), i)), 8))
}

func isPlain(s string) bool {
	for i := 0; i < len(s); i++ {
		if !plainByte[s[i]] {
			return false
		}
	}
	return true
}

func (n *node) propIndex(name string) int {
	for i := range n.props {
		if n.props[i].name == name {
			return i
		}
	}
	return -1
}
