package contracttest_test

import (
	"context"
	"errors"
	"testing"

	"github.com/ncpmock/ncpmock/contracttest"
	"github.com/ncpmock/ncpmock/mock"
	"github.com/ncpmock/ncpmock/mock/mocktest"
)

// TestContractBreakFaultsAreCaught runs the suite against the mock with
// each of its contract-break faults on: every one must be caught, by the
// check that names what broke.
func TestContractBreakFaultsAreCaught(t *testing.T) {
	tests := []struct {
		params map[string]any
		want   string
		// positiveOK: the break leaves successful results valid (message
		// is optional), so only the cases with failed users catch it.
		positiveOK bool
	}{
		{map[string]any{"variant": "wrong-type"}, contracttest.CheckResponseSchemaConformance, false},
		{map[string]any{"variant": "wrong-type", "field": "name"}, contracttest.CheckResponseSchemaConformance, false},
		{map[string]any{"variant": "wrong-type", "field": "id"}, contracttest.CheckUserIDFormat, false},
		{map[string]any{"variant": "wrong-type", "field": "nrn"}, contracttest.CheckNRNFormat, false},
		{map[string]any{"variant": "wrong-type", "field": "message"}, contracttest.CheckResponseSchemaConformance, false},
		{map[string]any{"variant": "missing-field", "field": "nrn"}, contracttest.CheckNRNFormat, false},
		{map[string]any{"variant": "missing-field", "field": "message"}, contracttest.CheckDuplicateRejected, true},
		{map[string]any{"variant": "missing-field"}, contracttest.CheckResponseSchemaConformance, false},
		{map[string]any{"variant": "missing-field", "field": "name"}, contracttest.CheckResultPerUser, false},
		{map[string]any{"variant": "missing-field", "field": "id"}, contracttest.CheckUserIDFormat, false},
		{map[string]any{"variant": "too-few"}, contracttest.CheckResultPerUser, false},
		{map[string]any{"variant": "extra-result"}, contracttest.CheckResultPerUser, false},
	}
	for _, tc := range tests {
		name := tc.params["variant"].(string)
		if f, ok := tc.params["field"]; ok {
			name += "/" + f.(string)
		}
		t.Run(name, func(t *testing.T) {
			fault, err := mock.NewFault(mock.KindContractBreak, tc.params)
			if err != nil {
				t.Fatal(err)
			}
			srv := mocktest.NewServer(t, mock.Config{Faults: []mock.Rule{{Fault: fault}}})
			report, err := contracttest.Check(context.Background(), srv.URL, contracttest.Config{}, nil)
			if !errors.Is(err, contracttest.ErrContract) {
				t.Fatalf("got %v, want a contract error", err)
			}
			failed := map[string]bool{}
			for _, f := range report.Failures() {
				failed[f.Check] = true
			}
			if !failed[tc.want] {
				t.Fatalf("check %s did not fail; failed: %v", tc.want, keys(failed))
			}
			// Every positive case got a broken answer and must fail.
			for _, c := range report.Cases {
				if c.Kind == contracttest.Positive && c.Status != contracttest.StatusFail && !tc.positiveOK {
					t.Errorf("case %s: %s", c.Name, c.Status)
				}
			}
		})
	}
}
