package mock_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ncpmock/ncpmock/mock"
	"github.com/ncpmock/ncpmock/openapi"
)

// safety bounds every wait on a socket in these tests, so that a broken
// limit fails the test instead of hanging it. No test waits for it to pass.
const safety = 20 * time.Second

// serveLimited serves h (the mock when nil) with limits on a loopback port
// and returns the address. The server is closed when the test ends.
func serveLimited(t *testing.T, h http.Handler, limits mock.Limits) string {
	t.Helper()
	if h == nil {
		m, err := mock.New(mock.Config{Seed: 1, MaxBodyBytes: 1024})
		if err != nil {
			t.Fatal(err)
		}
		h = m
	}
	srv, err := mock.NewHTTPServer(h, limits)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	t.Cleanup(func() {
		srv.Close()
		if err := <-served; !errors.Is(err, http.ErrServerClosed) {
			t.Errorf("Serve: got %v, want http.ErrServerClosed", err)
		}
	})
	return ln.Addr().String()
}

func dial(t *testing.T, addr string) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	if err := c.SetDeadline(time.Now().Add(safety)); err != nil {
		t.Fatal(err)
	}
	return c
}

func TestLimitsDefaults(t *testing.T) {
	srv, err := mock.NewHTTPServer(http.NotFoundHandler(), mock.Limits{ReadTimeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	want := mock.Limits{
		MaxHeaderBytes:    mock.DefaultMaxHeaderBytes,
		ReadHeaderTimeout: mock.DefaultReadHeaderTimeout,
		ReadTimeout:       time.Second,
		WriteTimeout:      mock.DefaultWriteTimeout,
		IdleTimeout:       mock.DefaultIdleTimeout,
		MaxConns:          mock.DefaultMaxConns,
	}
	if got := srv.Limits(); got != want {
		t.Errorf("got %+v, want %+v", got, want)
	}
	hs := srv.Server
	if hs.ReadTimeout != time.Second || hs.ReadHeaderTimeout != want.ReadHeaderTimeout ||
		hs.WriteTimeout != want.WriteTimeout || hs.IdleTimeout != want.IdleTimeout || hs.MaxHeaderBytes != want.MaxHeaderBytes {
		t.Errorf("http.Server not configured with %+v", want)
	}
}

func TestLimitsRefuseNegative(t *testing.T) {
	for name, l := range map[string]mock.Limits{
		"header bytes": {MaxHeaderBytes: -1},
		"header time":  {ReadHeaderTimeout: -1},
		"read":         {ReadTimeout: -1},
		"write":        {WriteTimeout: -1},
		"idle":         {IdleTimeout: -1},
		"conns":        {MaxConns: -1},
	} {
		if _, err := mock.NewHTTPServer(http.NotFoundHandler(), l); err == nil {
			t.Errorf("%s: got nil error, want one", name)
		}
	}
}

func TestMaxHeaderBytes(t *testing.T) {
	addr := serveLimited(t, nil, mock.Limits{MaxHeaderBytes: 1024})
	tests := []struct {
		name   string
		header int // bytes of one extra header's value
		status int
	}{
		{"under the limit", 512, http.StatusOK},
		// net/http allows 4 KiB over MaxHeaderBytes.
		{"over the limit", 8 << 10, http.StatusRequestHeaderFieldsTooLarge},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req, err := http.NewRequest(http.MethodGet, "http://"+addr+mock.PathHealth, nil)
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("X-Padding", strings.Repeat("a", tc.header))
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tc.status {
				t.Errorf("got %d, want %d", resp.StatusCode, tc.status)
			}
		})
	}
}

// dribble writes data one byte per tick until it is all sent or stop is
// closed, and returns how many bytes it wrote.
func dribble(c net.Conn, data []byte, tick time.Duration, stop <-chan struct{}) int {
	t := time.NewTicker(tick)
	defer t.Stop()
	for i := range data {
		select {
		case <-stop:
			return i
		case <-t.C:
		}
		if _, err := c.Write(data[i : i+1]); err != nil {
			return i
		}
	}
	return len(data)
}

// readAll reads c until it closes, in the background; the channel gets what
// was read and the error that ended it.
func readAll(c net.Conn) <-chan readResult {
	ch := make(chan readResult, 1)
	go func() {
		data, err := io.ReadAll(c)
		ch <- readResult{data, err}
	}()
	return ch
}

type readResult struct {
	data []byte
	err  error
}

// TestReadHeaderTimeoutCutsSlowClient sends headers one byte at a time: the
// server must close the connection long before they are complete.
func TestReadHeaderTimeoutCutsSlowClient(t *testing.T) {
	addr := serveLimited(t, nil, mock.Limits{ReadHeaderTimeout: 200 * time.Millisecond})
	c := dial(t, addr)
	req := []byte("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: " + strings.Repeat("s", 300) + "\r\n\r\n")
	got := readAll(c)
	stop := make(chan struct{})
	sentCh := make(chan int, 1)
	go func() { sentCh <- dribble(c, req, 20*time.Millisecond, stop) }()
	res := <-got
	close(stop)
	sent := <-sentCh
	if res.err != nil && isTimeout(res.err) {
		t.Fatalf("the server kept the connection open for %s", safety)
	}
	if sent >= len(req) {
		t.Fatalf("all %d bytes of headers were sent before the server closed the connection", sent)
	}
	// net/http closes the connection, after a plain 400 when part of the
	// request line had come.
	if len(res.data) > 0 && !bytes.HasPrefix(res.data, []byte("HTTP/1.1 400 ")) {
		t.Errorf("got an answer %q, want the connection closed", res.data)
	}
	t.Logf("connection closed after %d of %d header bytes", sent, len(req))
}

// TestReadTimeoutCutsSlowBody sends headers at once and the body one byte at
// a time: the answer is a 400 that says the body came too slowly.
func TestReadTimeoutCutsSlowBody(t *testing.T) {
	addr := serveLimited(t, nil, mock.Limits{ReadTimeout: 300 * time.Millisecond})
	c := dial(t, addr)
	body := bytes.Repeat([]byte(" "), 1000)
	head := "POST /api/v1/users/bulk HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n"
	if _, err := io.WriteString(c, head); err != nil {
		t.Fatal(err)
	}
	stop := make(chan struct{})
	sentCh := make(chan int, 1)
	go func() { sentCh <- dribble(c, body, 20*time.Millisecond, stop) }()
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	close(stop)
	if err != nil {
		t.Fatalf("read answer: %v", err)
	}
	defer resp.Body.Close()
	if sent := <-sentCh; sent >= len(body) {
		t.Fatalf("the whole body was sent before the answer")
	}
	var e openapi.ErrorResponse
	if err := json.NewDecoder(resp.Body).Decode(&e); err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusBadRequest || len(e.FieldErrors) != 1 ||
		e.FieldErrors[0].Rule != openapi.RuleBody || !strings.Contains(e.FieldErrors[0].Message, "read timeout") {
		t.Errorf("got %d %+v, want 400 with a body problem naming the read timeout", resp.StatusCode, e)
	}
}

// TestWriteTimeoutFreesHandler serves a client that never reads: the
// handler's writes must fail once the write timeout passes, instead of
// blocking for ever.
func TestWriteTimeoutFreesHandler(t *testing.T) {
	done := make(chan error, 1)
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		chunk := bytes.Repeat([]byte("x"), 64<<10)
		for {
			if _, err := w.Write(chunk); err != nil {
				done <- err
				return
			}
			w.(http.Flusher).Flush()
		}
	})
	addr := serveLimited(t, h, mock.Limits{WriteTimeout: 200 * time.Millisecond})
	c := dial(t, addr)
	if _, err := io.WriteString(c, "GET / HTTP/1.1\r\nHost: x\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-done:
		t.Logf("handler freed by: %v", err)
	case <-time.After(safety):
		t.Fatalf("the handler was still writing after %s", safety)
	}
}

// TestIdleTimeoutClosesKeepAlive leaves a keep-alive connection idle after
// one answer: the server must close it.
func TestIdleTimeoutClosesKeepAlive(t *testing.T) {
	addr := serveLimited(t, nil, mock.Limits{IdleTimeout: 200 * time.Millisecond})
	c := dial(t, addr)
	if _, err := io.WriteString(c, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	br := bufio.NewReader(c)
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Close {
		t.Fatalf("got %d, close=%t; want 200 on a kept-alive connection", resp.StatusCode, resp.Close)
	}
	n, err := br.Read(make([]byte, 1))
	if n != 0 || !errors.Is(err, io.EOF) {
		t.Errorf("got (%d, %v), want the server to close the idle connection (EOF)", n, err)
	}
}

// TestMaxConnsQueuesExtraClients caps connections at one: a second client is
// not answered while the first holds its connection, and is answered as soon
// as the first closes it.
func TestMaxConnsQueuesExtraClients(t *testing.T) {
	addr := serveLimited(t, nil, mock.Limits{MaxConns: 1})
	first := dial(t, addr)
	get := "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
	if _, err := io.WriteString(first, get); err != nil {
		t.Fatal(err)
	}
	if resp, err := http.ReadResponse(bufio.NewReader(first), nil); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("first client: got (%v, %v), want 200", resp, err)
	}

	second := dial(t, addr) // the kernel completes the handshake; the server does not accept
	if _, err := io.WriteString(second, get); err != nil {
		t.Fatal(err)
	}
	// A negative check: while the first connection is open, no answer comes.
	// A slow machine can only make this pass more easily, never fail.
	if err := second.SetReadDeadline(time.Now().Add(300 * time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	br := bufio.NewReader(second)
	if _, err := br.Peek(1); !isTimeout(err) {
		t.Fatalf("second client: got %v while the first held the only slot, want no answer", err)
	}
	first.Close()
	if err := second.SetReadDeadline(time.Now().Add(safety)); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(br, nil)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("second client after the first closed: got (%v, %v), want 200", resp, err)
	}
}

// TestBodyLimitAnswersBeforeReset sends a body far over the limit through a
// real connection: the client must get the 413, not a connection reset.
func TestBodyLimitAnswersBeforeReset(t *testing.T) {
	addr := serveLimited(t, nil, mock.Limits{}) // the mock here takes 1 KiB bodies
	for _, size := range []int{2 << 10, 4 << 20} {
		resp, err := http.Post("http://"+addr+"/api/v1/users/bulk", "application/json",
			bytes.NewReader(bytes.Repeat([]byte(" "), size)))
		if err != nil {
			t.Fatalf("%d bytes: %v", size, err)
		}
		var e openapi.GatewayError
		err = json.NewDecoder(resp.Body).Decode(&e)
		resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusRequestEntityTooLarge || e.Error.ErrorCode != "430" {
			t.Errorf("%d bytes: got %d %+v (%v), want 413 with gateway code 430", size, resp.StatusCode, e, err)
		}
	}
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}
