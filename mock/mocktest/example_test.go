package mocktest_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/ncpmock/ncpmock/mock"
	"github.com/ncpmock/ncpmock/mock/mocktest"
	"github.com/ncpmock/ncpmock/openapi"
)

// createUsers is the code under test: a client of the bulk endpoint.
func createUsers(client *http.Client, url string, loginIDs ...string) ([]openapi.UserResult, error) {
	var req openapi.BulkRequest
	for _, id := range loginIDs {
		req.Params = append(req.Params, openapi.UserCreate{LoginID: id})
	}
	body, err := json.Marshal(req)
	if err != nil {
		return nil, err
	}
	resp, err := client.Post(url, "application/json", strings.NewReader(string(body)))
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("status %d", resp.StatusCode)
	}
	var results []openapi.UserResult
	err = json.NewDecoder(resp.Body).Decode(&results)
	return results, err
}

// A test of client code against the mock. In a test, NewServer(t, cfg)
// does this and closes the server when the test ends; Start is for code
// with no *testing.T, such as TestMain or this example.
func Example() {
	srv, err := mocktest.Start(mock.Config{Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Close()

	results, err := createUsers(srv.Client(), srv.BulkURL(), "kim@example.com", "KIM@example.com")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range results {
		fmt.Println(strings.TrimSpace(fmt.Sprintf("%s success=%t %s", r.Name, r.Success, r.Message)))
	}
	// Output:
	// kim@example.com success=true
	// KIM@example.com success=false Duplicate login ID.
}

// A client that insists on https, as the real service
// (https://sso.apigw.ntruss.com) is, tested against the mock over TLS. In a
// test, NewTLSServer(t, cfg) does this and closes the server at the end.
func ExampleStartTLS() {
	srv, err := mocktest.StartTLS(mock.Config{Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Close()

	fmt.Println(strings.HasPrefix(srv.URL, "https://127.0.0.1:"))
	// srv.Client() trusts the mock's certificate; http.DefaultClient would not.
	results, err := createUsers(srv.Client(), srv.BulkURL(), "kim@example.com")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(results[0].Name, results[0].Success)
	// Output:
	// true
	// kim@example.com true
}
