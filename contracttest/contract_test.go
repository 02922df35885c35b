package contracttest_test

import (
	"context"
	"os"
	"testing"

	"github.com/ncpmock/ncpmock/contracttest"
	"github.com/ncpmock/ncpmock/mock"
	"github.com/ncpmock/ncpmock/mock/mocktest"
)

func TestPassesAgainstTheMock(t *testing.T) {
	srv := mocktest.NewServer(t, mock.Config{Seed: 1})
	report, err := contracttest.Check(context.Background(), srv.URL, contracttest.Config{Seed: 1, MemberNo: mock.DefaultMemberNo, NRNDomain: "PUB"},
		func(c *contracttest.CaseResult) { contracttest.WriteCase(os.Stdout, c) })
	if report != nil {
		contracttest.WriteSummary(os.Stdout, report, contracttest.SummaryOptions{})
	}
	if err != nil {
		t.Fatal(err)
	}
}
