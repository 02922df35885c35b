package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
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

// startFaultRequest sends a whole bulk request creating loginID with the
// given X-Ncpmock-Fault on a new connection, and returns once its handler is
// running (it has asked for the body: "100 Continue"), with a reader of the
// connection.
func startFaultRequest(t *testing.T, addr, fault, loginID string) *bufio.Reader {
	t.Helper()
	body := strings.Replace(oneUserBody, "kim@example.com", loginID, 1)
	c := dialTest(t, addr)
	_, err := fmt.Fprintf(c, "POST /api/v1/users/bulk HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"+
		"X-Ncpmock-Fault: %s\r\nExpect: 100-continue\r\nContent-Length: %d\r\n\r\n", fault, len(body))
	if err != nil {
		t.Fatal(err)
	}
	br := bufio.NewReader(c)
	resp, err := http.ReadResponse(br, nil)
	if err != nil || resp.StatusCode != http.StatusContinue {
		t.Fatalf("%s: got (%v, %v), want 100 Continue", fault, resp, err)
	}
	if _, err := io.WriteString(c, body); err != nil {
		t.Fatal(err)
	}
	return br
}

// readCreated reads a whole answer from br and fails unless it is a 200 that
// created one user. It returns the answer's warnings.
func readCreated(t *testing.T, br *bufio.Reader, what string) []string {
	t.Helper()
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatalf("%s: got no answer: %v", what, err)
	}
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s: the answer was cut after %d bytes: %v", what, len(data), err)
	}
	var results []openapi.UserResult
	if err := json.Unmarshal(data, &results); err != nil || resp.StatusCode != http.StatusOK || len(results) != 1 || !results[0].Success {
		t.Fatalf("%s: got %d %s, want 200 with one created user", what, resp.StatusCode, data)
	}
	return resp.Header.Values("X-Ncpmock-Warning")
}

// TestShutdownLetsALatencyFinish: a latency fault in flight when SIGTERM
// comes, well within --shutdown-timeout, runs its course; the request is
// answered and run returns nil.
func TestShutdownLetsALatencyFinish(t *testing.T) {
	r := startServe(t, nil)
	br := startFaultRequest(t, hostOf(t, r.url), "latency=300ms", "kim@example.com")
	r.cancel()
	r.waitLine(t, "shutting down")
	if warnings := readCreated(t, br, "latency"); len(warnings) != 0 {
		t.Errorf("got warnings %q, want none: the latency fitted in the shutdown timeout", warnings)
	}
	if err := r.wait(t); err != nil {
		t.Fatalf("run: got %v, want nil", err)
	}
	if log := r.stderr.String(); !strings.Contains(log, `fault="latency (header)"`) {
		t.Errorf("access log %q, want the latency fault, not cut short", log)
	}
}

// TestShutdownWithFaultsInFlight sends SIGTERM while a 20s latency, a 5m
// hang and a 5m slow body hold requests, with --shutdown-timeout 2s: the hang
// is released at once without an answer, the latency and the slow body are
// cut short before the timeout and their requests answered in full, the log
// says so, and run returns nil (exit 0).
func TestShutdownWithFaultsInFlight(t *testing.T) {
	r := startServe(t, nil, "--shutdown-timeout", "2s")
	addr := hostOf(t, r.url)
	latency := startFaultRequest(t, addr, "latency=20s", "latency@example.com")
	hang := startFaultRequest(t, addr, "hang=5m", "hang@example.com")
	slow := startFaultRequest(t, addr, "slow-body=5m; chunks=2", "slow@example.com")
	slowResp, err := http.ReadResponse(slow, nil) // the headers: the body is being dribbled
	if err != nil {
		t.Fatal(err)
	}
	r.cancel()

	if resp, err := http.ReadResponse(hang, nil); !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		t.Errorf("hang: got (%v, %v), want the connection closed without an answer", resp, err)
	}
	warnings := readCreated(t, latency, "latency")
	if !slices.ContainsFunc(warnings, func(w string) bool { return strings.Contains(w, "latency cut short") }) {
		t.Errorf("latency: got warnings %q, want one saying it was cut short", warnings)
	}
	data, err := io.ReadAll(slowResp.Body)
	if err != nil || int64(len(data)) != slowResp.ContentLength || !strings.Contains(string(data), `"success":true`) {
		t.Errorf("slow body: got (%q, %v), want all %d bytes of a success", data, err, slowResp.ContentLength)
	}
	if err := r.wait(t); err != nil {
		t.Fatalf("run: got %v, want nil", err)
	}
	if code := exitCode(nil, io.Discard); code != 0 {
		t.Errorf("exit code %d, want 0", code)
	}
	log := r.stderr.String()
	for _, kind := range []string{"latency", "hang", "slow-body"} {
		if want := `fault="` + kind + ` (header; cut short by shutdown)"`; !strings.Contains(log, want) {
			t.Errorf("access log lacks %s:\n%s", want, log)
		}
	}
}
