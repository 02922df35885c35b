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
	"strings"
	"unicode/utf8"
	"unsafe"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
)

// ValidatorConfig configures a Validator. The zero value is usable.
type ValidatorConfig struct {
	// Strict reports properties the spec does not declare as problems (and so
	// rejects the request). By default they are only warnings.
	Strict bool
	// Reference validates every body with kin-openapi alone, the reference
	// the compiled validator is tested against. It is 30 to 50 times slower
	// on bodies of 100 users.
	// By default the request schema is compiled once into a validator that
	// checks a body in a single pass over its bytes and gives the same
	// answers; schemas it cannot compile (see Validator.Compiled) are
	// validated with kin-openapi either way.
	Reference bool
	// MaxDepth is the deepest nesting of arrays and objects accepted;
	// zero means DefaultMaxDepth.
	MaxDepth int
	// MaxUndeclared is how many properties the spec does not declare a body
	// may hold in all (each is a warning, or a problem when Strict); zero
	// means DefaultMaxUndeclared.
	MaxUndeclared int
}

// Validator checks request bodies of the createUsersBulk operation against the
// spec: kin-openapi's rules, plus those kin-openapi does not know (x-max-bytes
// and unknown properties). By default it runs a validator compiled from the
// spec, which answers as kin-openapi does (the reference, ValidatorConfig.
// Reference) and hands it the bodies and schemas it does not model. It is
// safe for concurrent use.
type Validator struct {
	spec        *Spec
	strict      bool
	maxDepth    int
	maxUndecl   int
	opts        *openapi3filter.Options
	fast        *fastPath // nil: the reference validates every body
	why         error     // why fast is nil
	skipPrescan bool      // tests only: to check that Prescan refuses nothing valid
}

// NewValidator returns a Validator for the spec's createUsersBulk operation.
func NewValidator(spec *Spec, cfg ValidatorConfig) (*Validator, error) {
	if err := spec.Loaded(); err != nil {
		return nil, fmt.Errorf("new validator: %w", err)
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
	if cfg.MaxUndeclared < 0 {
		return nil, fmt.Errorf("new validator: max undeclared %d: want 0 (default) or more", cfg.MaxUndeclared)
	}
	v := &Validator{spec: spec, strict: cfg.Strict, maxDepth: cfg.MaxDepth, maxUndecl: cfg.MaxUndeclared, opts: opts}
	if cfg.Reference {
		v.why = errReferenceChosen
	} else {
		v.fast, v.why = newFastPath(spec)
	}
	return v, nil
}

// undeclaredLimit is how many undeclared properties a body may hold.
func (v *Validator) undeclaredLimit() int {
	if v.maxUndecl <= 0 {
		return DefaultMaxUndeclared
	}
	return v.maxUndecl
}

// depthLimit is the deepest nesting accepted.
func (v *Validator) depthLimit() int {
	if v.maxDepth <= 0 {
		return DefaultMaxDepth
	}
	return v.maxDepth
}

var errReferenceChosen = errors.New("the reference validator was chosen (ValidatorConfig.Reference)")

// Compiled reports whether the validator checks bodies with the compiled
// single-pass validator and, when it does not, why: the reference was asked
// for, or the schema uses a construct the compiler does not support (such as
// oneOf), in which case kin-openapi validates every body.
func (v *Validator) Compiled() (bool, error) {
	return v.fast != nil, v.why
}

// Validate checks one request body with the given Content-Type header. It
// returns the warnings (unknown properties, unless the validator is strict) and
// a *ValidationError listing every problem when the request is invalid. The
// context is passed on to kin-openapi when it validates the body (the
// reference, or a body the compiled validator hands it); the compiled
// validator runs to the end of the body without it.
func (v *Validator) Validate(ctx context.Context, contentType string, body []byte) (warnings []Problem, err error) {
	// Nothing read is kept past this call (problems copy what they quote),
	// so the pass may read the caller's bytes in place.
	return v.check(ctx, contentType, body, unsafe.String(unsafe.SliceData(body), len(body)), nil)
}

// Decode validates a body as Validate does and, when it is valid, decodes it
// into dst in the same pass. Properties bind to the fields whose JSON names
// match them exactly; of duplicate keys the last counts, as in validation.
// When the body is invalid dst is left zero. The strings of dst are copied
// from body: see DecodeString to share its memory instead.
func (v *Validator) Decode(ctx context.Context, contentType string, body []byte, dst *BulkRequest) (warnings []Problem, err error) {
	return v.DecodeString(ctx, contentType, string(body), dst)
}

// DecodeString is Decode for a body held in a string: the strings of dst are
// parts of body (strings cannot change), which saves copying it.
func (v *Validator) DecodeString(ctx context.Context, contentType string, body string, dst *BulkRequest) (warnings []Problem, err error) {
	*dst = BulkRequest{}
	return v.check(ctx, contentType, unsafe.Slice(unsafe.StringData(body), len(body)), body, dst)
}

// DecodeUsers validates a body as Validate does and, when it is valid,
// reads into dst each user's loginId and JSON text, in the same pass; this
// is all a mock needs, and much cheaper than a whole BulkRequest. The
// strings of dst are parts of body. When the body is invalid dst is left
// zero. (When the reference validates the body, for a schema the compiler
// does not support, each user's text is decoded again and copied, and of a
// user with repeated keys of different types it is re-encoded.)
func (v *Validator) DecodeUsers(ctx context.Context, contentType string, body string, dst *BulkUsers) (warnings []Problem, err error) {
	*dst = BulkUsers{}
	return v.check(ctx, contentType, unsafe.Slice(unsafe.StringData(body), len(body)), body, dst)
}

// check validates body, given both as bytes and as a string of the same
// memory that no one modifies during the call (nor after it, when dst is
// set: the decoded strings are parts of it). Only the string is read by the
// compiled validator; the reference reads the bytes. dst is nil, a
// *BulkRequest or a *BulkUsers.
func (v *Validator) check(ctx context.Context, contentType string, body []byte, text string, dst any) ([]Problem, error) {
	mt, p, ok := v.checkContentType(contentType)
	if !ok {
		return nil, &ValidationError{Problems: []Problem{p}}
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, &ValidationError{Problems: []Problem{{
			Rule: RuleBody, Message: "a JSON request body is required",
		}}}
	}
	if v.fast != nil && v.fast.handles(mt, contentType) {
		if warnings, err, done := v.fast.validate(text, v.strict, v.depthLimit(), v.undeclaredLimit(), dst); done {
			return warnings, err
		}
		// The pass gave up (malformed or unusual JSON): the reference decides.
	}
	warnings, err := v.reference(ctx, contentType, body)
	if err == nil && dst != nil {
		// Read the body as validation did: keys matched exactly, the last
		// of repeated ones counting.
		if err := DecodeExact(body, dst); err != nil {
			clearDecoded(dst)
			return warnings, fmt.Errorf("decode a validated body: %w", err)
		}
	}
	return warnings, err
}

// reference validates with kin-openapi and ncpmock's walk of the decoded
// body: the behaviour the compiled validator must reproduce.
func (v *Validator) reference(ctx context.Context, contentType string, body []byte) (warnings []Problem, err error) {
	// Bodies far outside the spec (a million users, deep nesting) are refused
	// before kin-openapi decodes them; the compiled pass gives them up to here.
	if p, ok := prescan(v.spec.RequestSchema(), body, v.depthLimit(), v.undeclaredLimit()); !ok && !v.skipPrescan {
		// Prescan follows the bytes without checking the grammar: a body
		// that is not well-formed gets the decoder's answer, so a missing
		// comma is not reported as a type error of the member before it.
		if err := wellFormed(body); err != nil {
			return nil, &ValidationError{Problems: []Problem{jsonProblem(err)}}
		}
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

// checkContentType returns the declared media type a Content-Type header
// selects, or the problem with it.
func (v *Validator) checkContentType(contentType string) (*openapi3.MediaType, Problem, bool) {
	content := v.spec.op.RequestBody.Value.Content
	mt := content.Get(contentType)
	if mt != nil && content[contentType] == mt {
		return mt, Problem{}, true // a declared media type, as it is: no need to parse it
	}
	if p, ok := contentTypeProblem(contentType, mt != nil, v.spec.RequestContentTypes()); !ok {
		return nil, p, false
	}
	return mt, Problem{}, true
}

// CheckJSONContentType checks the Content-Type header of a request whose
// body is JSON, as the validator checks the bulk endpoint's: it returns the
// problem and false unless the header is application/json, with no charset
// or UTF-8.
func CheckJSONContentType(contentType string) (Problem, bool) {
	mt, _, err := mime.ParseMediaType(contentType)
	return contentTypeProblem(contentType, err == nil && mt == "application/json", []string{"application/json"})
}

// contentTypeProblem returns the problem with a Content-Type header, given
// whether its media type is one of declared.
func contentTypeProblem(contentType string, declaredType bool, declared []string) (Problem, bool) {
	if contentType == "" {
		return Problem{Rule: RuleContentType, Message: fmt.Sprintf(
			"the Content-Type header is missing; send %s", joinOr(declared))}, false
	}
	_, params, err := mime.ParseMediaType(contentType)
	if err != nil || !declaredType {
		return Problem{Rule: RuleContentType, Message: fmt.Sprintf(
			"Content-Type %q is not accepted; send %s", contentType, joinOr(declared))}, false
	}
	// JSON is UTF-8 (RFC 8259); a body in another charset would be misread.
	if cs, ok := params["charset"]; ok && !strings.EqualFold(cs, "utf-8") && !strings.EqualFold(cs, "utf8") {
		return Problem{Rule: RuleContentType, Message: fmt.Sprintf(
			"Content-Type %q: charset %q is not accepted; send UTF-8 (charset=utf-8, or no charset)", contentType, cs)}, false
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

// utf8BOM is the byte order mark some Windows tools put before UTF-8 text.
const utf8BOM = "\xef\xbb\xbf"

// decodeJSON decodes exactly one JSON value.
func decodeJSON(body []byte) (any, error) {
	var value any
	if err := decodeInto(body, &value); err != nil {
		return nil, err
	}
	return value, nil
}

// CheckJSON reports why body is not one well-formed JSON value in UTF-8, as
// the validator reports it (a *MalformedJSONError with the offset of the
// first problem), or nil. It builds nothing from the body.
func CheckJSON(body []byte) error { return wellFormed(body) }

// wellFormed reports, as decodeJSON would, why body is not one well-formed
// JSON value, without building it: for bodies Prescan refuses, which may be
// too large to decode.
func wellFormed(body []byte) error {
	var raw json.RawMessage
	err := decodeInto(body, &raw)
	if m := (*MalformedJSONError)(nil); errors.As(err, &m) && strings.HasSuffix(m.Reason, "exceeded max depth") {
		// encoding/json's own limit (10,000 levels), not the body's
		// syntax: the problem Prescan found stands.
		return nil
	}
	return err
}

// decodeInto decodes exactly one JSON value into dst (a *any, or a
// *json.RawMessage to check the syntax alone), with every problem a
// *MalformedJSONError that says where.
func decodeInto(body []byte, dst any) error {
	if bytes.HasPrefix(body, []byte(utf8BOM)) {
		return &MalformedJSONError{Offset: 0,
			Reason: "the body starts with a UTF-8 byte order mark (EF BB BF), which JSON text must not; send the JSON alone"}
	}
	// encoding/json reads invalid UTF-8 in a string as U+FFFD; JSON text
	// is UTF-8 (RFC 8259), and a byte limit counted on the replacement
	// would name sizes the client never sent.
	badUTF8 := invalidUTF8(body)
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(dst); err != nil {
		e := malformed(body, dec, err)
		if badUTF8 >= 0 && badUTF8 < int(e.Offset) {
			return utf8Error(body, badUTF8)
		}
		return e
	}
	if badUTF8 >= 0 {
		return utf8Error(body, badUTF8)
	}
	end := int(dec.InputOffset())
	if rest := bytes.TrimLeft(body[end:], " \t\r\n"); len(rest) > 0 {
		return &MalformedJSONError{Offset: int64(len(body) - len(rest)),
			Reason: "unexpected data after the top-level value"}
	}
	return nil
}

// malformed turns the error of dec, which read body, into a
// *MalformedJSONError.
func malformed(body []byte, dec *json.Decoder, err error) *MalformedJSONError {
	var (
		syn *json.SyntaxError
		ute *json.UnmarshalTypeError
	)
	switch {
	case errors.As(err, &syn):
		// Offset counts the bytes read, the bad one included.
		return &MalformedJSONError{Offset: max(0, syn.Offset-1), Reason: syn.Error()}
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return &MalformedJSONError{Offset: int64(len(body)), Reason: "unexpected end of JSON input"}
	case errors.As(err, &ute) && strings.HasPrefix(ute.Value, "number"):
		// Well-formed, but past what a JSON parser of the service (an
		// IEEE 754 double) can hold.
		// Offset is past the number, by one byte or none.
		literal := []byte(strings.TrimPrefix(ute.Value, "number "))
		start := bytes.LastIndex(body[:min(int64(len(body)), ute.Offset)], literal)
		return &MalformedJSONError{Offset: int64(max(0, start)),
			Reason: ute.Value + " is out of the range of a 64-bit floating-point number"}
	}
	return &MalformedJSONError{Offset: dec.InputOffset(), Reason: err.Error()}
}

// invalidUTF8 returns the offset of the first byte of body that is not part
// of valid UTF-8, or -1.
func invalidUTF8(body []byte) int {
	if utf8.Valid(body) {
		return -1
	}
	for i := 0; i < len(body); {
		r, size := utf8.DecodeRune(body[i:])
		if r == utf8.RuneError && size == 1 {
			return i
		}
		i += size
	}
	return -1
}

func utf8Error(body []byte, at int) *MalformedJSONError {
	return &MalformedJSONError{Offset: int64(at), Reason: fmt.Sprintf(
		"byte 0x%02X is not valid UTF-8; JSON text must be UTF-8 (RFC 8259)", body[at])}
}

// MalformedJSONError reports a body that is not one well-formed JSON value.
type MalformedJSONError struct {
	Offset int64  // offset from 0 of the byte at which the problem was found
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
