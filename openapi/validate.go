package openapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"

	"github.com/getkin/kin-openapi/openapi3filter"
)

// ValidatorConfig configures a Validator. The zero value is usable.
type ValidatorConfig struct {
	// Strict reports properties the spec does not declare as problems (and so
	// rejects the request). By default they are only warnings.
	Strict bool
	// MaxDepth is the deepest nesting of arrays and objects accepted;
	// zero means DefaultMaxDepth.
	MaxDepth int
}

// Validator checks request bodies of the createUsersBulk operation against the
// spec with kin-openapi, plus the rules kin-openapi does not know (x-max-bytes
// and unknown properties). It is safe for concurrent use.
type Validator struct {
	spec        *Spec
	strict      bool
	maxDepth    int
	opts        *openapi3filter.Options
	skipPrescan bool // tests only: to check that Prescan refuses nothing valid
}

// NewValidator returns a Validator for the spec's createUsersBulk operation.
func NewValidator(spec *Spec, cfg ValidatorConfig) (*Validator, error) {
	if spec == nil {
		return nil, errors.New("new validator: nil spec")
	}
	opts := &openapi3filter.Options{
		MultiError:              true,
		SkipSettingDefaults:     true,
		AuthenticationFunc:      openapi3filter.NoopAuthenticationFunc,
		SchemaValidationOptions: spec.doc.GetSchemaValidationOptions(),
	}
	if cfg.MaxDepth < 0 {
		return nil, fmt.Errorf("new validator: max depth %d: want 0 (default) or more", cfg.MaxDepth)
	}
	return &Validator{spec: spec, strict: cfg.Strict, maxDepth: cfg.MaxDepth, opts: opts}, nil
}

// Validate checks one request body with the given Content-Type header. It
// returns the warnings (unknown properties, unless the validator is strict) and
// a *ValidationError listing every problem when the request is invalid. The
// context is passed on to kin-openapi.
func (v *Validator) Validate(ctx context.Context, contentType string, body []byte) (warnings []Problem, err error) {
	if p, ok := v.checkContentType(contentType); !ok {
		return nil, &ValidationError{Problems: []Problem{p}}
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, &ValidationError{Problems: []Problem{{
			Rule: RuleBody, Message: "a JSON request body is required",
		}}}
	}
	if p, ok := Prescan(v.spec.RequestSchema(), body, v.maxDepth); !ok && !v.skipPrescan {
		return nil, &ValidationError{Problems: []Problem{p}}
	}
	value, err := decodeJSON(body)
	if err != nil {
		return nil, &ValidationError{Problems: []Problem{jsonProblem(err)}}
	}
	var problems []locatedProblem
	if err := v.validateSchema(ctx, contentType, body); err != nil {
		problems = appendKinProblems(problems, err, value)
	}
	extra, unknown := walkExtensions(v.spec.RequestSchema(), value)
	problems = append(problems, extra...)
	if v.strict {
		problems = append(problems, unknown...)
	} else {
		warnings = sortedProblems(unknown)
	}
	if len(problems) > 0 {
		return warnings, &ValidationError{Problems: sortedProblems(problems)}
	}
	return warnings, nil
}

func (v *Validator) checkContentType(contentType string) (Problem, bool) {
	declared := v.spec.RequestContentTypes()
	if contentType == "" {
		return Problem{Rule: RuleContentType, Message: fmt.Sprintf(
			"the Content-Type header is missing; send %s", joinOr(declared))}, false
	}
	if _, _, err := mime.ParseMediaType(contentType); err != nil ||
		v.spec.op.RequestBody.Value.Content.Get(contentType) == nil {
		return Problem{Rule: RuleContentType, Message: fmt.Sprintf(
			"Content-Type %q is not accepted; send %s", contentType, joinOr(declared))}, false
	}
	return Problem{}, true
}

// validateSchema runs kin-openapi's request body validation.
func (v *Validator) validateSchema(ctx context.Context, contentType string, body []byte) error {
	req, err := http.NewRequestWithContext(ctx, v.spec.method, v.spec.path, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("build request: %w", err)
	}
	req.Header.Set("Content-Type", contentType)
	input := &openapi3filter.RequestValidationInput{Request: req, Options: v.opts}
	return openapi3filter.ValidateRequestBody(ctx, input, v.spec.op.RequestBody.Value)
}

// decodeJSON decodes exactly one JSON value.
func decodeJSON(body []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	var value any
	if err := dec.Decode(&value); err != nil {
		var syn *json.SyntaxError
		switch {
		case errors.As(err, &syn):
			return nil, &MalformedJSONError{Offset: syn.Offset, Reason: syn.Error()}
		case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
			return nil, &MalformedJSONError{Offset: int64(len(body)), Reason: "unexpected end of JSON input"}
		}
		return nil, &MalformedJSONError{Offset: dec.InputOffset(), Reason: err.Error()}
	}
	end := int(dec.InputOffset())
	if rest := bytes.TrimLeft(body[end:], " \t\r\n"); len(rest) > 0 {
		return nil, &MalformedJSONError{Offset: int64(len(body) - len(rest)),
			Reason: "unexpected data after the top-level value"}
	}
	return value, nil
}

// MalformedJSONError reports a body that is not one well-formed JSON value.
type MalformedJSONError struct {
	Offset int64  // byte offset at which the problem was found
	Reason string // what was wrong there
}

// Error names the offset and the reason.
func (e *MalformedJSONError) Error() string {
	return fmt.Sprintf("malformed JSON at byte offset %d: %s", e.Offset, e.Reason)
}

func jsonProblem(err error) Problem {
	return Problem{Rule: RuleJSON, Message: err.Error()}
}

func joinOr(list []string) string {
	switch len(list) {
	case 0:
		return "no body"
	case 1:
		return list[0]
	}
	out := ""
	for i, s := range list {
		switch {
		case i == len(list)-1:
			out += " or " + s
		case i > 0:
			out += ", " + s
		default:
			out = s
		}
	}
	return out
}
