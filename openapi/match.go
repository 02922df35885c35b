package openapi

import (
	"regexp"
	"regexp/syntax"
	"slices"
	"strings"
)

// maxDFAStates bounds the table a pattern may build (128 int32 entries a
// state); a pattern that needs more is matched by regexp alone.
const maxDFAStates = 512

// matcher answers regexp.MatchString for one pattern. ASCII input runs
// through a DFA built once from the pattern's compiled program; anything the
// DFA does not cover (non-ASCII input, word boundaries, multi-line anchors, a
// pattern with too many states) goes to the regexp itself, so the answer is
// always the regexp's.
type matcher struct {
	re  *regexp.Regexp
	dfa *dfa // nil when the pattern is matched by re alone
}

// newMatcher compiles expr as regexp.Compile does and builds its DFA.
func newMatcher(expr string) (*matcher, error) {
	re, err := regexp.Compile(expr)
	if err != nil {
		return nil, err
	}
	m := &matcher{re: re}
	if parsed, err := syntax.Parse(expr, syntax.Perl); err == nil {
		if prog, err := syntax.Compile(parsed.Simplify()); err == nil {
			m.dfa = buildDFA(prog)
		}
	}
	return m, nil
}

// MatchString reports whether s contains a match of the pattern. ascii tells
// that s has no byte above 0x7f (callers often know it for free).
func (m *matcher) MatchString(s string, ascii bool) bool {
	if m.dfa == nil || !ascii {
		return m.re.MatchString(s)
	}
	return m.dfa.match(s)
}

// String returns the pattern.
func (m *matcher) String() string { return m.re.String() }

// dfa is a deterministic automaton over ASCII bytes for "does the input
// contain a match". A state is a set of program counters of the NFA; two
// states are absorbing: accept (a match was seen) and dead (none can be).
type dfa struct {
	next    [][128]int32 // state, byte -> state
	endOK   []bool       // the input ending in this state (after one byte or more) matches
	emptyOK bool         // the empty string matches
	start   int32
	// small is next as bytes, for the automata of at most 256 states (all of
	// the spec's): indexing it needs no bounds check.
	small *[256][128]uint8
	// stay holds, per state of small, the bytes that leave the automaton in
	// that state, as a 128-bit set.
	stay [][2]uint64
}

const (
	dfaAccept = 0
	dfaDead   = 1
)

func (d *dfa) match(s string) bool {
	if s == "" {
		return d.emptyOK
	}
	if t := d.small; t != nil {
		// accept and dead are absorbing: no need to stop early.
		st := uint8(d.start)
		for i := 0; i < len(s); {
			next := t[st][s[i]&0x7f] // the caller checked s is ASCII
			i++
			if next == st {
				// A run of bytes that keep the automaton in its state (most
				// of an email address): each is tested against the state's
				// set on its own, instead of waiting for the lookup of the
				// byte before it.
				stay := &d.stay[st]
				for i < len(s) && stay[s[i]>>6&1]>>(s[i]&63)&1 != 0 {
					i++
				}
			}
			st = next
		}
		return d.endOK[st]
	}
	st := d.start
	for i := 0; i < len(s); i++ {
		st = d.next[st][s[i]&0x7f]
		if st <= dfaDead {
			return st == dfaAccept
		}
	}
	return d.endOK[st]
}

// dfaBuilder runs the subset construction.
type dfaBuilder struct {
	prog    *syntax.Prog
	ids     map[string]int32
	sets    [][]uint32
	restart []uint32 // the threads a match starting after the first byte adds
	d       *dfa
}

// buildDFA returns nil when the program uses assertions the DFA does not
// model or needs more than maxDFAStates states.
func buildDFA(prog *syntax.Prog) *dfa {
	if !dfaSupports(prog) {
		return nil
	}
	b := &dfaBuilder{prog: prog, ids: make(map[string]int32), d: &dfa{}}
	b.state(nil)        // accept
	b.state([]uint32{}) // dead
	b.restart = b.closure(nil, uint32(prog.Start), 0)
	first := b.closure(nil, uint32(prog.Start), syntax.EmptyBeginText)
	b.d.emptyOK = b.acceptsAtEnd(first, syntax.EmptyBeginText|syntax.EmptyEndText)
	start, ok := b.add(first)
	if !ok {
		return nil
	}
	b.d.start = start
	for st := 2; st < len(b.sets); st++ {
		for c := 0; c < 128; c++ {
			to, ok := b.add(b.step(b.sets[st], rune(c)))
			if !ok {
				return nil
			}
			b.d.next[st][c] = to
		}
	}
	if len(b.d.next) <= 256 {
		b.d.small = new([256][128]uint8)
		b.d.stay = make([][2]uint64, 256)
		for st, row := range b.d.next {
			for c, to := range row {
				b.d.small[st][c] = uint8(to)
				if int(to) == st {
					b.d.stay[st][c/64] |= 1 << (c % 64)
				}
			}
		}
	}
	return b.d
}

func dfaSupports(prog *syntax.Prog) bool {
	for _, inst := range prog.Inst {
		if inst.Op == syntax.InstEmptyWidth &&
			syntax.EmptyOp(inst.Arg)&^(syntax.EmptyBeginText|syntax.EmptyEndText) != 0 {
			return false
		}
	}
	return true
}

// add returns the state of a thread set, creating it when new.
func (b *dfaBuilder) add(set []uint32) (int32, bool) {
	if b.matches(set) {
		return dfaAccept, true
	}
	if len(set) == 0 {
		return dfaDead, true
	}
	if id, ok := b.ids[setKey(set)]; ok {
		return id, true
	}
	if len(b.sets) >= maxDFAStates {
		return 0, false
	}
	return b.state(set), true
}

func (b *dfaBuilder) state(set []uint32) int32 {
	id := int32(len(b.sets))
	b.sets = append(b.sets, set)
	if set != nil {
		b.ids[setKey(set)] = id
	}
	b.d.endOK = append(b.d.endOK, set == nil || b.acceptsAtEnd(set, syntax.EmptyEndText))
	var row [128]int32
	for c := range row {
		row[c] = id // absorbing until filled in
	}
	b.d.next = append(b.d.next, row)
	return id
}

func setKey(set []uint32) string {
	var sb strings.Builder
	for _, pc := range set {
		sb.WriteByte(byte(pc))
		sb.WriteByte(byte(pc >> 8))
		sb.WriteByte(byte(pc >> 16))
		sb.WriteByte(byte(pc >> 24))
	}
	return sb.String()
}

func (b *dfaBuilder) matches(set []uint32) bool {
	for _, pc := range set {
		if b.prog.Inst[pc].Op == syntax.InstMatch {
			return true
		}
	}
	return false
}

// step consumes rune r from every thread of set, then lets a new match
// start after it.
func (b *dfaBuilder) step(set []uint32, r rune) []uint32 {
	var next []uint32
	for _, pc := range set {
		inst := &b.prog.Inst[pc]
		if consumes(inst, r) {
			next = b.closure(next, inst.Out, 0)
		}
	}
	for _, pc := range b.restart {
		next = insertPC(next, pc)
	}
	return next
}

func consumes(inst *syntax.Inst, r rune) bool {
	switch inst.Op {
	case syntax.InstRune:
		return inst.MatchRune(r)
	case syntax.InstRune1:
		return r == inst.Rune[0]
	case syntax.InstRuneAny:
		return true
	case syntax.InstRuneAnyNotNL:
		return r != '\n'
	}
	return false
}

// closure adds pc and every instruction reachable from it without consuming
// input, given the assertions that hold (flags). An end-of-text assertion that
// does not hold yet stays in the set, to be resolved at the end.
//
// Every instruction visited is kept in the set (those that consume nothing
// are ignored by step), which also stops loops of empty steps.
func (b *dfaBuilder) closure(set []uint32, pc uint32, flags syntax.EmptyOp) []uint32 {
	if _, found := slices.BinarySearch(set, pc); found {
		return set
	}
	inst := &b.prog.Inst[pc]
	switch inst.Op {
	case syntax.InstFail:
		return set
	case syntax.InstEmptyWidth:
		cond := syntax.EmptyOp(inst.Arg)
		if cond&^(flags|syntax.EmptyEndText) != 0 {
			return set // can never hold here
		}
	}
	set = insertPC(set, pc)
	switch inst.Op {
	case syntax.InstAlt, syntax.InstAltMatch:
		set = b.closure(set, inst.Out, flags)
		return b.closure(set, inst.Arg, flags)
	case syntax.InstCapture, syntax.InstNop:
		return b.closure(set, inst.Out, flags)
	case syntax.InstEmptyWidth:
		if syntax.EmptyOp(inst.Arg)&^flags == 0 {
			return b.closure(set, inst.Out, flags)
		}
	}
	return set
}

// acceptsAtEnd reports whether a thread of set reaches a match when the text
// ends here, with the assertions flags true.
func (b *dfaBuilder) acceptsAtEnd(set []uint32, flags syntax.EmptyOp) bool {
	for _, pc := range set {
		inst := &b.prog.Inst[pc]
		switch inst.Op {
		case syntax.InstMatch:
			return true
		case syntax.InstEmptyWidth:
			if syntax.EmptyOp(inst.Arg)&^flags == 0 && b.matches(b.closure(nil, inst.Out, flags)) {
				return true
			}
		}
	}
	return false
}

// insertPC adds pc to a sorted set.
func insertPC(set []uint32, pc uint32) []uint32 {
	i, found := slices.BinarySearch(set, pc)
	if found {
		return set
	}
	return slices.Insert(set, i, pc)
}

// intoGoRegexp rewrites a pattern as kin-openapi does before compiling it
// (openapi3/schema_pattern.go): each \uXXXX (upper-case hex digits) becomes
// \x{XXXX}, so that a pattern means the same here as there.
func intoGoRegexp(pattern string) string {
	if !strings.Contains(pattern, `\u`) {
		return pattern
	}
	var sb strings.Builder
	for i := 0; i < len(pattern); i++ {
		if i+6 <= len(pattern) && pattern[i] == '\\' && pattern[i+1] == 'u' && isUpperHex(pattern[i+2:i+6]) {
			sb.WriteString(`\x{` + pattern[i+2:i+6] + `}`)
			i += 5
			continue
		}
		sb.WriteByte(pattern[i])
	}
	return sb.String()
}

func isUpperHex(s string) bool {
	for i := 0; i < len(s); i++ {
		if !('0' <= s[i] && s[i] <= '9' || 'A' <= s[i] && s[i] <= 'F') {
			return false
		}
	}
	return true
}
