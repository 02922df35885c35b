package mock_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/ncpmock/ncpmock/mock"
)

const exampleBody = `{"params":[{"loginId":"kim@example.com","accessRules":{"consoleAccessAllowed":true,"apiAccessAllowed":false}}]}`

// Drain as a shutdown begins: hangs end at once, latencies when the context
// ends, and their requests are still answered.
func ExampleServer_Drain() {
	m, err := mock.New(mock.Config{Seed: 1})
	if err != nil {
		panic(err)
	}
	grace, endOfGrace := context.WithCancel(context.Background())
	m.Drain(grace) // the http.Server's shutdown begins
	endOfGrace()   // its deadline is near: cut the waits short

	req := httptest.NewRequest(http.MethodPost, "/api/v1/users/bulk", strings.NewReader(exampleBody))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(mock.HeaderFault, "latency=5m")
	rec := httptest.NewRecorder()
	m.ServeHTTP(rec, req)
	fmt.Println(rec.Code, rec.Header().Get(mock.HeaderWarning))
	fmt.Println(m.Requests(mock.JournalFilter{})[0].Faults[0])
	// Output:
	// 200 latency cut short: the server is shutting down
	// latency (header; cut short by shutdown)
}

// Stats counts what the server has done; GET /__admin/stats answers the same.
func ExampleServer_Stats() {
	m, err := mock.New(mock.Config{Seed: 1})
	if err != nil {
		panic(err)
	}
	for range 2 { // the same user twice: created, then a duplicate
		req := httptest.NewRequest(http.MethodPost, "/api/v1/users/bulk", strings.NewReader(exampleBody))
		req.Header.Set("Content-Type", "application/json")
		m.ServeHTTP(httptest.NewRecorder(), req)
	}
	st, err := m.Stats(context.Background(), false)
	fmt.Println(st.Requests, st.Users, st.JournalTotal, st.InFlight, err)
	// Output: 2 1 2 0 <nil>
}
