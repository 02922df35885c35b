package mock

import "fmt"

// DefaultGarbageBytes is how many bytes GarbageFault sends when Bytes is zero.
const DefaultGarbageBytes = 256

// maxGarbageBytes bounds GarbageFault.Bytes.
const maxGarbageBytes = 1 << 20

// GarbageFault answers with random bytes (from the server's seed) that are not
// HTTP, ending in CRLF, then closes the connection: the client reports a
// malformed response (Go: `malformed HTTP response`).
//
// Header: garbage, garbage=64.
type GarbageFault struct {
	// Bytes is how many bytes to send; default DefaultGarbageBytes, at most 1 MiB.
	Bytes int `json:"bytes,omitempty" zero:"leave it out for the default, 256"`
}

// Kind returns "garbage".
func (*GarbageFault) Kind() string { return KindGarbage }

func (f *GarbageFault) check() error {
	if f.Bytes == 0 {
		f.Bytes = DefaultGarbageBytes
	}
	if f.Bytes < 3 || f.Bytes > maxGarbageBytes {
		return fmt.Errorf("bytes %d: want 3 to %d", f.Bytes, maxGarbageBytes)
	}
	return nil
}

func (f *GarbageFault) apply(x *exchange) error {
	return x.closeConn(f.garbage(x), false)
}

// garbage returns the bytes to send. The first is never 'H', so that no
// client could take them for a status line.
func (f *GarbageFault) garbage(x *exchange) []byte {
	b := make([]byte, f.Bytes)
	r := x.rand()
	for i := range b[:len(b)-2] {
		b[i] = byte(r.Uint32())
	}
	if b[0] == 'H' {
		b[0] = 'h'
	}
	b[len(b)-2], b[len(b)-1] = '\r', '\n'
	return b
}
