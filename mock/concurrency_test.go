package mock_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/ncpmock/ncpmock/mock"
	"github.com/ncpmock/ncpmock/mock/mocktest"
	"github.com/ncpmock/ncpmock/openapi"
)

// TestConcurrentOverlappingCreates sends batches with overlapping login IDs
// (in varying case, with duplicates inside batches) from many goroutines at
// once: every login ID is created exactly once, every request gets one
// result per user in order, and the store agrees with the answers.
func TestConcurrentOverlappingCreates(t *testing.T) {
	const (
		workers  = 8
		requests = 12 // per worker
		batch    = 25
		pool     = 60 // distinct login IDs
	)
	srv := mocktest.NewServer(t, mock.Config{Seed: 7})
	type created struct{ id, name string }
	var (
		mu        sync.Mutex
		successes = map[string][]created{} // lower-case login ID -> its successful results
		sent      = map[string]bool{}
		wg        sync.WaitGroup
	)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(w), 99))
			for range requests {
				ids := make([]string, batch)
				for i := range ids {
					n := rng.IntN(pool)
					ids[i] = fmt.Sprintf("user%02d@example.com", n)
					if rng.IntN(3) == 0 {
						ids[i] = strings.ToUpper(ids[i][:1]) + ids[i][1:]
					}
				}
				results, err := postBatch(srv, ids)
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				for i, r := range results {
					key := strings.ToLower(ids[i])
					sent[key] = true
					if r.Success {
						successes[key] = append(successes[key], created{r.ID, r.Name})
					}
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if t.Failed() {
		return
	}
	for key := range sent {
		if n := len(successes[key]); n != 1 {
			t.Errorf("%s: created %d times, want exactly once", key, n)
		}
	}
	stored := adminUsers(t, srv)
	if len(stored) != len(sent) {
		t.Errorf("store has %d users, want %d (one per login ID sent)", len(stored), len(sent))
	}
	for _, u := range stored {
		got := successes[strings.ToLower(u.LoginID)]
		if len(got) != 1 || got[0].id != u.ID || got[0].name != u.LoginID {
			t.Errorf("stored %s (%s), answered %+v", u.LoginID, u.ID, got)
		}
	}
	t.Logf("%d requests of %d users: %d login IDs, each created once", workers*requests, batch, len(sent))
}

// postBatch creates users with the given login IDs and checks that the
// answer is complete: one result per user, in order, with the user's name.
func postBatch(srv *mocktest.Server, ids []string) ([]openapi.UserResult, error) {
	var req openapi.BulkRequest
	for _, id := range ids {
		req.Params = append(req.Params, openapi.UserCreate{LoginID: id})
	}
	body, err := json.Marshal(req)
	if err != nil {
		return nil, err
	}
	resp, err := srv.Client().Post(srv.BulkURL(), "application/json", bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var results []openapi.UserResult
	if err := json.NewDecoder(resp.Body).Decode(&results); err != nil {
		return nil, fmt.Errorf("status %d: %w", resp.StatusCode, err)
	}
	if resp.StatusCode != http.StatusOK || len(results) != len(ids) {
		return nil, fmt.Errorf("got %d with %d results, want 200 with %d", resp.StatusCode, len(results), len(ids))
	}
	for i, r := range results {
		if r.Name != ids[i] {
			return nil, fmt.Errorf("result %d is for %q, want %q", i, r.Name, ids[i])
		}
		if !r.Success && r.Message != mock.MsgDuplicateLoginID {
			return nil, fmt.Errorf("result %d failed with %q", i, r.Message)
		}
	}
	return results, nil
}
