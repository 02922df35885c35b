package openapi

import (
	"errors"
	"fmt"
	"strings"
)

// Rule names used in Problem.Rule besides the JSON Schema keywords (required,
// type, minLength, maxLength, pattern, format, minItems, maxItems,
// maxProperties, additionalProperties, enum, ...).
const (
	// RuleMaxBytes is the rule of the x-max-bytes extension: a UTF-8 byte limit.
	RuleMaxBytes = "maxBytes"
	// RuleJSON is broken by a body that is not well-formed JSON.
	RuleJSON = "json"
	// RuleContentType is broken by a Content-Type the spec does not declare.
	RuleContentType = "contentType"
	// RuleBody is broken by a missing or empty body where one is required,
	// or one that could not be read whole.
	RuleBody = "body"
	// RuleContentEncoding is broken by a compressed body (a
	// Content-Encoding other than identity), which the mock does not inflate.
	RuleContentEncoding = "contentEncoding"
	// RuleUnknownProperty marks a property the spec does not declare.
	RuleUnknownProperty = "additionalProperties"
)

// ErrInvalidRequest is matched (with errors.Is) by every *ValidationError.
var ErrInvalidRequest = errors.New("invalid request")

// Problem is one violated rule of a request.
type Problem struct {
	// Field is the path of the offending value, such as
	// "params[3].userProfile.phoneNo"; empty for the body as a whole.
	Field string `json:"field"`
	// Rule names the rule broken: a JSON Schema keyword or one of the Rule constants.
	Rule string `json:"rule"`
	// Message says what is wrong, including the limit.
	Message string `json:"message"`
}

// String formats the problem on one line, for logs and headers.
func (p Problem) String() string {
	if p.Field == "" {
		return p.Rule + ": " + p.Message
	}
	return p.Field + ": " + p.Rule + ": " + p.Message
}

// ValidationError lists every problem found in one request. It matches
// ErrInvalidRequest.
type ValidationError struct {
	// Problems are every problem found; a validator's are ordered by field
	// (params[2] before params[10]), then rule.
	Problems []Problem
}

// Error lists the problems on one line.
func (e *ValidationError) Error() string {
	parts := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		parts[i] = p.String()
	}
	return fmt.Sprintf("invalid request: %s", strings.Join(parts, "; "))
}

// Is reports whether target is ErrInvalidRequest.
func (e *ValidationError) Is(target error) bool {
	return target == ErrInvalidRequest
}
