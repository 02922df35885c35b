package openapi_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/ncpmock/ncpmock/openapi"
)

func TestEmbeddedSpecIsValidOpenAPI303(t *testing.T) {
	spec, err := openapi.Embedded()
	if err != nil {
		t.Fatalf("Embedded: %v", err)
	}
	doc := spec.Doc()
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("doc.Validate: %v", err)
	}
	if doc.OpenAPI != "3.0.3" {
		t.Errorf("openapi version: got %q, want %q", doc.OpenAPI, "3.0.3")
	}
	if got, want := spec.Method()+" "+spec.Path(), "POST /users/bulk"; got != want {
		t.Errorf("operation: got %q, want %q", got, want)
	}
	var urls []string
	for _, s := range doc.Servers {
		urls = append(urls, s.URL)
	}
	want := "https://sso.apigw.ntruss.com/api/v1 https://sso.apigw.gov-ntruss.com/api/v1"
	if got := strings.Join(urls, " "); got != want {
		t.Errorf("servers: got %q, want %q", got, want)
	}
	if got, want := strings.Join(spec.ServerPaths(), " "), "/api/v1/users/bulk /users/bulk"; got != want {
		t.Errorf("ServerPaths: got %q, want %q", got, want)
	}
	for _, status := range []string{"200", "400", "401", "404", "413", "429", "500", "503", "504"} {
		if spec.Operation().Responses.Value(status) == nil {
			t.Errorf("response %s is not declared", status)
		}
	}
}

func TestEmbeddedYAMLIsACopy(t *testing.T) {
	a := openapi.EmbeddedYAML()
	a[0] = 'X'
	if b := openapi.EmbeddedYAML(); b[0] == 'X' {
		t.Fatal("EmbeddedYAML returned the embedded bytes themselves; a caller changed them")
	}
}

func TestLoadRejects(t *testing.T) {
	tests := []struct {
		name, yaml, want string
	}{
		{"not yaml", "{{{", "parse"},
		{"invalid document", "openapi: 3.0.3\ninfo: {}\npaths: {}\n", "invalid OpenAPI document"},
		{"no operation", "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n", "createUsersBulk"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := openapi.Load([]byte(tc.yaml))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want an error mentioning %q", err, tc.want)
			}
		})
	}
}

// TestLoadEditedLimitBelowExample: a limit edited below the spec's own
// example leaves a spec that works, with one warning line naming the
// broken rule and the value; a schema error is still refused, in one line.
func TestLoadEditedLimitBelowExample(t *testing.T) {
	yaml := string(openapi.EmbeddedYAML())
	if w := mustLoad(t, yaml).Warnings(); len(w) != 0 {
		t.Errorf("the embedded spec has warnings %q", w)
	}
	// loginId's example, gildong.hong@example.com, has 24 characters.
	edited := strings.Replace(yaml, "minLength: 3\n          maxLength: 60", "minLength: 3\n          maxLength: 20", 1)
	if edited == yaml {
		t.Fatal("loginId's maxLength is not where the test expects it")
	}
	w := mustLoad(t, edited).Warnings()
	if len(w) != 1 || strings.Contains(w[0], "\n") || !strings.Contains(w[0], `maximum string length is 20 (value "gildong.hong@example.com")`) {
		t.Errorf("warnings %q, want one line naming the rule and the value", w)
	}

	broken := strings.Replace(yaml, "minLength: 3\n          maxLength: 60", "minLength: 3\n          maxLength: 60\n          default: 5", 1)
	_, err := openapi.Load([]byte(broken))
	var se *openapi.SpecError
	if !errors.As(err, &se) || strings.Contains(err.Error(), "\n") || !strings.Contains(err.Error(), "invalid default: value must be a string (value 5)") {
		t.Errorf("got %q, want a one-line *SpecError naming the default", err)
	}
}

func mustLoad(t *testing.T, yaml string) *openapi.Spec {
	t.Helper()
	s, err := openapi.Load([]byte(yaml))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestLoadFileMissing(t *testing.T) {
	_, err := openapi.LoadFile("testdata/does-not-exist.yaml")
	if err == nil || !strings.Contains(err.Error(), "does-not-exist.yaml") {
		t.Fatalf("got %v, want an error naming the file", err)
	}
}

// TestZeroSpecIsAnError: a Spec not made by Embedded, Load or LoadFile is an
// error matching ErrSpecNotLoaded, not a nil dereference inside kin-openapi.
func TestZeroSpecIsAnError(t *testing.T) {
	for _, spec := range []*openapi.Spec{nil, {}} {
		if _, err := openapi.NewValidator(spec, openapi.ValidatorConfig{}); !errors.Is(err, openapi.ErrSpecNotLoaded) {
			t.Errorf("NewValidator(%v): got %v, want ErrSpecNotLoaded", spec, err)
		}
		if _, err := openapi.NewGenerator(spec, openapi.GenConfig{}); !errors.Is(err, openapi.ErrSpecNotLoaded) {
			t.Errorf("NewGenerator(%v): got %v, want ErrSpecNotLoaded", spec, err)
		}
	}
}
