package openapi

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

func naivePlainRun(s string, i int) int {
	for i < len(s) && plainByte[s[i]] {
		i++
	}
	return i
}

func TestPlainRunMatchesByteLoop(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 9))
	special := []byte{'"', '\\', 0, 0x1f, 0x20, 0x21, 0x7f, 0x80, 0xff, 0x5b, 0x5d, 0x22 ^ 0x80, 'a'}
	for range 20000 {
		b := make([]byte, rng.IntN(40))
		for i := range b {
			if rng.IntN(6) == 0 {
				b[i] = special[rng.IntN(len(special))]
			} else {
				b[i] = byte(0x20 + rng.IntN(0x60))
			}
		}
		s := string(b)
		start := 0
		if len(s) > 0 {
			start = rng.IntN(len(s))
		}
		if got, want := plainRun(s, start), naivePlainRun(s, start); got != want {
			t.Fatalf("plainRun(%q, %d): got %d, want %d", s, start, got, want)
		}
	}
}

func FuzzPlainRun(f *testing.F) {
	f.Add("abc\"def", 0)
	f.Fuzz(func(t *testing.T, s string, start int) {
		if start < 0 || start > len(s) {
			return
		}
		if got, want := plainRun(s, start), naivePlainRun(s, start); got != want {
			t.Fatalf("plainRun(%q, %d): got %d, want %d", s, start, got, want)
		}
	})
}

func TestMatchKey(t *testing.T) {
	names := []string{"a", "ab", "email", "empNo", "loginId", "lastName", "firstName", "description",
		"phoneCountryCode", "apiAccessAllowed", "consoleAccessAllowed", "with space", "a\"b", "é"}
	n := &node{}
	slices.Sort(names)
	for _, name := range names {
		n.props = append(n.props, newProperty(name, nil))
	}
	n.indexProps()
	for _, name := range names {
		for _, tail := range []string{"", ":1}", `:"` + strings.Repeat("x", 20) + `"}`} {
			for _, key := range []string{name, name + "x", name[:len(name)-1], "x" + name, strings.ToUpper(name)} {
				if !isPlain(key) {
					continue // not a raw key
				}
				s := `{"` + key + `"` + tail
				prop, end := n.matchKey(s, 2)
				want := slices.Index(names, key)
				if prop != want || (want >= 0 && end != 2+len(key)) {
					t.Errorf("matchKey(%q): got %d, %d; want %d", s, prop, end, want)
				}
			}
		}
	}
	// A name that needs escapes never matches in place.
	if prop, _ := n.matchKey(`{"a\"b":1}`, 2); prop >= 0 {
		t.Errorf("matchKey of an escaped key: got %d, want -1", prop)
	}
}
