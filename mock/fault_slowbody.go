package mock

import (
	"fmt"
	"net/http"
	"strconv"
	"time"
)

// Defaults of SlowBodyFault.
const (
	DefaultSlowBodyDuration = 5 * time.Second
	DefaultSlowBodyChunks   = 10
)

// SlowBodyFault sends the status and headers at once, then the body in
// Chunks pieces spread over Duration: a client's read timeout or progress
// handling can be tested. The request is handled as usual first. When the
// client leaves, the rest is not sent.
//
// Header: slow-body=3s, slow-body=3s; chunks=6.
type SlowBodyFault struct {
	// Duration is the time from the headers to the last byte; default
	// DefaultSlowBodyDuration.
	Duration Duration `json:"duration,omitempty" zero:"leave it out for the default, 5s"`
	// Chunks is how many pieces the body comes in, 2 to 1000; default
	// DefaultSlowBodyChunks (fewer when the body is shorter).
	Chunks int `json:"chunks,omitempty" zero:"leave it out for the default, 10"`
}

// Kind returns "slow-body".
func (*SlowBodyFault) Kind() string { return KindSlowBody }

func (f *SlowBodyFault) check() error {
	if f.Duration == 0 {
		f.Duration = Duration(DefaultSlowBodyDuration)
	}
	if f.Chunks == 0 {
		f.Chunks = DefaultSlowBodyChunks
	}
	if f.Chunks < 2 || f.Chunks > 1000 {
		return fmt.Errorf("chunks %d: want 2 to 1000", f.Chunks)
	}
	return checkDuration("duration", f.Duration)
}

func (f *SlowBodyFault) apply(x *exchange) error {
	x.deliverWith(f)
	return nil
}

func (f *SlowBodyFault) deliver(x *exchange, status int, header http.Header, body []byte) error {
	w := x.Response().Writer
	rc := http.NewResponseController(w)
	header.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_ = rc.Flush()
	chunks := max(1, min(f.Chunks, len(body)))
	pause := time.Duration(f.Duration) / time.Duration(chunks)
	for i := range chunks {
		if err := x.sleep(pause); err != nil {
			return err
		}
		if i == chunks-1 {
			x.s.done(x, x.handlerErr) // before the client can see the last byte
		}
		if _, err := w.Write(body[i*len(body)/chunks : (i+1)*len(body)/chunks]); err != nil {
			x.gone = true
			return errClientGone
		}
		_ = rc.Flush()
	}
	return nil
}
