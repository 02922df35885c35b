package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/ncpmock/ncpmock/mock"
	"github.com/ncpmock/ncpmock/mock/mocktest"
)

func TestConfigKeepsTheLoadBoundedAndLocal(t *testing.T) {
	ok := config{url: "http://127.0.0.1:8780", duration: time.Minute, concurrency: 16}
	tests := []struct {
		name string
		edit func(*config)
		want string // in the error; empty for none
	}{
		{"defaults", func(*config) {}, ""},
		{"localhost", func(c *config) { c.url = "http://localhost:8780" }, ""},
		{"another machine", func(c *config) { c.url = "http://192.0.2.1:8780" }, "loopback"},
		{"not http", func(c *config) { c.url = "ftp://127.0.0.1" }, "http://"},
		{"endless", func(c *config) { c.duration = time.Hour }, "at most"},
		{"no workers", func(c *config) { c.concurrency = 0 }, "-concurrency"},
	}
	for _, tc := range tests {
		c := ok
		tc.edit(&c)
		err := c.check()
		if tc.want == "" && err != nil || tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)) {
			t.Errorf("%s: got %v, want an error with %q", tc.name, err, tc.want)
		}
	}
}

// TestDriveAgainstTheMock sends the mix to a mock with a few workers for a
// moment: every family is sent, every fault gives the outcome its kind
// promises, and nothing is unexpected.
func TestDriveAgainstTheMock(t *testing.T) {
	srv := mocktest.NewServer(t, mock.Config{Seed: 1})
	m, err := newMix(1)
	if err != nil {
		t.Fatal(err)
	}
	c := config{url: srv.URL, duration: 1500 * time.Millisecond, concurrency: 4, seed: 1, timeout: 5 * time.Second}
	tally := drive(context.Background(), c, m)
	if n := tally.unexpected(); n > 0 || tally.total == 0 {
		var out strings.Builder
		tally.print(&out, c)
		t.Fatalf("got %d requests, %d unexpected:\n%s", tally.total, n, out.String())
	}
	want := map[string]string{ // kind -> its only outcome, when sent
		"fault reset": "reset", "fault empty": "EOF", "fault garbage=64": "malformed",
		"fault truncated": "200, body unexpected EOF", "fault status=503": "503", "valid": "200",
		"invalid (fault header)": "400", "trigger status-503": "503", "GET /healthz": "200",
		"GET directory": "200", "DELETE directory": "200",
	}
	for kind, outcome := range want {
		got := tally.counts[kind]
		if len(got) > 1 || len(got) == 1 && got[outcome] == 0 {
			t.Errorf("%s: got %v, want only %q", kind, got, outcome)
		}
	}
	if len(tally.counts) < 20 {
		t.Errorf("got %d kinds of request, want most of the mix", len(tally.counts))
	}
}
