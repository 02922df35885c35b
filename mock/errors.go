package mock

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/ncpmock/ncpmock/apigw"
	"github.com/ncpmock/ncpmock/openapi"
)

// Gateway error codes and messages of NCP's API Gateway.
const (
	gwAuthFailed      = "200"
	gwNotFound        = "300"
	gwTooLarge        = "430"
	gwUnexpected      = "900"
	msgAuthFailed     = "Authentication Failed"
	msgNotFound       = "Not Found Exception"
	msgTooLarge       = "Request Entity Too Large"
	msgUnexpected     = "Unexpected Error"
	msgInvalidRequest = "Invalid request"
)

// GatewayErrorStatus is an error answered in the API Gateway's shape:
// {"error":{"errorCode","message","details"}} with the given HTTP status.
type GatewayErrorStatus struct {
	// Status is the HTTP status of the answer, such as 401.
	Status int
	// Code is the body's errorCode, a string of the gateway's table such as
	// "200" (Authentication Failed).
	Code string
	// Message is the body's message, such as "Authentication Failed".
	Message string
	// Details is the body's details: what exactly went wrong.
	Details string
	// Header holds extra answer headers, such as Retry-After; may be nil.
	Header http.Header
}

// Error describes the gateway error.
func (e *GatewayErrorStatus) Error() string {
	return fmt.Sprintf("gateway error %d (code %s): %s: %s", e.Status, e.Code, e.Message, e.Details)
}

// bodyTooLargeError reports a request body over the configured limit.
type bodyTooLargeError struct{ limit int64 }

func (e *bodyTooLargeError) Error() string {
	return fmt.Sprintf("request body exceeds %d bytes", e.limit)
}

// bodyReadError reports a request body that could not be read whole: the
// client was too slow (Limits.ReadTimeout), sent less than its
// Content-Length, or broke its chunked encoding.
type bodyReadError struct{ err error }

func (e *bodyReadError) Error() string {
	var ne net.Error
	switch {
	case errors.As(e.err, &ne) && ne.Timeout():
		return "the request body did not arrive within the server's read timeout"
	case errors.Is(e.err, io.ErrUnexpectedEOF):
		return "the request body ended before its declared length"
	}
	return "the request body could not be read: " + e.err.Error()
}

func (e *bodyReadError) Unwrap() error { return e.err }

// contentEncodingError reports a body sent compressed.
type contentEncodingError struct{ encoding string }

func (e *contentEncodingError) Error() string {
	return fmt.Sprintf("Content-Encoding %q is not accepted; send the body uncompressed", e.encoding)
}

// rawResponseError is answered with exactly its status, headers and body
// (a status fault with a custom body).
type rawResponseError struct {
	status      int
	contentType string
	body        []byte
	header      http.Header
}

func (e *rawResponseError) Error() string {
	return fmt.Sprintf("answer %d with a %d-byte %s body", e.status, len(e.body), e.contentType)
}

// handleError is the one place that turns an error into an HTTP answer.
func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed || errors.Is(err, errAnswered) || errors.Is(err, errClientGone) {
		return // answered already, or no one to answer
	}
	var raw *rawResponseError
	if errors.As(err, &raw) {
		copyHeader(c.Response().Header(), raw.header)
		if err := c.Blob(raw.status, raw.contentType, raw.body); err != nil {
			s.log.Debug("write error response", "err", err)
		}
		return
	}
	status, body := s.errorResponse(err, c.Request())
	switch status {
	case http.StatusMethodNotAllowed:
		c.Response().Header().Set("Allow", s.allowed(echo.GetPath(c.Request())))
	case http.StatusNotFound:
		// Echo's router has set Allow for a path that only shares a prefix
		// with a route (/users/bulk/); no method is allowed there.
		c.Response().Header().Del("Allow")
	}
	var gw *GatewayErrorStatus
	if errors.As(err, &gw) {
		copyHeader(c.Response().Header(), gw.Header)
	}
	var werr error
	if r, ok := body.(openapi.ErrorResponse); ok && c.Request().URL.RawQuery == "" {
		// As c.JSON would write it (a query such as ?pretty goes to c.JSON).
		werr = s.writeEncoded(c, status, func(dst []byte) []byte { return appendErrorResponse(dst, r) })
	} else {
		werr = c.JSON(status, body)
	}
	if werr != nil {
		s.log.Debug("write error response", "err", werr)
	}
}

func copyHeader(dst, src http.Header) {
	for k, v := range src {
		dst[k] = append([]string(nil), v...) // the fault's header is shared by every answer
	}
}

func (s *Server) errorResponse(err error, r *http.Request) (int, any) {
	var (
		verr *openapi.ValidationError
		gw   *GatewayErrorStatus
		big  *bodyTooLargeError
		bre  *bodyReadError
		cee  *contentEncodingError
		he   *echo.HTTPError
		ferr *FaultError
	)
	switch {
	case errors.As(err, &verr):
		return http.StatusBadRequest, openapi.ErrorResponse{
			ErrorCode: http.StatusBadRequest, Message: msgInvalidRequest, FieldErrors: capProblems(verr.Problems),
		}
	case errors.Is(err, apigw.ErrMissing):
		return http.StatusUnauthorized, gatewayBody(gwAuthFailed, msgAuthFailed, authDetails(detailsMissing, err))
	case errors.Is(err, apigw.ErrInvalid):
		return http.StatusUnauthorized, gatewayBody(gwAuthFailed, msgAuthFailed, authDetails(detailsInvalid, err))
	case errors.As(err, &gw):
		return gw.Status, gatewayBody(gw.Code, gw.Message, gw.Details)
	case errors.As(err, &bre):
		return http.StatusBadRequest, openapi.ErrorResponse{
			ErrorCode: http.StatusBadRequest, Message: msgInvalidRequest,
			FieldErrors: []openapi.Problem{{Rule: openapi.RuleBody, Message: bre.Error()}},
		}
	case errors.As(err, &cee):
		return http.StatusBadRequest, openapi.ErrorResponse{
			ErrorCode: http.StatusBadRequest, Message: msgInvalidRequest,
			FieldErrors: []openapi.Problem{{Rule: openapi.RuleContentEncoding, Message: cee.Error()}},
		}

	case errors.Is(err, ErrRuleNotFound):
		return http.StatusNotFound, gatewayBody(gwNotFound, msgNotFound, err.Error()+".")
	case errors.Is(err, ErrRuleExists):
		return http.StatusConflict, gatewayBody("409", "Conflict", err.Error()+"; delete it first or choose another id.")
	case errors.As(err, &ferr):
		return http.StatusBadRequest, gatewayBody("100", "Bad Request Exception", err.Error())
	case errors.Is(err, errUserNotFound):
		return http.StatusNotFound, openapi.ErrorResponse{ErrorCode: http.StatusNotFound, Message: MsgUserNotFound}
	case errors.As(err, &big):
		return http.StatusRequestEntityTooLarge, gatewayBody(gwTooLarge, msgTooLarge, big.Error()+".")
	case errors.As(err, &he) && (he.Code == http.StatusNotFound ||
		// Echo answers 405 for a path that only shares a prefix with a
		// route, such as /users/bulk/: no method is allowed there.
		he.Code == http.StatusMethodNotAllowed && s.allowed(echo.GetPath(r)) == ""):
		return http.StatusNotFound, gatewayBody(gwNotFound, msgNotFound, "URL not found.")
	case errors.As(err, &he) && he.Code == http.StatusMethodNotAllowed:
		// The path as Echo routed it: escaped, as sent (%62ulk is a user ID).
		path := echo.GetPath(r)
		return http.StatusMethodNotAllowed, gatewayBody(gwNotFound, "Method Not Allowed",
			fmt.Sprintf("%s is not allowed on %s; use %s.", r.Method, path, s.allowed(path)))
	case errors.As(err, &he) && he.Code == http.StatusRequestEntityTooLarge:
		return http.StatusRequestEntityTooLarge, gatewayBody(gwTooLarge, msgTooLarge, "")
	}
	s.log.Error("unexpected error", "method", r.Method, "path", r.URL.Path, "err", err)
	return http.StatusInternalServerError, gatewayBody(gwUnexpected, msgUnexpected, "")
}

// The details of the real gateway's 401 answers (seen in real responses).
const (
	detailsMissing = "Authentication information are missing."
	detailsInvalid = "Invalid authentication information."
)

// authDetails starts with the real gateway's sentence, so clients that match
// it still do, and adds the mock's reason after it (the real gateway is not
// known to say which check failed).
func authDetails(sentence string, err error) string {
	return sentence + " ncpmock: " + err.Error() + "."
}

func gatewayBody(code, message, details string) openapi.GatewayError {
	return openapi.GatewayError{Error: openapi.GatewayErrorDetail{ErrorCode: code, Message: message, Details: details}}
}
