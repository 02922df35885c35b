package mock_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ncpmock/ncpmock/apigw"
	"github.com/ncpmock/ncpmock/mock"
	"github.com/ncpmock/ncpmock/mock/mocktest"
	"github.com/ncpmock/ncpmock/openapi"
)

var (
	teamKeys = []apigw.Credentials{
		{AccessKey: "AKTEAM1", SecretKey: "secret-of-team-one"},
		{AccessKey: "AKTEAM2", SecretKey: "secret-of-team-two"},
	}
	serverTime = time.UnixMilli(1700000000000)
)

const oneUser = `{"params":[{"loginId":"kim@example.com","accessRules":{"consoleAccessAllowed":true,"apiAccessAllowed":false}}]}`

func newAuthServer(t *testing.T) *mocktest.Server {
	t.Helper()
	return mocktest.NewServer(t, mock.Config{
		Seed: 1,
		Now:  func() time.Time { return serverTime },
		Auth: mock.AuthConfig{Mode: mock.AuthNCP, Credentials: teamKeys},
	})
}

func signerAt(c apigw.Credentials, at time.Time) *apigw.Signer {
	return &apigw.Signer{Credentials: c, Now: func() time.Time { return at }}
}

// postSigned sends body to the bulk endpoint, after edit has had its way with the
// request, and decodes the answer into out.
func postSigned(t *testing.T, srv *mocktest.Server, edit func(*http.Request), out any) *http.Response {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, srv.BulkURL(), strings.NewReader(oneUser))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	edit(req)
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, out); err != nil {
		t.Fatalf("status %d, body %q: %v", resp.StatusCode, data, err)
	}
	return resp
}

// adminUsers returns the users the mock has created, from GET /__admin/users.
func adminUsers(t *testing.T, srv *mocktest.Server) []mock.User {
	t.Helper()
	resp, err := srv.Client().Get(srv.URL + mock.PathAdminUsers)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct {
		Count int         `json:"count"`
		Users []mock.User `json:"users"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatal(err)
	}
	if body.Count != len(body.Users) {
		t.Fatalf("admin users: count %d but %d users", body.Count, len(body.Users))
	}
	return body.Users
}

func TestAuthSignedRequestsPass(t *testing.T) {
	srv := newAuthServer(t)
	for i, c := range teamKeys {
		var results []openapi.UserResult
		resp := postSigned(t, srv, func(r *http.Request) {
			r.URL.Path = strings.Replace(r.URL.Path, "/api/v1", "", i) // both paths the mock serves
			signerAt(c, serverTime.Add(-4*time.Minute)).Sign(r)
		}, &results)
		if resp.StatusCode != http.StatusOK || len(results) != 1 {
			t.Fatalf("%s: got status %d and %d results, want 200 and 1", c.AccessKey, resp.StatusCode, len(results))
		}
	}
}

func TestAuthFailures(t *testing.T) {
	good := signerAt(teamKeys[0], serverTime)
	tests := []struct {
		name    string
		edit    func(r *http.Request)
		details string // the whole details, or its start when it ends in "..."
	}{
		{"no headers", func(*http.Request) {},
			"Authentication information are missing. ncpmock: missing header x-ncp-apigw-timestamp, x-ncp-iam-access-key, x-ncp-apigw-signature-v2."},
		{"signature missing", func(r *http.Request) { good.Sign(r); r.Header.Del(apigw.HeaderSignature) },
			"Authentication information are missing. ncpmock: missing header x-ncp-apigw-signature-v2."},
		{"unknown access key", func(r *http.Request) {
			signerAt(apigw.Credentials{AccessKey: "AKSTRANGER", SecretKey: "x"}, serverTime).Sign(r)
		}, `Invalid authentication information. ncpmock: unknown access key "AKSTRANGER".`},
		{"wrong secret", func(r *http.Request) {
			signerAt(apigw.Credentials{AccessKey: "AKTEAM1", SecretKey: "secret-of-team-two"}, serverTime).Sign(r)
		}, `Invalid authentication information. ncpmock: x-ncp-apigw-signature-v2 does not match; the string to sign was "POST /api/v1/users/bulk\n1700000000000\nAKTEAM1".`},
		{"signed for another path", func(r *http.Request) {
			r.Header = good.Headers(http.MethodPost, "/api/v1/users")
			r.Header.Set("Content-Type", "application/json")
		}, "Invalid authentication information. ncpmock: x-ncp-apigw-signature-v2 does not match..."},
		{"stale timestamp", func(r *http.Request) { signerAt(teamKeys[0], serverTime.Add(-6*time.Minute)).Sign(r) },
			"Invalid authentication information. ncpmock: x-ncp-apigw-timestamp 1699999640000 is 6m0s behind the server's clock (1700000000000), more than the 5m0s allowed."},
		{"timestamp not a number", func(r *http.Request) { good.Sign(r); r.Header.Set(apigw.HeaderTimestamp, "yesterday") },
			`Invalid authentication information. ncpmock: x-ncp-apigw-timestamp "yesterday" is not a number of milliseconds since the Unix epoch.`},
	}
	srv := newAuthServer(t)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var body openapi.GatewayError
			resp := postSigned(t, srv, tc.edit, &body)
			if resp.StatusCode != http.StatusUnauthorized {
				t.Errorf("status: got %d, want 401", resp.StatusCode)
			}
			if body.Error.ErrorCode != "200" || body.Error.Message != "Authentication Failed" {
				t.Errorf("got %+v, want errorCode 200, Authentication Failed", body.Error)
			}
			prefix, partial := strings.CutSuffix(tc.details, "...")
			if got := body.Error.Details; got != tc.details && !(partial && strings.HasPrefix(got, prefix)) {
				t.Errorf("details: got %q, want %q", got, tc.details)
			}
			if resp.Header.Get(mock.HeaderTraceID) == "" {
				t.Error("no x-ncp-trace-id header")
			}
		})
	}
	if n := len(adminUsers(t, srv)); n != 0 {
		t.Errorf("got %d users, want none created by refused requests", n)
	}
}

// TestAuthSparesOwnEndpoints checks that health, spec and admin endpoints
// answer without signature headers.
func TestAuthSparesOwnEndpoints(t *testing.T) {
	srv := newAuthServer(t)
	for _, path := range []string{mock.PathHealth, mock.PathSpecYAML, mock.PathSpecJSON, mock.PathAdminUsers} {
		resp, err := srv.Client().Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("GET %s: got %d, want 200", path, resp.StatusCode)
		}
	}
}

func TestAuthConfigErrors(t *testing.T) {
	tests := map[string]mock.AuthConfig{
		"unknown mode":       {Mode: "aws"},
		"ncp without keys":   {Mode: mock.AuthNCP},
		"ncp with empty key": {Mode: mock.AuthNCP, Credentials: []apigw.Credentials{{AccessKey: "AK"}}},
		"negative skew":      {Mode: mock.AuthNCP, Credentials: teamKeys, MaxSkew: -time.Second},
	}
	for name, auth := range tests {
		t.Run(name, func(t *testing.T) {
			if _, err := mock.New(mock.Config{Auth: auth}); err == nil {
				t.Fatal("got nil error, want one")
			}
		})
	}
}
