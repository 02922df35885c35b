package mock_test

import (
	"bytes"
	"net/http"
	"strings"
	"testing"

	"github.com/ncpmock/ncpmock/mock"
	"github.com/ncpmock/ncpmock/mock/mocktest"
)

// TestPrismPrefer: apps written against Prism ask for an error with
// "Prefer: code=NNN"; the mock answers it as the status fault, says what
// it ignores, and lets X-Ncpmock-Fault win.
func TestPrismPrefer(t *testing.T) {
	tests := []struct {
		name    string
		header  map[string]string
		status  int
		body    string // a part of the answer
		applied string // X-Ncpmock-Fault-Applied
		warning string // a part of X-Ncpmock-Warning; "" for none
		created bool
	}{
		{name: "code=429", header: map[string]string{"Prefer": "code=429"}, status: 429,
			body: `"errorCode":"420","message":"Rate Limited"`, applied: "status (prefer)"},
		{name: "code=500 with other preferences", header: map[string]string{"Prefer": `return=minimal, code="500"; x=y`}, status: 500,
			body: `"message":"Unexpected Error"`, applied: "status (prefer)"},
		{name: "code=401", header: map[string]string{"Prefer": "code=401"}, status: 401,
			body: `"message":"Authentication Failed"`, applied: "status (prefer)"},
		{name: "code=200 is the answer anyway", header: map[string]string{"Prefer": "code=200"}, status: 200,
			warning: "ignores Prism's code=200", created: true},
		{name: "example= is not the mock's", header: map[string]string{"Prefer": "example=conflict"}, status: 200,
			warning: "ignores Prism's example=conflict", created: true},
		{name: "another preference is no concern of the mock", header: map[string]string{"Prefer": "return=minimal"}, status: 200, created: true},
		{name: "a code that is not a status", header: map[string]string{"Prefer": "code=abc"}, status: 400,
			body: `"field":"Prefer","rule":"faultHeader","message":"Prefer code=abc: want an HTTP status such as code=429`},
		{name: "X-Ncpmock-Fault wins", header: map[string]string{"Prefer": "code=429", mock.HeaderFault: "status=503"}, status: 503,
			applied: "status (header)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := mocktest.NewServer(t, mock.Config{})
			req, _ := http.NewRequest(http.MethodPost, srv.URL+"/api/v1/users/bulk", bytes.NewReader(bulkBody("prefer@example.com")))
			req.Header.Set("Content-Type", "application/json")
			for k, v := range tc.header {
				req.Header.Set(k, v)
			}
			a := do(t, srv, req)
			if a.status != tc.status || !strings.Contains(string(a.body), tc.body) {
				t.Fatalf("got %d %s, want %d with %s", a.status, a.body, tc.status, tc.body)
			}
			if got := a.header.Get(mock.HeaderFaultApplied); got != tc.applied {
				t.Errorf("%s: got %q, want %q", mock.HeaderFaultApplied, got, tc.applied)
			}
			if w := a.header.Get(mock.HeaderWarning); tc.warning == "" && w != "" || !strings.Contains(w, tc.warning) {
				t.Errorf("%s: got %q, want %q", mock.HeaderWarning, w, tc.warning)
			}
			users, err := srv.Mock.Users(t.Context())
			if err != nil || (len(users) == 1) != tc.created {
				t.Errorf("%d users (%v), want created=%t", len(users), err, tc.created)
			}
		})
	}
}
