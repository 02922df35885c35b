package mock

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/ncpmock/ncpmock/apigw"
	"github.com/ncpmock/ncpmock/openapi"
)

// accessLog writes one line per request, after the answer is written, with the
// first validation problem when there was one.
func (s *Server) accessLog(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		if err != nil {
			c.Error(err)
		}
		req := c.Request()
		attrs := []slog.Attr{
			slog.String("method", req.Method),
			slog.String("path", req.URL.Path),
			slog.Int("status", c.Response().Status),
			slog.Duration("duration", time.Since(start)),
		}
		if key, ok := c.Get(ctxAccessKey).(string); ok {
			attrs = append(attrs, slog.String("accessKey", key))
		}
		var verr *openapi.ValidationError
		switch {
		case errors.As(err, &verr) && len(verr.Problems) > 0:
			attrs = append(attrs, slog.String("problem", shorten(verr.Problems[0].String(), maxTextBytes)))
		case errors.Is(err, apigw.ErrMissing), errors.Is(err, apigw.ErrInvalid):
			attrs = append(attrs, slog.String("auth", err.Error()))
		}
		s.log.LogAttrs(context.WithoutCancel(req.Context()), slog.LevelInfo, "request", attrs...)
		return nil
	}
}

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
