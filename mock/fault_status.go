package mock

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/ncpmock/ncpmock/openapi"
)

// StatusFault answers with an error status and the body the real service
// would send: the API Gateway's {"error":{"errorCode","message","details"}}
// for the gateway's statuses (401, 404, 413, 429, 500, 503, 504 ...), the
// service's {"errorCode":400,"message":"Invalid request"} for a plain 400, or
// any Body given. The request goes no further: no user is created.
//
// Default gateway codes by status: 400 -> the service error (code 100 gives
// the gateway's "Bad Request Exception"), 401 -> 200 Authentication Failed
// (210 Permission Denied), 404 -> 300, 413 -> 430, 429 -> 420 Rate Limited
// (400 Quota Exceeded, 410 Throttle Limited), 500 -> 900, 503 -> 500
// Endpoint Error, 504 -> 510 Endpoint Timeout. Other statuses get the status
// itself as code and its standard text as message (ncpmock's choice).
//
// Header: status=503, status=429; code=410; retryAfter=5,
// status=401; code=210, status=502; body="upstream down"; contentType=text/plain.
type StatusFault struct {
	// Status is the HTTP status, 400 to 599 (200 to 599 with a Body).
	Status int `json:"status"`
	// Code, Message and Details fill the gateway body; Code and Message
	// default from the gateway's table.
	Code    string `json:"code,omitempty"`
	Message string `json:"message,omitempty"`
	Details string `json:"details,omitempty"`
	// RetryAfter is the Retry-After header in seconds (0 asks to retry at
	// once); nil means 1 for 429 and none otherwise; -1 means none.
	RetryAfter *int `json:"retryAfter,omitempty"`
	// Body replaces the NCP-shaped body with these exact bytes.
	Body string `json:"body,omitempty"`
	// ContentType of Body; default application/json.
	ContentType string `json:"contentType,omitempty"`

	answer error // built by check
}

// Kind returns "status".
func (*StatusFault) Kind() string { return KindStatus }

func (f *StatusFault) check() error {
	lowest := 400
	if f.Body != "" {
		lowest = 200
	}
	if f.Status < lowest || f.Status > 599 {
		if f.Body == "" && f.Status >= 200 && f.Status < 400 {
			return fmt.Errorf("status %d: want an HTTP status from 400 to 599 (200 to 599 with a body)", f.Status)
		}
		return fmt.Errorf("status %d: want an HTTP status from %d to 599", f.Status, lowest)
	}
	if f.Body != "" && (f.Code != "" || f.Message != "" || f.Details != "") {
		return errors.New("body replaces the NCP-shaped body: drop code, message and details, or body")
	}
	if r := f.RetryAfter; r != nil && (*r < -1 || *r > 86400) {
		return fmt.Errorf("retryAfter %d: want seconds from 0 to 86400, or -1 for none", *r)
	}
	header := f.header()
	if f.Body != "" {
		if f.ContentType == "" {
			f.ContentType = "application/json"
		}
		f.answer = &rawResponseError{status: f.Status, contentType: f.ContentType, body: []byte(f.Body), header: header}
		return nil
	}
	if f.Status == http.StatusBadRequest && f.Code == "" {
		body, err := json.Marshal(openapi.ErrorResponse{ErrorCode: http.StatusBadRequest, Message: msgInvalidRequest})
		f.answer = &rawResponseError{status: f.Status, contentType: "application/json", body: body, header: header}
		return err
	}
	f.answer = f.gatewayError(header)
	return nil
}

func (f *StatusFault) gatewayError(header http.Header) *GatewayErrorStatus {
	code := f.Code
	if code == "" {
		code = defaultGatewayCode(f.Status)
	}
	msg := f.Message
	if msg == "" {
		msg = gatewayMessage(code, f.Status)
	}
	details := f.Details
	if details == "" {
		details = defaultGatewayDetails(code)
	}
	return &GatewayErrorStatus{Status: f.Status, Code: code, Message: msg, Details: details, Header: header}
}

func (f *StatusFault) header() http.Header {
	secs := -1
	switch {
	case f.RetryAfter != nil:
		secs = *f.RetryAfter
	case f.Status == http.StatusTooManyRequests:
		secs = 1
	}
	if secs < 0 {
		return nil
	}
	return http.Header{headerRetryHint: {strconv.Itoa(secs)}}
}

func (f *StatusFault) apply(*exchange) error { return f.answer }

// defaultGatewayCode returns the API Gateway's error code for an HTTP status.
func defaultGatewayCode(status int) string {
	switch status {
	case 400:
		return "100"
	case 401:
		return "200"
	case 404:
		return gwNotFound
	case 413:
		return gwTooLarge
	case 429:
		return "420"
	case 500:
		return gwUnexpected
	case 503:
		return "500"
	case 504:
		return "510"
	}
	return strconv.Itoa(status)
}

// gatewayMessage returns the API Gateway's message for an error code.
func gatewayMessage(code string, status int) string {
	switch code {
	case "100":
		return "Bad Request Exception"
	case "200":
		return "Authentication Failed"
	case "210":
		return "Permission Denied"
	case gwNotFound:
		return msgNotFound
	case "400":
		return "Quota Exceeded"
	case "410":
		return "Throttle Limited"
	case "420":
		return "Rate Limited"
	case gwTooLarge:
		return msgTooLarge
	case "500":
		return "Endpoint Error"
	case "510":
		return "Endpoint Timeout"
	case gwUnexpected:
		return msgUnexpected
	}
	return http.StatusText(status)
}

// defaultGatewayDetails returns the details seen in real answers, where known.
func defaultGatewayDetails(code string) string {
	switch code {
	case "200":
		return "Invalid authentication information."
	case gwNotFound:
		return "URL not found."
	}
	return ""
}
