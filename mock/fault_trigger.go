package mock

import (
	"fmt"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/ncpmock/ncpmock/openapi"
)

// TriggerDomain is the reserved domain of trigger login IDs: like a payment
// provider's test cards, a user whose loginId is in this domain provokes a
// failure with no set-up. The part before '@' (up to an optional "+tag")
// names it:
//
//	duplicate@fail.ncpmock.test     this user fails: "Duplicate login ID."
//	invalid@fail.ncpmock.test       this user fails: "Invalid login ID."
//	status-503@fail.ncpmock.test    the whole request fails (any kind: reset,
//	latency-2s@fail.ncpmock.test    empty, garbage, truncated, slow-body-3s,
//	                                hang-5s, contract-break-too-few ...)
//
// A request-wide trigger is "kind" or "kind-value", value setting the kind's
// main parameter as in the X-Ncpmock-Fault header. An unknown name in the
// domain is answered 400, naming the field (and refused by check-login-id).
const TriggerDomain = "fail.ncpmock.test"

const triggerSuffix = "@" + TriggerDomain

// isTrigger reports, without allocating, whether loginID is in TriggerDomain.
func isTrigger(loginID string) bool {
	n := len(loginID) - len(triggerSuffix)
	return n > 0 && strings.EqualFold(loginID[n:], triggerSuffix)
}

// triggerName returns the lowercased name of a trigger login ID: the part
// before '@' and before any "+tag".
func triggerName(loginID string) string {
	local := strings.ToLower(loginID[:len(loginID)-len(triggerSuffix)])
	name, _, _ := strings.Cut(local, "+")
	return name
}

// userTrigger returns the message of a per-user trigger name.
func userTrigger(name string) (string, bool) {
	switch name {
	case "duplicate":
		return MsgDuplicateLoginID, true
	case "invalid":
		return MsgInvalidLoginID, true
	}
	return "", false
}

// readTrigger says what a login ID in TriggerDomain stands for: the message
// a per-user trigger fails its user with, or the fault a request-wide
// trigger applies to the whole request. The error says why a name is
// neither; the bulk endpoint answers it 400 and check-login-id in its answer.
func readTrigger(loginID string) (userMsg string, f Fault, err error) {
	name := triggerName(loginID)
	if msg, ok := userTrigger(name); ok {
		return msg, nil, nil
	}
	f, err = requestTrigger(name)
	return "", f, err
}

// requestTrigger returns the fault a request-wide trigger name stands for.
func requestTrigger(name string) (Fault, error) {
	for _, k := range kinds() {
		value, ok := strings.CutPrefix(name, k.name)
		if !ok || value != "" && value[0] != '-' {
			continue
		}
		params := map[string]any{}
		if value != "" {
			if k.main == "" {
				return nil, fmt.Errorf("%s takes no value", k.name)
			}
			params[k.main] = value[1:]
		}
		return newFault(k.name, params, inTrigger)
	}
	return nil, fmt.Errorf("unknown trigger %q; want duplicate, invalid, or a fault kind (%s) with an optional -value",
		name, kindNames())
}

// applyTriggers applies the request-wide triggers among the loginIds of
// params: every latency, then the first other fault, unless a rule or the
// header already chose one. It answers 400 for an unknown trigger.
func (s *Server) applyTriggers(c echo.Context, params []openapi.UserText) error {
	for i := range params {
		if isTrigger(params[i].LoginID) {
			return s.applyTriggersSlow(c, params)
		}
	}
	return nil
}

func (s *Server) applyTriggersSlow(c echo.Context, params []openapi.UserText) error {
	x := exchangeOf(c)
	var problems []openapi.Problem
	start := 0
	if x != nil {
		start = len(x.pending)
	}
	for i, p := range params {
		if !isTrigger(p.LoginID) {
			continue
		}
		msg, f, err := readTrigger(p.LoginID)
		if msg != "" {
			continue
		}
		if err != nil {
			problems = append(problems, openapi.Problem{
				Field: fmt.Sprintf("params[%d].loginId", i), Rule: "trigger", Message: err.Error(),
			})
			continue
		}
		if x != nil && (x.terminal == nil || f.Kind() == KindLatency) {
			// The journal keeps it: a copy, not a part of the body.
			x.schedule(f, AppliedFault{Kind: f.Kind(), Source: SourceTrigger, LoginID: strings.Clone(p.LoginID)})
		}
	}
	if problems != nil {
		return &openapi.ValidationError{Problems: problems}
	}
	if x == nil {
		return nil
	}
	return x.applyPendingFrom(start)
}

// userFailures returns, for each user of params, the message it fails with
// ("" for none): per-user triggers and a partial fault. It returns nil, and
// allocates nothing, when no user fails.
func (s *Server) userFailures(c echo.Context, params []openapi.UserText) []string {
	x := exchangeOf(c)
	var out []string
	for i, p := range params {
		msg := ""
		if isTrigger(p.LoginID) {
			msg, _ = userTrigger(triggerName(p.LoginID))
		}
		if msg == "" && x != nil && x.partial != nil && x.partial.fails(x, p.LoginID) {
			msg = x.partial.Message
		}
		if msg != "" && out == nil {
			out = make([]string, len(params))
		}
		if msg != "" {
			out[i] = msg
		}
	}
	return out
}
