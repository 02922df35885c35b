package mock

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v4"
)

// HeaderFault is the request header that injects faults into one request.
// Its grammar is documented at ParseFaultHeader.
const HeaderFault = "X-Ncpmock-Fault"

// rulesDoc is a rules file: {"faults": [rule, ...]}.
type rulesDoc struct {
	Faults []json.RawMessage `json:"faults"`
}

// ParseRules reads fault rules written in YAML or JSON, as a file given to
// "ncpmock serve --faults" or a POST to /__admin/faults: either an object
// {"faults": [rule, ...]}, a list of rules, or one rule. A rule is
//
//	{"id": "flaky", "fault": "status", "params": {"status": 503},
//	 "probability": 0.5, "match": {"method": "POST", "path": "/api/v1/users/bulk",
//	 "headers": {"X-Client": "^mobile"}, "loginId": "@example\\.com$"}, "times": 2}
//
// where only "fault" is required. Unknown fields are errors. The returned
// error, a *FaultError, names the rule and the field at fault.
func ParseRules(data []byte) ([]Rule, error) {
	js, err := toJSON(data)
	if err != nil {
		return nil, &FaultError{Err: err}
	}
	raws, err := splitRules(js)
	if err != nil {
		return nil, &FaultError{Err: err}
	}
	rules := make([]Rule, 0, len(raws))
	seen := make(map[string]int, len(raws))
	for i, raw := range raws {
		r, err := decodeRule(raw)
		if err == nil && r.ID != "" && seen[r.ID] > 0 {
			err = fmt.Errorf("id %q is rule %d's already; give each rule its own", r.ID, seen[r.ID])
		}
		if err != nil {
			return nil, &FaultError{Where: ruleWhere(i+1, ruleID(raw)), Err: err}
		}
		seen[r.ID] = i + 1
		rules = append(rules, r)
	}
	return rules, nil
}

// toJSON returns data as JSON: as it is when it looks like JSON, converted
// from YAML otherwise. YAML is read with go.yaml.in/yaml/v4, the YAML module
// kin-openapi already brings in.
func toJSON(data []byte) ([]byte, error) {
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) == 0 {
		return nil, errors.New("no rules: the document is empty")
	}
	if trimmed[0] == '{' || trimmed[0] == '[' {
		return trimmed, nil
	}
	var v any
	if err := yaml.Unmarshal(trimmed, &v); err != nil {
		return nil, fmt.Errorf("read YAML: %w", err)
	}
	js, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("read YAML: keys must be strings: %w", err)
	}
	return js, nil
}

// splitRules returns the rules of a document in any of the accepted shapes.
func splitRules(js []byte) ([]json.RawMessage, error) {
	switch js[0] {
	case '[':
		var list []json.RawMessage
		if err := json.Unmarshal(js, &list); err != nil {
			return nil, fmt.Errorf("read rules: %w", err)
		}
		return list, nil
	case '{':
		var keys map[string]json.RawMessage
		if err := json.Unmarshal(js, &keys); err != nil {
			return nil, fmt.Errorf("read rules: %w", err)
		}
		if _, ok := keys["faults"]; !ok {
			return []json.RawMessage{js}, nil
		}
		var doc rulesDoc
		if err := strictJSON(js, &doc); err != nil {
			return nil, fmt.Errorf("read rules: %w", fieldError(err, "a document has only faults"))
		}
		return doc.Faults, nil
	}
	return nil, fmt.Errorf("want an object with \"faults\", a list of rules or one rule, got %.20q", js)
}

func decodeRule(raw json.RawMessage) (Rule, error) {
	var j ruleJSON
	if err := strictJSON(raw, &j); err != nil {
		return Rule{}, fieldError(err, "a rule has id, fault, params, probability, match (method, path, headers, loginId) and times")
	}
	if j.Fault == "" {
		return Rule{}, errors.New(`no "fault"; want one of ` + kindNames())
	}
	return j.rule(inRule)
}

// fieldError says in the file's terms what encoding/json found wrong: the
// field and the type it wants, or the unknown field and, from known, those
// there are.
func fieldError(err error, known string) error {
	var ute *json.UnmarshalTypeError
	if errors.As(err, &ute) {
		field := ute.Field
		if field == "" {
			field = "the document"
		}
		return fmt.Errorf("%s: want %s, got %s", field, jsonTypeName(ute.Type), article(ute.Value))
	}
	if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		return fmt.Errorf("unknown field %s; %s", name, known)
	}
	return err
}

func jsonTypeName(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Int, reflect.Int64, reflect.Uint64:
		return "an integer"
	case reflect.Float64:
		return "a number"
	case reflect.Bool:
		return "true or false"
	case reflect.Slice:
		return "a list"
	}
	return "an object"
}

// article puts "a" or "an" before the name of a JSON type ("string", "array").
func article(jsonType string) string {
	if jsonType != "" && strings.ContainsRune("aeiou", rune(jsonType[0])) {
		return "an " + jsonType
	}
	return "a " + jsonType
}

// ruleID returns a raw rule's id, if it has one, for error messages.
func ruleID(raw json.RawMessage) string {
	var j struct {
		ID string `json:"id"`
	}
	_ = json.Unmarshal(raw, &j)
	return j.ID
}

// strictJSON decodes one JSON value, refusing unknown fields and trailing data.
func strictJSON(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return errors.New("unexpected data after the rule")
	}
	return nil
}

// ParseFaultHeader reads one fault of the X-Ncpmock-Fault header:
//
//	kind[=value][; name=value]...
//
// (The server also takes several faults in one header value, joined by
// commas, as browsers join repeated headers: "latency=200ms, status=503".)
//
// kind is a fault kind; the bare value sets the kind's main parameter
// (latency: delay, status: status, garbage and truncated: bytes, slow-body:
// duration, hang: max, partial: fraction, contract-break: variant); the
// named values set any parameter, and "probability" the rule's probability.
// A value may be double-quoted (Go syntax) to hold ';' or spaces. Examples:
//
//	status=503
//	status=429; code=420; retryAfter=2
//	latency; median=200ms; sigma=0.5
//	partial; loginId="^bad"; message="Invalid login ID."
//	reset; probability=0.5
//
// The error, a *FaultError, says what is wrong.
func ParseFaultHeader(value string) (Rule, error) {
	r, err := parseFaultHeader(value)
	if err != nil {
		return Rule{}, &FaultError{Where: HeaderFault, Err: err}
	}
	return r, nil
}

func parseFaultHeader(value string) (Rule, error) {
	if !utf8.ValidString(value) {
		// Header values may carry bytes above 0x7f; a rule's parameters are
		// text that must survive JSON (the admin API lists the rule).
		return Rule{}, errors.New("not valid UTF-8 text")
	}
	parts, err := splitHeaderParts(value)
	if err != nil {
		return Rule{}, err
	}
	kind, main, hasMain := strings.Cut(parts[0], "=")
	kind = strings.ToLower(strings.TrimSpace(kind))
	if kind == "" {
		return Rule{}, errors.New("empty; want kind[=value][; name=value]..., such as status=503")
	}
	k, err := lookupKind(kind)
	if err != nil {
		return Rule{}, err
	}
	params := make(map[string]any, len(parts))
	if hasMain {
		if k.main == "" {
			return Rule{}, fmt.Errorf("%s takes no value; write %q", kind, kind)
		}
		if params[k.main], err = unquote(main); err != nil {
			return Rule{}, err
		}
	}
	if err := headerParams(parts[1:], params); err != nil {
		return Rule{}, err
	}
	j := ruleJSON{Fault: kind, Params: params}
	if p, ok := params["probability"]; ok {
		delete(params, "probability")
		x, err := toFloat(p)
		if err != nil {
			return Rule{}, fmt.Errorf("probability: %w", err)
		}
		j.Probability = &x
	}
	return j.rule(inHeader)
}

func headerParams(parts []string, params map[string]any) error {
	for _, part := range parts {
		name, val, ok := strings.Cut(part, "=")
		name = strings.TrimSpace(name)
		if !ok || name == "" {
			return fmt.Errorf("%q: want name=value", strings.TrimSpace(part))
		}
		if _, dup := params[name]; dup {
			return fmt.Errorf("parameter %s given twice", name)
		}
		v, err := unquote(val)
		if err != nil {
			return fmt.Errorf("parameter %s: %w", name, err)
		}
		params[name] = v
	}
	return nil
}

// splitFaultList splits a header value that holds several faults joined by
// commas, as browsers, proxies and some HTTP clients join repeated headers
// ("latency=200ms, status=503"). It splits only at a comma outside quotes
// that a fault kind follows, so that a comma inside an unquoted value (a
// regular expression's {1,3}) stays where it is.
func splitFaultList(value string) []string {
	list, _ := splitOutsideQuotes(value, ',', startsWithKind)
	return list
}

// splitOutsideQuotes splits value at each sep outside double quotes (where
// a backslash escapes the next byte) that split, given the rest of value
// after sep, agrees to (nil: every one). It reports whether every quote was
// closed.
func splitOutsideQuotes(value string, sep byte, split func(rest string) bool) ([]string, bool) {
	var parts []string
	start, quoted := 0, false
	for i := 0; i < len(value); i++ {
		switch c := value[i]; {
		case c == '\\' && quoted:
			i++
		case c == '"':
			quoted = !quoted
		case c == sep && !quoted && (split == nil || split(value[i+1:])):
			parts = append(parts, value[start:i])
			start = i + 1
		}
	}
	return append(parts, value[start:]), !quoted
}

// startsWithKind reports whether s, after spaces, starts with a fault kind
// that ends there or at '=', ';', ',' or a space.
func startsWithKind(s string) bool {
	s = strings.TrimLeft(s, " \t")
	for _, k := range kinds() {
		rest, ok := strings.CutPrefix(strings.ToLower(s[:min(len(s), len(k.name))]), k.name)
		if !ok || rest != "" {
			continue
		}
		if after := s[len(k.name):]; after == "" || strings.ContainsRune("=;, \t", rune(after[0])) {
			return true
		}
	}
	return false
}

// splitHeaderParts splits a header value at the semicolons outside quotes.
func splitHeaderParts(value string) ([]string, error) {
	parts, closed := splitOutsideQuotes(value, ';', nil)
	if !closed {
		return nil, errors.New("a quoted value is not closed")
	}
	for i, p := range parts[1:] {
		if strings.TrimSpace(p) == "" {
			return nil, fmt.Errorf("empty part %d after ';'", i+2)
		}
	}
	return parts, nil
}

func unquote(v string) (string, error) {
	v = strings.TrimSpace(v)
	if !strings.HasPrefix(v, `"`) {
		return v, nil
	}
	s, err := strconv.Unquote(v)
	if err != nil {
		return "", fmt.Errorf("bad quoted value %s", v)
	}
	if !utf8.ValidString(s) {
		return "", fmt.Errorf("quoted value %s is not valid UTF-8 text", v)
	}
	return s, nil
}
