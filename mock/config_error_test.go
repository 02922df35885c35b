package mock_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/ncpmock/ncpmock/apigw"
	"github.com/ncpmock/ncpmock/mock"
	"github.com/ncpmock/ncpmock/openapi"
)

// TestNewConfigErrorNamesTheField: every Config that New refuses gives a
// *mock.ConfigError naming the field, matching mock.ErrInvalidConfig, with
// the message New has always given (ncpmock serve prints it), and no secret
// in the value or the message.
func TestNewConfigErrorNamesTheField(t *testing.T) {
	key := apigw.Credentials{AccessKey: "AK", SecretKey: "SK-s3cret"}
	tests := []struct {
		name   string
		cfg    mock.Config
		field  string
		value  string
		msg    string
		secret string // must appear in neither Value nor the message
	}{
		{"member number", mock.Config{MemberNo: "12a"}, "MemberNo", "12a",
			`mock: member number "12a": want 1 to 20 digits`, ""},
		{"NRN domain", mock.Config{NRNDomain: "pub"}, "NRNDomain", "pub",
			`mock: NRN domain "pub": want 2 to 10 capital letters, such as PUB or GOV`, ""},
		{"max body bytes", mock.Config{MaxBodyBytes: -1}, "MaxBodyBytes", "-1",
			`mock: max body bytes -1: want 0 (default) or more`, ""},
		{"CORS origin", mock.Config{CORSOrigins: []string{"http://a.example", "localhost:3000"}}, "CORSOrigins[1]", "localhost:3000",
			`mock: CORS origin "localhost:3000": want *, null or scheme://host[:port]`, ""},
		{"CORS origin not as browsers send it", mock.Config{CORSOrigins: []string{"HTTP://App.Example.com"}}, "CORSOrigins[0]", "HTTP://App.Example.com",
			`mock: CORS origin "HTTP://App.Example.com": want *, null or scheme://host[:port]; browsers send this origin as "http://app.example.com", which the entry as written never matches`, ""},
		{"admin token with spaces", mock.Config{AdminToken: " tok3n "}, "AdminToken", "",
			`mock: the admin token starts or ends with a space, or is only spaces: no client could send it, since HTTP drops them from a header`, "tok3n"},
		{"admin token with a control character", mock.Config{AdminToken: "tok3n\x01x"}, "AdminToken", "",
			`mock: the admin token holds a control character or a byte past ASCII: use printable ASCII, such as the output of 'openssl rand -hex 16'`, "tok3n"},
		{"credentials without a mode", mock.Config{Auth: mock.AuthConfig{Credentials: []apigw.Credentials{key}}}, "Auth.Mode", "",
			`mock: auth: 1 credentials given with mode "", which checks none; set Mode: "ncp"`, key.SecretKey},
		{"credentials with mode none", mock.Config{Auth: mock.AuthConfig{Mode: mock.AuthNone, Credentials: []apigw.Credentials{key}}}, "Auth.Mode", "none",
			`mock: auth: 1 credentials given with mode "none", which checks none; set Mode: "ncp"`, key.SecretKey},
		{"unknown mode", mock.Config{Auth: mock.AuthConfig{Mode: "hmac"}}, "Auth.Mode", "hmac",
			`mock: auth mode "hmac": want none or ncp`, ""},
		{"mode ncp without credentials", mock.Config{Auth: mock.AuthConfig{Mode: mock.AuthNCP}}, "Auth.Credentials", "",
			`mock: auth ncp: apigw: new verifier: no credentials`, ""},
		{"negative max skew", mock.Config{Auth: mock.AuthConfig{Mode: mock.AuthNCP, Credentials: []apigw.Credentials{key}, MaxSkew: -time.Second}}, "Auth.MaxSkew", "-1s",
			`mock: auth ncp: apigw: new verifier: max skew -1s: want 0 (default) or more`, key.SecretKey},
		{"credentials without a secret key", mock.Config{Auth: mock.AuthConfig{Mode: mock.AuthNCP, Credentials: []apigw.Credentials{key, {AccessKey: "AK2"}}}}, "Auth.Credentials", "",
			`mock: auth ncp: apigw: new verifier: credentials 1: access key and secret key are both required`, key.SecretKey},
		{"an access key twice", mock.Config{Auth: mock.AuthConfig{Mode: mock.AuthNCP, Credentials: []apigw.Credentials{key, key}}}, "Auth.Credentials", "",
			`mock: auth ncp: apigw: new verifier: access key AK given twice`, key.SecretKey},
		{"fault rule", mock.Config{Faults: []mock.Rule{{ID: "x"}}}, "Faults", "",
			`mock: faults: rule 1 (id "x"): no fault; want one of latency, status, reset, empty, garbage, truncated, slow-body, hang, partial, contract-break`, ""},
		{"spec not loaded", mock.Config{Spec: &openapi.Spec{}}, "Spec", "",
			`mock: new validator: spec not loaded: use openapi.Embedded, Load or LoadFile`, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := mock.New(tc.cfg)
			var ce *mock.ConfigError
			if !errors.As(err, &ce) {
				t.Fatalf("got %T %v, want a *mock.ConfigError", err, err)
			}
			if ce.Field != tc.field {
				t.Errorf("got Field %q, want %q", ce.Field, tc.field)
			}
			if ce.Value != tc.value {
				t.Errorf("got Value %q, want %q", ce.Value, tc.value)
			}
			if got := err.Error(); got != tc.msg {
				t.Errorf("got message %q, want %q", got, tc.msg)
			}
			if !errors.Is(err, mock.ErrInvalidConfig) {
				t.Errorf("errors.Is(%v, ErrInvalidConfig) = false, want true", err)
			}
			if tc.secret != "" && (strings.Contains(ce.Value, tc.secret) || strings.Contains(err.Error(), tc.secret)) {
				t.Errorf("got Value %q and message %q, want neither to hold the secret %q", ce.Value, err.Error(), tc.secret)
			}
		})
	}
}

// TestNewConfigErrorKeepsTheCause: a ConfigError wraps the cause a caller
// may look for: the spec's sentinel, the fault rule's *FaultError.
func TestNewConfigErrorKeepsTheCause(t *testing.T) {
	if _, err := mock.New(mock.Config{Spec: &openapi.Spec{}}); !errors.Is(err, openapi.ErrSpecNotLoaded) {
		t.Errorf("got %v, want it to match openapi.ErrSpecNotLoaded", err)
	}
	_, err := mock.New(mock.Config{Faults: []mock.Rule{{ID: "x"}}})
	var fe *mock.FaultError
	if !errors.As(err, &fe) || fe.Where != `rule 1 (id "x")` {
		t.Errorf("got %v, want a *mock.FaultError for rule 1", err)
	}
}

// TestNewValidConfigIsNoConfigError: a Config New takes gives no error, so
// ErrInvalidConfig does not match everything.
func TestNewValidConfigIsNoConfigError(t *testing.T) {
	srv, err := mock.New(mock.Config{MemberNo: "1", NRNDomain: "GOV", MaxBodyBytes: 1, CORSOrigins: []string{"*"}, AdminToken: "t"})
	if err != nil {
		t.Fatalf("got %v, want no error", err)
	}
	srv.Close()
}
