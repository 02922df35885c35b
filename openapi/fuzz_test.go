package openapi

import (
	"errors"
	"testing"
	"unicode/utf8"
)

// FuzzValidate feeds arbitrary bytes to the validator as a JSON body. It
// must not panic; it must either accept a body that decodes into a batch of
// 1 to 100 users or refuse it with a *ValidationError that names each
// problem's rule and says what is wrong; and Prescan must refuse only
// bodies that the rest of the validator refuses too.
func FuzzValidate(f *testing.F) {
	for _, seed := range []string{
		`{"params":[{"loginId":"kim@example.com","accessRules":{"consoleAccessAllowed":true,"apiAccessAllowed":false}}]}`,
		`{"params":[{"loginId":"kim@example.com","description":"팀장","userProfile":{"phoneNo":"010-1100-0000","phoneCountryCode":"82"},"accessRules":{"consoleAccessAllowed":true,"apiAccessAllowed":false},"tags":{"a":"b"}}]}`,
		`{"params":[]}`, `{"params":[{}]}`, `{"params":{"0":1}}`, `[]`, `null`, ``, `{`, `{"params":[1,2,3]} x`,
		`{"params":[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]}`, `{"\u0070arams":[{"loginId":"a@b.io"}]}`,
	} {
		f.Add([]byte(seed))
	}
	spec, err := Embedded()
	if err != nil {
		f.Fatal(err)
	}
	v, err := NewValidator(spec, ValidatorConfig{})
	if err != nil {
		f.Fatal(err)
	}
	plain := *v
	plain.skipPrescan = true
	f.Fuzz(func(t *testing.T, body []byte) {
		_, err := v.Validate(t.Context(), "application/json", body)
		if err == nil {
			checkAccepted(t, body)
			return
		}
		checkRefused(t, err)
		if _, ok := Prescan(spec.RequestSchema(), body, 0); !ok {
			if _, err := plain.Validate(t.Context(), "application/json", body); err == nil {
				p, _ := Prescan(spec.RequestSchema(), body, 0)
				t.Fatalf("Prescan refused (%v) a body the validator accepts: %q", p, body)
			}
		}
	})
}

func checkAccepted(t *testing.T, body []byte) {
	t.Helper()
	var req BulkRequest
	if err := DecodeExact(body, &req); err != nil {
		t.Fatalf("accepted a body that does not decode: %v: %q", err, body)
	}
	if n := len(req.Params); n < 1 || n > 100 {
		t.Fatalf("accepted %d users: %q", n, body)
	}
	for i, u := range req.Params {
		if len(u.LoginID) < 3 {
			t.Fatalf("accepted user %d with login ID %q", i, u.LoginID)
		}
	}
}

func checkRefused(t *testing.T, err error) {
	t.Helper()
	var verr *ValidationError
	if !errors.As(err, &verr) || !errors.Is(err, ErrInvalidRequest) {
		t.Fatalf("got %T %v, want a *ValidationError", err, err)
	}
	if len(verr.Problems) == 0 {
		t.Fatal("a *ValidationError with no problems")
	}
	for _, p := range verr.Problems {
		if p.Rule == "" || p.Message == "" || !utf8.ValidString(p.Message) {
			t.Fatalf("problem without a rule or a readable message: %+v", p)
		}
	}
}
