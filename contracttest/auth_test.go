package contracttest_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ncpmock/ncpmock/apigw"
	"github.com/ncpmock/ncpmock/contracttest"
	"github.com/ncpmock/ncpmock/mock"
	"github.com/ncpmock/ncpmock/mock/mocktest"
)

// authKeys are the keys of the auth tests' signer and servers.
var authKeys = apigw.Credentials{AccessKey: "AKAUTH", SecretKey: "auth-secret"}

var authCaseNames = []string{"auth/unsigned", "auth/wrong-signature", "auth/stale-timestamp"}

func authSigner(t *testing.T) *apigw.Signer {
	t.Helper()
	signer, err := apigw.NewSigner(authKeys)
	if err != nil {
		t.Fatal(err)
	}
	return signer
}

// verifying serves h, noting what a verifier of authKeys makes of each
// request: the returned func gives the errors so far, nil for a request
// that verifies.
func verifying(t *testing.T, h http.Handler) (url string, verdicts func() []error) {
	t.Helper()
	v, err := apigw.NewVerifier(apigw.VerifierConfig{Credentials: []apigw.Credentials{authKeys}})
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var errs []error
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, err := v.Verify(r)
		mu.Lock()
		errs = append(errs, err)
		mu.Unlock()
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv.URL, func() []error {
		mu.Lock()
		defer mu.Unlock()
		return append([]error(nil), errs...)
	}
}

// TestAuthCasesPassWhenTheServerChecks runs the auth cases against the mock
// with --auth ncp: each is refused, for the reason its name gives (a
// verifier beside the mock says why), and creates nobody.
func TestAuthCasesPassWhenTheServerChecks(t *testing.T) {
	m, err := mock.New(mock.Config{Auth: mock.AuthConfig{Mode: mock.AuthNCP, Credentials: []apigw.Credentials{authKeys}}})
	if err != nil {
		t.Fatal(err)
	}
	url, verdicts := verifying(t, m)
	report, err := contracttest.Check(context.Background(), url, contracttest.Config{Signer: authSigner(t), Only: []string{"auth"}}, nil)
	if err != nil {
		t.Fatalf("got %v, want the auth cases to pass", err)
	}
	for i, c := range report.Cases {
		if c.Name != authCaseNames[i] || c.Status != contracttest.StatusPass || c.Kind != contracttest.Auth {
			t.Errorf("case %d: %s %s %s, want %s passed", i, c.Name, c.Kind, c.Status, authCaseNames[i])
		}
	}
	if len(report.Cases) != len(authCaseNames) || len(report.Created) != 0 || len(report.MaybeCreated) != 0 {
		t.Fatalf("%d cases, created %v, maybe created %v", len(report.Cases), report.Created, report.MaybeCreated)
	}
	got := verdicts()
	var missing *apigw.MissingHeaderError
	var mismatch *apigw.SignatureMismatchError
	var skew *apigw.ClockSkewError
	if len(got) != 3 || !errors.As(got[0], &missing) || len(missing.Headers) != 3 ||
		!errors.As(got[1], &mismatch) || mismatch.AccessKey != authKeys.AccessKey ||
		!errors.As(got[2], &skew) || skew.Now.Sub(skew.Timestamp) <= apigw.DefaultMaxSkew {
		t.Errorf("got verdicts %v; want all headers missing, a mismatch for %s, a timestamp more than %s old",
			got, authKeys.AccessKey, apigw.DefaultMaxSkew)
	}
}

// TestAuthCasesFailWhenTheServerChecksNothing runs the auth cases against
// the mock with --auth none: each fails, its user is listed as created and
// --cleanup deletes it, and each failure's command reproduces the request's
// authentication without showing the secret key.
func TestAuthCasesFailWhenTheServerChecksNothing(t *testing.T) {
	srv := mocktest.NewServer(t, mock.Config{})
	report, err := contracttest.Check(context.Background(), srv.URL,
		contracttest.Config{Signer: authSigner(t), Only: []string{"auth"}, RunID: "auth01", Cleanup: true, ReproDir: t.TempDir()}, nil)
	if !errors.Is(err, contracttest.ErrContract) {
		t.Fatalf("got %v, want a contract error", err)
	}
	const uri = "--uri '/api/v1/users/bulk'"
	wantSign := []string{
		"", // no signature headers, and no ncpmock sign
		" $(NCP_SECRET_KEY='ncpmock-wrong-secret' ncpmock sign --curl --method POST " + uri + ") ",
		" $(ncpmock sign --curl --method POST " + uri + " --timestamp $(( ($(date +%s) - 600) * 1000 ))) ",
	}
	for i, c := range report.Cases {
		if c.Status != contracttest.StatusFail || len(c.Failures) != 1 {
			t.Fatalf("case %s: %s with %d failures, want 1", c.Name, c.Status, len(c.Failures))
		}
		f := c.Failures[0]
		if f.Check != contracttest.CheckAuthEnforced || !strings.HasPrefix(f.Got, "200 OK: the server accepted it") ||
			!strings.Contains(f.Expected, `401 with the gateway's error {"error":{"errorCode":"200",...}}`) {
			t.Errorf("case %s: %s: expected %s; got %s", c.Name, f.Check, f.Expected, f.Got)
		}
		signed := strings.Contains(f.Curl, "ncpmock sign")
		if strings.Contains(strings.ToLower(f.Curl), "x-ncp-") || signed != (wantSign[i] != "") || !strings.Contains(f.Curl, wantSign[i]) {
			t.Errorf("case %s: curl %s, want it signed as %q and no signature header", c.Name, f.Curl, wantSign[i])
		}
	}
	if len(report.Created) != 3 || report.Cleanup == nil || report.Cleanup.Deleted != 3 || storedUsers(t, srv) != 0 {
		t.Fatalf("created %+v, cleanup %+v, %d left; want the 3 users created and deleted", report.Created, report.Cleanup, storedUsers(t, srv))
	}
	for i, u := range report.Created {
		if u.Case != authCaseNames[i] || !strings.HasPrefix(u.LoginID, "ncpmock-auth01-") {
			t.Errorf("created %+v, want a login ID ncpmock-auth01-* of %s", u, authCaseNames[i])
		}
	}
	var all bytes.Buffer
	if err := contracttest.WriteJSON(&all, report); err != nil {
		t.Fatal(err)
	}
	for _, c := range report.Cases {
		contracttest.WriteCase(&all, c)
	}
	if strings.Contains(all.String(), authKeys.SecretKey) || strings.Contains(all.String(), authKeys.AccessKey) {
		t.Errorf("the output or report shows a key:\n%s", all.String())
	}
}

// TestAuthFailureSaysWhatCameBack runs the auth cases against servers that
// refuse them the wrong way, or not at all: each case fails, and the
// failure names what came back.
func TestAuthFailureSaysWhatCameBack(t *testing.T) {
	answer := func(status int, body string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(status)
			_, _ = w.Write([]byte(body))
		}
	}
	tests := []struct {
		name    string
		handler http.HandlerFunc
		want    []string // checks that fail, in order
		got     string   // in the auth_enforced failure
	}{
		{"403 instead of 401", answer(403, `{"error":{"errorCode":"200","message":"Authentication Failed"}}`),
			[]string{contracttest.CheckStatusCodeConformance, contracttest.CheckAuthEnforced}, `403 Forbidden: {"error":{"errorCode":"200"`},
		{"401 Permission Denied", answer(401, `{"error":{"errorCode":"210","message":"Permission Denied"}}`),
			[]string{contracttest.CheckAuthEnforced}, `401 Unauthorized: {"error":{"errorCode":"210","message":"Permission Denied"}}`},
		{"401 with the code of a 404", answer(401, `{"error":{"errorCode":"300","message":"Not Found Exception"}}`),
			[]string{contracttest.CheckErrorCode, contracttest.CheckAuthEnforced}, `401 Unauthorized: {"error":{"errorCode":"300"`},
		{"401 in the service's shape", answer(401, `{"errorCode":401,"message":"Unauthorized"}`),
			[]string{contracttest.CheckResponseSchemaConformance, contracttest.CheckAuthEnforced}, `401 Unauthorized: {"errorCode":401,"message":"Unauthorized"}`},
		{"400 for the body", answer(400, `{"errorCode":400,"message":"Invalid request"}`),
			[]string{contracttest.CheckAuthEnforced}, `400 Bad Request: {"errorCode":400`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(tc.handler)
			defer srv.Close()
			report, err := contracttest.Check(context.Background(), srv.URL, contracttest.Config{Signer: authSigner(t), Only: []string{"auth"}}, nil)
			if !errors.Is(err, contracttest.ErrContract) {
				t.Fatalf("got %v, want a contract error", err)
			}
			for _, c := range report.Cases {
				var checks []string
				for _, f := range c.Failures {
					checks = append(checks, f.Check)
					if f.Check == contracttest.CheckAuthEnforced && !strings.HasPrefix(f.Got, tc.got) {
						t.Errorf("case %s: got %q, want it to start %q", c.Name, f.Got, tc.got)
					}
				}
				if c.Status != contracttest.StatusFail || strings.Join(checks, " ") != strings.Join(tc.want, " ") {
					t.Errorf("case %s: %s, failed %v; want failed %v", c.Name, c.Status, checks, tc.want)
				}
			}
		})
	}
}

// TestAuthCaseFailsOnNoAnswer: a server that never answers a badly signed
// request has not refused it: the case fails (response_received), it does
// not pass.
func TestAuthCaseFailsOnNoAnswer(t *testing.T) {
	m, err := mock.New(mock.Config{Auth: mock.AuthConfig{Mode: mock.AuthNCP, Credentials: []apigw.Credentials{authKeys}}})
	if err != nil {
		t.Fatal(err)
	}
	stop := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get(apigw.HeaderSignature) == "" {
			// Read the body, so that the server sees the client hang up.
			_, _ = io.Copy(io.Discard, r.Body)
			select { // hang until the client gives up
			case <-r.Context().Done():
			case <-stop:
			}
			return
		}
		m.ServeHTTP(w, r)
	}))
	defer srv.Close()
	defer close(stop)
	report, err := contracttest.Check(context.Background(), srv.URL,
		contracttest.Config{Signer: authSigner(t), Only: []string{"auth"}, Timeout: 200 * time.Millisecond}, nil)
	if !errors.Is(err, contracttest.ErrContract) {
		t.Fatalf("got %v, want a contract error", err)
	}
	if c := report.Cases[0]; c.Name != "auth/unsigned" || c.Status != contracttest.StatusFail || c.Failures[0].Check != contracttest.CheckResponseReceived {
		t.Fatalf("case %s: %s %+v, want failed on response_received", c.Name, c.Status, c.Failures)
	}
	if p, f, _ := report.Count(); p != 2 || f != 1 {
		t.Errorf("passed %d, failed %d; want the two signed cases passed", p, f)
	}
}
