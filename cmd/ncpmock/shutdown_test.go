package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ncpmock/ncpmock/openapi"
)

const oneUserBody = `{"params":[{"loginId":"kim@example.com","accessRules":{"consoleAccessAllowed":true,"apiAccessAllowed":false}}]}`

func hostOf(t *testing.T, url string) string {
	t.Helper()
	host, ok := strings.CutPrefix(url, "http://")
	if !ok {
		t.Fatalf("url %q", url)
	}
	return host
}

func dialTest(t *testing.T, addr string) net.Conn {
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

// startBulkRequest starts a bulk request on a new connection and returns
// once its handler is running: it sends the headers with "Expect:
// 100-continue", waits for the "100 Continue" that net/http sends when the
// handler starts reading the body, and sends the first half of the body. It
// returns the connection, a reader of it and the other half.
func startBulkRequest(t *testing.T, addr string) (net.Conn, *bufio.Reader, string) {
	t.Helper()
	c := dialTest(t, addr)
	_, err := fmt.Fprintf(c, "POST /api/v1/users/bulk HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"+
		"Expect: 100-continue\r\nContent-Length: %d\r\n\r\n", len(oneUserBody))
	if err != nil {
		t.Fatal(err)
	}
	br := bufio.NewReader(c)
	resp, err := http.ReadResponse(br, nil)
	if err != nil || resp.StatusCode != http.StatusContinue {
		t.Fatalf("got (%v, %v), want 100 Continue", resp, err)
	}
	half := len(oneUserBody) / 2
	if _, err := io.WriteString(c, oneUserBody[:half]); err != nil {
		t.Fatal(err)
	}
	return c, br, oneUserBody[half:]
}

// TestShutdownFinishesRequestsInFlight cancels run's context (what SIGTERM
// does) while a request's body is still arriving: the server stops taking
// connections and closes idle ones, the request is answered in full, and run
// returns nil (exit 0).
func TestShutdownFinishesRequestsInFlight(t *testing.T) {
	r := startServe(t, nil, "--log-format", "none")
	addr := hostOf(t, r.url)

	idle := dialTest(t, addr)
	if _, err := io.WriteString(idle, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	idleReader := bufio.NewReader(idle)
	resp, err := http.ReadResponse(idleReader, nil)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("idle connection's request: (%v, %v)", resp, err)
	}
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		t.Fatal(err)
	}

	inflight, inflightReader, rest := startBulkRequest(t, addr)
	r.cancel()
	r.waitLine(t, "shutting down")

	if c, err := net.Dial("tcp", addr); err == nil {
		c.Close()
		t.Error("a new connection was accepted after shutdown began")
	}
	if _, err := idleReader.ReadByte(); !errors.Is(err, io.EOF) {
		t.Errorf("idle keep-alive connection: got %v, want it closed (EOF)", err)
	}
	select {
	case err := <-r.done:
		t.Fatalf("run returned %v with a request in flight", err)
	default:
	}

	if _, err := io.WriteString(inflight, rest); err != nil {
		t.Fatal(err)
	}
	resp, err = http.ReadResponse(inflightReader, nil)
	if err != nil {
		t.Fatalf("the request in flight got no answer: %v", err)
	}
	var results []openapi.UserResult
	if err := json.NewDecoder(resp.Body).Decode(&results); err != nil {
		t.Fatalf("the answer is not complete JSON: %v", err)
	}
	if resp.StatusCode != http.StatusOK || len(results) != 1 || !results[0].Success {
		t.Errorf("got %d %+v, want 200 with one created user", resp.StatusCode, results)
	}
	if err := r.wait(t); err != nil {
		t.Errorf("run: got %v, want nil", err)
	}
	if code := exitCode(nil, io.Discard); code != 0 {
		t.Errorf("exit code %d, want 0", code)
	}
	r.waitLine(t, "ncpmock stopped")
}

// TestShutdownTimeoutCutsStragglers leaves a request unfinished past
// --shutdown-timeout: run cuts it off and says so (exit 1).
func TestShutdownTimeoutCutsStragglers(t *testing.T) {
	r := startServe(t, nil, "--log-format", "none", "--shutdown-timeout", "300ms")
	_, straggler, _ := startBulkRequest(t, hostOf(t, r.url))
	r.cancel()
	err := r.wait(t)
	if err == nil || !strings.Contains(err.Error(), "--shutdown-timeout 300ms") {
		t.Fatalf("run: got %v, want an error naming the shutdown timeout", err)
	}
	if code := exitCode(err, io.Discard); code != 1 {
		t.Errorf("exit code %d, want 1", code)
	}
	if _, err := straggler.ReadByte(); err == nil || isTimeout(err) {
		t.Errorf("straggler's connection: got %v, want it closed", err)
	}
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}
