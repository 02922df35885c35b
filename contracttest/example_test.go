package contracttest_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/ncpmock/ncpmock/contracttest"
	"github.com/ncpmock/ncpmock/mock"
	"github.com/ncpmock/ncpmock/mock/mocktest"
)

// A command line is checked before any output: Validate sends nothing.
func ExampleValidate() {
	err := contracttest.Validate("127.0.0.1:8780", contracttest.Config{RunID: "demo"})
	fmt.Println(errors.Is(err, contracttest.ErrUsage), err)
	err = contracttest.Validate("http://127.0.0.1:8780", contracttest.Config{RunID: "demo", Only: []string{"positive/typical"}})
	fmt.Println(err)
	// Output:
	// true target "127.0.0.1:8780": want an http:// or https:// URL
	// <nil>
}

// Check runs the suite against a server, here the mock; in a go test,
// contracttest.Run(t, url, cfg) runs each case as a subtest instead. The
// error joins every failed check: errors.As finds each *Failure.
func ExampleCheck() {
	srv, err := mocktest.Start(mock.Config{Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Close()

	cfg := contracttest.Config{Seed: 1, RunID: "demo", Only: []string{"positive/typical", "semantic/*"}}
	report, err := contracttest.Check(context.Background(), srv.URL, cfg, func(c *contracttest.CaseResult) {
		fmt.Println(c.Status, c.Name)
	})
	passed, failed, skipped := report.Count()
	fmt.Println(passed, failed, skipped, err)
	fmt.Println(len(report.Created), "users created, such as", report.Created[0].LoginID)

	// The same cases against a server that creates nobody.
	srv.Mock.AddFaults(mock.Rule{Fault: &mock.PartialFault{Fraction: 1}})
	_, err = contracttest.Check(context.Background(), srv.URL, contracttest.Config{Seed: 1, Only: []string{"positive/typical"}}, nil)
	var f *contracttest.Failure
	fmt.Println(errors.Is(err, contracttest.ErrContract), errors.As(err, &f), f.Check)
	// Output:
	// pass positive/typical
	// pass semantic/resubmit-duplicate
	// pass semantic/duplicate-in-batch
	// 3 0 0 <nil>
	// 8 users created, such as ncpmock-demo-1@example.com
	// true true positive_data_acceptance
}
