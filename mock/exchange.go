package mock

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
)

// Sources of an applied fault.
const (
	SourceRule    = "rule"    // a rule of the table (file, Config or admin API)
	SourceHeader  = "header"  // the request's X-Ncpmock-Fault header
	SourceTrigger = "trigger" // a trigger login ID in the request body
)

// HeaderFaultApplied names, on answers that have a fault, the faults applied.
const HeaderFaultApplied = "X-Ncpmock-Fault-Applied"

// AppliedFault records a fault applied to a request, in the journal.
type AppliedFault struct {
	// Kind is the fault kind, such as "status".
	Kind string `json:"kind"`
	// Source is SourceRule, SourceHeader, SourceTrigger or SourcePrefer.
	Source string `json:"source"`
	// Rule is the rule's ID when Source is SourceRule.
	Rule string `json:"rule,omitempty"`
	// LoginID is the trigger login ID when Source is SourceTrigger.
	LoginID string `json:"loginId,omitempty"`
	// CutShort is set when the server's shutdown (Server.Drain or Close)
	// ended the fault's wait early: a latency or slow-body that was then
	// answered at once, or a hang released.
	CutShort bool `json:"cutShort,omitempty"`
}

// String describes the fault for headers and logs, such as "status (rule
// flaky)" or "latency (header; cut short by shutdown)".
func (a AppliedFault) String() string {
	from := a.Source
	switch {
	case a.Rule != "":
		from = "rule " + a.Rule
	case a.LoginID != "":
		from = "trigger " + a.LoginID
	}
	if a.CutShort {
		from += "; cut short by shutdown"
	}
	return a.Kind + " (" + from + ")"
}

// Sentinel outcomes of a fault, which handleError answers by writing nothing.
var (
	// errAnswered: the fault took the connection over and dealt with it.
	errAnswered = errors.New("fault: the connection was taken over")
	// errClientGone: the client went away while a fault held its request.
	errClientGone = errors.New("fault: the client went away")
)

// statusClientGone is the journal's status for a request whose client left
// before the answer (nginx's 499).
const statusClientGone = 499

// exchange is one request's passage through the mock: the echo.Context the
// handlers see, plus what the journal records and what the faults decided.
// Exchanges are pooled; nothing may keep one after the request.
type exchange struct {
	echo.Context
	s     *Server
	start time.Time
	// body is the request body as the handler read it; it must stay valid
	// until the journal has recorded the request (the end of accessLog).
	body []byte

	applied  []AppliedFault
	pending  []pendingFault
	terminal Fault // the one fault of a kind other than latency, if any
	noAnswer bool  // a fault closed the connection without an HTTP answer
	gone     bool  // the client left while a fault held the request
	done     bool  // journaled and logged (Server.done)
	// handlerErr is what the handler returned to a deliverer's answer, for
	// the journal when the deliverer ends the answer itself.
	handlerErr error

	partial *PartialFault
	breaker *ContractBreakFault
	deliver deliverer
	buf     bufferedWriter

	seq uint64 // fault random stream; 0 until first needed
	pcg rand.PCG
	rng *rand.Rand

	// Scratch space of the bulk handler, kept with a pooled exchange:
	// the buffer that holds the body (given back to the server's pool on
	// release) and the users of the batch.
	bodyBuf *[]byte
	users   []User
}

type pendingFault struct {
	f Fault
	a AppliedFault
}

// deliverer is a fault that changes how an answer travels (truncated,
// slow-body): the handler writes into a buffer and deliver sends it.
type deliverer interface {
	deliver(x *exchange, status int, header http.Header, body []byte) error
}

func (s *Server) newExchange(c echo.Context) *exchange {
	x, _ := s.exchanges.Get().(*exchange)
	if x == nil {
		x = &exchange{s: s}
		x.rng = rand.New(&x.pcg)
	}
	x.Context, x.start = c, time.Now()
	return x
}

func (s *Server) releaseExchange(x *exchange) {
	rng, applied, pending, users := x.rng, x.applied[:0], x.pending[:0], x.users[:0]
	clear(x.applied)
	clear(x.pending)
	clear(x.users) // they point into the body
	if x.bodyBuf != nil {
		s.recycle(x.bodyBuf)
	}
	*x = exchange{s: s, rng: rng, applied: applied, pending: pending, users: users}
	s.exchanges.Put(x)
}

// userScratch returns n zero users, reusing the exchange's array.
func (x *exchange) userScratch(n int) []User {
	if cap(x.users) < n {
		x.users = make([]User, n)
	}
	x.users = x.users[:n]
	return x.users
}

// exchangeOf returns the exchange behind c, or nil outside the middleware.
func exchangeOf(c echo.Context) *exchange {
	x, _ := c.(*exchange)
	return x
}

// rand returns the request's random stream, seeded by the server's seed and
// the order in which requests first needed one.
func (x *exchange) rand() *rand.Rand {
	if x.seq == 0 {
		x.seq = x.s.faultSeq.Add(1)
		x.pcg.Seed(splitmix(x.s.cfg.Seed), splitmix(x.s.cfg.Seed^x.seq*0xd1342543de82ef95))
	}
	return x.rng
}

// roll reports whether an event of probability p happens; p of 0 or 1 and
// more is certain and draws nothing.
func (x *exchange) roll(p float64) bool {
	return p <= 0 || p >= 1 || x.rand().Float64() < p
}

// schedule queues a fault to apply; a fault of a kind other than latency
// becomes the request's one terminal fault.
func (x *exchange) schedule(f Fault, a AppliedFault) {
	if _, latency := f.(*LatencyFault); !latency {
		x.terminal = f
	}
	x.pending = append(x.pending, pendingFault{f: f, a: a})
}

// applyPendingFrom applies the faults queued from index start on: the
// latencies first, in order, then the terminal fault.
func (x *exchange) applyPendingFrom(start int) error {
	pending := x.pending[start:]
	for _, p := range pending {
		if p.f != x.terminal {
			if err := x.apply(p.f, p.a); err != nil {
				return err
			}
		}
	}
	for _, p := range pending {
		if p.f == x.terminal {
			return x.apply(p.f, p.a)
		}
	}
	return nil
}

func (x *exchange) apply(f Fault, a AppliedFault) error {
	x.applied = append(x.applied, a)
	if i := kindIndex(a.Kind); i >= 0 {
		x.s.faultsApplied[i].Add(1)
	}
	x.Response().Header().Add(HeaderFaultApplied, a.String())
	return f.apply(x)
}

// appliedString lists the faults applied, for the access log.
func (x *exchange) appliedString() string {
	parts := make([]string, len(x.applied))
	for i, a := range x.applied {
		parts[i] = a.String()
	}
	return strings.Join(parts, ", ")
}

// errCutShort ends a fault's wait when the server closes (Server.Close).
var errCutShort = errors.New("fault: wait cut short by the server's shutdown")

// sleep waits d, until the client leaves (errClientGone), or until the
// server closes: then the wait is cut short, the fault marked so, and the
// request goes on to its answer. Time spent waiting does not count against
// the write timeout of an HTTPServer.
func (x *exchange) sleep(d time.Duration) error {
	err := x.s.sleep(x.Request().Context(), d)
	if errors.Is(err, errCutShort) {
		x.cutShort()
		err = nil
	}
	if err != nil {
		x.gone = true
		return errClientGone
	}
	x.restartWriteTimeout()
	return nil
}

// cutShort marks the fault being applied (the last one) as cut short.
func (x *exchange) cutShort() {
	if n := len(x.applied); n > 0 && !x.applied[n-1].CutShort {
		x.applied[n-1].CutShort = true
		if x.deliver == nil { // nothing sent yet: the answer can say so
			x.Response().Header().Add(HeaderWarning, x.applied[n-1].Kind+" cut short: the server is shutting down")
		}
	}
}

// restartWriteTimeout gives the answer the whole write timeout from now, as
// if the fault's wait had not been: a fault must not be cut by the timeout
// that guards against slow clients.
func (x *exchange) restartWriteTimeout() {
	if d, ok := x.Request().Context().Value(writeTimeoutKey{}).(time.Duration); ok && d > 0 {
		_ = http.NewResponseController(x.Response()).SetWriteDeadline(time.Now().Add(d))
	}
}

// sleepTimer is Server.sleep outside tests: it waits d, until ctx is done,
// or until the server closes (errCutShort).
func (s *Server) sleepTimer(ctx context.Context, d time.Duration) error {
	select {
	case <-s.closing:
		return errCutShort
	default:
	}
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	case <-s.closing:
		return errCutShort
	}
}

// bufferBody reads the request body (up to the body limit) so that faults
// can look at it, and puts it back for the handler.
func (x *exchange) bufferBody() []byte {
	r := x.Request()
	if r.Body == nil || r.Body == http.NoBody {
		return nil
	}
	data, _ := io.ReadAll(io.LimitReader(r.Body, x.s.cfg.MaxBodyBytes+1))
	r.Body = io.NopCloser(io.MultiReader(bytes.NewReader(data), r.Body))
	return data
}

// drainBody reads what is left of the request body (up to the body limit), so
// that the server notices when the client leaves and a close sends FIN, not
// RST, for unread data. The journal gets what it read.
func (x *exchange) drainBody() {
	if b := x.Request().Body; b != nil {
		data, _ := io.ReadAll(io.LimitReader(b, x.s.cfg.MaxBodyBytes))
		if x.body == nil {
			x.body = data
		}
	}
}

// hijack takes the connection over from net/http.
func (x *exchange) hijack(w http.ResponseWriter) (net.Conn, error) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		return nil, fmt.Errorf("fault: take the connection over: %w", err)
	}
	return conn, nil
}

// closeConn hijacks the connection and closes it after writing data: with a
// FIN, or with a RST when reset is set. The request gets no HTTP answer.
func (x *exchange) closeConn(data []byte, reset bool) error {
	x.drainBody()
	conn, err := x.hijack(x.Response())
	if err != nil {
		return err
	}
	x.noAnswer = true
	x.s.done(x, x.handlerErr) // before the client can see the connection end
	closeAfter(conn, data, reset)
	return errAnswered
}

// closeAfter writes data to a hijacked conn and closes it.
func closeAfter(conn net.Conn, data []byte, reset bool) {
	if reset {
		if tc, ok := conn.(interface{ NetConn() net.Conn }); ok {
			// Over TLS (*tls.Conn): reset the TCP connection under it, with
			// no close_notify first, which a client would read as an EOF.
			conn = tc.NetConn()
		}
		if l, ok := conn.(lingerer); ok {
			_ = l.SetLinger(0) // close sends RST, not FIN
		}
		_ = conn.Close()
		return
	}
	_ = conn.SetWriteDeadline(time.Now().Add(10 * time.Second))
	_, _ = conn.Write(data)
	if cw, ok := conn.(interface{ CloseWrite() error }); ok {
		_ = cw.CloseWrite() // FIN after the data
	}
	_ = conn.Close()
}

// deliverWith makes the handler write into a buffer that d then sends.
func (x *exchange) deliverWith(d deliverer) {
	x.deliver = d
	x.buf.w = x.Response().Writer
	x.Response().Writer = &x.buf
}

// finish sends a buffered answer through its deliverer. err is what the
// handler returned; it is answered into the buffer first.
func (x *exchange) finish(err error) error {
	if x == nil || x.deliver == nil {
		return err
	}
	if err != nil {
		x.Error(err)
	}
	x.Response().Writer = x.buf.w
	x.handlerErr = err
	status := x.buf.status
	if status == 0 {
		status = http.StatusOK
	}
	if derr := x.deliver.deliver(x, status, x.buf.w.Header(), x.buf.body.Bytes()); derr != nil {
		return derr
	}
	return err
}

// status returns the status the journal records for the request.
func (x *exchange) status() int {
	switch {
	case x.noAnswer:
		return 0
	case x.gone:
		return statusClientGone
	}
	return x.Response().Status
}

// bufferedWriter keeps a handler's answer for a deliverer.
type bufferedWriter struct {
	w      http.ResponseWriter
	status int
	body   bytes.Buffer
}

func (b *bufferedWriter) Header() http.Header { return b.w.Header() }

func (b *bufferedWriter) WriteHeader(code int) {
	if b.status == 0 {
		b.status = code
	}
}

func (b *bufferedWriter) Write(p []byte) (int, error) {
	if b.status == 0 {
		b.status = http.StatusOK
	}
	return b.body.Write(p)
}
