package mock

import (
	"bytes"
	"fmt"
	"net/http"
	"strconv"
	"time"
)

// TruncatedFault sends the right status and headers, with the Content-Length
// of the whole body, then only part of the body, and closes the connection:
// the client sees io.ErrUnexpectedEOF while reading the body. The request is
// handled as usual first (users are created), as when a network drops an
// answer on its way back.
//
// Header: truncated, truncated=10.
type TruncatedFault struct {
	// Bytes is how many body bytes to send; 0 means half the body. It is
	// always less than the whole body.
	Bytes int `json:"bytes,omitempty"`
}

// Kind returns "truncated".
func (*TruncatedFault) Kind() string { return KindTruncated }

func (f *TruncatedFault) check() error {
	if f.Bytes < 0 {
		return fmt.Errorf("bytes %d: want 0 (half the body) or more", f.Bytes)
	}
	return nil
}

func (f *TruncatedFault) apply(x *exchange) error {
	x.deliverWith(f)
	return nil
}

func (f *TruncatedFault) deliver(x *exchange, status int, header http.Header, body []byte) error {
	conn, err := x.hijack(x.Response().Writer)
	if err != nil {
		return err
	}
	n := f.Bytes
	if n == 0 {
		n = len(body) / 2
	}
	n = max(0, min(n, len(body)-1))
	claimed := max(len(body), 1)
	var buf bytes.Buffer
	writeHead(&buf, status, header, claimed)
	buf.Write(body[:n])
	x.s.done(x, x.handlerErr) // before the client can see the connection end
	closeAfter(conn, buf.Bytes(), false)
	return nil
}

// writeHead writes an HTTP/1.1 status line and headers, as net/http would,
// for an answer of contentLength bytes that ends with the connection.
func writeHead(buf *bytes.Buffer, status int, header http.Header, contentLength int) {
	h := header.Clone()
	h.Set("Content-Length", strconv.Itoa(contentLength))
	h.Set("Connection", "close")
	if h.Get("Date") == "" {
		h.Set("Date", time.Now().UTC().Format(http.TimeFormat))
	}
	fmt.Fprintf(buf, "HTTP/1.1 %03d %s\r\n", status, http.StatusText(status))
	_ = h.Write(buf)
	buf.WriteString("\r\n")
}
