package apigw_test

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ncpmock/ncpmock/apigw"
)

// FuzzVerify gives the verifier arbitrary header values, method and URI. It
// must not panic; it must accept exactly the requests whose signature is
// the one Sign computes for them, within the skew; and every refusal must
// match exactly one of ErrMissing and ErrInvalid without revealing the
// secret or the expected signature.
func FuzzVerify(f *testing.F) {
	f.Add("POST", "/api/v1/users/bulk", "1700000000000", "TESTACCESSKEY", "Iba57zWVRa9c6OKOiNiAt0myj0yQmj47moyZrHN8Aec=")
	f.Add("POST", "/api/v1/users/bulk", "1700000000", "TESTACCESSKEY", "")
	f.Add("GET", "/a?b=c", "99999999999999999999", "X", "Y")
	f.Add("", "", "-1", "", "")
	const secret = "TESTSECRETKEY"
	v, err := apigw.NewVerifier(apigw.VerifierConfig{
		Credentials: []apigw.Credentials{{AccessKey: "TESTACCESSKEY", SecretKey: secret}},
		Now:         func() time.Time { return time.UnixMilli(1700000000000) },
	})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, method, uri, ts, key, sig string) {
		h := http.Header{}
		h[apigw.HeaderTimestamp] = []string{ts}
		h[apigw.HeaderAccessKey] = []string{key}
		h[apigw.HeaderSignature] = []string{sig}
		got, err := v.VerifyHeaders(method, uri, h)
		want := apigw.Sign(secret, method, uri, ts, key)
		if err == nil {
			if got != key || sig != want {
				t.Fatalf("accepted key %q with signature %q, want %q", key, sig, want)
			}
			return
		}
		if errors.Is(err, apigw.ErrMissing) == errors.Is(err, apigw.ErrInvalid) {
			t.Fatalf("%v matches both or neither class", err)
		}
		if msg := err.Error(); containsNonEmpty(msg, secret) || containsNonEmpty(msg, want) {
			t.Fatalf("error %q reveals a secret", msg)
		}
	})
}

func containsNonEmpty(s, sub string) bool {
	return sub != "" && strings.Contains(s, sub)
}
