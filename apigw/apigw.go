// Package apigw implements NAVER Cloud Platform's API Gateway signature v2:
// it signs outgoing requests (Signer, Transport) and verifies incoming ones
// (Verifier), as the gateway in front of every NCP API does.
//
// A request carries three headers: the time in milliseconds since the Unix
// epoch, the caller's access key, and base64 (standard encoding) of
// HMAC-SHA256, keyed with the secret key, of
//
//	METHOD + " " + requestURI + "\n" + timestamp + "\n" + accessKey
//
// where requestURI is the path and query ("/api/v1/users?page=0"), without
// the host. The body is not signed.
package apigw

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"strconv"
	"time"
)

// Header names of the signature v2 scheme. Lookups through http.Header are
// case-insensitive; these are the spellings NCP documents.
const (
	HeaderTimestamp = "x-ncp-apigw-timestamp"
	HeaderAccessKey = "x-ncp-iam-access-key"
	HeaderSignature = "x-ncp-apigw-signature-v2"
)

// Environment variables that hold the caller's keys, as NCP's tools name them.
const (
	EnvAccessKey = "NCP_ACCESS_KEY"
	EnvSecretKey = "NCP_SECRET_KEY"
)

// DefaultMaxSkew is how far a request's timestamp may be from the verifier's
// clock, either way: 5 minutes, as the real gateway allows.
const DefaultMaxSkew = 5 * time.Minute

// StringToSign returns the text that the signature is computed over.
func StringToSign(method, requestURI, timestamp, accessKey string) string {
	return method + " " + requestURI + "\n" + timestamp + "\n" + accessKey
}

// Sign returns the signature v2 of a request: base64 of HMAC-SHA256 of
// StringToSign keyed with secretKey.
func Sign(secretKey, method, requestURI, timestamp, accessKey string) string {
	mac := hmac.New(sha256.New, []byte(secretKey))
	mac.Write([]byte(StringToSign(method, requestURI, timestamp, accessKey)))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// Timestamp formats t as the timestamp header wants it: milliseconds since
// the Unix epoch, in decimal.
func Timestamp(t time.Time) string {
	return strconv.FormatInt(t.UnixMilli(), 10)
}
