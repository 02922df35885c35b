package mock

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"slices"
	"strings"
	"testing"
)

// insertNew inserts users with the given login IDs, each given the ID
// "id:<login ID>", and returns what Insert reports.
func insertNew(t *testing.T, m *memoryStore, loginIDs ...string) []bool {
	t.Helper()
	users := make([]User, len(loginIDs))
	for i, id := range loginIDs {
		users[i] = User{LoginID: id}
	}
	added, err := m.Insert(context.Background(), users, func(users []User, added []bool) {
		for i := range users {
			if added[i] {
				users[i].ID = "id:" + users[i].LoginID
			}
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	return added
}

func loginIDs(t *testing.T, m *memoryStore) []string {
	t.Helper()
	users, err := m.List(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, u := range users {
		ids = append(ids, u.LoginID)
	}
	return ids
}

// checkFound checks that each user the store lists is found by its ID and
// by its login ID, and that each of gone is found by neither.
func checkFound(t *testing.T, m *memoryStore, gone ...string) {
	t.Helper()
	ctx := context.Background()
	for _, login := range loginIDs(t, m) {
		if u, ok, _ := m.Get(ctx, "id:"+login); !ok || u.LoginID != login {
			t.Errorf("Get(id:%s): got %q, %t; want the user", login, u.LoginID, ok)
		}
		if u, ok, _ := m.Lookup(ctx, login); !ok || u.LoginID != login {
			t.Errorf("Lookup(%s): got %q, %t; want the user", login, u.LoginID, ok)
		}
	}
	for _, login := range gone {
		if _, ok, _ := m.Get(ctx, "id:"+login); ok {
			t.Errorf("Get(id:%s): found a forgotten user", login)
		}
		if _, ok, _ := m.Lookup(ctx, login); ok {
			t.Errorf("Lookup(%s): found a forgotten user", login)
		}
	}
}

func TestStoreForgetsTheOldestPastItsLimit(t *testing.T) {
	ctx := context.Background()
	m := newMemoryStore(false, 4)
	warned := 0
	m.onForget = func(limit int) {
		warned++
		if limit != 4 {
			t.Errorf("onForget(%d), want the limit 4", limit)
		}
	}

	insertNew(t, m, "a", "b", "c")
	if warned != 0 {
		t.Fatalf("warned %d times below the limit", warned)
	}
	insertNew(t, m, "d", "e", "f")
	if got, want := loginIDs(t, m), []string{"c", "d", "e", "f"}; !slices.Equal(got, want) {
		t.Fatalf("after 6 users: got %q, want %q", got, want)
	}
	checkFound(t, m, "a", "b")
	if n, _ := m.Forgotten(ctx); n != 2 || warned != 1 {
		t.Fatalf("forgotten %d, warned %d; want 2, 1", n, warned)
	}

	// A forgotten login ID is free again; a kept one is still a duplicate.
	if got, want := insertNew(t, m, "a", "c"), []bool{true, false}; !slices.Equal(got, want) {
		t.Fatalf("insert a, c: got %v, want %v", got, want)
	}
	if got, want := loginIDs(t, m), []string{"d", "e", "f", "a"}; !slices.Equal(got, want) {
		t.Fatalf("got %q, want %q", got, want)
	}
	checkFound(t, m, "b", "c")

	// Deleting renumbers what is left: every user is still found.
	removed, err := m.Delete(ctx, []string{"id:e"})
	if err != nil || removed[0].LoginID != "e" {
		t.Fatalf("Delete(id:e): got %v, %v", removed, err)
	}
	insertNew(t, m, "g", "h")
	if got, want := loginIDs(t, m), []string{"f", "a", "g", "h"}; !slices.Equal(got, want) {
		t.Fatalf("after delete and insert: got %q, want %q", got, want)
	}
	checkFound(t, m, "b", "c", "d", "e")
	if warned != 1 {
		t.Fatalf("warned %d times, want once until a reset", warned)
	}

	// A batch larger than the limit keeps its last users.
	insertNew(t, m, "p", "q", "r", "s", "t", "u")
	if got, want := loginIDs(t, m), []string{"r", "s", "t", "u"}; !slices.Equal(got, want) {
		t.Fatalf("after a batch of 6: got %q, want %q", got, want)
	}
	checkFound(t, m, "f", "a", "g", "h", "p", "q")

	// Reset starts over: nothing forgotten, and a warning again next time.
	if err := m.Reset(ctx); err != nil {
		t.Fatal(err)
	}
	if n, _ := m.Forgotten(ctx); n != 0 {
		t.Fatalf("forgotten after reset: %d, want 0", n)
	}
	insertNew(t, m, "1", "2", "3", "4", "5")
	checkFound(t, m, "1")
	if warned != 2 {
		t.Fatalf("warned %d times, want again after the reset", warned)
	}
}

func TestStoreWithoutLimitKeepsEveryUser(t *testing.T) {
	m := newMemoryStore(false, 0)
	var all []string
	for i := range 30 {
		all = append(all, fmt.Sprintf("u%d", i))
	}
	insertNew(t, m, all...)
	if got := loginIDs(t, m); !slices.Equal(got, all) {
		t.Fatalf("got %d users, want all %d", len(got), len(all))
	}
	if n, _ := m.Forgotten(context.Background()); n != 0 {
		t.Fatalf("forgotten %d, want 0", n)
	}
}

func TestMaxUsersThroughTheServer(t *testing.T) {
	var log bytes.Buffer
	s := newTestServer(t, Config{Seed: 1, MaxUsers: 3, Logger: slog.New(slog.NewTextHandler(&log, nil))})
	for _, batch := range [][]string{{"a@x.io", "b@x.io"}, {"c@x.io", "d@x.io", "e@x.io"}} {
		if rec := do(t, s, http.MethodPost, bulkPath, bulkBody(batch...)); rec.Code != http.StatusOK {
			t.Fatalf("create %v: %d %s", batch, rec.Code, rec.Body)
		}
	}
	st, err := s.Stats(context.Background(), false)
	if err != nil || st.Users != 3 || st.UsersForgotten != 2 {
		t.Fatalf("stats: got (%d users, %d forgotten, %v), want (3, 2, nil)", st.Users, st.UsersForgotten, err)
	}
	rec := do(t, s, http.MethodGet, PathAdminStats, "")
	var view struct {
		UsersForgotten *uint64 `json:"usersForgotten"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &view); err != nil || view.UsersForgotten == nil || *view.UsersForgotten != 2 {
		t.Fatalf("GET %s: %s; want usersForgotten 2", PathAdminStats, rec.Body)
	}
	if n := strings.Count(log.String(), "the user store is full"); n != 1 {
		t.Fatalf("warnings logged: %d, want 1; log:\n%s", n, log.String())
	}
	if !strings.Contains(log.String(), "limit=3") {
		t.Fatalf("the warning does not name the limit:\n%s", log.String())
	}
	// The first user's login ID is free again.
	rec = do(t, s, http.MethodPost, bulkPath, bulkBody("a@x.io"))
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `"success":true`) {
		t.Fatalf("re-create a forgotten login ID: %d %s", rec.Code, rec.Body)
	}
}

func TestDefaultMaxUsers(t *testing.T) {
	s := newTestServer(t, Config{})
	m, ok := s.store.(*memoryStore)
	if !ok || m.max != DefaultMaxUsers {
		t.Fatalf("default store: got %T with limit %v, want a memoryStore of %d", s.store, m, DefaultMaxUsers)
	}
	s = newTestServer(t, Config{MaxUsers: -1})
	if m := s.store.(*memoryStore); m.max > 0 {
		t.Fatalf("MaxUsers -1: limit %d, want none", m.max)
	}
}

// TestStoreMatchesAModel runs random inserts (with login IDs taken, and
// repeated within a batch), deletes and resets against stores of several
// limits and a plain model of what they must hold: after each step the
// store lists the same users, finds each by ID and login ID, and finds
// none of the others. It runs with the store's hash and with one that gives
// most keys the hash of another, which the indexes must resolve exactly.
func TestStoreMatchesAModel(t *testing.T) {
	hashes := []struct {
		name string
		hash func(string) uint64
	}{
		{"maphash", nil},
		{"colliding", func(s string) uint64 { return uint64(len(s) % 3) }},
	}
	for _, limit := range []int{0, 1, 3, 7, 50} {
		for _, hash := range hashes {
			t.Run(fmt.Sprintf("max %d/%s", limit, hash.name), func(t *testing.T) {
				storeMatchesAModel(t, limit, hash.hash)
			})
		}
	}
}

func storeMatchesAModel(t *testing.T, limit int, hash func(string) uint64) {
	rng := rand.New(rand.NewPCG(uint64(limit), 7))
	m := newMemoryStore(false, limit)
	if hash != nil {
		m.hash = hash
	}
	var model []string // login IDs kept, oldest first
	ever := map[string]bool{}
	for step := range 2000 {
		switch op := rng.IntN(20); {
		case op == 0:
			if err := m.Reset(context.Background()); err != nil {
				t.Fatal(err)
			}
			model = nil
		case op <= 2 && len(model) > 0:
			victim := model[rng.IntN(len(model))]
			if _, err := m.Delete(context.Background(), []string{"id:" + victim, "id:nobody"}); err != nil {
				t.Fatal(err)
			}
			model = slices.DeleteFunc(model, func(s string) bool { return s == victim })
		default:
			batch := make([]string, 1+rng.IntN(12))
			for i := range batch {
				batch[i] = fmt.Sprintf("u%d", rng.IntN(60)) // often taken or repeated
			}
			added := insertNew(t, m, batch...)
			for i, id := range batch {
				want := !slices.Contains(model, id)
				if added[i] != want {
					t.Fatalf("step %d: insert %q: added %t, want %t (kept %q)", step, id, added[i], want, model)
				}
				if want {
					model = append(model, id)
				}
			}
			if limit > 0 && len(model) > limit {
				model = model[len(model)-limit:]
			}
		}
		for _, id := range model {
			ever[id] = true
		}
		if got := loginIDs(t, m); !slices.Equal(got, model) {
			t.Fatalf("step %d: store %q, want %q", step, got, model)
		}
		var gone []string
		for id := range ever {
			if !slices.Contains(model, id) {
				gone = append(gone, id)
			}
		}
		checkFound(t, m, gone...)
	}
}
