package mock

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"
)

// Defaults of Limits fields left zero.
const (
	DefaultMaxHeaderBytes    = 64 << 10
	DefaultReadHeaderTimeout = 10 * time.Second
	DefaultReadTimeout       = 60 * time.Second
	DefaultWriteTimeout      = 2 * time.Minute
	DefaultIdleTimeout       = 2 * time.Minute
	DefaultMaxConns          = 512
)

// Limits bounds what one client can cost an HTTPServer. The zero value is
// usable: every zero field takes its default. The body size limit is
// Config.MaxBodyBytes, checked by the handler.
type Limits struct {
	// MaxHeaderBytes caps the request line and headers (431 beyond); default
	// DefaultMaxHeaderBytes. net/http allows 4 KiB more than this.
	MaxHeaderBytes int
	// ReadHeaderTimeout is how long a client may take to send its request
	// line and headers before the connection is closed; default
	// DefaultReadHeaderTimeout.
	ReadHeaderTimeout time.Duration
	// ReadTimeout is how long a client may take to send a whole request,
	// body included; default DefaultReadTimeout. A body cut short by it is
	// answered with 400.
	ReadTimeout time.Duration
	// WriteTimeout is how long a request may take from the end of its headers
	// to the end of its answer, handler time included; default
	// DefaultWriteTimeout. Time the mock's faults spend waiting on purpose
	// (latency, the pauses of slow-body) does not count: the timeout starts
	// again when such a wait ends. A hang writes nothing, so it never ends a
	// hang.
	WriteTimeout time.Duration
	// IdleTimeout is how long a keep-alive connection may wait for its next
	// request; default DefaultIdleTimeout.
	IdleTimeout time.Duration
	// MaxConns caps the connections open at once; further clients wait in the
	// listen backlog until one closes. Default DefaultMaxConns.
	MaxConns int
}

// withDefaults returns l with zero fields set to their defaults, or an error
// naming a negative field.
func (l Limits) withDefaults() (Limits, error) {
	for _, f := range []struct {
		name string
		v    int64
	}{
		{"max header bytes", int64(l.MaxHeaderBytes)},
		{"read header timeout", int64(l.ReadHeaderTimeout)},
		{"read timeout", int64(l.ReadTimeout)},
		{"write timeout", int64(l.WriteTimeout)},
		{"idle timeout", int64(l.IdleTimeout)},
		{"max conns", int64(l.MaxConns)},
	} {
		if f.v < 0 {
			return l, fmt.Errorf("mock: limits: %s is negative; want 0 (default) or more", f.name)
		}
	}
	l.MaxHeaderBytes = orDefault(l.MaxHeaderBytes, DefaultMaxHeaderBytes)
	l.ReadHeaderTimeout = orDefault(l.ReadHeaderTimeout, DefaultReadHeaderTimeout)
	l.ReadTimeout = orDefault(l.ReadTimeout, DefaultReadTimeout)
	l.WriteTimeout = orDefault(l.WriteTimeout, DefaultWriteTimeout)
	l.IdleTimeout = orDefault(l.IdleTimeout, DefaultIdleTimeout)
	l.MaxConns = orDefault(l.MaxConns, DefaultMaxConns)
	return l, nil
}

func orDefault[T int | time.Duration](v, def T) T {
	if v == 0 {
		return def
	}
	return v
}

// HTTPServer is an *http.Server configured with Limits, whose Serve and
// ServeTLS also cap concurrent connections and whose Shutdown knows the
// mock's faults. Stop it with Shutdown or Close. Its ConnState, BaseContext,
// ConnContext and RegisterOnShutdown hooks are in use: do not replace the
// first three. It speaks HTTP/1.1 over TLS too (TLSNextProto is empty): the
// faults that take a connection over (reset, empty, garbage, truncated)
// cannot over HTTP/2.
type HTTPServer struct {
	// Server is the http.Server that serves the handler; its timeouts
	// and MaxHeaderBytes come from Limits.
	*http.Server
	limits Limits
	conns  connWatch
	count  connLimit
	begun  chan struct{} // closed once http.Server's Shutdown has closed the listeners
}

// NewHTTPServer returns a server of h within l, or an error when a limit is
// negative. When h is a *Server, its Stats report the connections (the
// last HTTPServer's, if several serve it), and its Config.Logger says when
// the connection limit is reached: at most once every 10 s, with the times
// it was reached since the last such line.
func NewHTTPServer(h http.Handler, l Limits) (*HTTPServer, error) {
	if h == nil {
		// net/http would serve http.DefaultServeMux.
		return nil, errors.New("mock: new HTTP server: nil handler")
	}
	l, err := l.withDefaults()
	if err != nil {
		return nil, err
	}
	s := &HTTPServer{
		Server: &http.Server{
			Handler:           h,
			MaxHeaderBytes:    l.MaxHeaderBytes,
			ReadHeaderTimeout: l.ReadHeaderTimeout,
			ReadTimeout:       l.ReadTimeout,
			WriteTimeout:      l.WriteTimeout,
			IdleTimeout:       l.IdleTimeout,
			TLSNextProto:      map[string]func(*http.Server, *tls.Conn, http.Handler){},
		},
		limits: l,
		begun:  make(chan struct{}),
	}
	s.count.limit, s.count.now = l.MaxConns, time.Now
	if m, ok := h.(*Server); ok {
		s.count.log = m.log
		m.conns.Store(&s.count)
	}
	// Fault waits read the write timeout here, to restart it when they end.
	base := context.WithValue(context.Background(), writeTimeoutKey{}, l.WriteTimeout)
	s.BaseContext = func(net.Listener) context.Context { return base }
	s.ConnState = s.conns.track
	s.ConnContext = func(ctx context.Context, c net.Conn) context.Context {
		return context.WithValue(ctx, connKey{}, c)
	}
	var once sync.Once
	s.RegisterOnShutdown(func() { once.Do(func() { close(s.begun) }) })
	return s, nil
}

// writeTimeoutKey is the request context key of the HTTPServer's WriteTimeout.
type writeTimeoutKey struct{}

// Limits returns the limits in force, defaults filled in.
func (s *HTTPServer) Limits() Limits { return s.limits }

// Serve accepts connections on ln, at most Limits.MaxConns at once, until
// Shutdown or Close; it returns http.ErrServerClosed then. It closes ln.
func (s *HTTPServer) Serve(ln net.Listener) error {
	return s.Server.Serve(newLimitListener(ln, &s.count))
}

// ServeTLS is Serve over TLS, with the certificate of certFile and keyFile,
// or of TLSConfig when they are empty (as http.Server.ServeTLS). A client
// has the shortest of the read-header, read and write timeouts for its
// handshake (net/http's rule).
func (s *HTTPServer) ServeTLS(ln net.Listener, certFile, keyFile string) error {
	// The limit is under TLS, so that a hijacked connection is a *tls.Conn
	// whose NetConn can be reset.
	return s.Server.ServeTLS(newLimitListener(ln, &s.count), certFile, keyFile)
}

// Conns returns the counts of the server's connections.
func (s *HTTPServer) Conns() ConnStats { return s.count.stats() }
