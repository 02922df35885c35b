package mock

import (
	"fmt"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/ncpmock/ncpmock/openapi"
)

// injectFaults is the middleware of the API routes that applies the faults
// chosen for a request by the X-Ncpmock-Fault header and the rule table.
// With no header and no rule it costs one map lookup and one atomic load.
// On the directory's routes (bulk false) the faults that act on per-user
// results (partial, contract-break) have no meaning: a header that asks for
// one is refused, and only rules with a match.path take part, so that a rule
// written for the bulk endpoint does not fire on the screens that list users.
func (s *Server) injectFaults(next echo.HandlerFunc, bulk bool) echo.HandlerFunc {
	return func(c echo.Context) error {
		x := exchangeOf(c)
		headers := c.Request().Header[HeaderFault]
		prefer := c.Request().Header[headerPrefer]
		if x == nil || len(headers) == 0 && len(prefer) == 0 && s.faults.empty() {
			return x.finish(next(c))
		}
		x.body = x.bufferBody() // for the journal, should a fault answer before the handler reads it
		if len(headers) == 0 && len(prefer) > 0 {
			if err := x.schedulePrefer(prefer); err != nil {
				return err
			}
		}
		if err := s.chooseFaults(x, headers, bulk); err != nil {
			return err
		}
		if err := x.applyPendingFrom(0); err != nil {
			return err
		}
		return x.finish(next(c))
	}
}

// faultValues returns the faults of the X-Ncpmock-Fault header values, one
// fault each; a value with several joined by commas gives each.
func faultValues(headers []string) []string {
	if len(headers) == 1 && !strings.Contains(headers[0], ",") {
		return headers
	}
	var out []string
	for _, h := range headers {
		out = append(out, splitFaultList(h)...)
	}
	return out
}

// bulkOnly reports whether a fault kind acts on the bulk endpoint's per-user
// results, and so only there.
func bulkOnly(kind string) bool {
	return kind == KindPartial || kind == KindContractBreak
}

// chooseFaults queues the faults of the header values, then those of the
// rules that fire.
func (s *Server) chooseFaults(x *exchange, headers []string, bulk bool) error {
	var problems []openapi.Problem
	certain := "" // the first fault that ends every request, if any
	for _, h := range faultValues(headers) {
		r, err := parseFaultHeader(h)
		if err == nil && !bulk && bulkOnly(r.Fault.Kind()) {
			err = fmt.Errorf("%s acts on the results of POST .../users/bulk only", r.Fault.Kind())
		}
		if err == nil && r.Fault.Kind() != KindLatency {
			// One fault besides latency applies; one after a certain one
			// never would (with probabilities, a later one is a fallback).
			if certain != "" {
				err = fmt.Errorf("%s can never apply: %s before it ends the request (latency combines with any fault; "+
					"give the first a probability to choose between them)", r.Fault.Kind(), certain)
			} else if r.Probability <= 0 || r.Probability >= 1 {
				certain = r.Fault.Kind()
			}
		}
		if err != nil {
			problems = append(problems, openapi.Problem{Field: HeaderFault, Rule: "faultHeader", Message: err.Error()})
			continue
		}
		if (x.terminal == nil || r.Fault.Kind() == KindLatency) && x.roll(r.Probability) {
			x.schedule(r.Fault, AppliedFault{Kind: r.Fault.Kind(), Source: SourceHeader})
		}
	}
	if problems != nil {
		return &openapi.ValidationError{Problems: problems}
	}
	if s.faults.empty() {
		return nil
	}
	var loginIDs []string
	if bulk && s.faults.needsLoginIDs() {
		loginIDs = bodyLoginIDs(x.body)
	}
	s.faults.choose(x, x.Request(), loginIDs, bulk)
	return nil
}

// bodyLoginIDs returns the loginIds of a bulk request body, or none when the
// body is not one. Keys match exactly and the last of repeated ones counts,
// as in validation.
func bodyLoginIDs(body []byte) []string {
	var bulk openapi.BulkUsers
	if openapi.DecodeExact(body, &bulk) != nil {
		return nil
	}
	ids := make([]string, len(bulk.Params))
	for i, p := range bulk.Params {
		ids[i] = p.LoginID
	}
	return ids
}
