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
	// StatusPass is a case whose every check passed.
	StatusPass Status = "pass"
	// StatusFail is a case with at least one failed check
	// (CaseResult.Failures).
	StatusFail Status = "fail"
	// StatusSkip is a case that was not run; SkipReason says why, such as
	// a case that creates users on a target not on a loopback address.
	StatusSkip Status = "skip"
	// StatusNotRun is a case the run did not finish because it was
	// interrupted (its context was cancelled); SkipReason says why.
	StatusNotRun Status = "not-run"
)

// Report is the outcome of a contract run.
type Report struct {
	// Target is the target as given to Check or Run.
	Target string `json:"target"`
	// Endpoint is the URL every request was posted to: Target with the
	// operation's path (http://127.0.0.1:8780/api/v1/users/bulk).
	Endpoint string `json:"endpoint"`
	// Loopback is true when the endpoint is on a loopback address.
	Loopback bool `json:"loopback"`
	// Seed is Config.Seed, which made the request bodies.
	Seed uint64 `json:"seed"`
	// RunID is the run ID in every login ID the run sent: Config.RunID, or
	// the one NewRunID made when that was empty.
	RunID string `json:"runId"`
	// Started is when the run started, before its first case.
	Started time.Time `json:"started"`
	// Duration is how long the run took, clean-up included; in the JSON, an
	// integer of nanoseconds.
	Duration time.Duration `json:"durationNs"`
	// Cases are the results of the selected cases, in the order they ran;
	// those an interruption or an unreachable target kept from running
	// have StatusNotRun.
	Cases []*CaseResult `json:"cases"`
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
	// Name, Kind and Description are the case's (see Case).
	Name        string `json:"name"`
	Kind        Kind   `json:"kind"`
	Description string `json:"description"`
	// Status is the outcome.
	Status Status `json:"status"`
	// SkipReason is why a case was skipped or not run; empty otherwise.
	SkipReason string `json:"skipReason,omitempty"`
	// Duration is how long the case took; zero when it did not run. In the
	// JSON, an integer of nanoseconds.
	Duration time.Duration `json:"durationNs"`
	// Failures are the checks that failed, in the order they failed; empty
	// when the case passed.
	Failures []*Failure `json:"failures,omitempty"`
	// Exchanges are the requests the case sent and the answers it got;
	// kept only for a case that failed, to keep the report small.
	Exchanges []*Exchange `json:"exchanges,omitempty"`
}

// CreatedUser is a user a run created.
type CreatedUser struct {
	// LoginID is the user's login ID: the one the run sent, or, for a user
	// found by a clean-up lookup (CleanupResult.Found), the server's
	// spelling of it.
	LoginID string `json:"loginId"`
	// ID is the user's id (the result's id, or the lookup's userId): the
	// key it is deleted by.
	ID string `json:"id"`
	// NRN is the user's nrn; empty when the answer gave none.
	NRN string `json:"nrn"`
	// Case is the name of the case whose request created it.
	Case string `json:"case"`
}

// Exchange is one request and its answer.
type Exchange struct {
	// Method is the request's method (POST).
	Method string `json:"method"`
	// URL is where the request went: Report.Endpoint.
	URL string `json:"url"`
	// RequestHeader is the request's header as sent, but with the value of
	// each secret header (access key, signature, Authorization, Cookie,
	// admin token) replaced by "REDACTED".
	RequestHeader http.Header `json:"requestHeader"`
	// RequestBody is the request's body, whole.
	RequestBody string `json:"requestBody"`
	// Status is the answer's status; 0 when no answer came (see Error).
	Status int `json:"status,omitempty"`
	// ResponseHeader is the answer's header; nil when no answer came.
	ResponseHeader http.Header `json:"responseHeader,omitempty"`
	// ResponseBody is the answer's body, at most its first 16 MiB.
	ResponseBody string `json:"responseBody,omitempty"`
	// Error is why no complete answer came (a timeout, a reset, a body cut
	// short); empty when one did.
	Error string `json:"error,omitempty"`
	// Duration is from sending the request to the end of the answer's
	// body; in the JSON, an integer of nanoseconds.
	Duration time.Duration `json:"durationNs"`
	// connected is whether the request got a connection: one that got none
	// was never sent, and created nobody.
	connected bool
	// auth is how the request was authenticated, for its curl command.
	auth authMode
}

// Failure is one failed check. It is an error.
type Failure struct {
	// Case is the name of the case.
	Case string `json:"case"`
	// Check is the name of the check that failed, one of Checks().
	Check string `json:"check"`
	// Expected says what the check wanted, in words.
	Expected string `json:"expected"`
	// Got says what the server did instead.
	Got string `json:"got"`
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
	// Failures are every failed check of the run, case by case in the
	// order the cases ran (Report.Failures).
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
