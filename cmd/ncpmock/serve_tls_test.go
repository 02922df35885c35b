package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ncpmock/ncpmock/internal/testcert"
)

// writeCert writes a self-signed certificate for hosts and its key to dir
// and returns their paths and the certificate's PEM.
func writeCert(t *testing.T, dir string, hosts ...string) (certFile, keyFile string, certPEM []byte) {
	t.Helper()
	certPEM, keyPEM, err := testcert.PEM(hosts...)
	if err != nil {
		t.Fatal(err)
	}
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(certFile, certPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, keyPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	return certFile, keyFile, certPEM
}

// TestServeTLSFlags: with --tls-cert and --tls-key, serve answers over
// https, announces https URLs and the names the certificate serves, and a
// client that does not trust the certificate is refused.
func TestServeTLSFlags(t *testing.T) {
	certFile, keyFile, certPEM := writeCert(t, t.TempDir(), "localhost", "127.0.0.1")
	r := startServe(t, nil, "--log-format", "none", "--tls-cert", certFile, "--tls-key", keyFile)
	if !strings.HasPrefix(r.url, "https://127.0.0.1:") {
		t.Fatalf("serve announced %q, want https://127.0.0.1:port", r.url)
	}
	if got, want := r.waitLine(t, "TLS:"), "  TLS: "+certFile+" for localhost, 127.0.0.1"; got != want {
		t.Errorf("banner: got %q, want %q", got, want)
	}
	roots := x509.NewCertPool()
	roots.AppendCertsFromPEM(certPEM)
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: roots}}}
	defer client.CloseIdleConnections()
	resp, err := client.Get(r.url + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.TLS == nil {
		t.Fatalf("got %d (TLS %t), want 200 over TLS", resp.StatusCode, resp.TLS != nil)
	}
	plain := &http.Client{Transport: &http.Transport{}}
	var verr *tls.CertificateVerificationError
	if _, err := plain.Get(r.url + "/healthz"); !errors.As(err, &verr) {
		t.Fatalf("a client without the certificate: got %v, want a certificate error", err)
	}
}

// TestServeTLSHandshakeErrorsInTheLog: a client that refuses the
// certificate makes a line of the access log, in its format, not a line of
// Go's log package beside it.
func TestServeTLSHandshakeErrorsInTheLog(t *testing.T) {
	certFile, keyFile, _ := writeCert(t, t.TempDir(), "localhost", "127.0.0.1")
	r := startServe(t, nil, "--log-format", "json", "--tls-cert", certFile, "--tls-key", keyFile)
	plain := &http.Client{Transport: &http.Transport{}}
	defer plain.CloseIdleConnections()
	if _, err := plain.Get(r.url + "/healthz"); err == nil {
		t.Fatal("a client without the certificate got an answer")
	}
	log := r.stderr.waitFor(t, "TLS handshake error")
	for _, line := range strings.Split(strings.TrimSpace(log), "\n") {
		var rec struct {
			Level, Msg string
		}
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Errorf("a line of the log is not JSON: %q", line)
		} else if strings.Contains(rec.Msg, "TLS handshake error") && rec.Level != "WARN" {
			t.Errorf("handshake error logged at %s, want WARN: %q", rec.Level, line)
		}
	}
}

// TestServeTLSFlagsRefused: a certificate without its key, a file that is
// not there, or a key of another certificate stops serve at start, naming
// the flags.
func TestServeTLSFlagsRefused(t *testing.T) {
	dir := t.TempDir()
	certFile, keyFile, _ := writeCert(t, dir, "localhost")
	_, otherKey, _ := writeCert(t, t.TempDir(), "localhost")
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"cert alone", []string{"--tls-cert", certFile}, "serve: --tls-cert and --tls-key go together"},
		{"key alone", []string{"--tls-key", keyFile}, "serve: --tls-cert and --tls-key go together"},
		{"no such file", []string{"--tls-cert", filepath.Join(dir, "none.pem"), "--tls-key", keyFile}, "no such file"},
		{"another key", []string{"--tls-cert", certFile, "--tls-key", otherKey}, "private key does not match public key"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"serve", "--addr", "127.0.0.1:0", "--log-format", "none"}, tc.args...)
			// Cancelled: a serve that wrongly started stops at once.
			ctx, cancel := context.WithCancel(t.Context())
			cancel()
			err := run(ctx, args, mapEnv(nil), io.Discard, io.Discard)
			var ue *usageError
			if !errors.As(err, &ue) || !strings.Contains(ue.msg, tc.want) || !strings.Contains(ue.msg, "--tls-") {
				t.Fatalf("got %v, want a usage error naming the flags and saying %q", err, tc.want)
			}
		})
	}
}
