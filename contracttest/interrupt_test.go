package contracttest_test

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/ncpmock/ncpmock/contracttest"
	"github.com/ncpmock/ncpmock/mock"
)

// errSignal stands for the cause signal.NotifyContext gives its context.
var errSignal = errors.New("interrupt signal received")

// TestInterruptedRun: a run whose context is cancelled while its third case
// waits for an answer reports that case and the ones after it as not run,
// not as failures of the server, still cleans up, and returns
// ErrInterrupted with the cause.
func TestInterruptedRun(t *testing.T) {
	m, err := mock.New(mock.Config{})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancelCause(context.Background())
	defer cancel(nil)
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/api/v1/users/bulk" && n.Add(1) == 3 {
			io.Copy(io.Discard, r.Body) // so that the server sees the client go
			cancel(errSignal)           // the signal comes while the server works on it
			<-r.Context().Done()
			return
		}
		m.ServeHTTP(w, r)
	}))
	defer srv.Close()
	only := []string{"positive/typical", "positive/boundary/requiredOnly", "negative/empty-body", "negative/malformed-json", "semantic"}
	report, err := contracttest.Check(ctx, srv.URL, contracttest.Config{Only: only, Cleanup: true}, nil)
	var ie *contracttest.InterruptedError
	if !errors.Is(err, contracttest.ErrInterrupted) || !errors.As(err, &ie) || !errors.Is(err, errSignal) || errors.Is(err, contracttest.ErrContract) {
		t.Fatalf("got %v, want ErrInterrupted with the cause and no contract error", err)
	}
	if ie.NotRun != 4 || len(report.Cases) != 6 {
		t.Fatalf("%d not run of %d cases, want 4 of 6", ie.NotRun, len(report.Cases))
	}
	for i, c := range report.Cases {
		want := contracttest.StatusPass
		if i >= 2 {
			want = contracttest.StatusNotRun
		}
		if c.Status != want || len(c.Failures) != 0 {
			t.Errorf("case %s: %s with %d failures, want %s and none", c.Name, c.Status, len(c.Failures), want)
		}
	}
	if c := report.Cleanup; c == nil || c.Deleted != len(report.Created) || len(report.Created) == 0 {
		t.Errorf("cleanup %+v of %d users, want every one deleted", c, len(report.Created))
	}

	var out bytes.Buffer
	contracttest.WriteSummary(&out, report, contracttest.SummaryOptions{})
	all, err := contracttest.CaseNames(contracttest.Config{})
	if err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("2 passed, 0 failed, 0 skipped, 4 not run (interrupted: interrupt signal received), %d not selected", len(all)-6)
	if !strings.Contains(out.String(), want) {
		t.Errorf("summary %q, want %q", out.String(), want)
	}
	var junit bytes.Buffer
	if err := contracttest.WriteJUnit(&junit, report); err != nil {
		t.Fatal(err)
	}
	var parsed struct {
		Tests    int `xml:"tests,attr"`
		Failures int `xml:"failures,attr"`
		Skipped  int `xml:"skipped,attr"`
		Suite    struct {
			Cases []struct {
				Skipped *struct {
					Message string `xml:"message,attr"`
				} `xml:"skipped"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal(junit.Bytes(), &parsed); err != nil {
		t.Fatal(err)
	}
	if parsed.Tests != 6 || parsed.Failures != 0 || parsed.Skipped != 4 {
		t.Fatalf("JUnit: %d tests, %d failures, %d skipped; want 6, 0, 4", parsed.Tests, parsed.Failures, parsed.Skipped)
	}
	if s := parsed.Suite.Cases[5].Skipped; s == nil || s.Message != "not run: interrupted (interrupt signal received)" {
		t.Errorf("JUnit skipped of the last case: %+v", s)
	}
}
