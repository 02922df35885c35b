package mock

import (
	"fmt"
	"net/http"

	"github.com/ncpmock/ncpmock/openapi"
)

// Bounds on what one answer or log line says about a request, so that a
// hostile body (100,000 unknown properties, a 1 MB property name) cannot make
// the answer's headers or the access log huge.
const (
	maxWarningHeaders = 10   // X-Ncpmock-Warning headers per answer
	maxTextBytes      = 300  // bytes of one warning or logged problem
	maxFieldErrors    = 1000 // problems listed in one 400 answer; a valid-looking batch of 100 users has far fewer
)

// addWarnings sets one X-Ncpmock-Warning header per warning, at most
// maxWarningHeaders of them, and one more that counts the rest.
func addWarnings(h http.Header, warnings []openapi.Problem) {
	for i, w := range warnings {
		if i == maxWarningHeaders {
			h.Add(HeaderWarning, fmt.Sprintf("%d more warnings not shown", len(warnings)-i))
			return
		}
		h.Add(HeaderWarning, shorten(headerSafe(w.String()), maxTextBytes))
	}
}

// capProblems lists at most maxFieldErrors problems, the last one counting
// those left out.
func capProblems(problems []openapi.Problem) []openapi.Problem {
	if len(problems) <= maxFieldErrors {
		return problems
	}
	out := append([]openapi.Problem(nil), problems[:maxFieldErrors-1]...)
	return append(out, openapi.Problem{
		Rule:    RuleTooManyProblems,
		Message: fmt.Sprintf("%d more problems not listed", len(problems)-len(out)),
	})
}

// RuleTooManyProblems is the rule of the last problem of a 400 answer that
// lists only the first of very many problems.
const RuleTooManyProblems = "tooManyProblems"

// shorten cuts s to at most n bytes, saying how long it was.
func shorten(s string, n int) string {
	if len(s) <= n {
		return s
	}
	suffix := fmt.Sprintf("... (%d bytes)", len(s))
	cut := n - len(suffix)
	for cut > 0 && s[cut]&0xC0 == 0x80 { // not inside a UTF-8 sequence
		cut--
	}
	return s[:max(cut, 0)] + suffix
}
