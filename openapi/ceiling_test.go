package openapi

import (
	"context"
	"testing"
)

// A ceiling for the compiled validator: how fast could validation be if
// code were written (or generated) for this one spec? handWritten below is
// such code for the embedded spec's request schema, on the happy path only:
// it reports no problem, says nothing about an invalid body but "no", and
// uses the pass's own primitives (plainRun, utf8Run, the patterns'
// automata). It is not used by ncpmock; BenchmarkCeiling times it beside the
// compiled validator on the same bodies. (Measured: about 1.3 times the
// compiled validator's speed, not the several times that the load target of
// the README's Performance section would need.)

// handWritten validates a compact body of the embedded spec's request.
type handWritten struct {
	s                  string
	i                  int
	email, opt, cc, ph *dfa
}

func (h *handWritten) lit(l string) bool {
	if len(h.s)-h.i >= len(l) && h.s[h.i:h.i+len(l)] == l {
		h.i += len(l)
		return true
	}
	return false
}

// str reads a string without escapes and returns its value, its length in
// runes, whether it is ASCII, and whether it was read.
func (h *handWritten) str() (string, int, bool, bool) {
	s := h.s
	if h.i >= len(s) || s[h.i] != '"' {
		return "", 0, false, false
	}
	start := h.i + 1
	end := plainRun(s, start)
	if end < len(s) && s[end] == '"' {
		h.i = end + 1
		return s[start:end], end - start, true, true
	}
	if end < len(s) && s[end] >= 0x80 {
		e, runes := utf8Run(s, end)
		if e < 0 {
			return "", 0, false, false
		}
		h.i = e + 1
		return s[start:e], runes + end - start, false, true
	}
	return "", 0, false, false
}

func (h *handWritten) key() (string, bool) {
	v, _, ascii, ok := h.str()
	if !ok || !ascii || h.i >= len(h.s) || h.s[h.i] != ':' {
		return "", false
	}
	h.i++
	return v, true
}

func (h *handWritten) text(maxRunes, maxBytes int) bool {
	v, runes, _, ok := h.str()
	return ok && runes <= maxRunes && len(v) <= maxBytes
}

func (h *handWritten) pat(d *dfa, maxRunes, maxBytes int) bool {
	v, _, ascii, ok := h.str()
	return ok && ascii && len(v) <= maxRunes && len(v) <= maxBytes && d.match(v)
}

func (h *handWritten) boolean() bool {
	return h.lit("true") || h.lit("false")
}

func (h *handWritten) body() bool {
	if !h.lit(`{"params":[`) {
		return false
	}
	n := 0
	for {
		if !h.user() {
			return false
		}
		n++
		if h.lit(",") {
			continue
		}
		if h.lit("]}") {
			return h.i == len(h.s) && n <= 100
		}
		return false
	}
}

func (h *handWritten) user() bool {
	if !h.lit("{") {
		return false
	}
	var seen uint8
	for {
		k, ok := h.key()
		if !ok {
			return false
		}
		var bit uint8
		switch k {
		case "loginId":
			bit = 1
			v, _, ascii, ok := h.str()
			if !ok || !ascii || len(v) < 3 || len(v) > 60 || !h.email.match(v) {
				return false
			}
		case "description":
			bit = 2
			ok = h.text(300, 300)
		case "userProfile":
			bit = 4
			ok = h.profile()
		case "accessRules":
			bit = 8
			ok = h.rules()
		case "tags":
			bit = 16
			ok = h.tags()
		default:
			return false
		}
		if !ok || seen&bit != 0 {
			return false
		}
		seen |= bit
		if h.lit(",") {
			continue
		}
		if h.lit("}") {
			return seen&9 == 9
		}
		return false
	}
}

func (h *handWritten) profile() bool {
	if !h.lit("{") {
		return false
	}
	var seen uint8
	if h.lit("}") {
		return true
	}
	for {
		k, ok := h.key()
		if !ok {
			return false
		}
		var bit uint8
		switch k {
		case "firstName":
			bit, ok = 1, h.text(200, 200)
		case "lastName":
			bit, ok = 2, h.text(200, 200)
		case "email":
			bit, ok = 4, h.pat(h.opt, 200, 200)
		case "empNo":
			bit, ok = 8, h.text(200, 200)
		case "phoneCountryCode":
			bit, ok = 16, h.pat(h.cc, 10, 10)
		case "phoneNo":
			bit, ok = 32, h.pat(h.ph, 13, 200)
		case "deptName":
			bit, ok = 64, h.text(200, 200)
		default:
			return false
		}
		if !ok || seen&bit != 0 {
			return false
		}
		seen |= bit
		if h.lit(",") {
			continue
		}
		return h.lit("}")
	}
}

func (h *handWritten) rules() bool {
	if !h.lit("{") {
		return false
	}
	var seen uint8
	for {
		k, ok := h.key()
		if !ok {
			return false
		}
		var bit uint8
		switch k {
		case "consoleAccessAllowed":
			bit = 1
		case "apiAccessAllowed":
			bit = 2
		default:
			return false
		}
		if !h.boolean() || seen&bit != 0 {
			return false
		}
		seen |= bit
		if h.lit(",") {
			continue
		}
		return h.lit("}") && seen == 3
	}
}

func (h *handWritten) tags() bool {
	if !h.lit("{") {
		return false
	}
	if h.lit("}") {
		return true
	}
	n := 0
	for {
		if _, ok := h.key(); !ok {
			return false
		}
		if _, _, _, ok := h.str(); !ok {
			return false
		}
		n++
		if h.lit(",") {
			continue
		}
		// Duplicate keys are not looked for: this ceiling does a little less
		// than a validator must, which only makes it higher.
		return h.lit("}") && n <= 20
	}
}

// newHandWritten returns the hand-written validator with the patterns'
// automata of v's compiled schema: the very automata the pass runs, rather
// than the spec's patterns written out again.
func newHandWritten(t testing.TB, v *Validator) *handWritten {
	if v.fast == nil {
		t.Fatalf("the spec is not compiled: %v", v.why)
	}
	child := func(n *node, name string) *node {
		i := n.propIndex(name)
		if i < 0 {
			t.Fatalf("no property %q in the compiled schema", name)
		}
		return n.children[i]
	}
	automaton := func(m *matcher, field string) *dfa {
		if m == nil || m.dfa == nil {
			t.Fatalf("%s: no automaton", field)
		}
		return m.dfa
	}
	user := child(v.fast.root, "params").items
	profile := child(user, "userProfile")
	login := child(user, "loginId").format
	if login == nil {
		t.Fatal("loginId: no format")
	}
	return &handWritten{
		email: automaton(login.match, "loginId"),
		opt:   automaton(child(profile, "email").pattern, "userProfile.email"),
		cc:    automaton(child(profile, "phoneCountryCode").pattern, "userProfile.phoneCountryCode"),
		ph:    automaton(child(profile, "phoneNo").pattern, "userProfile.phoneNo"),
	}
}

func (h *handWritten) valid(body string) bool {
	h.s, h.i = body, 0
	return h.body()
}

// ceilingBodies returns valid bodies of 100 users from the spec's generator.
func ceilingBodies(t testing.TB) []string {
	spec, err := Embedded()
	if err != nil {
		t.Fatal(err)
	}
	var bodies []string
	for _, locale := range []string{LocaleEnglish, LocaleKorean} {
		g, err := NewGenerator(spec, GenConfig{Seed: 1, Locale: locale})
		if err != nil {
			t.Fatal(err)
		}
		for range 4 {
			c, err := g.Valid(100)
			if err != nil {
				t.Fatal(err)
			}
			bodies = append(bodies, string(c.Body))
		}
	}
	return bodies
}

// TestHandWrittenAgrees checks the ceiling measures a validator: it accepts
// the valid bodies (as the compiled validator does) and refuses broken ones.
func TestHandWrittenAgrees(t *testing.T) {
	spec, err := Embedded()
	if err != nil {
		t.Fatal(err)
	}
	v, err := NewValidator(spec, ValidatorConfig{})
	if err != nil {
		t.Fatal(err)
	}
	h := newHandWritten(t, v)
	for i, body := range ceilingBodies(t) {
		if _, err := v.Validate(context.Background(), "application/json", []byte(body)); err != nil {
			t.Fatalf("body %d: compiled validator: %v", i, err)
		}
		if !h.valid(body) {
			t.Fatalf("body %d: hand-written refuses it at byte %d", i, h.i)
		}
	}
	for _, bad := range []string{
		`{"params":[{"loginId":"no-at-sign","accessRules":{"consoleAccessAllowed":true,"apiAccessAllowed":true}}]}`,
		`{"params":[{"loginId":"a@b.co","accessRules":{"consoleAccessAllowed":true}}]}`,
		`{"params":[{"loginId":"a@b.co","accessRules":{"consoleAccessAllowed":true,"apiAccessAllowed":true},"x":1}]}`,
		`{"params":[{"loginId":"a@b.co","userProfile":{"phoneNo":"12"},"accessRules":{"consoleAccessAllowed":true,"apiAccessAllowed":true}}]}`,
	} {
		if h.valid(bad) {
			t.Errorf("hand-written accepts %s", bad)
		}
	}
}

// BenchmarkCeiling times the hand-written validator and the compiled one on
// the same valid bodies of 100 users.
func BenchmarkCeiling(b *testing.B) {
	spec, err := Embedded()
	if err != nil {
		b.Fatal(err)
	}
	v, err := NewValidator(spec, ValidatorConfig{})
	if err != nil {
		b.Fatal(err)
	}
	bodies := ceilingBodies(b)
	size := 0
	for _, body := range bodies {
		size += len(body)
	}
	h := newHandWritten(b, v)
	b.Run("hand-written", func(b *testing.B) {
		b.SetBytes(int64(size / len(bodies)))
		for i := 0; b.Loop(); i++ {
			if !h.valid(bodies[i%len(bodies)]) {
				b.Fatal("refused a valid body")
			}
		}
	})
	raw := make([][]byte, len(bodies))
	for i, body := range bodies {
		raw[i] = []byte(body)
	}
	b.Run("compiled", func(b *testing.B) {
		b.SetBytes(int64(size / len(bodies)))
		ctx := context.Background()
		for i := 0; b.Loop(); i++ {
			if _, err := v.Validate(ctx, "application/json", raw[i%len(raw)]); err != nil {
				b.Fatal(err)
			}
		}
	})
}
