package contracttest

// Sending a request and telling a target that does not answer from one that
// cannot be reached.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptrace"
	"sync/atomic"
	"time"
)

// ErrUnreachable is matched by the error Check returns when the target
// cannot be reached at all: no request of the run got a connection.
var ErrUnreachable = errors.New("target unreachable")

// downDialTimeout bounds the connection of each request while a target that
// answered earlier in the run is unreachable, so that the cases after it
// fail fast however the network drops the connection.
const downDialTimeout = time.Second

// errStillDown is the cause of a request cancelled by downDialTimeout.
var errStillDown = errors.New("still unreachable")

// UnreachableError reports a target that refused or never took the
// connection, before any case got an answer.
type UnreachableError struct {
	// URL is the endpoint the first request was sent to (Report.Endpoint).
	URL string
	// Err is the error of that request, such as a refused connection.
	Err error
}

// Error names the target and the cause.
func (e *UnreachableError) Error() string {
	return fmt.Sprintf("cannot reach %s: %v", e.URL, e.Err)
}

// Unwrap returns the cause.
func (e *UnreachableError) Unwrap() error { return e.Err }

// Is reports whether target is ErrUnreachable.
func (e *UnreachableError) Is(target error) bool { return target == ErrUnreachable }

// exchange sends one request, authenticated as auth says, and reads its
// answer, noting whether the target took the connection; a request that got
// no answer goes to noAnswer.
func (r *caseRun) exchange(body []byte, contentType string, auth authMode) *Exchange {
	ctx, cancel := context.WithTimeout(r.ctx, r.s.cfg.Timeout)
	defer cancel()
	bound := time.Duration(0)
	if r.s.downSince != "" {
		bound = min(r.s.cfg.Timeout, downDialTimeout)
	}
	ctx, conn, release := watchConn(ctx, bound)
	defer release()
	ex := &Exchange{Method: http.MethodPost, URL: r.s.endpoint.String(), RequestBody: string(body), auth: auth}
	req, err := http.NewRequestWithContext(ctx, ex.Method, ex.URL, bytes.NewReader(body))
	if err != nil {
		ex.Error = err.Error()
		return ex
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "ncpmock-contracttest")
	client := r.s.cfg.Client
	if auth != authRun {
		client = r.s.unsigned
		r.s.signAs(req, auth)
	}
	ex.RequestHeader = redactHeaders(req.Header)
	start := time.Now()
	resp, err := client.Do(req)
	if err == nil {
		var data []byte
		data, err = io.ReadAll(io.LimitReader(resp.Body, 16<<20))
		resp.Body.Close()
		ex.Status, ex.ResponseHeader, ex.ResponseBody = resp.StatusCode, resp.Header, string(data)
	}
	ex.Duration, ex.connected = time.Since(start), conn.got.Load()
	if err != nil {
		ex.Error = err.Error()
		r.noAnswer(ex, err, ex.connected, errors.Is(context.Cause(ctx), errStillDown))
		return ex
	}
	r.s.reached, r.s.downSince = true, ""
	return ex
}

// connWatch notes whether a request got a connection to the target.
type connWatch struct{ got atomic.Bool }

// watchConn returns a context whose requests report to the connWatch
// whether they got a connection; with a bound above 0 it also cancels them,
// with the cause errStillDown, unless they get one within it. The returned
// func releases the context.
func watchConn(ctx context.Context, bound time.Duration) (context.Context, *connWatch, func()) {
	w := &connWatch{}
	ctx, cancel := context.WithCancelCause(ctx)
	stop := func() bool { return false }
	if bound > 0 {
		stop = time.AfterFunc(bound, func() { cancel(errStillDown) }).Stop
	}
	trace := &httptrace.ClientTrace{GotConn: func(httptrace.GotConnInfo) {
		w.got.Store(true)
		stop()
	}}
	return httptrace.WithClientTrace(ctx, trace), w, func() { stop(); cancel(nil) }
}

// noAnswer records a request that got no (complete) answer. A run stopped
// by its context is only noted (r.interrupted). A target never
// connected to before ends the run (r.unreachable); one that answered
// earlier in the run and now takes no connection fails the case, as does an
// answer that does not come or breaks off.
func (r *caseRun) noAnswer(ex *Exchange, err error, connected, stillDown bool) {
	if r.ctx.Err() != nil {
		r.interrupted = true // the run was stopped: nothing to say of the server
		return
	}
	if connected && !stillDown {
		r.s.reached = true
		r.fail(ex, CheckResponseReceived, fmt.Sprintf("a complete answer within %s", r.s.cfg.Timeout), err.Error())
		return
	}
	if !r.s.reached {
		// The run ends here; the case still fails, so a report written
		// after it shows why nothing ran.
		r.unreachable = &UnreachableError{URL: ex.URL, Err: err}
		r.fail(ex, CheckResponseReceived, "an answer (the first request of the run)", "cannot reach the target: "+err.Error())
		return
	}
	got := "no connection: " + err.Error()
	if stillDown {
		got = fmt.Sprintf("no connection within %s", min(r.s.cfg.Timeout, downDialTimeout))
	}
	if r.s.downSince == "" {
		r.s.downSince = r.c.Name
	} else {
		got += fmt.Sprintf(" (unreachable since case %s)", r.s.downSince)
	}
	r.fail(ex, CheckResponseReceived, "an answer from a target that answered earlier in the run", got)
}
