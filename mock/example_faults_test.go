package mock_test

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/ncpmock/ncpmock/mock"
	"github.com/ncpmock/ncpmock/mock/mocktest"
)

// createWithRetries is client code under test: it retries a bulk create on
// 5xx and 429, up to three attempts.
func createWithRetries(c *http.Client, url, body string) (attempts, status int, err error) {
	for attempts = 1; ; attempts++ {
		resp, err := c.Post(url, "application/json", strings.NewReader(body))
		if err != nil {
			return attempts, 0, err
		}
		resp.Body.Close()
		retry := resp.StatusCode >= 500 || resp.StatusCode == http.StatusTooManyRequests
		if !retry || attempts == 3 {
			return attempts, resp.StatusCode, nil
		}
	}
}

// Testing a client's retries: the mock fails twice with 503, then succeeds.
func ExampleRule_retries() {
	// In a test: srv := mocktest.NewServer(t, cfg), closed when it ends.
	srv, err := mocktest.Start(mock.Config{Faults: []mock.Rule{
		{ID: "fail-twice", Fault: &mock.StatusFault{Status: 503}, Times: 2},
	}})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Close()

	attempts, status, err := createWithRetries(srv.Client(), srv.BulkURL(),
		`{"params":[{"loginId":"kim@example.com","accessRules":{"consoleAccessAllowed":true,"apiAccessAllowed":false}}]}`)
	fmt.Println(attempts, status, err)
	for _, r := range srv.Mock.Faults() {
		fmt.Printf("%s: %d hits, %d remaining\n", r.Rule.ID, r.Hits, r.Remaining)
	}
	// Output:
	// 3 200 <nil>
	// fail-twice: 2 hits, 0 remaining
}

func ExampleParseFaultHeader() {
	r, err := mock.ParseFaultHeader("status=429; code=410; probability=0.5")
	if err != nil {
		fmt.Println(err)
		return
	}
	f := r.Fault.(*mock.StatusFault)
	fmt.Println(r.Fault.Kind(), f.Status, f.Code, r.Probability)

	_, err = mock.ParseFaultHeader("status=429; cod=410")
	fmt.Println(err)
	// Output:
	// status 429 410 0.5
	// X-Ncpmock-Fault: status: unknown parameter "cod"; want one of body, code, contentType, details, message, retryAfter, status
}

func ExampleParseRules() {
	rules, err := mock.ParseRules([]byte(`
faults:
  - id: slow
    fault: latency
    params: {median: 150ms, sigma: 0.5}
  - id: flaky
    fault: status
    params: {status: 503}
    probability: 0.1
    match: {method: POST, path: /api/v1/users/bulk}
`))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range rules {
		fmt.Println(r.ID, r.Fault.Kind(), r.Probability)
	}
	// Output:
	// slow latency 0
	// flaky status 0.1
}

func ExampleServer_AddFaults() {
	srv, err := mock.New(mock.Config{})
	if err != nil {
		fmt.Println(err)
		return
	}
	added, err := srv.AddFaults(mock.Rule{
		Fault: &mock.PartialFault{LoginID: "^bad", Message: mock.MsgInvalidLoginID},
	})
	fmt.Println(added[0].ID, err)
	_, err = srv.AddFaults(mock.Rule{Fault: &mock.StatusFault{Status: 200}})
	fmt.Println(err)
	// Output:
	// rule-1 <nil>
	// rule 1: status: status 200: want an HTTP status from 400 to 599 (200 to 599 with a body)
}
