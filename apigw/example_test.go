package apigw_test

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/ncpmock/ncpmock/apigw"
)

// Sign computes a signature from its parts: here the test vector of NCP's
// algorithm.
func ExampleSign() {
	fmt.Println(apigw.Sign("TESTSECRETKEY", "POST", "/api/v1/users/bulk", "1700000000000", "TESTACCESSKEY"))
	// Output:
	// Iba57zWVRa9c6OKOiNiAt0myj0yQmj47moyZrHN8Aec=
}

// A Transport signs every request a client sends. In a program the keys come
// from apigw.CredentialsFromEnv(os.Getenv) and Now is left nil.
func ExampleTransport() {
	signer := &apigw.Signer{
		Credentials: apigw.Credentials{AccessKey: "TESTACCESSKEY", SecretKey: "TESTSECRETKEY"},
		Now:         func() time.Time { return time.UnixMilli(1700000000000) },
	}
	client := &http.Client{Transport: &apigw.Transport{Signer: signer}}
	_ = client // client.Post("https://sso.apigw.ntruss.com/api/v1/users/bulk", ...)

	h := signer.Headers("POST", "/api/v1/users/bulk")
	fmt.Println(h.Get(apigw.HeaderSignature))
	// Output:
	// Iba57zWVRa9c6OKOiNiAt0myj0yQmj47moyZrHN8Aec=
}

// A Verifier checks a request's headers and says what is wrong.
func ExampleVerifier_VerifyHeaders() {
	v, err := apigw.NewVerifier(apigw.VerifierConfig{
		Credentials: []apigw.Credentials{{AccessKey: "TESTACCESSKEY", SecretKey: "TESTSECRETKEY"}},
		Now:         func() time.Time { return time.UnixMilli(1700000060000) }, // a minute later
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	h := http.Header{}
	h.Set(apigw.HeaderTimestamp, "1700000000000")
	h.Set(apigw.HeaderAccessKey, "TESTACCESSKEY")
	h.Set(apigw.HeaderSignature, "Iba57zWVRa9c6OKOiNiAt0myj0yQmj47moyZrHN8Aec=")
	fmt.Println(v.VerifyHeaders("POST", "/api/v1/users/bulk", h))
	fmt.Println(v.VerifyHeaders("POST", "/api/v1/users/bulk?dryRun=1", h))
	// Output:
	// TESTACCESSKEY <nil>
	//  x-ncp-apigw-signature-v2 does not match; the string to sign was "POST /api/v1/users/bulk?dryRun=1\n1700000000000\nTESTACCESSKEY"
}

// ReadCredentials reads the key pairs of a credentials file.
func ExampleReadCredentials() {
	creds, err := apigw.ReadCredentials(strings.NewReader("# team keys\nAKWEB1 web-secret-one\nAKCI1 ci-secret-one\n"))
	fmt.Println(creds, err)
	// Output:
	// [{AccessKey:AKWEB1 SecretKey:REDACTED} {AccessKey:AKCI1 SecretKey:REDACTED}] <nil>
}
