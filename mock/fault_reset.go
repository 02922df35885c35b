package mock

// ResetFault resets the TCP connection (RST) without an answer: the client
// sees ECONNRESET ("connection reset by peer"), as when a load balancer or a
// crashed backend drops the connection. The request body is read first, so
// the client is waiting for the answer when the reset comes.
//
// Header: reset.
type ResetFault struct{}

// Kind returns "reset".
func (*ResetFault) Kind() string { return KindReset }

func (*ResetFault) check() error { return nil }

func (*ResetFault) apply(x *exchange) error { return x.closeConn(nil, true) }
