package contracttest

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// Status is the outcome of a case.
type Status string

// The outcomes of a case.
const (
	StatusPass Status = "pass"
	StatusFail Status = "fail"
	StatusSkip Status = "skip"
	// StatusNotRun is a case the run did not finish because it was
	// interrupted (its context was cancelled); SkipReason says why.
	StatusNotRun Status = "not-run"
)

// Report is the outcome of a contract run.
type Report struct {
	Target   string `json:"target"`
	Endpoint string `json:"endpoint"`
	// Loopback is true when the endpoint is on a loopback address.
	Loopback bool          `json:"loopback"`
	Seed     uint64        `json:"seed"`
	RunID    string        `json:"runId"`
	Started  time.Time     `json:"started"`
	Duration time.Duration `json:"durationNs"`
	Cases    []*CaseResult `json:"cases"`
	// Deselected counts the cases Config.Only and Config.Skip left out.
	Deselected int `json:"deselected,omitempty"`
	// Created lists every user the run created, so they can be removed:
	// every user ID read from a result of a 2xx answer for a login ID the
	// run sent, whether or not the answer passed its checks. Check leaves it
	// empty, not nil, when nobody was created: the JSON has [], never null.
	Created []CreatedUser `json:"created"`
	// MaybeCreated lists the login IDs a request may have created without
	// an answer that gives an id to delete them by (see MaybeCreated): they
	// are to be looked up by login ID, as Config.Cleanup does.
	MaybeCreated []MaybeCreated `json:"maybeCreated"`
	// Cleanup is what deleting them gave, when Config.Cleanup asked for it.
	Cleanup *CleanupResult `json:"cleanup,omitempty"`
	// Interrupted is why the run stopped before every case ran (the cause
	// of its context's cancellation); empty when it did not.
	Interrupted string `json:"interrupted,omitempty"`
	// Unreachable is why the run stopped at its first request: the target
	// could not be reached. Empty when it could.
	Unreachable string `json:"unreachable,omitempty"`
}

// CaseResult is the outcome of one case.
type CaseResult struct {
	Name        string        `json:"name"`
	Kind        Kind          `json:"kind"`
	Description string        `json:"description"`
	Status      Status        `json:"status"`
	SkipReason  string        `json:"skipReason,omitempty"`
	Duration    time.Duration `json:"durationNs"`
	Failures    []*Failure    `json:"failures,omitempty"`
	// Exchanges are the requests the case sent and the answers it got.
	Exchanges []*Exchange `json:"exchanges,omitempty"`
}

// CreatedUser is a user a run created.
type CreatedUser struct {
	LoginID string `json:"loginId"`
	ID      string `json:"id"`
	NRN     string `json:"nrn"`
	Case    string `json:"case"`
}

// Exchange is one request and its answer.
type Exchange struct {
	Method         string        `json:"method"`
	URL            string        `json:"url"`
	RequestHeader  http.Header   `json:"requestHeader"`
	RequestBody    string        `json:"requestBody"`
	Status         int           `json:"status,omitempty"`
	ResponseHeader http.Header   `json:"responseHeader,omitempty"`
	ResponseBody   string        `json:"responseBody,omitempty"`
	Error          string        `json:"error,omitempty"`
	Duration       time.Duration `json:"durationNs"`
	// connected is whether the request got a connection: one that got none
	// was never sent, and created nobody.
	connected bool
	// auth is how the request was authenticated, for its curl command.
	auth authMode
}

// Failure is one failed check. It is an error.
type Failure struct {
	Case     string `json:"case"`
	Check    string `json:"check"`
	Expected string `json:"expected"`
	Got      string `json:"got"`
	// Curl reproduces the request that failed, with secrets redacted.
	Curl string `json:"curl,omitempty"`
	// CurlBefore are the commands to run first, in order: one for each
	// request the case sent before the one that failed, whose answer may
	// rest on them (a login ID created by the first is a duplicate in the
	// second).
	CurlBefore []string `json:"curlBefore,omitempty"`
	// CreatesUsers is true when the requests of the commands create users
	// on a correct server: they reproduce the failure only against a server
	// without their login IDs, which the one tested may hold by now.
	CreatesUsers bool `json:"createsUsers,omitempty"`
}

// Error says which check failed in which case and how.
func (f *Failure) Error() string {
	return fmt.Sprintf("%s: %s: expected %s; got %s", f.Case, f.Check, f.Expected, f.Got)
}

// ErrContract is matched by the error Check returns when a check failed.
var ErrContract = errors.New("the server breaks the contract")

// ContractError joins every failure of a run.
type ContractError struct {
	Failures []*Failure
}

// Error lists the failures, one per line.
func (e *ContractError) Error() string {
	lines := make([]string, len(e.Failures))
	for i, f := range e.Failures {
		lines[i] = f.Error()
	}
	return fmt.Sprintf("%d failed checks:\n%s", len(e.Failures), strings.Join(lines, "\n"))
}

// Unwrap returns the failures, for errors.As on a *Failure.
func (e *ContractError) Unwrap() []error {
	errs := make([]error, len(e.Failures))
	for i, f := range e.Failures {
		errs[i] = f
	}
	return errs
}

// Is reports whether target is ErrContract.
func (e *ContractError) Is(target error) bool { return target == ErrContract }

// Count returns how many cases passed, failed and were skipped.
func (r *Report) Count() (passed, failed, skipped int) {
	for _, c := range r.Cases {
		switch c.Status {
		case StatusPass:
			passed++
		case StatusFail:
			failed++
		case StatusSkip:
			skipped++
		}
	}
	return passed, failed, skipped
}

// NotRun returns how many cases an interruption left unfinished.
func (r *Report) NotRun() int {
	n := 0
	for _, c := range r.Cases {
		if c.Status == StatusNotRun {
			n++
		}
	}
	return n
}

// ErrInterrupted is matched by the error Check returns when its context was
// cancelled before every case ran.
var ErrInterrupted = errors.New("contract run interrupted")

// InterruptedError reports a run stopped before every case ran. The report
// is complete otherwise: the cases not run are marked StatusNotRun, the
// created users listed and clean-up done.
type InterruptedError struct {
	// Cause is why the context was cancelled (context.Cause).
	Cause error
	// NotRun counts the cases not run, of Total.
	NotRun, Total int
	// Contract is the *ContractError of the cases that ran, or nil.
	Contract error
}

// Error says how many cases were not run, and why.
func (e *InterruptedError) Error() string {
	return fmt.Sprintf("interrupted (%v): %d of %d cases not run", e.Cause, e.NotRun, e.Total)
}

// Unwrap returns the cause and the contract error, if any, for errors.Is
// and errors.As.
func (e *InterruptedError) Unwrap() []error {
	if e.Contract == nil {
		return []error{e.Cause}
	}
	return []error{e.Cause, e.Contract}
}

// Is reports whether target is ErrInterrupted.
func (e *InterruptedError) Is(target error) bool { return target == ErrInterrupted }

// Failures returns every failure of the run, in case order.
func (r *Report) Failures() []*Failure {
	var all []*Failure
	for _, c := range r.Cases {
		all = append(all, c.Failures...)
	}
	return all
}

// Err returns a *ContractError when any check failed, nil otherwise.
func (r *Report) Err() error {
	if f := r.Failures(); len(f) > 0 {
		return &ContractError{Failures: f}
	}
	return nil
}
