package mock_test

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ncpmock/ncpmock/internal/testcert"
	"github.com/ncpmock/ncpmock/mock"
)

// serveTLS serves the mock with limits over TLS on a loopback port and
// returns its address and a client that trusts its certificate (and would
// take HTTP/2 if offered). The server is closed when the test ends.
func serveTLS(t *testing.T, limits mock.Limits) (string, *http.Client) {
	t.Helper()
	certPEM, keyPEM, err := testcert.PEM("127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	pair, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		t.Fatal(err)
	}
	m, err := mock.New(mock.Config{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	srv, err := mock.NewHTTPServer(m, limits)
	if err != nil {
		t.Fatal(err)
	}
	srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{pair}}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- srv.ServeTLS(ln, "", "") }()
	roots := x509.NewCertPool()
	roots.AppendCertsFromPEM(certPEM)
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: roots}, ForceAttemptHTTP2: true}}
	t.Cleanup(func() {
		client.CloseIdleConnections()
		srv.Close()
		if err := <-served; !errors.Is(err, http.ErrServerClosed) {
			t.Errorf("ServeTLS: got %v, want http.ErrServerClosed", err)
		}
	})
	return ln.Addr().String(), client
}

// TestServeTLS: HTTPServer serves the mock over TLS, in HTTP/1.1 even to a
// client that would take HTTP/2, so that a reset fault still resets the
// TCP connection.
func TestServeTLS(t *testing.T) {
	addr, client := serveTLS(t, mock.Limits{})
	url := "https://" + addr + "/api/v1/users/bulk"
	body := `{"params":[{"loginId":"kim@example.com","accessRules":{"consoleAccessAllowed":true,"apiAccessAllowed":true}}]}`
	resp, err := client.Post(url, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.TLS == nil || resp.Proto != "HTTP/1.1" {
		t.Fatalf("got %d %s (TLS %t), want 200 over TLS in HTTP/1.1", resp.StatusCode, resp.Proto, resp.TLS != nil)
	}
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set(mock.HeaderFault, "reset")
	if _, err := client.Do(req); !errors.Is(err, syscall.ECONNRESET) {
		t.Fatalf("reset fault: got %v, want ECONNRESET", err)
	}
}

// TestServeTLSHandshakeIsBounded: a client that connects and never starts
// its handshake is cut off by the limits, as one that never sends headers.
func TestServeTLSHandshakeIsBounded(t *testing.T) {
	addr, _ := serveTLS(t, mock.Limits{ReadHeaderTimeout: 200 * time.Millisecond})
	c := dial(t, addr)
	n, err := io.Copy(io.Discard, c)
	if isTimeout(err) {
		t.Fatalf("the server kept a silent connection open for %s", safety)
	}
	if n != 0 || err != nil {
		t.Fatalf("got %d bytes and %v, want the connection closed", n, err)
	}
}
