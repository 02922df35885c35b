package main

import (
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ncpmock/ncpmock/mock"
	"github.com/ncpmock/ncpmock/mock/mocktest"
)

func TestTestCommand(t *testing.T) {
	srv := mocktest.NewServer(t, mock.Config{})
	dir := t.TempDir()
	junit := filepath.Join(dir, "junit.xml")
	code, stdout, stderr := runCLI(t, "test", "--target", srv.URL, "--seed", "2", "--junit", junit, "--json", filepath.Join(dir, "r.json"))
	if code != 0 || !strings.Contains(stdout, "PASS  positive/minimal") || !strings.Contains(stdout, " passed, 0 failed, 0 skipped") {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	if data, err := os.ReadFile(junit); err != nil || !strings.Contains(string(data), "<testsuites") {
		t.Fatalf("junit: %v", err)
	}

	// A server that answers 200 to everything breaks the contract: exit 1.
	bad := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`[]`))
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hs := &http.Server{Handler: bad}
	go hs.Serve(ln)
	t.Cleanup(func() { hs.Close() })
	code, stdout, stderr = runCLI(t, "test", "--target", "http://"+ln.Addr().String(), "--only", "negative/101-users")
	if code != 1 || !strings.Contains(stdout, "negative_data_rejection") || !strings.Contains(stdout, "reproduce: curl") || stderr != "" {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}

	code, _, stderr = runCLI(t, "test")
	if code != 2 || !strings.Contains(stderr, "--target is required") {
		t.Fatalf("no target: exit %d %q", code, stderr)
	}
	addr := ln.Addr().String()
	hs.Close()
	code, _, stderr = runCLI(t, "test", "--target", "http://"+addr)
	if code != 2 || !strings.Contains(stderr, "cannot reach") {
		t.Fatalf("unreachable: exit %d %q", code, stderr)
	}
	code, _, stderr = runCLI(t, "test", "--target", "http://127.0.0.1:1", "--only", "nothing")
	if code != 2 || !strings.Contains(stderr, "no case matches") {
		t.Fatalf("bad --only: exit %d %q", code, stderr)
	}
}
