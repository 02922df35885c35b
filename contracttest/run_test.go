package contracttest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/ncpmock/ncpmock/apigw"
	"github.com/ncpmock/ncpmock/contracttest"
	"github.com/ncpmock/ncpmock/mock"
	"github.com/ncpmock/ncpmock/mock/mocktest"
	"github.com/ncpmock/ncpmock/openapi"
)

// TestRun runs the suite as subtests against the mock, as a user's own test
// would. Without keys the auth cases are skipped, and say why.
func TestRun(t *testing.T) {
	srv := mocktest.NewServer(t, mock.Config{})
	report := contracttest.Run(t, srv.URL, contracttest.Config{})
	if p, f, s := report.Count(); p == 0 || f != 0 || s != 3 {
		t.Fatalf("passed %d, failed %d, skipped %d; want the 3 auth cases skipped", p, f, s)
	}
	for _, c := range report.Cases {
		if (c.Status == contracttest.StatusSkip) != (c.Kind == contracttest.Auth) ||
			c.Kind == contracttest.Auth && !strings.HasPrefix(c.SkipReason, "needs API keys (NCP_ACCESS_KEY, NCP_SECRET_KEY)") {
			t.Errorf("case %s: status %s, reason %q", c.Name, c.Status, c.SkipReason)
		}
	}
}

func TestCreatedUsersAreReported(t *testing.T) {
	srv := mocktest.NewServer(t, mock.Config{})
	report, err := contracttest.Check(context.Background(), srv.URL, contracttest.Config{RunID: "abc123", LoginDomain: "corp.example"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	stored := mockUsers(t, srv.URL)
	if len(report.Created) != len(stored) || len(stored) == 0 {
		t.Fatalf("report lists %d created users, the mock has %d", len(report.Created), len(stored))
	}
	for i, u := range stored {
		c := report.Created[i]
		if c.ID != u.ID || c.LoginID != u.LoginID || !strings.HasPrefix(u.LoginID, "ncpmock-abc123-") ||
			!strings.HasSuffix(u.LoginID, "@corp.example") {
			t.Fatalf("user %d: report %+v, mock %s %s", i, c, u.ID, u.LoginID)
		}
	}
}

// TestWritesNeedPermissionOffLoopback points the suite at a name that is not
// loopback (the client still dials the local mock): cases that create users
// are skipped unless AllowWrites.
func TestWritesNeedPermissionOffLoopback(t *testing.T) {
	srv := mocktest.NewServer(t, mock.Config{})
	addr := strings.TrimPrefix(srv.URL, "http://")
	client := &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, network, addr)
	}}}
	target := "http://sso.api.example.test/api/v1"
	report, err := contracttest.Check(context.Background(), target, contracttest.Config{Client: client}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range report.Cases {
		// Auth cases create nobody on a correct server: only the want of
		// keys skips them.
		writes := c.Kind == contracttest.Positive || c.Kind == contracttest.Semantic
		if skip := c.Status == contracttest.StatusSkip; writes != (skip && c.Kind != contracttest.Auth) || c.Kind == contracttest.Auth && !skip {
			t.Errorf("case %s (%s): status %s (%s)", c.Name, c.Kind, c.Status, c.SkipReason)
		}
	}
	if len(report.Created) != 0 || report.Endpoint != "http://sso.api.example.test/api/v1/users/bulk" {
		t.Fatalf("created %d users at %s", len(report.Created), report.Endpoint)
	}
	report, err = contracttest.Check(context.Background(), target, contracttest.Config{Client: client, AllowWrites: true}, nil)
	if _, _, skipped := report.Count(); err != nil || skipped != 3 {
		t.Fatalf("with AllowWrites: %v, %d skipped; want only the 3 auth cases, for want of keys", err, skipped)
	}
}

func TestUnreachableTarget(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + ln.Addr().String()
	ln.Close()
	report, err := contracttest.Check(context.Background(), url, contracttest.Config{}, nil)
	if !errors.Is(err, contracttest.ErrUnreachable) {
		t.Fatalf("got %v, want ErrUnreachable", err)
	}
	// The report says why nothing ran: the first case failed, the rest not run.
	names, _ := contracttest.CaseNames(contracttest.Config{})
	if report == nil || len(report.Cases) != len(names) || report.Unreachable != err.Error() {
		t.Fatalf("got a report of %+v, want all %d cases and the reason %q", report, len(names), err)
	}
	for i, c := range report.Cases {
		switch {
		case i == 0 && (c.Status != contracttest.StatusFail || len(c.Failures) != 1 ||
			c.Failures[0].Check != contracttest.CheckResponseReceived || !strings.Contains(c.Failures[0].Got, "connection refused") ||
			!strings.HasPrefix(c.Failures[0].Curl, "curl")):
			t.Errorf("first case %s: %s %+v, want one response_received failure with its curl", c.Name, c.Status, c.Failures)
		case i > 0 && (c.Status != contracttest.StatusNotRun || !strings.Contains(c.SkipReason, "could not be reached")):
			t.Errorf("case %s: %s %q, want not run, saying why", c.Name, c.Status, c.SkipReason)
		}
	}
}

func TestNoAnswerFailsTheCase(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	defer srv.Close()
	defer close(release)
	report, err := contracttest.Check(context.Background(), srv.URL, contracttest.Config{Timeout: 50 * time.Millisecond, Only: []string{"negative/empty-body"}}, nil)
	if !errors.Is(err, contracttest.ErrContract) || len(report.Failures()) != 1 || report.Failures()[0].Check != contracttest.CheckResponseReceived {
		t.Fatalf("got %v", err)
	}
}

func TestOnlyAndSkip(t *testing.T) {
	all, err := contracttest.CaseNames(contracttest.Config{})
	if err != nil {
		t.Fatal(err)
	}
	srv := mocktest.NewServer(t, mock.Config{})
	tests := []struct {
		only, skip []string
		want       func(name string) bool
	}{
		{[]string{"negative"}, nil, func(n string) bool { return strings.HasPrefix(n, "negative/") }},
		{[]string{"positive/*"}, []string{"positive/typical"}, func(n string) bool {
			return strings.HasPrefix(n, "positive/") && n != "positive/typical"
		}},
		{[]string{"negative/params[].loginId/format", "*/maxBytes"}, nil, func(n string) bool {
			return n == "negative/params[].loginId/format" || strings.HasSuffix(n, "/maxBytes")
		}},
		{nil, []string{"semantic", "negative/malformed-json"}, func(n string) bool {
			return !strings.HasPrefix(n, "semantic/") && n != "negative/malformed-json"
		}},
	}
	for _, tc := range tests {
		report, err := contracttest.Check(context.Background(), srv.URL, contracttest.Config{Only: tc.only, Skip: tc.skip}, nil)
		if err != nil {
			t.Fatal(err)
		}
		ran := map[string]bool{}
		for _, c := range report.Cases {
			ran[c.Name] = true
		}
		for _, name := range all {
			if ran[name] != tc.want(name) {
				t.Errorf("only %v skip %v: case %s ran=%t", tc.only, tc.skip, name, ran[name])
			}
		}
	}
	_, err = contracttest.Check(context.Background(), srv.URL, contracttest.Config{Only: []string{"nothing"}}, nil)
	if !errors.Is(err, contracttest.ErrUsage) {
		t.Fatalf("no matching case: got %v, want ErrUsage", err)
	}
}

func TestBadConfigAndTargets(t *testing.T) {
	tests := []struct {
		target string
		cfg    contracttest.Config
	}{
		{"127.0.0.1:8780", contracttest.Config{}},
		{"ftp://127.0.0.1", contracttest.Config{}},
		{"http://127.0.0.1/?x=1", contracttest.Config{}},
		{"http://127.0.0.1", contracttest.Config{LoginDomain: "not a domain"}},
		{"http://127.0.0.1", contracttest.Config{RunID: "UPPER"}},
		{"http://127.0.0.1", contracttest.Config{MemberNo: "x"}},
		{"http://127.0.0.1", contracttest.Config{NRNDomain: "XYZ"}},
		{"http://127.0.0.1", contracttest.Config{NRNDomain: "pub"}},
		{"http://127.0.0.1", contracttest.Config{Timeout: -1}},
		{"http://127.0.0.1", contracttest.Config{Spec: &openapi.Spec{}}}, // not loaded: an error, not a panic
	}
	for _, tc := range tests {
		if _, err := contracttest.Check(context.Background(), tc.target, tc.cfg, nil); !errors.Is(err, contracttest.ErrUsage) {
			t.Errorf("%s %+v: got %v, want ErrUsage", tc.target, tc.cfg, err)
		}
	}
}

func TestReports(t *testing.T) {
	url := defective(t, acceptEverything)
	dir := t.TempDir()
	report, err := contracttest.Check(context.Background(), url, contracttest.Config{Seed: 4, ReproDir: dir}, nil)
	if !errors.Is(err, contracttest.ErrContract) {
		t.Fatalf("got %v", err)
	}
	passed, failed, _ := report.Count()
	var text bytes.Buffer
	for _, c := range report.Cases {
		contracttest.WriteCase(&text, c)
	}
	contracttest.WriteSummary(&text, report, contracttest.SummaryOptions{ListAll: true})
	out := text.String()
	for _, want := range []string{
		"FAIL  negative/params/maxItems",
		"      negative_data_rejection\n        expected: 400 with an ErrorResponse {errorCode, message}\n        got:      200 OK: the server accepted an invalid request",
		"      reproduce: curl -sS -X POST '" + url + "/api/v1/users/bulk' -H 'Content-Type: application/json' --data-binary @'" + dir,
		"PASS  positive/boundary/requiredOnly",
		fmt.Sprintf("%d passed, %d failed, 3 skipped in", passed, failed),
	} {
		if !strings.Contains(out, want) {
			t.Errorf("text output lacks %q:\n%s", want, out)
		}
	}
	// The long body of the 101-user case went to a file the curl command reads.
	var f101 *contracttest.Failure
	for _, f := range report.Failures() {
		if f.Case == "negative/params/maxItems" {
			f101 = f
		}
	}
	file := f101.Curl[strings.Index(f101.Curl, "@'")+2 : len(f101.Curl)-1]
	if data, err := os.ReadFile(file); err != nil || !json.Valid(data) {
		t.Fatalf("repro file %s: %v", file, err)
	}

	var junit bytes.Buffer
	if err := contracttest.WriteJUnit(&junit, report); err != nil {
		t.Fatal(err)
	}
	var parsed struct {
		Tests    int `xml:"tests,attr"`
		Failures int `xml:"failures,attr"`
		Suite    struct {
			Cases []struct {
				Name     string `xml:"name,attr"`
				Failures []struct {
					Type string `xml:"type,attr"`
				} `xml:"failure"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal(junit.Bytes(), &parsed); err != nil {
		t.Fatalf("JUnit is not XML: %v", err)
	}
	if parsed.Tests != len(report.Cases) || parsed.Failures != failed || len(parsed.Suite.Cases) != len(report.Cases) {
		t.Fatalf("JUnit: %d tests, %d failures, %d cases", parsed.Tests, parsed.Failures, len(parsed.Suite.Cases))
	}

	var js bytes.Buffer
	if err := contracttest.WriteJSON(&js, report); err != nil {
		t.Fatal(err)
	}
	var back contracttest.Report
	if err := json.Unmarshal(js.Bytes(), &back); err != nil || len(back.Cases) != len(report.Cases) || back.Seed != 4 {
		t.Fatalf("JSON report does not round-trip: %v", err)
	}
}

func TestCurlRedactsSecrets(t *testing.T) {
	srv := mocktest.NewServer(t, mock.Config{})
	client := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		r.Header.Set("x-ncp-iam-access-key", "AKIDSECRET")
		r.Header.Set("Content-Type", "text/plain; it's")
		return http.DefaultTransport.RoundTrip(r)
	})}
	report, err := contracttest.Check(context.Background(), srv.URL, contracttest.Config{Client: client, Only: []string{"positive/boundary/requiredOnly"}}, nil)
	if err == nil {
		t.Fatal("want a failure (the transport breaks the content type)")
	}
	var js bytes.Buffer
	contracttest.WriteJSON(&js, report)
	if strings.Contains(js.String(), "AKIDSECRET") {
		t.Fatal("the access key is in the report")
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestTargetForms(t *testing.T) {
	srv := mocktest.NewServer(t, mock.Config{})
	for target, want := range map[string]string{
		srv.URL:                         srv.URL + "/api/v1/users/bulk",
		srv.URL + "/":                   srv.URL + "/api/v1/users/bulk",
		srv.URL + "/api/v1":             srv.URL + "/api/v1/users/bulk",
		srv.URL + "/api/v1/":            srv.URL + "/api/v1/users/bulk",
		srv.URL + "/users/bulk":         srv.URL + "/users/bulk",
		srv.URL + "/api/v1/users/bulk/": srv.URL + "/api/v1/users/bulk",
	} {
		report, err := contracttest.Check(context.Background(), target, contracttest.Config{Only: []string{"negative/empty-body"}}, nil)
		if err != nil || report.Endpoint != want {
			t.Errorf("target %s: endpoint %s (%v), want %s", target, report.Endpoint, err, want)
		}
	}
}

// TestSignedRequests runs the suite against a mock that checks signatures.
func TestSignedRequests(t *testing.T) {
	creds := apigw.Credentials{AccessKey: "AKCONTRACT", SecretKey: "contract-secret"}
	srv := mocktest.NewServer(t, mock.Config{Auth: mock.AuthConfig{Mode: mock.AuthNCP, Credentials: []apigw.Credentials{creds}}})

	report, err := contracttest.Check(context.Background(), srv.URL, contracttest.Config{Only: []string{"positive/boundary/requiredOnly"}}, nil)
	if !errors.Is(err, contracttest.ErrContract) || !strings.Contains(report.Failures()[0].Got, "401") {
		t.Fatalf("unsigned: got %v, want a 401 failure", err)
	}
	signer, err := apigw.NewSigner(creds)
	if err != nil {
		t.Fatal(err)
	}
	report, err = contracttest.Check(context.Background(), srv.URL, contracttest.Config{Signer: signer}, nil)
	if err != nil {
		t.Fatalf("signed: %v", err)
	}
	// A failure's curl command signs with ncpmock sign and holds no secret.
	url := defective(t, acceptEverything)
	report, _ = contracttest.Check(context.Background(), url, contracttest.Config{Signer: signer, Only: []string{"negative/params/minItems"}}, nil)
	curl := report.Failures()[0].Curl
	if !strings.Contains(curl, "$(ncpmock sign --curl --method POST --uri '/api/v1/users/bulk')") || strings.Contains(curl, "contract-secret") {
		t.Fatalf("curl %s", curl)
	}
}

// TestWriteCaseFoldsRepeats: a check failed for each of 100 users is spelled
// out three times and counted after; the curl line of the request stays.
func TestWriteCaseFoldsRepeats(t *testing.T) {
	c := &contracttest.CaseResult{Name: "positive/boundary/maxItems", Status: contracttest.StatusFail}
	for i := range 100 {
		c.Failures = append(c.Failures, &contracttest.Failure{Check: "result_per_user",
			Expected: fmt.Sprintf("result %d named its user", i), Got: "another name", Curl: "curl -X POST x"})
	}
	c.Failures = append(c.Failures, &contracttest.Failure{Check: "response_schema_conformance", Expected: "valid", Got: "not", Curl: "curl -X POST x"})
	var out bytes.Buffer
	contracttest.WriteCase(&out, c)
	text := out.String()
	if n := strings.Count(text, "      result_per_user\n"); n != 3 {
		t.Errorf("spelled out %d result_per_user failures, want 3:\n%s", n, text)
	}
	for _, want := range []string{"result 2 named its user", "      response_schema_conformance\n",
		"      reproduce: curl -X POST x\n      ... and 97 more result_per_user failures (--json and --junit list every one)\n"} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "result 3 named") || strings.Count(text, "reproduce:") != 1 {
		t.Errorf("output shows a fourth repeat or more than one reproduce line:\n%s", text)
	}
}

// TestDeselectedCounted: cases --only leaves out are counted in the summary.
func TestDeselectedCounted(t *testing.T) {
	srv := mocktest.NewServer(t, mock.Config{Seed: 5})
	report, err := contracttest.Check(context.Background(), srv.URL, contracttest.Config{Seed: 5, Only: []string{"negative/params"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	contracttest.WriteSummary(&out, report, contracttest.SummaryOptions{})
	want := fmt.Sprintf(", 0 failed, 0 skipped, %d not selected (--only, --skip) in ", report.Deselected)
	if report.Deselected == 0 || len(report.Cases) == 0 || !strings.Contains(out.String(), want) {
		t.Errorf("got %d cases run, %d deselected, summary %q; want both above 0 and %q", len(report.Cases), report.Deselected, out.String(), want)
	}
}

// TestRedirectsAreNotFollowed: a 301 or 308 is checked as the answer it is;
// following it would turn the POST into a GET (301) or hide it (308).
func TestRedirectsAreNotFollowed(t *testing.T) {
	srv := mocktest.NewServer(t, mock.Config{})
	for _, status := range []int{http.StatusMovedPermanently, http.StatusPermanentRedirect} {
		redirect := httptest.NewServer(http.RedirectHandler(srv.URL+"/api/v1/users/bulk", status))
		defer redirect.Close()
		report, err := contracttest.Check(context.Background(), redirect.URL, contracttest.Config{Only: []string{"positive/typical"}}, nil)
		if !errors.Is(err, contracttest.ErrContract) {
			t.Fatalf("%d: got %v, want a contract error", status, err)
		}
		f := report.Failures()[0]
		if want := fmt.Sprintf("%d %s", status, http.StatusText(status)); f.Check != contracttest.CheckStatusCodeConformance || !strings.HasPrefix(f.Got, want) {
			t.Errorf("%d: first failure %s: got %q, want status_code_conformance: got %q...", status, f.Check, f.Got, want)
		}
	}
}

// TestSchemaProblemsAreFolded: a 100-user answer whose every id breaks the
// schema is spelled out three times and counted, as other checks are, not
// written as one line of 100 problems.
func TestSchemaProblemsAreFolded(t *testing.T) {
	url := defective(t, func(a *answer) {
		results(a, func(rs []map[string]any) []map[string]any {
			for _, r := range rs {
				if r["success"] == true {
					r["id"] = "12345"
				}
			}
			return rs
		})
	})
	report, err := contracttest.Check(context.Background(), url, contracttest.Config{Only: []string{"positive/boundary/maxItems"}, ReproDir: t.TempDir()}, nil)
	if !errors.Is(err, contracttest.ErrContract) {
		t.Fatalf("got %v, want a contract error", err)
	}
	schema := 0
	for _, f := range report.Failures() {
		if f.Check == contracttest.CheckResponseSchemaConformance {
			schema++
		}
	}
	if schema != 100 {
		t.Errorf("got %d response_schema_conformance failures, want one per user (100)", schema)
	}
	var out bytes.Buffer
	contracttest.WriteCase(&out, report.Cases[0])
	text := out.String()
	if n := strings.Count(text, "      response_schema_conformance\n"); n != 3 ||
		!strings.Contains(text, "      ... and 97 more response_schema_conformance failures") {
		t.Errorf("spelled out %d response_schema_conformance failures, want 3 and 97 counted:\n%s", n, text)
	}
	for _, line := range strings.Split(text, "\n") {
		if len(line) > 500 {
			t.Errorf("a line of %d characters: %.200s...", len(line), line)
		}
	}
}

// TestGotSaysItOnce: a failure's got names the status once, and a body
// ending in a newline, as encoding/json writes it, leaves no blank line on
// the console or in JUnit.
func TestGotSaysItOnce(t *testing.T) {
	url := defective(t, func(a *answer) {
		if a.status == 400 {
			if !bytes.HasSuffix(a.body, []byte("\n")) {
				t.Error("the mock's 400 body lacks the newline this test is about")
			}
			a.status = 422 // the mock's body, newline and all
		}
	})
	report, err := contracttest.Check(context.Background(), url, contracttest.Config{Only: []string{"negative/empty-body"}}, nil)
	if !errors.Is(err, contracttest.ErrContract) {
		t.Fatalf("got %v, want a contract error", err)
	}
	var out bytes.Buffer
	contracttest.WriteCase(&out, report.Cases[0])
	if err := contracttest.WriteJUnit(&out, report); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out.String(), "\n\n") || !strings.Contains(out.String(), "        got:      422 Unprocessable Entity: {") {
		t.Errorf("a blank line, or no got of the 422:\n%s", out.String())
	}

	url = defective(t, func(a *answer) {
		if a.status == 400 {
			a.status, a.body = 200, []byte("null\n")
		}
	})
	report, _ = contracttest.Check(context.Background(), url, contracttest.Config{Only: []string{"negative/empty-body"}}, nil)
	var got []string
	for _, f := range report.Failures() {
		if f.Check == contracttest.CheckNegativeDataRejection {
			got = append(got, f.Got)
		}
	}
	if want := "200 OK: the server accepted an invalid request: null"; len(got) != 1 || got[0] != want {
		t.Errorf("negative_data_rejection got %q, want %q", got, want)
	}
}

// TestRunStopsWhenUnreachable: Run against a target that takes no
// connection fails once and stops, instead of failing every case with the
// same message. Run needs a *testing.T that may fail, so the test runs
// itself in a child process and reads its output.
func TestRunStopsWhenUnreachable(t *testing.T) {
	if target := os.Getenv("CONTRACTTEST_UNREACHABLE_TARGET"); target != "" {
		contracttest.Run(t, target, contracttest.Config{Timeout: 2 * time.Second})
		return
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	target := "http://" + ln.Addr().String()
	ln.Close() // nothing listens there now: every connection is refused
	cmd := exec.CommandContext(t.Context(), os.Args[0], "-test.run=^TestRunStopsWhenUnreachable$", "-test.v")
	cmd.Env = append(os.Environ(), "CONTRACTTEST_UNREACHABLE_TARGET="+target)
	out, err := cmd.CombinedOutput()
	if err == nil {
		t.Fatalf("the child passed against an unreachable target:\n%s", out)
	}
	if n := strings.Count(string(out), "    --- FAIL: TestRunStopsWhenUnreachable/"); n != 1 || !strings.Contains(string(out), "the run stopped at case") {
		t.Fatalf("%d cases failed, want 1 and the run stopped:\n%s", n, out)
	}
}

// TestRunKeepsReproBodiesInTheArtifactDir: Run writes the bodies its curl
// commands read into t.ArtifactDir(), which go test removes (or keeps, with
// -artifacts), not into a new directory under /tmp that every run left.
func TestRunKeepsReproBodiesInTheArtifactDir(t *testing.T) {
	if os.Getenv("CONTRACTTEST_ARTIFACT_CHILD") != "" {
		contracttest.Run(t, defective(t, acceptEverything), contracttest.Config{Seed: 4, Only: []string{"negative/params/maxItems"}})
		return
	}
	cmd := exec.CommandContext(t.Context(), os.Args[0], "-test.run=^TestRunKeepsReproBodiesInTheArtifactDir$", "-test.v")
	cmd.Env = append(os.Environ(), "CONTRACTTEST_ARTIFACT_CHILD=1")
	out, _ := cmd.CombinedOutput()
	_, after, ok := strings.Cut(string(out), "--data-binary @'")
	path, _, _ := strings.Cut(after, "'")
	if !ok || path == "" || strings.Contains(path, "ncpmock-repro-") {
		t.Fatalf("want a curl reading a body from the artifact directory:\n%s", out)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("%s: got %v, want it removed with the test's artifacts", path, err)
	}
}

// TestRunReportsFailuresAtTheCallersLine: a failed check points at the line
// of the caller's test that called Run, as a helper's failure does, not at a
// line inside this package. The test runs itself in a child process.
func TestRunReportsFailuresAtTheCallersLine(t *testing.T) {
	_, file, line, _ := runtime.Caller(0)
	if os.Getenv("CONTRACTTEST_CALLER_LINE_CHILD") != "" {
		contracttest.Run(t, defective(t, acceptEverything), contracttest.Config{Seed: 4, Only: []string{"negative/params/maxItems"}})
		return
	}
	want := fmt.Sprintf("%s:%d: %s", filepath.Base(file), line+2, contracttest.CheckNegativeDataRejection) // the line of Run
	cmd := exec.CommandContext(t.Context(), os.Args[0], "-test.run=^TestRunReportsFailuresAtTheCallersLine$", "-test.v")
	cmd.Env = append(os.Environ(), "CONTRACTTEST_CALLER_LINE_CHILD=1")
	out, _ := cmd.CombinedOutput()
	if !strings.Contains(string(out), want) {
		t.Fatalf("want the failure at %q:\n%s", want, out)
	}
}
