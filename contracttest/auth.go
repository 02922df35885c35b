package contracttest

// The auth cases: valid requests that the API Gateway must refuse for how
// they are signed, before the service sees them.

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/ncpmock/ncpmock/apigw"
	"github.com/ncpmock/ncpmock/openapi"
)

// skipNoKeys is why the auth cases are skipped without Config.Signer: a run
// without keys sends every request unsigned, to a server taken to check no
// signature (the mock's --auth none), so refusing one would prove nothing.
const skipNoKeys = "needs API keys (NCP_ACCESS_KEY, NCP_SECRET_KEY); without them every request is unsigned"

// staleAge is how old the timestamp of auth/stale-timestamp is: twice the
// skew the gateway allows, so that clocks a little apart do not matter.
const staleAge = 2 * apigw.DefaultMaxSkew

// authMode is how a request is authenticated.
type authMode int

const (
	// authRun signs as every request of the run: with Config.Signer when
	// it is set.
	authRun authMode = iota
	// authNone sends no signature headers.
	authNone
	// authWrongSecret signs with Config.Signer's access key and a wrong
	// secret key (wrongSecret).
	authWrongSecret
	// authStale signs with Config.Signer's keys at staleAge ago.
	authStale
)

// authCases returns the auth cases, each sending one valid new user: on a
// server that wrongly accepts it the user is created, and recordAnswer lists
// it for clean-up as it does the users of any 2xx answer.
func authCases(g *openapi.Generator) ([]*Case, error) {
	specs := []struct {
		name, description, sent string
		auth                    authMode
	}{
		{"auth/unsigned", "a valid user without signature headers", "a request without signature headers", authNone},
		{"auth/wrong-signature", "a valid user signed with the access key and a wrong secret key",
			"a request signed with a wrong secret key", authWrongSecret},
		{"auth/stale-timestamp", fmt.Sprintf("a valid user signed with a timestamp %s old (%s allowed)", minutes(staleAge), minutes(apigw.DefaultMaxSkew)),
			fmt.Sprintf("a request timestamped %s ago", minutes(staleAge)), authStale},
	}
	cases := make([]*Case, 0, len(specs))
	for _, sp := range specs {
		body, err := g.Valid(1)
		if err != nil {
			return nil, err
		}
		cases = append(cases, &Case{Name: sp.name, Kind: Auth, Description: sp.description, NeedsKeys: true,
			run: func(r *caseRun) { r.expectAuthRefused(r.sendAs(body.Body, jsonType, sp.auth), sp.sent) }})
	}
	return cases, nil
}

// expectAuthRefused checks that a badly authenticated request, described by
// sent, got the gateway's 401 with errorCode "200" (Authentication Failed).
// A 401 with errorCode "210" (Permission Denied) refuses it for the wrong
// reason: a key that may call nothing, not a signature that does not hold.
func (r *caseRun) expectAuthRefused(ex *Exchange, sent string) {
	if ex == nil {
		return
	}
	if ex.Status == http.StatusUnauthorized && gatewayCode(ex) == "200" {
		return
	}
	got := describe(ex)
	if ex.Status >= 200 && ex.Status <= 299 {
		got = fmt.Sprintf("%d %s: the server accepted it (any user it created is listed for clean-up): %s",
			ex.Status, http.StatusText(ex.Status), describeBody(ex))
	}
	r.fail(ex, CheckAuthEnforced, fmt.Sprintf(`401 with the gateway's error {"error":{"errorCode":"200",...}} (Authentication Failed) for %s`, sent), got)
}

// gatewayCode returns the errorCode of a gateway error answer, or "" when
// the answer is not one or its code is not a string.
func gatewayCode(ex *Exchange) string {
	var body errorBody
	var code string
	if json.Unmarshal([]byte(ex.ResponseBody), &body) != nil || body.Error == nil ||
		json.Unmarshal(body.Error.ErrorCode, &code) != nil {
		return ""
	}
	return code
}

// signAs sets the signature headers of an auth case's request: none for
// authNone, or those of Config.Signer's access key with a wrong secret key
// or a stale timestamp. Auth cases run only with Config.Signer set.
func (s *suite) signAs(req *http.Request, auth authMode) {
	if auth == authNone {
		return
	}
	signer := &apigw.Signer{Credentials: s.cfg.Signer.Credentials}
	switch auth {
	case authWrongSecret:
		signer.Credentials.SecretKey = s.repro.wrongSecret
	case authStale:
		signer.Now = func() time.Time { return time.Now().Add(-staleAge) }
	}
	signer.Sign(req)
}

// wrongSecret returns a secret key other than secret. It is printed in
// reproduce commands: it must never be the real one.
func wrongSecret(secret string) string {
	const wrong = "ncpmock-wrong-secret"
	if secret == wrong {
		return wrong + "-2"
	}
	return wrong
}

// signCommand returns the part of a curl command that signs a request as
// auth says, with "ncpmock sign" when the command runs (a signature, and a
// stale timestamp above all, holds only for minutes): with the keys of
// NCP_ACCESS_KEY and NCP_SECRET_KEY, with wrongSecret for the secret key,
// or at staleAge before the time of the command. It is empty for a request
// sent without signature headers.
func signCommand(method, requestURI string, auth authMode, wrongSecret string) string {
	sign := fmt.Sprintf("ncpmock sign --curl --method %s --uri %s", method, shellQuote(requestURI))
	switch auth {
	case authNone:
		return ""
	case authWrongSecret:
		return fmt.Sprintf(" $(NCP_SECRET_KEY=%s %s)", shellQuote(wrongSecret), sign)
	case authStale:
		return fmt.Sprintf(" $(%s --timestamp $(( ($(date +%%s) - %d) * 1000 )))", sign, int(staleAge.Seconds()))
	}
	return " $(" + sign + ")"
}

// isSignatureHeader reports whether name is one of the signature headers,
// which a curl command gets from "ncpmock sign" instead.
func isSignatureHeader(name string) bool {
	for _, h := range []string{apigw.HeaderTimestamp, apigw.HeaderAccessKey, apigw.HeaderSignature} {
		if strings.EqualFold(name, h) {
			return true
		}
	}
	return false
}

// minutes formats a whole number of minutes as "10 minutes".
func minutes(d time.Duration) string {
	return plural(int(d/time.Minute), "minute")
}
