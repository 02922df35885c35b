package mock

// EmptyFault closes the connection (FIN) without sending a byte: the client
// sees an EOF where the answer should be ("server closed connection", Go's
// io.EOF).
//
// Header: empty.
type EmptyFault struct{}

// Kind returns "empty".
func (*EmptyFault) Kind() string { return KindEmpty }

func (*EmptyFault) check() error { return nil }

func (*EmptyFault) apply(x *exchange) error { return x.closeConn(nil, false) }
