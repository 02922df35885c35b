package mock

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/ncpmock/ncpmock/openapi"
)

// Prism's Prefer header. Apps and stories written against Stoplight Prism
// ask it for an error answer with "Prefer: code=429"; the mock takes that as
// the fault status=429, so they keep working. Prism's other preferences
// (example=, dynamic=) choose among the spec's examples, which the mock,
// answering from its state, does not have: a warning says they are ignored.

// headerPrefer is the request header Prism reads (RFC 7240's Prefer).
const headerPrefer = "Prefer"

// SourcePrefer is the Source of a fault asked for with Prism's
// "Prefer: code=NNN" header.
const SourcePrefer = "prefer"

// preferFault reads Prism's preferences from the Prefer header values: the
// status fault that code=NNN asks for (nil for none or a code below 400, the
// answer the mock gives anyway), and a warning for what the mock ignores.
func preferFault(values []string) (f *StatusFault, warning string, err error) {
	var ignored []string
	for _, v := range values {
		for pref := range strings.SplitSeq(v, ",") {
			name, value, _ := strings.Cut(strings.TrimSpace(strings.SplitN(pref, ";", 2)[0]), "=")
			name, value = strings.ToLower(strings.TrimSpace(name)), strings.Trim(strings.TrimSpace(value), `"`)
			switch name {
			case "code":
				code, cerr := strconv.Atoi(value)
				switch {
				case cerr != nil || code < 100 || code > 599:
					return nil, "", fmt.Errorf("Prefer code=%s: want an HTTP status such as code=429 (as X-Ncpmock-Fault: status=429)", value)
				case code >= 400:
					f = &StatusFault{Status: code}
					if err := f.check(); err != nil {
						return nil, "", err
					}
				default:
					ignored = append(ignored, "code="+value+" (the mock answers as the service does)")
				}
			case "example", "dynamic":
				ignored = append(ignored, name+"="+value+" (answers come from the mock's state, not the spec's examples)")
			}
		}
	}
	if ignored != nil {
		warning = "Prefer: ncpmock ignores Prism's " + strings.Join(ignored, ", ") + "; for errors send code=4xx/5xx or X-Ncpmock-Fault"
	}
	return f, warning, nil
}

// schedulePrefer applies Prism's Prefer header when the request has no
// X-Ncpmock-Fault header (which wins).
func (x *exchange) schedulePrefer(values []string) error {
	f, warning, err := preferFault(values)
	if warning != "" {
		x.Response().Header().Add(HeaderWarning, shorten(headerSafe(warning), maxTextBytes))
	}
	if err != nil {
		return &openapi.ValidationError{Problems: []openapi.Problem{{Field: headerPrefer, Rule: "faultHeader", Message: err.Error()}}}
	}
	if f != nil {
		x.schedule(f, AppliedFault{Kind: f.Kind(), Source: SourcePrefer})
	}
	return nil
}
