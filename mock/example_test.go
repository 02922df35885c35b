package mock_test

import (
	"context"
	"fmt"
	"net"
	"net/http"
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
