package mock

import "net/http"

// EmptyFault closes the connection (FIN) without sending a byte: the client
// sees an EOF where the answer should be ("server closed connection", Go's
// io.EOF).
//
// Header: empty, empty; created=true.
type EmptyFault struct {
	// Created handles the request first (the users are created), then
	// closes the connection instead of answering, as ResetFault.Created.
	Created bool `json:"created,omitempty"`
}

// Kind returns "empty".
func (*EmptyFault) Kind() string { return KindEmpty }

func (*EmptyFault) check() error { return nil }

func (f *EmptyFault) apply(x *exchange) error {
	if f.Created {
		x.deliverWith(f)
		return nil
	}
	return x.closeConn(nil, false)
}

func (*EmptyFault) deliver(x *exchange, _ int, _ http.Header, _ []byte) error {
	return x.closeConn(nil, false)
}
