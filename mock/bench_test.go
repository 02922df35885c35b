package mock

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/ncpmock/ncpmock/internal/benchdata"
	"github.com/ncpmock/ncpmock/openapi"
)

// benchServer returns a mock that logs every request (to nowhere, but fully
// formatted), validating with the compiled validator or the reference.
func benchServer(b *testing.B, reference bool, maxUsers int) *Server {
	b.Helper()
	s, err := New(Config{Seed: 1, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), MaxUsers: maxUsers})
	if err != nil {
		b.Fatal(err)
	}
	if reference {
		if s.validator, err = openapi.NewValidator(s.spec, openapi.ValidatorConfig{Reference: true}); err != nil {
			b.Fatal(err)
		}
	}
	return s
}

func benchPost(b *testing.B, h http.Handler, body []byte, want int) {
	req := httptest.NewRequest(http.MethodPost, "/api/v1/users/bulk", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != want {
		b.Fatalf("status %d, want %d: %s", rec.Code, want, rec.Body)
	}
}

// BenchmarkCreateUsers measures the whole handler (routing, middleware,
// access log, validation, store, answer) with each validator.
func BenchmarkCreateUsers(b *testing.B) {
	fresh := make([][]byte, 64)
	for i := range fresh {
		fresh[i] = benchdata.Valid(benchdata.Seed, 100, fmt.Sprintf("r%d.", i))
	}
	// valid-100-new resets the store after each round of the fresh bodies;
	// valid-100-new-full keeps half as many users as a round creates, so
	// that each body's users are forgotten before it comes again: the
	// steady state of a long load test of new users, creating 100 users a
	// request and forgetting as many.
	cases := []struct {
		name     string
		bodies   [][]byte
		want     int
		maxUsers int
		reset    bool
	}{
		{"valid-1", [][]byte{benchdata.Valid(benchdata.Seed, 1, "")}, http.StatusOK, 0, false},
		{"valid-100-duplicates", [][]byte{benchdata.Valid(benchdata.Seed, 100, "")}, http.StatusOK, 0, false},
		{"valid-100-new", fresh, http.StatusOK, 0, true},
		{"valid-100-new-full", fresh, http.StatusOK, 100 * len(fresh) / 2, false},
		{"invalid-100", [][]byte{benchdata.Invalid(benchdata.Seed)}, http.StatusBadRequest, 0, false},
	}
	for _, validator := range []string{"compiled", "reference"} {
		for _, tc := range cases {
			b.Run(validator+"/"+tc.name, func(b *testing.B) {
				s := benchServer(b, validator == "reference", tc.maxUsers)
				b.ReportAllocs()
				b.SetBytes(int64(len(tc.bodies[0])))
				i := 0
				for b.Loop() {
					if i == len(tc.bodies) && tc.reset {
						b.StopTimer()
						if err := s.store.Reset(context.Background()); err != nil {
							b.Fatal(err)
						}
						i = 0
						b.StartTimer()
					}
					benchPost(b, s, tc.bodies[i%len(tc.bodies)], tc.want)
					i++
				}
				if m, ok := s.store.(*memoryStore); ok && tc.maxUsers > 0 {
					// Every request created its 100 users: none was a duplicate.
					kept, _ := m.Count(context.Background())
					forgotten, _ := m.Forgotten(context.Background())
					if created := kept + int(forgotten); created != 100*b.N {
						b.Fatalf("%d requests created %d users, want %d", b.N, created, 100*b.N)
					}
				}
			})
		}
	}
}
