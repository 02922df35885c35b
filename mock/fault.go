package mock

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Fault is one way for the mock to fail a request, in the style of
// toxiproxy's toxics: each kind is a small struct of JSON-tagged parameters in
// its own file (fault_latency.go, fault_status.go ...). Wrap a Fault in a Rule
// to say when it applies. The implementations are the *...Fault types of this
// package; the interface is closed. Every duration parameter of a fault is at
// most 10 minutes, so that no rule holds a request, or a shutdown, for long.
type Fault interface {
	// Kind returns the fault's name as used in rules, headers and trigger
	// login IDs, such as "status" or "slow-body".
	Kind() string
	// check validates the parameters and fills in defaults. It runs once,
	// when the fault is added, never per request.
	check() error
	// apply acts on one request. nil lets the request go on to the handler
	// (possibly with a changed answer); errAnswered means the fault dealt
	// with the connection itself; any other error is answered by handleError.
	apply(x *exchange) error
}

// Fault kinds, as spelt in rules, the X-Ncpmock-Fault header and trigger login IDs.
const (
	KindLatency       = "latency"
	KindStatus        = "status"
	KindReset         = "reset"
	KindEmpty         = "empty"
	KindGarbage       = "garbage"
	KindTruncated     = "truncated"
	KindSlowBody      = "slow-body"
	KindHang          = "hang"
	KindPartial       = "partial"
	KindContractBreak = "contract-break"
)

// numKinds is the number of fault kinds, len(kinds()).
const numKinds = 10

// kindIndex returns the index of a kind in kinds(), or -1 for none; it
// allocates nothing, for the counters of Stats.
func kindIndex(kind string) int {
	switch kind {
	case KindLatency:
		return 0
	case KindStatus:
		return 1
	case KindReset:
		return 2
	case KindEmpty:
		return 3
	case KindGarbage:
		return 4
	case KindTruncated:
		return 5
	case KindSlowBody:
		return 6
	case KindHang:
		return 7
	case KindPartial:
		return 8
	case KindContractBreak:
		return 9
	}
	return -1
}

// kindInfo describes a fault kind: how to make an empty one, which of its
// parameters a bare value sets ("status=503", "status-503@fail.ncpmock.test"),
// and an example of that value with what it is, for the error that says a
// needed value is missing.
type kindInfo struct {
	name    string
	main    string
	make    func() Fault
	example string
	value   string
}

// kinds lists every fault kind, in the order documentation shows them.
func kinds() []kindInfo {
	return []kindInfo{
		{KindLatency, "delay", func() Fault { return &LatencyFault{} }, "200ms",
			"a delay; a rule or the header may give min and max, or median, instead"},
		{KindStatus, "status", func() Fault { return &StatusFault{} }, "503", "an HTTP status from 400 to 599"},
		{KindReset, "", func() Fault { return &ResetFault{} }, "", ""},
		{KindEmpty, "", func() Fault { return &EmptyFault{} }, "", ""},
		{KindGarbage, "bytes", func() Fault { return &GarbageFault{} }, "512", "a number of bytes"},
		{KindTruncated, "bytes", func() Fault { return &TruncatedFault{} }, "100", "a number of bytes"},
		{KindSlowBody, "duration", func() Fault { return &SlowBodyFault{} }, "3s", "a duration"},
		{KindHang, "max", func() Fault { return &HangFault{} }, "5s", "a duration"},
		{KindPartial, "fraction", func() Fault { return &PartialFault{} }, "0.5",
			"the fraction of users that fail, from 0 to 1; a rule or the header may give loginId, a regular expression, instead"},
		{KindContractBreak, "variant", func() Fault { return &ContractBreakFault{} }, BreakTooFew,
			"one of " + BreakWrongType + ", " + BreakMissingField + ", " + BreakTooFew + ", " + BreakExtraResult},
	}
}

// spelling is where a fault was written, so that an error can show how to
// write it there.
type spelling int

const (
	inRule    spelling = iota // a rules file, the admin API, a Go program
	inHeader                  // the X-Ncpmock-Fault header
	inTrigger                 // a trigger login ID
)

// withValue writes kind k with its example value as sp spells it.
func (sp spelling) withValue(k kindInfo) string {
	switch sp {
	case inHeader:
		return k.name + "=" + k.example
	case inTrigger:
		return k.name + "-" + k.example + triggerSuffix
	}
	return "params: {" + k.main + ": " + k.example + "}"
}

// ErrUnknownFault is matched by errors about a fault kind ncpmock does not know.
var ErrUnknownFault = errors.New("unknown fault kind")

// FaultError reports a fault, rule or header that cannot be used: which one,
// and what is wrong with it.
type FaultError struct {
	// Where names the rule or source, such as `rule 2 (id "flaky")` or
	// "X-Ncpmock-Fault"; empty when unknown.
	Where string
	// Err says what is wrong.
	Err error
}

// Error describes the problem, prefixed with where it is.
func (e *FaultError) Error() string {
	msg := "invalid fault"
	if e.Err != nil {
		msg = e.Err.Error()
	}
	if e.Where == "" {
		return msg
	}
	return e.Where + ": " + msg
}

// Unwrap returns the underlying problem.
func (e *FaultError) Unwrap() error { return e.Err }

func kindNames() string {
	names := make([]string, 0, 10)
	for _, k := range kinds() {
		names = append(names, k.name)
	}
	return strings.Join(names, ", ")
}

func lookupKind(name string) (kindInfo, error) {
	for _, k := range kinds() {
		if k.name == name {
			return k, nil
		}
	}
	return kindInfo{}, fmt.Errorf("%w %q; want one of %s", ErrUnknownFault, name, kindNames())
}

// NewFault returns a fault of the given kind with its parameters set from
// params (parameter name to value, as in a rule's "params"; string values are
// converted to the parameter's type). It returns a *FaultError naming the
// parameter when a value is wrong.
func NewFault(kind string, params map[string]any) (Fault, error) {
	return newFault(kind, params, inRule)
}

// newFault is NewFault for a fault written as sp says: when the fault's
// main value is missing (status with no status), the error says so and
// shows how to give it there.
func newFault(kind string, params map[string]any, sp spelling) (Fault, error) {
	k, err := lookupKind(kind)
	if err != nil {
		return nil, &FaultError{Err: err}
	}
	f := k.make()
	err = setParams(f, params)
	if err == nil {
		err = f.check()
	}
	if err != nil {
		if missingValue(k, params) {
			return nil, &FaultError{Err: fmt.Errorf("%s needs a value: %s (%s)", kind, sp.withValue(k), k.value)}
		}
		return nil, &FaultError{Where: kind, Err: err}
	}
	return f, nil
}

// missingValue reports whether a fault of kind k that params do not make
// valid would be valid with its main value given (it is absent or empty, as
// in "status=" or status-@fail.ncpmock.test): then that value is what is
// missing, rather than some other parameter being wrong.
func missingValue(k kindInfo, params map[string]any) bool {
	if k.example == "" {
		return false
	}
	if v, given := params[k.main]; given && v != "" {
		return false
	}
	with := make(map[string]any, len(params)+1)
	for name, v := range params {
		with[name] = v
	}
	with[k.main] = k.example
	f := k.make()
	return setParams(f, with) == nil && f.check() == nil
}

// Duration is a time.Duration written as a Go duration string ("250ms",
// "1.5s") in JSON, YAML and headers.
type Duration time.Duration

// String writes the duration as time.Duration does ("250ms"), for %v.
func (d Duration) String() string { return time.Duration(d).String() }

// MarshalJSON writes the duration as a string such as "250ms".
func (d Duration) MarshalJSON() ([]byte, error) {
	return json.Marshal(time.Duration(d).String())
}

// UnmarshalJSON reads a duration string such as "250ms".
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("want a duration string such as \"250ms\": %w", err)
	}
	v, err := parseDuration(s)
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// parseDuration reads a non-negative Go duration with a unit.
func parseDuration(s string) (Duration, error) {
	v, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("want a duration with a unit, such as 250ms or 2s, got %q", s)
	}
	if v < 0 {
		return 0, fmt.Errorf("want a duration of 0 or more, got %q", s)
	}
	return Duration(v), nil
}

// maxFaultDuration bounds every duration parameter, so that no rule can hold
// a request (and a shutdown) for long.
const maxFaultDuration = 10 * time.Minute

func checkDuration(name string, d Duration) error {
	if d < 0 {
		// The text forms refuse "-1s" when they parse it; a Go struct
		// reaches here with it.
		return fmt.Errorf("%s %s: want a duration of 0 or more", name, time.Duration(d))
	}
	if time.Duration(d) > maxFaultDuration {
		return fmt.Errorf("%s %s: want at most %s", name, time.Duration(d), maxFaultDuration)
	}
	return nil
}
