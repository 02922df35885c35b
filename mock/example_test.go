package mock_test

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/ncpmock/ncpmock/mock"
)

// NewHTTPServer serves the mock within limits; here with a short read-header
// timeout and at most 64 connections at once, on a free loopback port.
func ExampleNewHTTPServer() {
	m, err := mock.New(mock.Config{Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	srv, err := mock.NewHTTPServer(m, mock.Limits{ReadHeaderTimeout: 2 * time.Second, MaxConns: 64})
	if err != nil {
		fmt.Println(err)
		return
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Println(err)
		return
	}
	go srv.Serve(ln)
	defer srv.Shutdown(context.Background())

	resp, err := http.Get("http://" + ln.Addr().String() + mock.PathHealth)
	if err != nil {
		fmt.Println(err)
		return
	}
	resp.Body.Close()
	fmt.Println(resp.Status, srv.Limits().WriteTimeout)
	// Output:
	// 200 OK 2m0s
}

// The mock as an http.Handler: here served by httptest, and read back in Go
// as the admin API would read it.
func ExampleNew() {
	srv, err := mock.New(mock.Config{Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	defer srv.Close()

	body := `{"params":[{"loginId":"kim@example.com","accessRules":{"consoleAccessAllowed":true,"apiAccessAllowed":false}}]}`
	resp, err := ts.Client().Post(ts.URL+"/api/v1/users/bulk", "application/json", strings.NewReader(body))
	if err != nil {
		fmt.Println(err)
		return
	}
	resp.Body.Close()
	users, err := srv.Users(context.Background())
	fmt.Println(resp.StatusCode, len(users), users[0].LoginID, err)
	fmt.Println(len(srv.Requests(mock.JournalFilter{})), "request in the journal")
	srv.ClearRequests()
	fmt.Println(len(srv.Requests(mock.JournalFilter{})), "after ClearRequests")
	// Output:
	// 200 1 kim@example.com <nil>
	// 1 request in the journal
	// 0 after ClearRequests
}
