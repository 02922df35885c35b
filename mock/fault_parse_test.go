package mock

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestParseFaultHeader(t *testing.T) {
	tests := []struct {
		header string
		want   Fault
		prob   float64
	}{
		{"status=503", &StatusFault{Status: 503}, 0},
		{"Status=503", &StatusFault{Status: 503}, 0},
		{" status = 429 ; code=410; retryAfter=5 ", &StatusFault{Status: 429, Code: "410", RetryAfter: new(5)}, 0},
		{`status=502; body="upstream; down"; contentType=text/plain`, &StatusFault{Status: 502, Body: "upstream; down", ContentType: "text/plain"}, 0},
		{"latency=200ms", &LatencyFault{Delay: Duration(200 * time.Millisecond), Cap: Duration(DefaultLatencyCap)}, 0},
		{"latency; min=100ms; max=300ms", &LatencyFault{Min: Duration(100 * time.Millisecond), Max: Duration(300 * time.Millisecond), Cap: Duration(DefaultLatencyCap)}, 0},
		{"latency; median=150ms", &LatencyFault{Median: Duration(150 * time.Millisecond), Sigma: DefaultLatencySigma, Cap: Duration(DefaultLatencyCap)}, 0},
		{"latency=40s", &LatencyFault{Delay: Duration(40 * time.Second), Cap: Duration(40 * time.Second)}, 0},
		{"latency; min=1s; max=45s", &LatencyFault{Min: Duration(time.Second), Max: Duration(45 * time.Second), Cap: Duration(45 * time.Second)}, 0},
		{"reset; probability=0.25", &ResetFault{}, 0.25},
		{"empty", &EmptyFault{}, 0},
		{"reset; created=true", &ResetFault{Created: true}, 0},
		{"empty; created=TRUE", &EmptyFault{Created: true}, 0},
		{"garbage", &GarbageFault{Bytes: DefaultGarbageBytes}, 0},
		{"truncated=10", &TruncatedFault{Bytes: 10}, 0},
		{"slow-body=3s; chunks=6", &SlowBodyFault{Duration: Duration(3 * time.Second), Chunks: 6}, 0},
		{"hang", &HangFault{Max: Duration(DefaultHangMax)}, 0},
		{"partial=0.3", &PartialFault{Fraction: 0.3, Message: MsgDuplicateLoginID}, 0},
		{`partial; loginId="^bad"; message="Invalid login ID."`, &PartialFault{Fraction: 1, LoginID: "^bad", Message: MsgInvalidLoginID}, 0},
		{"contract-break=too-few", &ContractBreakFault{Variant: BreakTooFew}, 0},
		{"contract-break=missing-field; field=name", &ContractBreakFault{Variant: BreakMissingField, Field: "name"}, 0},
	}
	for _, tc := range tests {
		t.Run(tc.header, func(t *testing.T) {
			r, err := ParseFaultHeader(tc.header)
			if err != nil {
				t.Fatalf("ParseFaultHeader: %v", err)
			}
			if got, want := paramsJSON(t, r.Fault), paramsJSON(t, tc.want); got != want || r.Fault.Kind() != tc.want.Kind() {
				t.Fatalf("got %s %s, want %s %s", r.Fault.Kind(), got, tc.want.Kind(), want)
			}
			if r.Probability != tc.prob {
				t.Fatalf("got probability %v, want %v", r.Probability, tc.prob)
			}
		})
	}
}

func TestParseFaultHeaderErrors(t *testing.T) {
	tests := []struct {
		header string
		want   string // part of the message that names the problem
	}{
		{"", "empty; want kind"},
		{"stat=503", `unknown fault kind "stat"; want one of latency, status`},
		{"status", "status needs a value: status=503 (an HTTP status from 400 to 599)"},
		{"status=abc", `parameter status: want an integer, got "abc"`},
		{"status=503; cod=100", `unknown parameter "cod"; want one of body, code, contentType, details, message, retryAfter, status`},
		{"status=503; code", `"code": want name=value`},
		{"status=503; code=1; code=2", "parameter code given twice"},
		{"status=503;", "empty part 2 after ';'"},
		{`status=503; body="open`, "a quoted value is not closed"},
		{"reset=1", "reset takes no value"},
		{"reset; created=yes", "parameter created: want true or false, got yes"},
		{"reset; probability=2", "probability 2: want a number in (0, 1]"},
		{"reset; probability=0", "probability 0 never fires"},
		{"latency=200", `want a duration with a unit, such as 250ms or 2s, got "200"`},
		{"latency=20m", "delay 20m0s: want at most 10m0s"},
		{"latency=5m; cap=2s", "delay 5m0s is over cap 2s: raise cap or lower delay"},
		{"latency; min=1s; max=3s; cap=2s", "max 3s is over cap 2s"},
		{"latency; median=40s", "median 40s is over the default cap 30s: set cap"},
		{"latency; min=300ms; max=100ms", "want 0 <= min <= max"},
		{"latency=1s; median=1s", "want exactly one of"},
		{"partial", "partial needs a value: partial=0.5 (the fraction of users that fail, from 0 to 1; a rule or the header may give loginId"},
		{"partial=1.5", "fraction 1.5: want a number from 0 to 1"},
		{"partial; loginId=(", "loginId: error parsing regexp"},
		{"contract-break=bogus", `variant "bogus": want one of wrong-type, missing-field, too-few, extra-result`},
		{"contract-break=too-few; field=name", "field: only for wrong-type and missing-field"},
		{"slow-body; chunks=1", "chunks 1: want 2 to 1000"},
		{"garbage=2", "bytes 2: want 3 to"},
		{"status=302", "status 302: want an HTTP status from 400 to 599 (200 to 599 with a body)"},
		// A zero that would silently become the default is refused.
		{"latency=0s", "parameter delay: want more than 0; to add no latency, send no latency fault"},
		{"latency; median=100ms; sigma=0", "parameter sigma: want more than 0; leave it out for the default, 0.5"},
		{"hang=0s", "parameter max: want more than 0; leave it out for the default, 30s"},
		{"slow-body=0s", "parameter duration: want more than 0; leave it out for the default, 5s"},
		{"slow-body; chunks=0", "parameter chunks: want more than 0"},
		{"garbage=0", "parameter bytes: want more than 0; leave it out for the default, 256"},
		{`partial; loginId="^a"; fraction=0`, "parameter fraction: want more than 0; a fraction of 0 fails no user"},
	}
	for _, tc := range tests {
		t.Run(tc.header, func(t *testing.T) {
			_, err := ParseFaultHeader(tc.header)
			var fe *FaultError
			if !errors.As(err, &fe) || fe.Where != HeaderFault {
				t.Fatalf("got error %v, want a *FaultError from %s", err, HeaderFault)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %q, want it to say %q", err, tc.want)
			}
		})
	}
	if _, err := ParseFaultHeader("nope"); !errors.Is(err, ErrUnknownFault) {
		t.Fatalf("got %v, want ErrUnknownFault", err)
	}
}

const rulesYAML = `
faults:
  - id: slow
    fault: latency
    params: {median: 150ms, sigma: 0.8}
  - id: flaky
    fault: status
    params:
      status: 503
    probability: 0.5
    times: 2
    match:
      method: post
      path: /api/v1/*
      headers: {X-Client: "^mobile"}
      loginId: "@example\\.com$"
`

func TestParseRulesYAMLAndJSON(t *testing.T) {
	fromYAML, err := ParseRules([]byte(rulesYAML))
	if err != nil {
		t.Fatalf("YAML: %v", err)
	}
	js, err := json.Marshal(map[string]any{"faults": fromYAML})
	if err != nil {
		t.Fatalf("marshal: %v", err)
	}
	fromJSON, err := ParseRules(js)
	if err != nil {
		t.Fatalf("JSON %s: %v", js, err)
	}
	if got, want := mustJSON(t, fromJSON), mustJSON(t, fromYAML); got != want {
		t.Fatalf("JSON round trip:\ngot  %s\nwant %s", got, want)
	}
	flaky := fromYAML[1]
	want := Match{Method: "post", Path: "/api/v1/*", Headers: map[string]string{"X-Client": "^mobile"}, LoginID: `@example\.com$`}
	if flaky.ID != "flaky" || flaky.Probability != 0.5 || flaky.Times != 2 || !reflect.DeepEqual(flaky.Match, want) {
		t.Fatalf("got %+v, want id flaky, probability 0.5, times 2, match %+v", flaky, want)
	}
	if sf, ok := flaky.Fault.(*StatusFault); !ok || sf.Status != 503 {
		t.Fatalf("got fault %#v, want status 503", flaky.Fault)
	}
}

func TestParseRulesShapes(t *testing.T) {
	for _, doc := range []string{
		`{"fault": "reset"}`,
		`[{"fault": "reset"}]`,
		`{"faults": [{"fault": "reset"}]}`,
		"fault: reset",
		"- fault: reset",
		"faults:\n- fault: reset",
	} {
		rules, err := ParseRules([]byte(doc))
		if err != nil || len(rules) != 1 || rules[0].Fault.Kind() != KindReset {
			t.Errorf("%q: got %v, %v; want one reset rule", doc, rules, err)
		}
	}
}

func TestParseRulesErrors(t *testing.T) {
	tests := []struct{ doc, want string }{
		{"", "no rules: the document is empty"},
		{`{"faults": [{"fault": "reset"}, {"id": "x", "fault": "status", "params": {"status": "oops"}}]}`,
			`rule 2 (id "x"): status: parameter status: want an integer, got "oops"`},
		{`[{"fault": "reset", "prob": 1}]`, `rule 1: unknown field "prob"; a rule has id, fault, params, probability, match`},
		{"- fault: reset\n  probability: \"0.5\"", `rule 1: probability: want a number, got a string`},
		{"- fault: reset\n  times: [2]", `rule 1: times: want an integer, got an array`},
		{"- fault: reset\n  match: {headers: {X-A: 1}}", `rule 1: match.headers: want a string, got a number`},
		{"- {id: x, fault: reset}\n- {id: y, fault: empty}\n- {id: x, fault: hang}", `rule 3 (id "x"): id "x" is rule 1's already`},
		{`[{"params": {}}]`, `rule 1: no "fault"; want one of latency`},
		{`[{"fault": "reset", "match": {"loginId": "("}}]`, "rule 1: match.loginId: error parsing regexp"},
		{`[{"fault": "reset", "match": {"headers": {"X-A": "["}}}]`, "rule 1: match.headers[X-A]: error parsing regexp"},
		{`[{"fault": "reset", "match": {"path": "api"}}]`, `rule 1: match.path "api": want a path starting with /`},
		{`[{"fault": "reset", "times": -1}]`, "rule 1: times -1: want 0 (no limit) or more"},
		{`[{"id": "a b", "fault": "reset"}]`, `rule 1 (id "a b"): id "a b": want 1 to 64 letters`},
		{"faults:\n  - fault: [unclosed", "read YAML: "},
		{"faults: {fault: reset}", "read rules: faults: want a list, got an object"},
		{`{"faults": [{"fault": "reset"}]} trailing`, "read rules: invalid character"},
	}
	for _, tc := range tests {
		t.Run(tc.want, func(t *testing.T) {
			_, err := ParseRules([]byte(tc.doc))
			var fe *FaultError
			if !errors.As(err, &fe) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want a *FaultError saying %q", err, tc.want)
			}
		})
	}
}

func TestRuleJSONRoundTrip(t *testing.T) {
	r := Rule{ID: "r", Fault: &StatusFault{Status: 429, Code: "410"}, Probability: 0.5, Times: 3,
		Match: Match{Method: "POST", Headers: map[string]string{"X-A": "b"}}}
	if err := r.Fault.check(); err != nil {
		t.Fatal(err)
	}
	data, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var back Rule
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatalf("unmarshal %s: %v", data, err)
	}
	if got := mustJSON(t, back); got != string(data) {
		t.Fatalf("got %s, want %s", got, data)
	}
	if !strings.Contains(string(data), `"params":{"status":429,"code":"410"}`) {
		t.Fatalf("got %s, want the parameters under params", data)
	}
}

// FuzzParseFaultHeader checks that no header value crashes the parser and
// that a parsed rule survives a JSON round trip unchanged.
func FuzzParseFaultHeader(f *testing.F) {
	for _, s := range []string{"status=503", `partial; loginId="^a;b"`, "latency; median=1ms; sigma=3", "hang=1s; probability=0.1", `status=500; body="\x00"`} {
		f.Add(s)
	}
	f.Add("latency=200ms, status=503")
	f.Fuzz(func(t *testing.T, header string) {
		// Splitting a comma-joined value loses nothing and splits only
		// before a fault kind.
		parts := splitFaultList(header)
		if joined := strings.Join(parts, ","); joined != header {
			t.Fatalf("splitFaultList(%q) = %q, which joins to %q", header, parts, joined)
		}
		for _, p := range parts[1:] {
			if !startsWithKind(p) {
				t.Fatalf("splitFaultList(%q) split before %q, not a fault kind", header, p)
			}
		}
		r, err := ParseFaultHeader(header)
		if err != nil {
			return
		}
		roundTrip(t, r)
	})
}

// FuzzParseRules checks that no document crashes the parser and that the
// rules parsed survive a JSON round trip unchanged.
func FuzzParseRules(f *testing.F) {
	f.Add(rulesYAML)
	f.Add(`[{"fault":"contract-break","params":{"variant":"wrong-type","field":"name"}}]`)
	f.Add("fault: slow-body\nparams: {duration: 1s, chunks: 3}")
	f.Fuzz(func(t *testing.T, doc string) {
		rules, err := ParseRules([]byte(doc))
		if err != nil {
			return
		}
		for _, r := range rules {
			roundTrip(t, r)
		}
	})
}

func roundTrip(t *testing.T, r Rule) {
	t.Helper()
	data := mustJSON(t, r)
	var back Rule
	if err := json.Unmarshal([]byte(data), &back); err != nil {
		t.Fatalf("re-parse %s: %v", data, err)
	}
	if got := mustJSON(t, back); got != data {
		t.Fatalf("round trip changed the rule:\ngot  %s\nwant %s", got, data)
	}
}

func paramsJSON(t *testing.T, f Fault) string {
	t.Helper()
	if err := f.check(); err != nil {
		t.Fatalf("check %#v: %v", f, err)
	}
	return mustJSON(t, f)
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("marshal %#v: %v", v, err)
	}
	return string(data)
}

// TestNegativeDurationsRefusedFromGo: the text forms refuse "-1s" as they
// parse it; a rule built in Go is held to the same (before, AddFaults took
// HangFault{Max: -1s} and closed the connection at once).
func TestNegativeDurationsRefusedFromGo(t *testing.T) {
	minus := Duration(-time.Second)
	for _, f := range []Fault{
		&HangFault{Max: minus},
		&SlowBodyFault{Duration: minus},
		&LatencyFault{Min: minus, Max: Duration(time.Second)},
		&LatencyFault{Delay: Duration(time.Millisecond), Cap: minus},
		&LatencyFault{Delay: minus},
	} {
		s := newTestServer(t, Config{})
		_, err := s.AddFaults(Rule{Fault: f})
		var fe *FaultError
		if !errors.As(err, &fe) || !strings.Contains(err.Error(), "-1s: want a duration of 0 or more") {
			t.Errorf("%s %+v: got %v, want a FaultError naming -1s", f.Kind(), f, err)
		}
	}
}

// TestFaultErrorAndDurationPrint: a zero FaultError prints (it panicked),
// and a Duration prints as a duration under %v, not as nanoseconds.
func TestFaultErrorAndDurationPrint(t *testing.T) {
	if got := (&FaultError{}).Error(); got != "invalid fault" {
		t.Errorf("zero FaultError: got %q", got)
	}
	if got := fmt.Sprint(Duration(3 * time.Second)); got != "3s" {
		t.Errorf("Duration: got %q, want 3s", got)
	}
}

// TestMissingFaultValueSaysHowToGiveIt checks that a fault whose needed
// value is missing says so, and shows the value as the place it was written
// in spells it, rather than reporting the zero it defaulted to ("status 0").
func TestMissingFaultValueSaysHowToGiveIt(t *testing.T) {
	type spelt struct{ in, want string } // want: part of the message
	tests := []struct {
		name                  string
		header, trigger, rule spelt // the same fault, written three ways
	}{
		{"status",
			spelt{"status", "status needs a value: status=503 (an HTTP status from 400 to 599)"},
			spelt{"status", "status needs a value: status-503@fail.ncpmock.test (an HTTP status from 400 to 599)"},
			spelt{`{"fault":"status"}`, "status needs a value: params: {status: 503} (an HTTP status from 400 to 599)"}},
		{"empty status",
			spelt{"status=", "status needs a value: status=503"},
			spelt{"status-", "status needs a value: status-503@fail.ncpmock.test"},
			spelt{`{"fault":"status","params":{"status":""}}`, "status needs a value: params: {status: 503}"}},
		{"status with a code only",
			spelt{"status; code=420", "status needs a value: status=503"},
			spelt{},
			spelt{`{"fault":"status","params":{"code":"420"}}`, "status needs a value: params: {status: 503}"}},
		{"latency",
			spelt{"latency", "latency needs a value: latency=200ms (a delay"},
			spelt{"latency", "latency needs a value: latency-200ms@fail.ncpmock.test (a delay"},
			spelt{`{"fault":"latency"}`, "latency needs a value: params: {delay: 200ms} (a delay"}},
		{"partial",
			spelt{"partial", "partial needs a value: partial=0.5 (the fraction of users that fail"},
			spelt{"partial", "partial needs a value: partial-0.5@fail.ncpmock.test (the fraction of users that fail"},
			spelt{`{"fault":"partial"}`, "partial needs a value: params: {fraction: 0.5} (the fraction of users that fail"}},
		{"contract-break",
			spelt{"contract-break", "contract-break needs a value: contract-break=too-few (one of wrong-type, missing-field, too-few, extra-result)"},
			spelt{"contract-break", "contract-break needs a value: contract-break-too-few@fail.ncpmock.test (one of"},
			spelt{`{"fault":"contract-break"}`, "contract-break needs a value: params: {variant: too-few} (one of"}},
		// Where the value is not all that is wrong, the error says what is.
		{"latency with min only",
			spelt{"latency; min=1s", "latency: min 1s, max 0s: want 0 <= min <= max"},
			spelt{},
			spelt{`{"fault":"latency","params":{"min":"1s"}}`, "latency: min 1s, max 0s: want 0 <= min <= max"}},
		{"status with a bad retryAfter",
			spelt{"status; retryAfter=-5", "status: status 0: want an HTTP status"},
			spelt{},
			spelt{`{"fault":"status","params":{"retryAfter":-5}}`, "status: status 0: want an HTTP status"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := ParseFaultHeader(tc.header.in); err == nil || !strings.Contains(err.Error(), tc.header.want) {
				t.Errorf("header %q: got %v, want it to say %q", tc.header.in, err, tc.header.want)
			}
			if tc.trigger.in != "" {
				if _, _, err := readTrigger(tc.trigger.in + "@" + TriggerDomain); err == nil || !strings.Contains(err.Error(), tc.trigger.want) {
					t.Errorf("trigger %q: got %v, want it to say %q", tc.trigger.in, err, tc.trigger.want)
				}
			}
			if _, err := ParseRules([]byte(tc.rule.in)); err == nil || !strings.Contains(err.Error(), tc.rule.want) {
				t.Errorf("rule %s: got %v, want it to say %q", tc.rule.in, err, tc.rule.want)
			}
		})
	}
}
