// Package openapi holds ncpmock's contract: the embedded OpenAPI document of the
// NCP SSO v1 "create users in batch" operation, its loading, the validation of
// requests against it (including the byte limits that JSON Schema cannot express)
// and the types of the bodies it describes.
package openapi

import (
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

//go:embed users-bulk.yaml
var embeddedSpec []byte

// OperationID is the operationId of the bulk-create operation in the spec.
const OperationID = "createUsersBulk"

// ErrOperationMissing reports a spec without the createUsersBulk operation.
var ErrOperationMissing = errors.New("spec has no operation " + OperationID)

// EmbeddedYAML returns a copy of the spec compiled into ncpmock.
func EmbeddedYAML() []byte {
	return append([]byte(nil), embeddedSpec...)
}

// Spec is a loaded and validated OpenAPI document that describes the
// createUsersBulk operation. It is immutable after loading and safe for
// concurrent use.
type Spec struct {
	raw    []byte
	doc    *openapi3.T
	op     *openapi3.Operation
	path   string   // the operation's path in the document, such as /users/bulk
	method string   // the operation's method, such as POST
	bases  []string // path prefixes of the document's servers, such as /api/v1
	// formats are the string formats registered with the document.
	formats map[string]regexpFormat
	// warnings say what is wrong in the document without keeping it from
	// being used (Warnings).
	warnings []string
}

// SpecError is a document that is no valid OpenAPI 3 document: its Error is
// one line, without the schema that kin-openapi prints after the reason.
type SpecError struct {
	// Err is kin-openapi's error.
	Err error
}

// Error says, in one line, where the document is invalid and why.
func (e *SpecError) Error() string { return "invalid OpenAPI document: " + oneLine(e.Err) }

// Unwrap returns kin-openapi's error.
func (e *SpecError) Unwrap() error { return e.Err }

// oneLine is kin-openapi's message of a document error, cut before the
// schema it appends on lines of their own, with the value it judged, the
// path to that value and the keyword that failed where it names them.
func oneLine(err error) string {
	msg, _, _ := strings.Cut(err.Error(), "\n")
	var se *openapi3.SchemaError
	if errors.As(err, &se) {
		if ptr := se.JSONPointer(); len(ptr) > 0 {
			msg += " at /" + strings.Join(ptr, "/")
		}
		if v, err := json.Marshal(se.Value); err == nil && se.Value != nil {
			msg += fmt.Sprintf(" (value %s)", clip(string(v)))
		}
	}
	return msg
}

// Warnings says what is wrong in the document without keeping it from
// being used, one line each: an example that breaks its own schema (after
// an edited limit, say). None for the embedded spec.
func (s *Spec) Warnings() []string {
	return slices.Clone(s.warnings)
}

// ErrSpecNotLoaded is matched by the error of NewValidator, NewGenerator and
// Spec.Loaded for a Spec that was not made by Embedded, Load or LoadFile
// (such as &Spec{}).
var ErrSpecNotLoaded = errors.New("spec not loaded: use openapi.Embedded, Load or LoadFile")

// Loaded returns ErrSpecNotLoaded for a nil or zero Spec, and nil for one
// that Embedded, Load or LoadFile made.
func (s *Spec) Loaded() error {
	if s == nil || s.doc == nil || s.op == nil {
		return ErrSpecNotLoaded
	}
	return nil
}

// Embedded loads the spec compiled into ncpmock.
func Embedded() (*Spec, error) {
	return Load(embeddedSpec)
}

// LoadFile loads a spec from a YAML or JSON file.
func LoadFile(path string) (*Spec, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("load spec: %w", err)
	}
	s, err := Load(data)
	if err != nil {
		return nil, fmt.Errorf("load spec %s: %w", path, err)
	}
	return s, nil
}

// Load parses and validates a spec from YAML or JSON. External references are
// refused: the spec must be self-contained.
func Load(data []byte) (*Spec, error) {
	loader := openapi3.NewLoader()
	loader.Context = context.Background()
	doc, err := loader.LoadFromData(data)
	if err != nil {
		return nil, fmt.Errorf("parse: %w", err)
	}
	// Examples are checked apart: ncpmock reads none of them, so an example
	// that an edited limit has left behind is a warning, not a refusal.
	if err := doc.Validate(loader.Context, openapi3.DisableExamplesValidation()); err != nil {
		return nil, &SpecError{Err: err}
	}
	var warnings []string
	if err := doc.Validate(loader.Context); err != nil {
		warnings = append(warnings, "an example breaks its schema (ncpmock uses no example, but /openapi.yaml serves it as written): "+oneLine(err))
	}
	formats := formatValidators()
	registerFormats(doc, formats)
	s := &Spec{raw: append([]byte(nil), data...), doc: doc, formats: formats, warnings: warnings}
	if err := s.findOperation(); err != nil {
		return nil, err
	}
	return s, nil
}

func (s *Spec) findOperation() error {
	for _, path := range s.doc.Paths.InMatchingOrder() {
		item := s.doc.Paths.Value(path)
		for method, op := range item.Operations() {
			if op.OperationID == OperationID {
				s.op, s.path, s.method = op, path, method
			}
		}
	}
	if s.op == nil {
		return ErrOperationMissing
	}
	if s.op.RequestBody == nil || s.op.RequestBody.Value == nil {
		return fmt.Errorf("operation %s has no request body", OperationID)
	}
	if s.RequestSchema() == nil {
		return fmt.Errorf("operation %s has no application/json request schema", OperationID)
	}
	s.bases = serverBasePaths(s.doc.Servers)
	return nil
}

// serverBasePaths returns the distinct path prefixes of the servers, so that an
// operation at /users/bulk under https://host/api/v1 is served at
// /api/v1/users/bulk.
func serverBasePaths(servers openapi3.Servers) []string {
	var bases []string
	for _, srv := range servers {
		u, err := url.Parse(srv.URL)
		if err != nil {
			continue
		}
		base := strings.TrimRight(u.Path, "/")
		if base != "" && !slices.Contains(bases, base) {
			bases = append(bases, base)
		}
	}
	return bases
}

// YAML returns the document as it was loaded (YAML or JSON).
func (s *Spec) YAML() []byte { return s.raw }

// Doc returns the parsed document. Callers must not modify it.
func (s *Spec) Doc() *openapi3.T { return s.doc }

// Operation returns the createUsersBulk operation.
func (s *Spec) Operation() *openapi3.Operation { return s.op }

// Method returns the HTTP method of the operation, such as "POST".
func (s *Spec) Method() string { return s.method }

// Path returns the operation's path relative to the servers, such as "/users/bulk".
func (s *Spec) Path() string { return s.path }

// ServerPaths returns the full paths at which the operation is reached, one per
// server base path, such as "/api/v1/users/bulk", followed by the bare path.
func (s *Spec) ServerPaths() []string {
	paths := make([]string, 0, len(s.bases)+1)
	for _, b := range s.bases {
		paths = append(paths, b+s.path)
	}
	return append(paths, s.path)
}

// RequestSchema returns the application/json schema of the request body.
func (s *Spec) RequestSchema() *openapi3.Schema {
	mt := s.op.RequestBody.Value.Content.Get("application/json")
	if mt == nil || mt.Schema == nil {
		return nil
	}
	return mt.Schema.Value
}

// RequestContentTypes returns the media types the request body may have.
func (s *Spec) RequestContentTypes() []string {
	content := s.op.RequestBody.Value.Content
	types := make([]string, 0, len(content))
	for mt := range content {
		types = append(types, mt)
	}
	slices.Sort(types)
	return types
}
