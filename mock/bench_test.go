package mock_test

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/ncpmock/ncpmock/mock"
)

// BenchmarkHandler100Users sends 100-user bodies through the whole handler
// (validation, store, encoding), without a network. Login IDs are new in
// every iteration, so every user is created.
func BenchmarkHandler100Users(b *testing.B) {
	srv, err := mock.New(mock.Config{})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		ids := make([]string, 100)
		for i := range ids {
			ids[i] = fmt.Sprintf("u%d@example.com", n)
			n++
		}
		body := bulkBody(ids...)
		req := httptest.NewRequest(http.MethodPost, "/api/v1/users/bulk", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
	}
}
