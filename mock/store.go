package mock

import (
	"context"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/ncpmock/ncpmock/openapi"
)

// User is a user the mock has created.
type User struct {
	ID        string    `json:"id"`
	LoginID   string    `json:"loginId"`
	NRN       string    `json:"nrn"`
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
	key func(loginID string) string
	max int

	mu        sync.Mutex
	users     []User           // oldest first
	first     int64            // the sequence number of users[0]
	taken     map[string]int64 // login ID key -> sequence number
	byID      map[string]int64 // user ID -> sequence number
	forgotten uint64           // users forgotten to stay within max
	onForget  func(max int)    // called when the store first forgets (since a reset); may be nil
}

// newMemoryStore returns an empty store of at most max users (no limit when
// max <= 0). Login IDs compare case-insensitively unless caseSensitive is set.
func newMemoryStore(caseSensitive bool, max int) *memoryStore {
	key := foldCase
	if caseSensitive {
		key = func(s string) string { return s }
	}
	return &memoryStore{key: key, max: max, taken: make(map[string]int64), byID: make(map[string]int64)}
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
	n := 0
	for i, u := range users {
		k := m.key(u.LoginID)
		if _, dup := m.taken[k]; dup {
			continue
		}
		m.taken[k] = -1 // for now: k may be a part of the request
		added[i] = true
		n++
	}
	if n == 0 {
		return added, nil
	}
	before := make([]string, 0, n)
	for i, u := range users {
		if added[i] {
			before = append(before, u.LoginID)
		}
	}
	assign(users, added)
	m.users = slices.Grow(m.users, n)
	j := 0
	for i, u := range users {
		if added[i] {
			seq := m.first + int64(len(m.users))
			delete(m.taken, m.key(before[j]))
			m.taken[m.key(u.LoginID)] = seq // the user's own copy
			m.byID[u.ID] = seq
			m.users = append(m.users, u)
			j++
		}
	}
	if m.max > 0 && len(m.users) > m.max {
		m.forget(len(m.users) - m.max)
	}
	return added, nil
}

// forget drops the n users created first, which frees their login IDs.
func (m *memoryStore) forget(n int) {
	for _, u := range m.users[:n] {
		delete(m.taken, m.key(u.LoginID))
		delete(m.byID, u.ID)
	}
	clear(m.users[:n]) // let their strings go
	m.users = m.users[n:]
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
	return append([]User(nil), m.users...), nil
}

// Count returns how many users the store holds.
func (m *memoryStore) Count(context.Context) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.users), nil
}

func (m *memoryStore) Get(_ context.Context, id string) (User, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if seq, ok := m.byID[id]; ok {
		return m.users[seq-m.first], true, nil
	}
	return User{}, false, nil
}

func (m *memoryStore) Lookup(_ context.Context, loginID string) (User, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if seq, ok := m.taken[m.key(loginID)]; ok && seq >= 0 {
		return m.users[seq-m.first], true, nil
	}
	return User{}, false, nil
}

func (m *memoryStore) Delete(_ context.Context, ids []string) ([]User, error) {
	removed := make([]User, len(ids))
	m.mu.Lock()
	defer m.mu.Unlock()
	gone := make(map[int]bool, len(ids))
	for j, id := range ids {
		if seq, ok := m.byID[id]; ok && !gone[int(seq-m.first)] {
			i := int(seq - m.first)
			gone[i] = true
			removed[j] = m.users[i]
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

// reindex rebuilds both indexes from m.users, numbered from m.first.
func (m *memoryStore) reindex() {
	m.taken = make(map[string]int64, len(m.users))
	m.byID = make(map[string]int64, len(m.users))
	for i, u := range m.users {
		m.taken[m.key(u.LoginID)] = m.first + int64(i)
		m.byID[u.ID] = m.first + int64(i)
	}
}

func (m *memoryStore) Reset(context.Context) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.users, m.first, m.forgotten = nil, 0, 0
	m.reindex()
	return nil
}
