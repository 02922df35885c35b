package contracttest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
)

// gatewayCodes returns the API Gateway's error codes for an HTTP status,
// from NCP's gateway table (ncp-facts.md, Confirmed), or nil for a status
// the table does not list.
func gatewayCodes(status int) []string {
	switch status {
	case http.StatusBadRequest:
		return []string{"100"}
	case http.StatusUnauthorized:
		return []string{"200", "210"} // Authentication Failed, Permission Denied
	case http.StatusNotFound:
		return []string{"300"}
	case http.StatusRequestEntityTooLarge:
		return []string{"430"}
	case http.StatusTooManyRequests:
		return []string{"400", "410", "420"} // Quota Exceeded, Throttle Limited, Rate Limited
	case http.StatusInternalServerError:
		return []string{"900"}
	case http.StatusServiceUnavailable:
		return []string{"500"}
	case http.StatusGatewayTimeout:
		return []string{"510"}
	}
	return nil
}

// errorBody is an error answer of either shape: the service's
// ErrorResponse {errorCode: 400, message} or the gateway's
// {"error":{"errorCode":"200", message, details}}.
type errorBody struct {
	ErrorCode json.RawMessage `json:"errorCode"`
	Error     *struct {
		ErrorCode json.RawMessage `json:"errorCode"`
	} `json:"error"`
}

// checkErrorCode checks the code of an error answer against its status: a
// service ErrorResponse on 400 must say errorCode 400 (the only service
// error the docs list), a gateway error one of the codes the gateway table
// gives its status. Messages are not compared (see the README). A code of
// the wrong type is left to the schema check.
func (r *caseRun) checkErrorCode(ex *Exchange) {
	var body errorBody
	if ex.Status < 400 || json.Unmarshal([]byte(ex.ResponseBody), &body) != nil {
		return
	}
	switch {
	case body.Error != nil:
		var code string
		codes := gatewayCodes(ex.Status)
		if codes == nil || json.Unmarshal(body.Error.ErrorCode, &code) != nil || slices.Contains(codes, code) {
			return
		}
		r.fail(ex, CheckErrorCode, fmt.Sprintf("a gateway error of status %d with errorCode %s", ex.Status, quoteAll(codes)),
			fmt.Sprintf("errorCode %q: %s", code, describe(ex)))
	case body.ErrorCode != nil && ex.Status == http.StatusBadRequest:
		var code float64
		if json.Unmarshal(body.ErrorCode, &code) != nil || code == http.StatusBadRequest {
			return
		}
		r.fail(ex, CheckErrorCode, "a 400 ErrorResponse with errorCode 400", fmt.Sprintf("errorCode %s: %s", body.ErrorCode, describe(ex)))
	}
}

// quoteAll quotes each code and joins them with "or".
func quoteAll(codes []string) string {
	q := make([]string, len(codes))
	for i, c := range codes {
		q[i] = fmt.Sprintf("%q", c)
	}
	return strings.Join(q, " or ")
}
