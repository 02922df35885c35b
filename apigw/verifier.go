package apigw

import (
	"crypto/subtle"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"
)

// VerifierConfig configures a Verifier.
type VerifierConfig struct {
	// Credentials are the key pairs the verifier accepts; at least one is
	// required, and an access key may appear only once.
	Credentials []Credentials
	// MaxSkew is the largest difference allowed between a request's
	// timestamp and Now, either way; zero means DefaultMaxSkew.
	MaxSkew time.Duration
	// Now tells the verifier's time; nil means time.Now.
	Now func() time.Time
}

// Verifier checks the signature headers of incoming requests. It is safe for
// concurrent use.
type Verifier struct {
	secrets map[string]string // access key -> secret key
	maxSkew time.Duration
	now     func() time.Time
}

// NewVerifier returns a Verifier for cfg, or an error when cfg has no key
// pair, an empty key, a repeated access key or a negative MaxSkew.
func NewVerifier(cfg VerifierConfig) (*Verifier, error) {
	if len(cfg.Credentials) == 0 {
		return nil, errors.New("apigw: new verifier: no credentials")
	}
	if cfg.MaxSkew < 0 {
		return nil, fmt.Errorf("apigw: new verifier: max skew %s: want 0 (default) or more", cfg.MaxSkew)
	}
	v := &Verifier{secrets: make(map[string]string, len(cfg.Credentials)), maxSkew: cfg.MaxSkew, now: cfg.Now}
	for i, c := range cfg.Credentials {
		if c.AccessKey == "" || c.SecretKey == "" {
			return nil, fmt.Errorf("apigw: new verifier: credentials %d: access key and secret key are both required", i)
		}
		if _, dup := v.secrets[c.AccessKey]; dup {
			return nil, fmt.Errorf("apigw: new verifier: access key %s given twice", c.AccessKey)
		}
		v.secrets[c.AccessKey] = c.SecretKey
	}
	if v.maxSkew == 0 {
		v.maxSkew = DefaultMaxSkew
	}
	if v.now == nil {
		v.now = time.Now
	}
	return v, nil
}

// Verify checks the signature headers of a request received by a server. It
// returns the caller's access key, or an error matching ErrMissing or
// ErrInvalid: *MissingHeaderError, *TimestampFormatError,
// *UnknownAccessKeyError, *ClockSkewError or *SignatureMismatchError, checked
// in that order.
func (v *Verifier) Verify(r *http.Request) (accessKey string, err error) {
	return v.VerifyHeaders(r.Method, requestURI(r), r.Header)
}

// VerifyHeaders is Verify for a request given by its method, request URI (path
// and query as sent) and headers.
func (v *Verifier) VerifyHeaders(method, requestURI string, h http.Header) (accessKey string, err error) {
	ts, key, sig := h.Get(HeaderTimestamp), h.Get(HeaderAccessKey), h.Get(HeaderSignature)
	if err := checkPresent(ts, key, sig); err != nil {
		return "", err
	}
	millis, ok := parseMillis(ts)
	if !ok {
		return "", &TimestampFormatError{Value: ts}
	}
	secret, ok := v.secrets[key]
	if !ok {
		return "", &UnknownAccessKeyError{AccessKey: key}
	}
	now := v.now()
	if stamp := time.UnixMilli(millis); absDuration(stamp.Sub(now)) > v.maxSkew {
		return "", &ClockSkewError{Timestamp: stamp, Now: now, MaxSkew: v.maxSkew}
	}
	want := Sign(secret, method, requestURI, ts, key)
	if subtle.ConstantTimeCompare([]byte(want), []byte(sig)) != 1 {
		return "", &SignatureMismatchError{AccessKey: key, StringToSign: StringToSign(method, requestURI, ts, key)}
	}
	return key, nil
}

func checkPresent(ts, key, sig string) error {
	var missing []string
	for _, h := range [...]struct{ name, value string }{
		{HeaderTimestamp, ts}, {HeaderAccessKey, key}, {HeaderSignature, sig},
	} {
		if h.value == "" {
			missing = append(missing, h.name)
		}
	}
	if missing != nil {
		return &MissingHeaderError{Headers: missing}
	}
	return nil
}

// parseMillis accepts only decimal digits (no sign, no spaces), as the
// gateway documents the header.
func parseMillis(s string) (int64, bool) {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil
}

// requestURI is the request target as the client sent it, which is what the
// client signed; for absolute-form targets (through a proxy) it is the path
// and query.
func requestURI(r *http.Request) string {
	if len(r.RequestURI) > 0 && r.RequestURI[0] == '/' {
		return r.RequestURI
	}
	return r.URL.RequestURI()
}
