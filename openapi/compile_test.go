package openapi

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

func TestCompileRefusesWhatItDoesNotModel(t *testing.T) {
	str := &openapi3.SchemaRef{Value: openapi3.NewStringSchema()}
	one := 1.0
	for _, tc := range []struct {
		name   string
		schema *openapi3.Schema
		want   string
	}{
		{"oneOf", &openapi3.Schema{OneOf: openapi3.SchemaRefs{str}}, "keyword oneOf"},
		{"anyOf", &openapi3.Schema{AnyOf: openapi3.SchemaRefs{str}}, "keyword anyOf"},
		{"allOf", &openapi3.Schema{AllOf: openapi3.SchemaRefs{str}}, "keyword allOf"},
		{"not", &openapi3.Schema{Not: str}, "keyword not"},
		{"discriminator", &openapi3.Schema{Discriminator: &openapi3.Discriminator{PropertyName: "kind"}}, "keyword discriminator"},
		{"uniqueItems", &openapi3.Schema{UniqueItems: true}, "keyword uniqueItems"},
		{"readOnly", &openapi3.Schema{ReadOnly: true}, "keyword readOnly"},
		{"minimum", &openapi3.Schema{Min: &one}, "keyword minimum"},
		{"multipleOf", &openapi3.Schema{MultipleOf: &one}, "keyword multipleOf"},
		{"nested", &openapi3.Schema{Properties: openapi3.Schemas{"a": {Value: &openapi3.Schema{Not: str}}}}, "/properties/a: keyword not"},
		{"format on a number", &openapi3.Schema{Type: &openapi3.Types{"integer"}, Format: "int32"}, "a format on a number"},
		{"number in an enum", &openapi3.Schema{Enum: []any{1.0}}, "an enum value of type float64"},
		{"bad pattern", &openapi3.Schema{Pattern: "(x"}, "pattern"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := compileSchema(tc.schema, nil)
			var ue *unsupportedError
			if !errors.As(err, &ue) {
				t.Fatalf("got %v, want an *unsupportedError", err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %q, want it to name %q", err, tc.want)
			}
		})
	}
}

// TestValidatorFallsBackToReference loads a spec with oneOf: the validator
// must say it is not compiled, and still validate it (with kin-openapi).
func TestValidatorFallsBackToReference(t *testing.T) {
	spec := loadSpecFile(t, "oneof.yaml")
	v, err := NewValidator(spec, ValidatorConfig{})
	if err != nil {
		t.Fatal(err)
	}
	compiled, why := v.Compiled()
	if compiled || why == nil || !strings.Contains(why.Error(), "oneOf") {
		t.Fatalf("Compiled() = %t, %v; want false and a reason naming oneOf", compiled, why)
	}
	ctx := context.Background()
	if _, err := v.Validate(ctx, "application/json", []byte(`{"params":[{"loginId":"kim@example.com","contact":{"phoneNo":"01012345678"}}]}`)); err != nil {
		t.Errorf("valid body: %v", err)
	}
	_, err = v.Validate(ctx, "application/json", []byte(`{"params":[{"loginId":"kim@example.com","contact":{"phoneNo":"12"}}]}`))
	var verr *ValidationError
	if !errors.As(err, &verr) || len(verr.Problems) == 0 || !strings.HasPrefix(verr.Problems[0].Field, "params[0].contact") {
		t.Fatalf("got %v, want a problem in params[0].contact", err)
	}
	var req BulkRequest
	if _, err := v.Decode(ctx, "application/json", []byte(`{"params":[{"loginId":"kim@example.com"}]}`), &req); err != nil || len(req.Params) != 1 || req.Params[0].LoginID != "kim@example.com" {
		t.Errorf("Decode: got %+v, %v", req, err)
	}
}

// TestCompiledFollowsEditedSpec edits a copy of the embedded spec: the
// compiled validator must follow the YAML, not the spec it was written for.
func TestCompiledFollowsEditedSpec(t *testing.T) {
	yaml := string(EmbeddedYAML())
	for _, edit := range [][2]string{
		{"maxItems: 100", "maxItems: 2"},
		{`pattern: '^(?:\d{3}-\d{3,4}-\d{4}|\d{9,11})?$'`, `pattern: '^\d{3}-\d{4}-\d{4}$'`},
		{"maxLength: 10\n          x-max-bytes: 10", "maxLength: 10\n          x-max-bytes: 1"},
	} {
		if !strings.Contains(yaml, edit[0]) {
			t.Fatalf("the embedded spec no longer contains %q", edit[0])
		}
		yaml = strings.Replace(yaml, edit[0], edit[1], 1)
	}
	edited, err := Load([]byte(yaml))
	if err != nil {
		t.Fatal(err)
	}
	user := `{"loginId":"kim@example.com","userProfile":{"phoneNo":"01011000000","phoneCountryCode":"82"},"accessRules":{"consoleAccessAllowed":true,"apiAccessAllowed":false}}`
	body := []byte(`{"params":[` + user + `,` + strings.Replace(user, "kim@", "lee@", 1) + `,` + strings.Replace(user, "kim@", "park@", 1) + `]}`)

	original, _ := validatorPair(t, mustEmbedded(t), false)
	if _, err := original.Validate(context.Background(), "application/json", body); err != nil {
		t.Fatalf("the original spec refuses the body: %v", err)
	}
	fast, ref := validatorPair(t, edited, false)
	// Three users break the edited maxItems; two break the other edits.
	// Over maxItems the body is refused for that alone (Prescan).
	two := []byte(`{"params":[` + user + `,` + strings.Replace(user, "kim@", "lee@", 1) + `]}`)
	for _, tc := range []struct {
		body []byte
		want []string
	}{
		{body, []string{"params maxItems"}},
		{two, []string{
			"params[0].userProfile.phoneCountryCode maxBytes", "params[0].userProfile.phoneNo pattern",
			"params[1].userProfile.phoneCountryCode maxBytes", "params[1].userProfile.phoneNo pattern",
		}},
	} {
		compareOn(t, fast, ref, "application/json", tc.body)
		_, err = fast.Validate(context.Background(), "application/json", tc.body)
		var verr *ValidationError
		if !errors.As(err, &verr) {
			t.Fatalf("got %v, want a *ValidationError", err)
		}
		var got []string
		for _, p := range verr.Problems {
			got = append(got, p.Field+" "+p.Rule)
		}
		if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
			t.Errorf("got problems\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
		}
	}
}
