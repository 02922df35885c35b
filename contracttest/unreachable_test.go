package contracttest_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ncpmock/ncpmock/contracttest"
	"github.com/ncpmock/ncpmock/mock"
)

// dyingMock serves the mock on 127.0.0.1:0 and returns its URL and a func
// that stops it for good: the port is closed, later dials are refused.
func dyingMock(t *testing.T) (url string, kill func()) {
	t.Helper()
	m, err := mock.New(mock.Config{})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hs := &http.Server{Handler: m}
	go hs.Serve(ln)
	t.Cleanup(func() { hs.Close() })
	return "http://" + ln.Addr().String(), func() { hs.Close() }
}

// TestTargetDiesMidRun: a server that stops after two cases fails each
// later case with response_received; the run still ends with every case in
// the report, the users created before listed and their clean-up tried.
func TestTargetDiesMidRun(t *testing.T) {
	url, kill := dyingMock(t)
	cfg := contracttest.Config{Cleanup: true, Only: []string{"positive/typical", "positive/boundary/requiredOnly",
		"negative/empty-body", "negative/malformed-json", "semantic"}}
	ran := 0
	report, err := contracttest.Check(context.Background(), url, cfg, func(*contracttest.CaseResult) {
		if ran++; ran == 2 {
			kill()
		}
	})
	if errors.Is(err, contracttest.ErrUnreachable) || !errors.Is(err, contracttest.ErrContract) {
		t.Fatalf("got %v, want a contract error, not ErrUnreachable", err)
	}
	if report == nil || len(report.Cases) != 6 || ran != 6 {
		t.Fatalf("got a report of %d cases (%d reported live), want all 6", len(report.Cases), ran)
	}
	for i, c := range report.Cases {
		switch {
		case i < 2 && c.Status != contracttest.StatusPass:
			t.Errorf("case %s before the server died: %s, want pass", c.Name, c.Status)
		case i >= 2 && (c.Status != contracttest.StatusFail || len(c.Failures) != 1 || c.Failures[0].Check != contracttest.CheckResponseReceived):
			t.Errorf("case %s after the server died: %s %+v, want one response_received failure", c.Name, c.Status, c.Failures)
		}
	}
	if len(report.Created) == 0 {
		t.Fatal("the users created before the server died are not listed")
	}
	if c := report.Cleanup; c == nil || c.Deleted != 0 || len(c.Failed) != len(report.Created) || c.Failed[0].Reason == "" {
		t.Fatalf("cleanup %+v, want every one of %d users not deleted, with a reason", c, len(report.Created))
	}
}

// TestTargetDropsConnectionsMidRun: a server whose network drops every new
// connection after the first case (no refusal, no answer) costs the case
// that finds it so the whole timeout, and each case after it at most a
// second to find it still so.
func TestTargetDropsConnectionsMidRun(t *testing.T) {
	url, _ := dyingMock(t)
	var dropped atomic.Bool
	addr := strings.TrimPrefix(url, "http://")
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true,
		DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			if dropped.Load() {
				<-ctx.Done()
				return nil, &net.OpError{Op: "dial", Net: network, Err: ctx.Err()}
			}
			return (&net.Dialer{}).DialContext(ctx, network, addr)
		}}}
	cfg := contracttest.Config{Client: client, Timeout: 2 * time.Second,
		Only: []string{"negative/malformed-json", "negative/empty-body", "negative/wrong-content-type"}}
	report, err := contracttest.Check(context.Background(), url, cfg, func(*contracttest.CaseResult) { dropped.Store(true) })
	if !errors.Is(err, contracttest.ErrContract) || len(report.Cases) != 3 {
		t.Fatalf("got %v, want a contract error and 3 cases", err)
	}
	last := report.Cases[2]
	if f := last.Failures; len(f) != 1 || f[0].Check != contracttest.CheckResponseReceived ||
		f[0].Got != "no connection within 1s (unreachable since case negative/empty-body)" {
		t.Fatalf("last case: %+v, want response_received: no connection within 1s since the case before", f)
	}
	if last.Duration >= cfg.Timeout {
		t.Errorf("the last case took %s, want less than the timeout %s", last.Duration, cfg.Timeout)
	}
}
