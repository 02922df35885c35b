// Command baseline is the yardstick of bench/load.sh: a bare Echo server that
// reads each request's body and answers a fixed 200, so that ncpmock's
// throughput can be given as a share of what Echo itself serves on the same
// machine in the same run.
//
// With --answer FILE (and --status) it answers every POST with the file's
// bytes instead: given the very answer ncpmock sends, it shows what sending
// that answer costs on its own, without validating or storing anything.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"

	"github.com/labstack/echo/v4"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "baseline:", err)
		os.Exit(1)
	}
}

func run() error {
	addr := flag.String("addr", "127.0.0.1:0", "`host:port` to listen on")
	answerFile := flag.String("answer", "", "`file` whose bytes answer every POST (default {\"status\":\"ok\"})")
	status := flag.Int("status", http.StatusOK, "HTTP `status` of the POST answers")
	flag.Parse()
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	fixed := []byte(`{"status":"ok"}`)
	answer, code := fixed, *status
	if *answerFile != "" {
		var err error
		if answer, err = os.ReadFile(*answerFile); err != nil {
			return err
		}
	}
	if code < 100 || code > 599 {
		return fmt.Errorf("--status %d: want an HTTP status", code)
	}
	handler := func(c echo.Context) error {
		if _, err := io.Copy(io.Discard, c.Request().Body); err != nil {
			return err
		}
		return c.JSONBlob(code, answer)
	}
	e.POST("/*", handler)
	e.GET("/healthz", func(c echo.Context) error { return c.JSONBlob(http.StatusOK, fixed) })
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	fmt.Printf("baseline listening on http://%s\n", ln.Addr())
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	srv := &http.Server{Handler: e}
	go func() {
		<-ctx.Done()
		_ = srv.Shutdown(context.Background())
	}()
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
