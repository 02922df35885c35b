package mock

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/ncpmock/ncpmock/apigw"
	"github.com/ncpmock/ncpmock/openapi"
)

// accessLog writes one line per request, when the answer is finished, with
// the first validation problem when there was one, and records the request in
// the journal (see done). It is the outermost middleware: the handlers below it see the
// request's *exchange as their echo.Context.
func (s *Server) accessLog(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		s.inFlight.Add(1)
		x := s.newExchange(c)
		defer s.releaseExchange(x)
		var err error
		// Deferred, so that a handler that panics (net/http recovers it)
		// still leaves the request counted out of inFlight, and logged.
		defer func() { s.done(x, err) }()
		if err = next(x); err != nil {
			c.Error(err)
		}
		return nil
	}
}

// done journals and logs the request once. accessLog calls it when the
// handler returns; a fault that ends the answer itself (closes the
// connection, or sends an answer's last bytes) calls it just before, so that
// a client that sees the end of its answer finds its request in the journal
// and the log, and a server closed then has nothing left to log.
func (s *Server) done(x *exchange, err error) {
	if x.done {
		return
	}
	x.done = true
	defer s.inFlight.Add(-1)
	c := x.Context
	req := c.Request()
	status, duration := x.status(), time.Since(x.start)
	var problems []openapi.Problem
	if err != nil {
		problems = validationProblems(err)
	}
	if journaled(req.URL.Path) {
		s.journal.record(x, status, duration, problems)
	}
	attrs := []slog.Attr{
		slog.String("method", req.Method),
		slog.String("path", req.URL.Path),
		slog.Int("status", status),
		slog.Duration("duration", duration),
	}
	if id := firstValue(c.Response().Header(), HeaderTraceID); id != "" {
		// What a developer quotes from an answer, to find its line.
		attrs = append(attrs, slog.String("traceId", id))
	}
	if key, ok := c.Get(ctxAccessKey).(string); ok {
		attrs = append(attrs, slog.String("accessKey", key))
	}
	switch {
	case len(problems) > 0:
		attrs = append(attrs, slog.String("problem", shorten(problems[0].String(), maxTextBytes)))
	case errors.Is(err, apigw.ErrMissing), errors.Is(err, apigw.ErrInvalid):
		attrs = append(attrs, slog.String("auth", err.Error()))
	}
	if w := c.Response().Header().Values(HeaderWarning); len(w) > 0 {
		// The first, as for problems: a typo the client should see in the log.
		attrs = append(attrs, slog.String("warning", w[0]))
	}
	if len(x.applied) > 0 {
		attrs = append(attrs, slog.String("fault", x.appliedString()))
	}
	if change, ok := c.Get(ctxAdminChange).(string); ok {
		attrs = append(attrs, slog.String("admin", change))
	}
	s.log.LogAttrs(context.WithoutCancel(req.Context()), slog.LevelInfo, "request", attrs...)
	s.statuses[x.ending()].Add(1)
	if s.onDone != nil {
		s.onDone()
	}
}

func validationProblems(err error) []openapi.Problem {
	var verr *openapi.ValidationError
	if errors.As(err, &verr) {
		return verr.Problems
	}
	return nil
}

// journaled reports whether requests to path go to the journal: not those of
// the admin API and health checks, which would crowd the others out.
func journaled(path string) bool {
	return path != PathHealth && !strings.HasPrefix(path, "/__admin/")
}

// ctxAdminChange is the echo.Context key of what an admin request changed,
// for the access log: on a shared mock, who added the rule that fails
// everyone's uploads.
const ctxAdminChange = "ncpmock.adminChange"

// traceID gives every answer an x-ncp-trace-id header, as the real gateway does.
func (s *Server) traceID(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		c.Response().Header().Set(HeaderTraceID, s.nextTraceID())
		return next(c)
	}
}

// nextTraceID derives a 32-hex-digit ID from the seed and a counter, so a
// seeded run gives the same trace IDs in the same order.
func (s *Server) nextTraceID() string {
	n := s.traceSeq.Add(1)
	a, b := splitmix(s.cfg.Seed^n), splitmix(s.cfg.Seed+n*0x9e3779b97f4a7c15)
	const hex = "0123456789abcdef"
	var buf [32]byte
	for i := 0; i < 16; i++ {
		buf[15-i] = hex[a&0xf]
		buf[31-i] = hex[b&0xf]
		a >>= 4
		b >>= 4
	}
	return string(buf[:])
}

func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}
