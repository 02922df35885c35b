package mock

import "net/http"

// ResetFault resets the TCP connection (RST) without an answer: the client
// sees ECONNRESET ("connection reset by peer"), as when a load balancer or a
// crashed backend drops the connection. The request body is read first, so
// the client is waiting for the answer when the reset comes.
//
// Header: reset, reset; created=true.
type ResetFault struct {
	// Created handles the request first (the users are created), then
	// resets the connection instead of answering, as when the service
	// committed and the answer was lost: a client that retries must expect
	// "Duplicate login ID." for them.
	Created bool `json:"created,omitempty"`
}

// Kind returns "reset".
func (*ResetFault) Kind() string { return KindReset }

func (*ResetFault) check() error { return nil }

func (f *ResetFault) apply(x *exchange) error {
	if f.Created {
		x.deliverWith(f)
		return nil
	}
	return x.closeConn(nil, true)
}

func (*ResetFault) deliver(x *exchange, _ int, _ http.Header, _ []byte) error {
	return x.closeConn(nil, true)
}
