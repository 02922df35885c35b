package main

import (
	"bufio"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestServeOutlivesClosedOutputPipes: "ncpmock serve 2>&1 | head -1", or a
// log collector that dies, leaves the server writing its access log and its
// shutdown lines to pipes nobody reads. Go kills a program that writes to a
// closed pipe on stdout or stderr with SIGPIPE, unless it asks for the
// signal; serve must lose those lines, not its clients: it goes on
// answering, and SIGTERM still drains it to exit 0.
func TestServeOutlivesClosedOutputPipes(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, "serve", "--addr", "127.0.0.1:0", "--seed", "1", "--log-format", "json")
	cmd.Env = append(os.Environ(), envRunAsCLI+"=1")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	stderrR, stderrW, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = stderrW
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	stderrW.Close()
	t.Cleanup(func() { _ = cmd.Process.Kill() })

	line, err := bufio.NewReader(stdout).ReadString('\n')
	const prefix = "ncpmock listening on "
	if err != nil || !strings.HasPrefix(line, prefix) {
		t.Fatalf("first line %q (%v), want %q...", line, err, prefix)
	}
	url := strings.Fields(strings.TrimPrefix(line, prefix))[0]
	stdout.Close() // what head -1 does once it has its line
	stderrR.Close()

	client := &http.Client{Timeout: safety}
	for i := range 5 {
		resp, err := client.Get(url + "/healthz")
		if err != nil {
			t.Fatalf("request %d after the pipes closed: %v", i+1, err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("request %d after the pipes closed: got %d, want 200", i+1, resp.StatusCode)
		}
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatalf("SIGTERM: %v (the server is gone)", err)
	}
	waited := make(chan error, 1)
	go func() { waited <- cmd.Wait() }()
	select {
	case err := <-waited:
		if err != nil {
			t.Errorf("after SIGTERM: got %v, want exit 0", err)
		}
	case <-time.After(safety):
		t.Fatalf("serve did not stop within %s of SIGTERM", safety)
	}
}
