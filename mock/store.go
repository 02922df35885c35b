package mock

import (
	"context"
	"strings"
	"sync"
	"time"

	"github.com/ncpmock/ncpmock/openapi"
)

// User is a user the mock has created.
type User struct {
	// ID is the user's ID, a version 4 UUID drawn from the server's seed.
	ID string `json:"id"`
	// LoginID is the login ID as the request sent it.
	LoginID string `json:"loginId"`
	// NRN is nrn:<Config.NRNDomain>:SSO::<Config.MemberNo>:User/<ID>.
	NRN string `json:"nrn"`
	// CreatedAt is when the mock created the user (Config.Now).
	CreatedAt time.Time `json:"createdAt"`
	// Request is the user's object in the request that created it, as sent
	// (unknown properties and repeated keys included).
	Request openapi.RawJSON `json:"request"`
}

// Store keeps the users the mock has created. Implementations must be safe for
// concurrent use.
type Store interface {
	// Insert adds, in order, each user whose login ID is not taken, neither in
	// the store nor earlier in the same batch, and reports for each user whether
	// it was added. The whole batch is one atomic step. Once it knows which
	// users it adds, and before it keeps them, it calls assign once with
	// that (added[i] for users[i]); assign gives the added users their IDs
	// and NRNs, in the order the store creates them, and strings of their
	// own. Before assign, the users' strings are parts of the request,
	// whose memory is reused after it: a store keeps nothing of them but
	// the added users as assign leaves them.
	Insert(ctx context.Context, users []User, assign func(users []User, added []bool)) ([]bool, error)
	// List returns every user in the order they were created.
	List(ctx context.Context) ([]User, error)
	// Get returns the user with the given ID, and whether there is one.
	Get(ctx context.Context, id string) (User, bool, error)
	// Lookup returns the user holding a login ID, compared as Insert
	// compares them, and whether there is one.
	Lookup(ctx context.Context, loginID string) (User, bool, error)
	// Delete removes the users with the given IDs, which frees their login
	// IDs, and returns, for each ID, the user removed or, for an ID it does
	// not hold (or already removed earlier in ids), the zero User. The whole
	// call is one atomic step.
	Delete(ctx context.Context, ids []string) ([]User, error)
	// Reset removes every user.
	Reset(ctx context.Context) error
}

// DefaultMaxUsers is how many users the in-memory store keeps when
// Config.MaxUsers is zero: about 8 MB of users.
const DefaultMaxUsers = 10000

// memoryStore is the default Store: users in memory, lost at exit. It keeps
// at most max users (no limit when max <= 0): past it, it forgets the users
// it created first, so that a load test that creates users without end runs
// in bounded memory.
type memoryStore struct {
	key  func(loginID string) string
	hash func(string) uint64 // of keys and IDs, for the indexes
	max  int

	mu sync.Mutex
	// users[off:] are the users kept, oldest first; users[:off] are the
	// cleared slots of users forgotten since the array was last compacted.
	users     []storedUser
	off       int
	first     int64          // the sequence number of users[off]
	taken     *seqIndex      // login ID key -> sequence number
	byID      *seqIndex      // user ID -> sequence number
	batch     map[uint64]int // Insert's scratch: hash of a login ID key -> its first user in the batch
	keys      []string       // Insert's scratch: the batch's login ID keys
	sums      []uint64       // Insert's scratch: their hashes
	forgotten uint64         // users forgotten to stay within max
	onForget  func(max int)  // called when the store first forgets (since a reset); may be nil
}

// storedUser is a user as the store keeps it: with its login ID as Insert
// compares them, and the hashes that index it.
type storedUser struct {
	User
	key           string
	keySum, idSum uint64
}

// newMemoryStore returns an empty store of at most max users (no limit when
// max <= 0). Login IDs compare case-insensitively unless caseSensitive is set.
func newMemoryStore(caseSensitive bool, max int) *memoryStore {
	key := foldCase
	if caseSensitive {
		key = func(s string) string { return s }
	}
	m := &memoryStore{key: key, hash: newHash(), max: max, batch: make(map[uint64]int)}
	m.taken = newSeqIndex(func(seq int64) string { return m.at(seq).key })
	m.byID = newSeqIndex(func(seq int64) string { return m.at(seq).ID })
	return m
}

// at returns the user kept with sequence number seq.
func (m *memoryStore) at(seq int64) *storedUser {
	return &m.users[m.off+int(seq-m.first)]
}

// foldCase is strings.ToLower, without its cost for the common login ID
// that is already lower-case ASCII.
func foldCase(s string) string {
	const (
		ones  = 0x0101010101010101
		highs = 0x8080808080808080
	)
	i := 0
	for ; i+8 <= len(s); i += 8 {
		w := load64(s, i)
		// For ASCII bytes, b+(0x80-'A') has its high bit set when b >= 'A'
		// and b+(0x7f-'Z') when b > 'Z'; no sum carries into the next byte.
		upper := (w + ones*(0x80-'A')) &^ (w + ones*(0x7f-'Z'))
		if (w|upper)&highs != 0 {
			return strings.ToLower(s)
		}
	}
	for ; i < len(s); i++ {
		if c := s[i]; c >= 0x80 || 'A' <= c && c <= 'Z' {
			return strings.ToLower(s)
		}
	}
	return s
}

func (m *memoryStore) Insert(_ context.Context, users []User, assign func([]User, []bool)) ([]bool, error) {
	added := make([]bool, len(users))
	m.mu.Lock()
	defer m.mu.Unlock()
	defer clear(m.batch)
	// The keys are parts of the request until assign copies them.
	m.keys, m.sums = m.keys[:0], m.sums[:0]
	defer clear(m.keys)
	n := 0
	for i, u := range users {
		k := m.key(u.LoginID)
		h := m.hash(k)
		m.keys, m.sums = append(m.keys, k), append(m.sums, h)
		if _, dup := m.taken.get(k, h); dup || m.earlierInBatch(i) {
			continue
		}
		m.batch[h] = i
		added[i] = true
		n++
	}
	if n == 0 {
		return added, nil
	}
	assign(users, added)
	m.room(n)
	for i, u := range users {
		if added[i] {
			seq := m.first + int64(len(m.users)-m.off)
			// The user's own copy of its login ID, from assign.
			su := storedUser{User: u, key: m.key(u.LoginID), keySum: m.sums[i], idSum: m.hash(u.ID)}
			m.users = append(m.users, su)
			m.taken.put(su.key, su.keySum, seq)
			m.byID.put(su.ID, su.idSum, seq)
		}
	}
	if kept := len(m.users) - m.off; m.max > 0 && kept > m.max {
		m.forget(kept - m.max)
	}
	return added, nil
}

// earlierInBatch reports whether the login ID key of users[i] of the batch
// being inserted is that of an earlier user of the batch added.
func (m *memoryStore) earlierInBatch(i int) bool {
	k, h := m.keys[i], m.sums[i]
	j, ok := m.batch[h]
	if !ok {
		return false
	}
	if m.keys[j] == k {
		return true
	}
	// Another key with the same hash came first: look at all of them.
	for j := range i {
		if m.sums[j] == h && m.keys[j] == k {
			return true
		}
	}
	return false
}

// room makes room in m.users for n more users without moving them on every
// insert: it moves the users kept over the slots of forgotten ones when
// those are at least half as many, and otherwise grows the array to twice
// what it needs.
func (m *memoryStore) room(n int) {
	if len(m.users)+n <= cap(m.users) {
		return
	}
	kept := len(m.users) - m.off
	if m.off >= kept/2 && kept+n <= cap(m.users) {
		m.compact()
		return
	}
	grown := make([]storedUser, kept, 2*(kept+n))
	copy(grown, m.users[m.off:])
	m.users, m.off = grown, 0
}

// compact moves the users kept to the front of m.users.
func (m *memoryStore) compact() {
	if m.off == 0 {
		return
	}
	k := copy(m.users, m.users[m.off:])
	clear(m.users[k:]) // the moved users' old slots
	m.users, m.off = m.users[:k], 0
}

// forget drops the n users created first, which frees their login IDs.
func (m *memoryStore) forget(n int) {
	gone := m.users[m.off : m.off+n]
	for i := range gone {
		u, seq := &gone[i], m.first+int64(i)
		m.taken.del(u.key, u.keySum, seq)
		m.byID.del(u.ID, u.idSum, seq)
	}
	clear(gone) // let their strings go
	m.off += n
	if m.forgotten == 0 && m.onForget != nil {
		m.onForget(m.max)
	}
	m.first += int64(n)
	m.forgotten += uint64(n)
}

// Forgotten returns how many users the store has forgotten, since it was
// made or last reset, to keep within its limit.
func (m *memoryStore) Forgotten(context.Context) (uint64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.forgotten, nil
}

func (m *memoryStore) List(context.Context) ([]User, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	users := make([]User, len(m.users)-m.off)
	for i := range users {
		users[i] = m.users[m.off+i].User
	}
	return users, nil
}

// Count returns how many users the store holds.
func (m *memoryStore) Count(context.Context) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.users) - m.off, nil
}

func (m *memoryStore) Get(_ context.Context, id string) (User, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if seq, ok := m.byID.get(id, m.hash(id)); ok {
		return m.at(seq).User, true, nil
	}
	return User{}, false, nil
}

func (m *memoryStore) Lookup(_ context.Context, loginID string) (User, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	k := m.key(loginID)
	if seq, ok := m.taken.get(k, m.hash(k)); ok {
		return m.at(seq).User, true, nil
	}
	return User{}, false, nil
}

func (m *memoryStore) Delete(_ context.Context, ids []string) ([]User, error) {
	removed := make([]User, len(ids))
	m.mu.Lock()
	defer m.mu.Unlock()
	m.compact()
	gone := make(map[int]bool, len(ids))
	for j, id := range ids {
		if seq, ok := m.byID.get(id, m.hash(id)); ok && !gone[int(seq-m.first)] {
			i := int(seq - m.first)
			gone[i] = true
			removed[j] = m.users[i].User
		}
	}
	if len(gone) == 0 {
		return removed, nil
	}
	kept := m.users[:0]
	for i, u := range m.users {
		if !gone[i] {
			kept = append(kept, u)
		}
	}
	clear(m.users[len(kept):]) // let the removed users' strings go
	m.users = kept
	m.reindex()
	return removed, nil
}

// reindex rebuilds both indexes from m.users (compacted), numbered from
// m.first.
func (m *memoryStore) reindex() {
	m.taken.reset(len(m.users))
	m.byID.reset(len(m.users))
	for i := range m.users {
		u := &m.users[i]
		m.taken.put(u.key, u.keySum, m.first+int64(i))
		m.byID.put(u.ID, u.idSum, m.first+int64(i))
	}
}

func (m *memoryStore) Reset(context.Context) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.users, m.off, m.first, m.forgotten = nil, 0, 0, 0
	m.reindex()
	return nil
}
