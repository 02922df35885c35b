package apigw

import (
	"errors"
	"net/http"
	"time"
)

// Signer signs outgoing requests with one key pair. The zero Now means
// time.Now. A Signer is safe for concurrent use.
type Signer struct {
	// Credentials is the key pair that signs every request; NewSigner
	// refuses an empty access key or secret key.
	Credentials Credentials
	// Now tells the time put in the timestamp header; nil means time.Now.
	Now func() time.Time
}

// NewSigner returns a Signer for c, or an error when a key is empty.
func NewSigner(c Credentials) (*Signer, error) {
	if c.AccessKey == "" || c.SecretKey == "" {
		return nil, errors.New("apigw: new signer: access key and secret key are both required")
	}
	return &Signer{Credentials: c}, nil
}

// Headers returns the three signature headers for a request with the given
// method and request URI (path and query, such as "/api/v1/users/bulk"),
// timestamped now.
func (s *Signer) Headers(method, requestURI string) http.Header {
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	ts := Timestamp(now())
	h := make(http.Header, 3)
	h.Set(HeaderTimestamp, ts)
	h.Set(HeaderAccessKey, s.Credentials.AccessKey)
	h.Set(HeaderSignature, Sign(s.Credentials.SecretKey, method, requestURI, ts, s.Credentials.AccessKey))
	return h
}

// Sign sets the three signature headers on r, replacing any already there.
// The request URI signed is r.URL.RequestURI(), what net/http sends.
func (s *Signer) Sign(r *http.Request) {
	for name, values := range s.Headers(r.Method, r.URL.RequestURI()) {
		r.Header[name] = values
	}
}

// Transport is an http.RoundTripper that signs every request it sends.
type Transport struct {
	// Signer signs the requests; it must not be nil.
	Signer *Signer
	// Base sends the signed requests; nil means http.DefaultTransport.
	Base http.RoundTripper
}

// errNoSigner is RoundTrip's error for a Transport without a Signer.
var errNoSigner = errors.New("apigw: Transport has no Signer")

// RoundTrip signs a copy of r (a RoundTripper must not change its request)
// and sends it.
func (t *Transport) RoundTrip(r *http.Request) (*http.Response, error) {
	base := t.Base
	if base == nil {
		base = http.DefaultTransport
	}
	if t.Signer == nil {
		// An error, not a panic; a RoundTripper closes the body even then.
		if r.Body != nil {
			_ = r.Body.Close()
		}
		return nil, errNoSigner
	}
	signed := r.Clone(r.Context())
	if signed.Header == nil {
		signed.Header = make(http.Header)
	}
	t.Signer.Sign(signed)
	return base.RoundTrip(signed)
}
