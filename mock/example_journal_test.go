package mock_test

import (
	"errors"
	"fmt"
	"strings"
	"syscall"

	"github.com/ncpmock/ncpmock/mock"
	"github.com/ncpmock/ncpmock/mock/mocktest"
)

// The journal tells a test what its client sent, even for a request whose
// connection a fault reset: the request is journaled before the client sees
// the reset.
func ExampleServer_Requests() {
	// In a test: srv := mocktest.NewServer(t, cfg), closed when it ends.
	srv, err := mocktest.Start(mock.Config{Faults: []mock.Rule{
		{ID: "lost", Fault: &mock.ResetFault{}, Times: 1},
	}})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Close()

	body := `{"params":[{"loginId":"kim@example.com","accessRules":{"consoleAccessAllowed":true,"apiAccessAllowed":false}}]}`
	_, err = srv.Client().Post(srv.BulkURL(), "application/json", strings.NewReader(body))
	fmt.Println("reset:", errors.Is(err, syscall.ECONNRESET))

	for _, e := range srv.Mock.Requests(mock.JournalFilter{Fault: mock.KindReset}) {
		fmt.Println(e.Seq, e.Method, e.Path, e.Status, e.Faults[0], e.Headers["Content-Type"])
		fmt.Println(e.Body == body)
	}
	// Output:
	// reset: true
	// 1 POST /api/v1/users/bulk 0 reset (rule lost) application/json
	// true
}
