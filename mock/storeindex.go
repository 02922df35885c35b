package mock

import "hash/maphash"

// seqIndex maps the store's keys (folded login IDs, user IDs) to the
// sequence numbers of the users holding them. It keys its map by the key's
// 64-bit hash rather than the key itself: a map of integers costs the
// collector nothing to scan and no string comparison on a miss, and a store
// of 10,000 users does several of these operations for every user created.
// The key of a hit is compared with the user's own (keyOf), so a hash shared
// by two keys never gives a wrong answer: the later key goes to extra, a map
// by the key itself. What the index answers does not depend on the hash
// seed, only how often extra is used.
type seqIndex struct {
	sums  map[uint64]int64
	extra map[string]int64 // keys whose hash another key held when they came
	keyOf func(seq int64) string
}

// newSeqIndex returns an empty index whose keyOf gives the key of the user
// with a sequence number the index holds.
func newSeqIndex(keyOf func(int64) string) *seqIndex {
	return &seqIndex{sums: make(map[uint64]int64), extra: make(map[string]int64), keyOf: keyOf}
}

// newHash returns a maphash of strings with a seed of its own.
func newHash() func(string) uint64 {
	seed := maphash.MakeSeed()
	return func(s string) uint64 { return maphash.String(seed, s) }
}

// get returns the sequence number of key, whose hash is h.
func (x *seqIndex) get(key string, h uint64) (int64, bool) {
	if seq, ok := x.sums[h]; ok && x.keyOf(seq) == key {
		return seq, true
	}
	if len(x.extra) == 0 {
		return 0, false
	}
	seq, ok := x.extra[key]
	return seq, ok
}

// put adds key, whose hash is h and which the index does not hold, for seq.
func (x *seqIndex) put(key string, h uint64, seq int64) {
	if _, taken := x.sums[h]; taken {
		x.extra[key] = seq
		return
	}
	x.sums[h] = seq
}

// del removes key, whose hash is h, which the index holds for seq.
func (x *seqIndex) del(key string, h uint64, seq int64) {
	if held, ok := x.sums[h]; ok && held == seq {
		delete(x.sums, h)
		return
	}
	delete(x.extra, key)
}

// reset empties the index, sized for n keys.
func (x *seqIndex) reset(n int) {
	x.sums = make(map[uint64]int64, n)
	x.extra = make(map[string]int64)
}
