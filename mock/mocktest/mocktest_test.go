package mocktest_test

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"runtime"
	"strings"
	"syscall"
	"testing"

	"github.com/ncpmock/ncpmock/mock"
	"github.com/ncpmock/ncpmock/mock/mocktest"
)

const oneUser = `{"params":[{"loginId":"kim@example.com","accessRules":{"consoleAccessAllowed":true,"apiAccessAllowed":true}}]}`

func post(t *testing.T, client *http.Client, target string, headers ...string) (*http.Response, error) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, target, strings.NewReader(oneUser))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	_, err = io.Copy(io.Discard, resp.Body)
	return resp, err
}

// TestNewTLSServer: the mock answers over HTTPS at https://127.0.0.1, to
// the server's Client and to a client that trusts Certificate; a client
// that does not trust it gets a certificate error.
func TestNewTLSServer(t *testing.T) {
	srv := mocktest.NewTLSServer(t, mock.Config{Seed: 1})
	if !strings.HasPrefix(srv.URL, "https://127.0.0.1:") {
		t.Fatalf("URL %q, want https://127.0.0.1:port", srv.URL)
	}
	resp, err := post(t, srv.Client(), srv.BulkURL())
	if err != nil || resp.StatusCode != http.StatusOK || resp.TLS == nil || resp.Proto != "HTTP/1.1" {
		t.Fatalf("srv.Client(): got %v, %v; want 200 over TLS, HTTP/1.1", resp, err)
	}

	_, err = post(t, &http.Client{Transport: &http.Transport{}}, srv.BulkURL())
	var verr *tls.CertificateVerificationError
	var unknown x509.UnknownAuthorityError
	if !errors.As(err, &verr) || !errors.As(err, &unknown) {
		t.Fatalf("a client without the certificate: got %v, want an unknown-authority certificate error", err)
	}

	cert := srv.Certificate()
	if cert == nil {
		t.Fatal("Certificate: nil, want the server's")
	}
	for _, host := range []string{"127.0.0.1", "::1"} {
		if err := cert.VerifyHostname(host); err != nil {
			t.Errorf("the certificate is not for %s: %v", host, err)
		}
	}
	roots := x509.NewCertPool()
	roots.AddCert(cert)
	own := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: roots}}}
	defer own.CloseIdleConnections()
	if resp, err := post(t, own, srv.BulkURL()); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("a client that trusts Certificate: got %v, %v; want 200", resp, err)
	}
}

// TestNewServerHasNoCertificate: a plain server has no certificate to trust.
func TestNewServerHasNoCertificate(t *testing.T) {
	srv := mocktest.NewServer(t, mock.Config{})
	if c := srv.Certificate(); c != nil || !strings.HasPrefix(srv.URL, "http://127.0.0.1:") {
		t.Fatalf("got URL %q and certificate %v, want http and none", srv.URL, c)
	}
}

// TestNewTLSServerConnectionFaults: the faults that take the connection
// over act over TLS as the README says they do over plain HTTP: a reset is a
// TCP reset, not a TLS close, and each client error is the same.
func TestNewTLSServerConnectionFaults(t *testing.T) {
	srv := mocktest.NewTLSServer(t, mock.Config{})
	tests := []struct {
		fault string
		is    error  // the error the client sees, or
		text  string // what it says
	}{
		{"reset", syscall.ECONNRESET, ""},
		{"empty", io.EOF, ""},
		{"truncated", io.ErrUnexpectedEOF, ""},
		{"garbage", nil, "malformed HTTP response"},
	}
	for _, tc := range tests {
		t.Run(tc.fault, func(t *testing.T) {
			_, err := post(t, srv.Client(), srv.BulkURL(), mock.HeaderFault, tc.fault)
			if err == nil || tc.is != nil && !errors.Is(err, tc.is) || tc.text != "" && !strings.Contains(err.Error(), tc.text) {
				t.Fatalf("got %v, want %v%s", err, tc.is, tc.text)
			}
		})
	}
}

// TestNewTLSServerClosedAtTestEnd: the server a subtest starts is closed
// when the subtest ends: its port refuses connections and no goroutine of
// it is left serving.
func TestNewTLSServerClosedAtTestEnd(t *testing.T) {
	before := serving()
	var addr string
	t.Run("test", func(t *testing.T) {
		srv := mocktest.NewTLSServer(t, mock.Config{})
		u, err := url.Parse(srv.URL)
		if err != nil {
			t.Fatal(err)
		}
		addr = u.Host
		if _, err := post(t, srv.Client(), srv.BulkURL()); err != nil {
			t.Fatal(err)
		}
		if serving() <= before {
			t.Fatalf("no goroutine serving found while the server runs: the count below proves nothing")
		}
	})
	if c, err := net.Dial("tcp", addr); err == nil {
		c.Close()
		t.Fatalf("%s still accepts connections after the test ended", addr)
	}
	if n := serving(); n != before {
		t.Fatalf("%d goroutines serve HTTP after the test ended, want %d as before it", n, before)
	}
}

// serving counts the goroutines in http.Server.Serve.
func serving() int {
	buf := make([]byte, 1<<20)
	buf = buf[:runtime.Stack(buf, true)]
	return strings.Count(string(buf), "net/http.(*Server).Serve(")
}
