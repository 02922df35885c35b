package openapi

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
)

// ResponseDeclared reports whether the operation declares an answer with
// this status (or a default answer).
func (s *Spec) ResponseDeclared(status int) bool {
	return s.response(status) != nil
}

// ResponseContentTypes returns the media types declared for an answer with
// this status, sorted; nil when the status is not declared or has no body.
func (s *Spec) ResponseContentTypes(status int) []string {
	r := s.response(status)
	if r == nil {
		return nil
	}
	types := make([]string, 0, len(r.Content))
	for mt := range r.Content {
		types = append(types, mt)
	}
	slices.Sort(types)
	return types
}

func (s *Spec) response(status int) *openapi3.Response {
	ref := s.op.Responses.Status(status)
	if ref == nil {
		ref = s.op.Responses.Default()
	}
	if ref == nil {
		return nil
	}
	return ref.Value
}

// ValidateResponse checks an answer of the operation against the spec: its
// status is declared, its Content-Type is one declared for that status, and
// its headers and body match the declared schemas. It returns a
// *ValidationError listing every problem; body fields are named from the
// root of the body, such as "[3].success".
func (s *Spec) ValidateResponse(ctx context.Context, status int, header http.Header, body []byte) error {
	r := s.response(status)
	if r == nil {
		return &ValidationError{Problems: []Problem{{Rule: "status", Message: fmt.Sprintf(
			"status %d is not declared for %s %s", status, s.method, s.path)}}}
	}
	if len(r.Content) == 0 {
		return nil
	}
	ct := header.Get("Content-Type")
	if r.Content.Get(ct) == nil {
		return &ValidationError{Problems: []Problem{{Rule: RuleContentType, Message: fmt.Sprintf(
			"Content-Type %q is not declared for status %d; want %s", ct, status, joinOr(s.ResponseContentTypes(status)))}}}
	}
	value, err := decodeJSON(body)
	if err != nil {
		return &ValidationError{Problems: []Problem{jsonProblem(err)}}
	}
	if err := s.validateResponseSchema(ctx, status, header, body); err != nil {
		return &ValidationError{Problems: sortedProblems(appendKinProblems(nil, err, value))}
	}
	return nil
}

func (s *Spec) validateResponseSchema(ctx context.Context, status int, header http.Header, body []byte) error {
	req, err := http.NewRequestWithContext(ctx, s.method, s.path, http.NoBody)
	if err != nil {
		return fmt.Errorf("build request: %w", err)
	}
	route := &routers.Route{Spec: s.doc, Path: s.path, PathItem: s.doc.Paths.Value(s.path), Method: s.method, Operation: s.op}
	opts := &openapi3filter.Options{
		MultiError:              true,
		IncludeResponseStatus:   true,
		SchemaValidationOptions: s.doc.GetSchemaValidationOptions(),
	}
	input := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, Route: route, Options: opts},
		Status:                 status,
		Header:                 header,
		Body:                   io.NopCloser(bytes.NewReader(body)),
		Options:                opts,
	}
	return openapi3filter.ValidateResponse(ctx, input)
}
