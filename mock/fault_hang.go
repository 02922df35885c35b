package mock

import (
	"time"
)

// DefaultHangMax bounds a hang when HangFault.Max is zero.
const DefaultHangMax = 30 * time.Second

// HangFault reads the request and never answers, until the client gives up
// (its timeout), Max passes, or the server shuts down (Server.Drain or
// Close); then the connection is closed without an answer. Nothing is
// created. A hang writes nothing, so no write timeout ends it.
//
// Header: hang, hang=5s.
type HangFault struct {
	// Max is the longest the request is held; default DefaultHangMax.
	Max Duration `json:"max,omitempty" zero:"leave it out for the default, 30s; to close at once, use the empty fault"`
}

// Kind returns "hang".
func (*HangFault) Kind() string { return KindHang }

func (f *HangFault) check() error {
	if f.Max == 0 {
		f.Max = Duration(DefaultHangMax)
	}
	return checkDuration("max", f.Max)
}

func (f *HangFault) apply(x *exchange) error {
	x.drainBody()
	t := time.NewTimer(time.Duration(f.Max))
	defer t.Stop()
	if x.s.onHang != nil {
		x.s.onHang()
	}
	select {
	case <-x.Request().Context().Done():
		x.gone = true
		return errClientGone
	case <-t.C:
	case <-x.s.releasing:
		x.cutShort()
	}
	return x.closeConn(nil, false)
}
