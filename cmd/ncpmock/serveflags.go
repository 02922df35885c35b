package main

import (
	"crypto/tls"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/ncpmock/ncpmock/apigw"
	"github.com/ncpmock/ncpmock/mock"
)

// limitFlags declares the server limits as flags of "ncpmock serve".
func limitFlags(fs *flag.FlagSet, l *mock.Limits) {
	fs.IntVar(&l.MaxHeaderBytes, "max-header-bytes", mock.DefaultMaxHeaderBytes, "largest request line and headers, in `bytes` (431 beyond)")
	fs.DurationVar(&l.ReadHeaderTimeout, "read-header-timeout", mock.DefaultReadHeaderTimeout, "how long a client may take to send its headers")
	fs.DurationVar(&l.ReadTimeout, "read-timeout", mock.DefaultReadTimeout, "how long a client may take to send a whole request")
	fs.DurationVar(&l.WriteTimeout, "write-timeout", mock.DefaultWriteTimeout, "how long a request may take from its headers to the end of its answer, not counting the waits of latency and slow-body faults")
	fs.DurationVar(&l.IdleTimeout, "idle-timeout", mock.DefaultIdleTimeout, "how long a keep-alive connection may wait for its next request")
	fs.IntVar(&l.MaxConns, "max-conns", mock.DefaultMaxConns, "most connections open at once; more clients wait until one closes, and the log warns (at most every 10s)")
}

// authOptions are the authentication flags of "ncpmock serve".
type authOptions struct {
	mode        string
	accessKey   string
	secretKey   string
	credentials string
	maxSkew     time.Duration
}

func (a *authOptions) flags(fs *flag.FlagSet) {
	fs.StringVar(&a.mode, "auth", mock.AuthNone, "authentication to emulate: none, or ncp (API Gateway signature v2)")
	fs.StringVar(&a.accessKey, "access-key", "", "access `key` accepted with --auth ncp")
	fs.StringVar(&a.secretKey, "secret-key", "", "secret `key` of --access-key (visible to other users in ps: prefer --credentials or NCP_SECRET_KEY)")
	fs.StringVar(&a.credentials, "credentials", "", "`file` of key pairs accepted with --auth ncp, one 'ACCESS_KEY SECRET_KEY' a line, # for comments")
	fs.DurationVar(&a.maxSkew, "auth-max-skew", apigw.DefaultMaxSkew, "how far a request's timestamp may be from the server's clock")
}

// config builds the mock's AuthConfig. With --auth ncp the keys come from
// --access-key/--secret-key and --credentials together, or, when neither is
// given, from NCP_ACCESS_KEY and NCP_SECRET_KEY.
func (a *authOptions) config(getenv func(string) string) (mock.AuthConfig, error) {
	given := a.accessKey != "" || a.secretKey != "" || a.credentials != ""
	switch a.mode {
	case mock.AuthNone:
		if given {
			return mock.AuthConfig{}, &usageError{msg: "serve: --access-key, --secret-key and --credentials need --auth ncp"}
		}
		return mock.AuthConfig{}, nil
	case mock.AuthNCP:
	default:
		return mock.AuthConfig{}, &usageError{msg: fmt.Sprintf("serve: --auth %q: want none or ncp", a.mode)}
	}
	if a.maxSkew <= 0 {
		return mock.AuthConfig{}, &usageError{msg: fmt.Sprintf("serve: --auth-max-skew %s: want a positive duration", a.maxSkew)}
	}
	creds, err := a.keys(getenv, given)
	if err != nil {
		return mock.AuthConfig{}, err
	}
	return mock.AuthConfig{Mode: mock.AuthNCP, Credentials: creds, MaxSkew: a.maxSkew}, nil
}

func (a *authOptions) keys(getenv func(string) string, given bool) ([]apigw.Credentials, error) {
	if !given {
		c, err := apigw.CredentialsFromEnv(getenv)
		if err != nil {
			return nil, &usageError{msg: "serve: --auth ncp needs --access-key and --secret-key, --credentials, or the environment: " + err.Error()}
		}
		return []apigw.Credentials{c}, nil
	}
	var creds []apigw.Credentials
	if (a.accessKey == "") != (a.secretKey == "") {
		return nil, &usageError{msg: "serve: --access-key and --secret-key go together"}
	}
	if a.accessKey != "" {
		creds = append(creds, apigw.Credentials{AccessKey: a.accessKey, SecretKey: a.secretKey})
	}
	if a.credentials != "" {
		fromFile, err := readCredentialsFile(a.credentials)
		if err != nil {
			return nil, err
		}
		creds = append(creds, fromFile...)
	}
	return creds, nil
}

func readCredentialsFile(path string) ([]apigw.Credentials, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, &usageError{msg: fmt.Sprintf("serve: --credentials: %v", err)}
	}
	defer f.Close()
	creds, err := apigw.ReadCredentials(f)
	if err != nil {
		return nil, &usageError{msg: fmt.Sprintf("serve: --credentials %s: %v", path, err)}
	}
	return creds, nil
}

// describeAuth says how requests are authenticated, naming the access keys
// and never the secret keys.
func describeAuth(a mock.AuthConfig) string {
	if a.Mode != mock.AuthNCP {
		return "none (any request is accepted; --auth ncp checks signatures)"
	}
	keys := make([]string, len(a.Credentials))
	for i, c := range a.Credentials {
		keys[i] = c.AccessKey
	}
	return fmt.Sprintf("ncp signature v2, access keys %s, max skew %s", strings.Join(keys, ", "), a.MaxSkew)
}

// tlsOptions are the flags that make "ncpmock serve" serve HTTPS, for pages
// on https://localhost that may not call http (mixed content).
type tlsOptions struct {
	cert, key string
}

func (t *tlsOptions) flags(fs *flag.FlagSet) {
	fs.StringVar(&t.cert, "tls-cert", "", "PEM certificate `file` (chain first) to serve HTTPS with, with --tls-key")
	fs.StringVar(&t.key, "tls-key", "", "PEM private key `file` of --tls-cert")
}

// config loads the certificate and key, or returns nil without them.
func (t *tlsOptions) config() (*tls.Config, error) {
	switch {
	case t.cert == "" && t.key == "":
		return nil, nil
	case t.cert == "" || t.key == "":
		return nil, &usageError{msg: "serve: --tls-cert and --tls-key go together: give the certificate file and the file of its private key"}
	}
	pair, err := tls.LoadX509KeyPair(t.cert, t.key)
	if err != nil {
		return nil, &usageError{msg: fmt.Sprintf("serve: --tls-cert %s --tls-key %s: %v", t.cert, t.key, err)}
	}
	return &tls.Config{Certificates: []tls.Certificate{pair}}, nil
}

// describe says which names the certificate serves, for the banner: a
// client refuses it under any other.
func (t *tlsOptions) describe(c *tls.Config) string {
	leaf := c.Certificates[0].Leaf
	var names []string
	names = append(names, leaf.DNSNames...)
	for _, ip := range leaf.IPAddresses {
		names = append(names, ip.String())
	}
	if len(names) == 0 {
		return t.cert + ", which names no host (no subjectAltName): clients will refuse it"
	}
	return t.cert + " for " + strings.Join(names, ", ")
}
