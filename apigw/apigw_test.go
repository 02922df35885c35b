package apigw_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/ncpmock/ncpmock/apigw"
)

// The test vector of /work/shared/ncp-facts.md, computed with NCP's official
// algorithm.
const (
	vectorMethod    = "POST"
	vectorURI       = "/api/v1/users/bulk"
	vectorTimestamp = "1700000000000"
	vectorAccessKey = "TESTACCESSKEY"
	vectorSecretKey = "TESTSECRETKEY"
	vectorSignature = "Iba57zWVRa9c6OKOiNiAt0myj0yQmj47moyZrHN8Aec="
)

var vectorTime = time.UnixMilli(1700000000000)

func TestSignTestVector(t *testing.T) {
	got := apigw.Sign(vectorSecretKey, vectorMethod, vectorURI, vectorTimestamp, vectorAccessKey)
	if got != vectorSignature {
		t.Errorf("got %q, want %q", got, vectorSignature)
	}
}

func TestStringToSign(t *testing.T) {
	got := apigw.StringToSign("GET", "/api/v1/users?page=0&size=20", "1700000000000", "AK")
	want := "GET /api/v1/users?page=0&size=20\n1700000000000\nAK"
	if got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestSignerHeadersTestVector(t *testing.T) {
	s := &apigw.Signer{
		Credentials: apigw.Credentials{AccessKey: vectorAccessKey, SecretKey: vectorSecretKey},
		Now:         func() time.Time { return vectorTime },
	}
	h := s.Headers(vectorMethod, vectorURI)
	for name, want := range map[string]string{
		apigw.HeaderTimestamp: vectorTimestamp,
		apigw.HeaderAccessKey: vectorAccessKey,
		apigw.HeaderSignature: vectorSignature,
	} {
		if got := h.Get(name); got != want {
			t.Errorf("%s: got %q, want %q", name, got, want)
		}
	}
	if len(h) != 3 {
		t.Errorf("got %d headers, want 3: %v", len(h), h)
	}
}

func TestNewSignerRefusesEmptyKeys(t *testing.T) {
	for _, c := range []apigw.Credentials{{}, {AccessKey: "AK"}, {SecretKey: "SK"}} {
		if _, err := apigw.NewSigner(c); err == nil {
			t.Errorf("NewSigner(%v): got nil error, want one", c)
		}
	}
}

// newVerifier returns a verifier that knows the test vector's keys and one
// more pair, with its clock at the test vector's time plus offset.
func newVerifier(t *testing.T, offset time.Duration) *apigw.Verifier {
	t.Helper()
	v, err := apigw.NewVerifier(apigw.VerifierConfig{
		Credentials: []apigw.Credentials{
			{AccessKey: vectorAccessKey, SecretKey: vectorSecretKey},
			{AccessKey: "OTHERKEY", SecretKey: "OTHERSECRET"},
		},
		Now: func() time.Time { return vectorTime.Add(offset) },
	})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func vectorHeaders() http.Header {
	h := make(http.Header)
	h.Set(apigw.HeaderTimestamp, vectorTimestamp)
	h.Set(apigw.HeaderAccessKey, vectorAccessKey)
	h.Set(apigw.HeaderSignature, vectorSignature)
	return h
}

func TestVerifyAcceptsTestVector(t *testing.T) {
	for _, offset := range []time.Duration{0, apigw.DefaultMaxSkew, -apigw.DefaultMaxSkew} {
		key, err := newVerifier(t, offset).VerifyHeaders(vectorMethod, vectorURI, vectorHeaders())
		if err != nil || key != vectorAccessKey {
			t.Errorf("clock off by %s: got (%q, %v), want (%q, nil)", offset, key, err, vectorAccessKey)
		}
	}
}

func TestVerifyRejects(t *testing.T) {
	tests := []struct {
		name    string
		method  string
		uri     string
		offset  time.Duration // verifier clock minus the test vector's time
		edit    func(h http.Header)
		class   error
		check   func(t *testing.T, err error)
		message string // a part of err.Error()
	}{
		{
			name: "no headers", edit: func(h http.Header) { clear(h) }, class: apigw.ErrMissing,
			check: wantMissing(apigw.HeaderTimestamp, apigw.HeaderAccessKey, apigw.HeaderSignature),
		},
		{
			name: "signature missing", edit: func(h http.Header) { h.Del(apigw.HeaderSignature) },
			class: apigw.ErrMissing, check: wantMissing(apigw.HeaderSignature),
		},
		{
			name: "empty access key", edit: func(h http.Header) { h.Set(apigw.HeaderAccessKey, "") },
			class: apigw.ErrMissing, check: wantMissing(apigw.HeaderAccessKey),
		},
		{
			name: "timestamp not a number", edit: func(h http.Header) { h.Set(apigw.HeaderTimestamp, "2023-11-14T22:13:20Z") },
			class: apigw.ErrInvalid, check: wantAs[*apigw.TimestampFormatError], message: `"2023-11-14T22:13:20Z" is not a number`,
		},
		{
			name: "timestamp with a sign", edit: func(h http.Header) { h.Set(apigw.HeaderTimestamp, "+"+vectorTimestamp) },
			class: apigw.ErrInvalid, check: wantAs[*apigw.TimestampFormatError],
		},
		{
			name: "unknown access key", edit: func(h http.Header) { h.Set(apigw.HeaderAccessKey, "NOSUCHKEY") },
			class: apigw.ErrInvalid, check: wantAs[*apigw.UnknownAccessKeyError], message: `unknown access key "NOSUCHKEY"`,
		},
		{
			name: "timestamp too old", offset: apigw.DefaultMaxSkew + time.Millisecond,
			class: apigw.ErrInvalid, check: wantAs[*apigw.ClockSkewError], message: "behind the server's clock",
		},
		{
			name: "timestamp too far ahead", offset: -apigw.DefaultMaxSkew - time.Millisecond,
			class: apigw.ErrInvalid, check: wantAs[*apigw.ClockSkewError], message: "ahead of the server's clock",
		},
		{
			name: "timestamp in seconds", edit: func(h http.Header) { h.Set(apigw.HeaderTimestamp, "1700000000") },
			class: apigw.ErrInvalid, check: wantAs[*apigw.ClockSkewError], message: "looks like seconds",
		},
		{
			name: "signature of another key", edit: func(h http.Header) { h.Set(apigw.HeaderAccessKey, "OTHERKEY") },
			class: apigw.ErrInvalid, check: wantAs[*apigw.SignatureMismatchError],
			message: `the string to sign was "POST /api/v1/users/bulk\n1700000000000\nOTHERKEY"`,
		},
		{
			name: "other method", method: "PUT", class: apigw.ErrInvalid, check: wantAs[*apigw.SignatureMismatchError],
		},
		{
			name: "other path", uri: "/api/v1/users/bulk/", class: apigw.ErrInvalid, check: wantAs[*apigw.SignatureMismatchError],
		},
		{
			name: "query not signed", uri: vectorURI + "?x=1", class: apigw.ErrInvalid, check: wantAs[*apigw.SignatureMismatchError],
		},
		{
			name: "signature altered", edit: func(h http.Header) { h.Set(apigw.HeaderSignature, strings.ToLower(vectorSignature)) },
			class: apigw.ErrInvalid, check: wantAs[*apigw.SignatureMismatchError],
		},
		{
			name: "signature truncated", edit: func(h http.Header) { h.Set(apigw.HeaderSignature, vectorSignature[:20]) },
			class: apigw.ErrInvalid, check: wantAs[*apigw.SignatureMismatchError],
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			method, uri, h := vectorMethod, vectorURI, vectorHeaders()
			if tc.method != "" {
				method = tc.method
			}
			if tc.uri != "" {
				uri = tc.uri
			}
			if tc.edit != nil {
				tc.edit(h)
			}
			key, err := newVerifier(t, tc.offset).VerifyHeaders(method, uri, h)
			if err == nil {
				t.Fatalf("got access key %q and no error, want an error", key)
			}
			if !errors.Is(err, tc.class) {
				t.Errorf("errors.Is(%v, %v) = false", err, tc.class)
			}
			other := apigw.ErrInvalid
			if tc.class == apigw.ErrInvalid {
				other = apigw.ErrMissing
			}
			if errors.Is(err, other) {
				t.Errorf("errors.Is(%v, %v) = true, want false", err, other)
			}
			tc.check(t, err)
			if !strings.Contains(err.Error(), tc.message) {
				t.Errorf("got %q, want it to contain %q", err.Error(), tc.message)
			}
			for _, secret := range []string{vectorSecretKey, "OTHERSECRET", vectorSignature} {
				if strings.Contains(err.Error(), secret) {
					t.Errorf("error %q reveals %q", err.Error(), secret)
				}
			}
		})
	}
}

func wantMissing(headers ...string) func(*testing.T, error) {
	return func(t *testing.T, err error) {
		t.Helper()
		var me *apigw.MissingHeaderError
		if !errors.As(err, &me) {
			t.Fatalf("got %T, want *apigw.MissingHeaderError", err)
		}
		if got, want := strings.Join(me.Headers, ","), strings.Join(headers, ","); got != want {
			t.Errorf("missing headers: got %q, want %q", got, want)
		}
	}
}

func wantAs[E error](t *testing.T, err error) {
	t.Helper()
	var target E
	if !errors.As(err, &target) {
		t.Errorf("got %T (%v), want %T", err, err, target)
	}
}

func TestNewVerifierRefusesBadConfig(t *testing.T) {
	tests := map[string]apigw.VerifierConfig{
		"no credentials":      {},
		"empty secret":        {Credentials: []apigw.Credentials{{AccessKey: "AK"}}},
		"repeated access key": {Credentials: []apigw.Credentials{{"AK", "S1"}, {"AK", "S2"}}},
		"negative skew":       {Credentials: []apigw.Credentials{{"AK", "S1"}}, MaxSkew: -time.Second},
	}
	for name, cfg := range tests {
		t.Run(name, func(t *testing.T) {
			if _, err := apigw.NewVerifier(cfg); err == nil {
				t.Fatal("got nil error, want one")
			}
		})
	}
}

func TestVerifierMaxSkew(t *testing.T) {
	v, err := apigw.NewVerifier(apigw.VerifierConfig{
		Credentials: []apigw.Credentials{{AccessKey: vectorAccessKey, SecretKey: vectorSecretKey}},
		MaxSkew:     time.Second,
		Now:         func() time.Time { return vectorTime.Add(2 * time.Second) },
	})
	if err != nil {
		t.Fatal(err)
	}
	_, err = v.VerifyHeaders(vectorMethod, vectorURI, vectorHeaders())
	var skew *apigw.ClockSkewError
	if !errors.As(err, &skew) || skew.MaxSkew != time.Second {
		t.Fatalf("got %v, want a *ClockSkewError with MaxSkew 1s", err)
	}
}

// TestTransportSignsForVerifier signs with Transport and verifies on a real
// server, with a path and query that net/http escapes.
func TestTransportSignsForVerifier(t *testing.T) {
	creds := apigw.Credentials{AccessKey: "AK-1", SecretKey: "SK-1"}
	v, err := apigw.NewVerifier(apigw.VerifierConfig{Credentials: []apigw.Credentials{creds}})
	if err != nil {
		t.Fatal(err)
	}
	errs := make(chan error, 4)
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, err := v.Verify(r)
		errs <- err
	}))
	defer ts.Close()
	signer, err := apigw.NewSigner(creds)
	if err != nil {
		t.Fatal(err)
	}
	client := &http.Client{Transport: &apigw.Transport{Signer: signer, Base: ts.Client().Transport}}
	for _, target := range []string{"/api/v1/users/bulk", "/api/v1/users?searchWord=kim%20lee&page=0", "/a%2Fb/c d"} {
		req, err := http.NewRequest(http.MethodPost, ts.URL+target, strings.NewReader("{}"))
		if err != nil {
			t.Fatal(err)
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if err := <-errs; err != nil {
			t.Errorf("%s: got %v, want it verified", target, err)
		}
		if req.Header.Get(apigw.HeaderSignature) != "" {
			t.Errorf("%s: Transport changed the caller's request", target)
		}
	}
}

func TestCredentialsFromEnv(t *testing.T) {
	env := map[string]string{apigw.EnvAccessKey: "AK"}
	_, err := apigw.CredentialsFromEnv(func(k string) string { return env[k] })
	if !errors.Is(err, apigw.ErrNoCredentials) || !strings.Contains(err.Error(), apigw.EnvSecretKey) {
		t.Fatalf("got %v, want ErrNoCredentials naming %s", err, apigw.EnvSecretKey)
	}
	env[apigw.EnvSecretKey] = "SK"
	c, err := apigw.CredentialsFromEnv(func(k string) string { return env[k] })
	if err != nil || c != (apigw.Credentials{AccessKey: "AK", SecretKey: "SK"}) {
		t.Fatalf("got (%v, %v), want ({AK SK}, nil)", c, err)
	}
}

func TestCredentialsNeverPrintSecret(t *testing.T) {
	c := apigw.Credentials{AccessKey: "AK", SecretKey: "VERYSECRET"}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		if got := fmt.Sprintf(verb, c); strings.Contains(got, "VERYSECRET") || !strings.Contains(got, "AK") {
			t.Errorf("Sprintf(%q): got %q, want the access key and no secret", verb, got)
		}
	}
	if got := fmt.Sprintf("%v", []apigw.Credentials{c}); strings.Contains(got, "VERYSECRET") {
		t.Errorf("got %q, want no secret", got)
	}
}

func TestReadCredentials(t *testing.T) {
	in := "# team keys\n\nAK1 SK1\n  AK2\tSK2  \n"
	got, err := apigw.ReadCredentials(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	want := []apigw.Credentials{{"AK1", "SK1"}, {"AK2", "SK2"}}
	if fmt.Sprint(got) != fmt.Sprint(want) || got[1].SecretKey != "SK2" {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestReadCredentialsErrors(t *testing.T) {
	tests := []struct {
		name, in string
		line     int
	}{
		{"one field", "AK1 SK1\nLONELYSECRET\n", 2},
		{"three fields", "AK1 SK1 EXTRASECRET\n", 1},
		{"repeated key", "AK1 SK1\n# c\nAK1 SECRET2\n", 3},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := apigw.ReadCredentials(strings.NewReader(tc.in))
			var fe *apigw.CredentialsFileError
			if !errors.As(err, &fe) || fe.Line != tc.line {
				t.Fatalf("got %v, want a *CredentialsFileError on line %d", err, tc.line)
			}
			for _, secret := range []string{"LONELYSECRET", "EXTRASECRET", "SECRET2", "SK1"} {
				if strings.Contains(err.Error(), secret) {
					t.Errorf("error %q reveals %q", err, secret)
				}
			}
		})
	}
	if _, err := apigw.ReadCredentials(strings.NewReader("# nothing\n")); err == nil {
		t.Error("empty file: got nil error, want one")
	}
}

// TestCredentialsHideTheSecretEverywhere: fmt hid the secret key, but
// encoding/json and log/slog printed it.
func TestCredentialsHideTheSecretEverywhere(t *testing.T) {
	c := apigw.Credentials{AccessKey: "AKVISIBLE", SecretKey: "s3cr3t-value"}
	var logged bytes.Buffer
	slog.New(slog.NewJSONHandler(&logged, nil)).Info("keys", "creds", c)
	slog.New(slog.NewTextHandler(&logged, nil)).Info("keys", "creds", c)
	data, err := json.Marshal(struct{ Creds apigw.Credentials }{c})
	if err != nil {
		t.Fatal(err)
	}
	for _, out := range []string{logged.String(), string(data), fmt.Sprint(c), fmt.Sprintf("%#v", c)} {
		if strings.Contains(out, c.SecretKey) || !strings.Contains(out, c.AccessKey) {
			t.Errorf("%s: want the access key shown and the secret key hidden", out)
		}
	}
}

// TestReadCredentialsDropsAByteOrderMark: a file saved with a BOM would
// otherwise give the first access key three invisible bytes.
func TestReadCredentialsDropsAByteOrderMark(t *testing.T) {
	creds, err := apigw.ReadCredentials(strings.NewReader("\ufeffAK1 SK1\nAK2 SK2\n"))
	if err != nil || len(creds) != 2 || creds[0].AccessKey != "AK1" {
		t.Fatalf("got %q, %v; want AK1 first", creds, err)
	}
}

// TestTransportWithoutSigner: a zero Transport answers an error (and closes
// the body, as a RoundTripper must), where it panicked.
func TestTransportWithoutSigner(t *testing.T) {
	body := &closeRecorder{Reader: strings.NewReader("{}")}
	req, err := http.NewRequest(http.MethodPost, "http://127.0.0.1:1/api/v1/users/bulk", body)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := (&apigw.Transport{}).RoundTrip(req); err == nil || !strings.Contains(err.Error(), "no Signer") {
		t.Fatalf("got %v, want an error naming the missing Signer", err)
	}
	if !body.closed {
		t.Error("the request body was not closed")
	}
}

type closeRecorder struct {
	*strings.Reader
	closed bool
}

func (c *closeRecorder) Close() error { c.closed = true; return nil }
