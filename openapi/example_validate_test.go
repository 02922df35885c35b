package openapi_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/ncpmock/ncpmock/openapi"
)

// Decode validates a request body and decodes it in the same pass.
func ExampleValidator_Decode() {
	spec, err := openapi.Embedded()
	if err != nil {
		fmt.Println(err)
		return
	}
	v, err := openapi.NewValidator(spec, openapi.ValidatorConfig{})
	if err != nil {
		fmt.Println(err)
		return
	}
	body := []byte(`{"params":[{"loginId":"kim@example.com","userProfile":{"firstName":"민준"},` +
		`"accessRules":{"consoleAccessAllowed":true,"apiAccessAllowed":false}}]}`)
	var req openapi.BulkRequest
	if _, err := v.Decode(context.Background(), "application/json", body, &req); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(req.Params[0].LoginID, *req.Params[0].UserProfile.FirstName, req.Params[0].AccessRules.ConsoleAccessAllowed)

	_, err = v.Decode(context.Background(), "application/json", []byte(`{"params":[{"loginId":"kim"}]}`), &req)
	var verr *openapi.ValidationError
	if errors.As(err, &verr) {
		for _, p := range verr.Problems {
			fmt.Println(p)
		}
	}
	// Output:
	// kim@example.com 민준 true
	// params[0].accessRules: required: is required
	// params[0].loginId: format: must be a valid email address (^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$)
}

// Compiled tells whether a spec is validated by the compiled single-pass
// validator, or by kin-openapi because it uses a construct the compiler does
// not support.
func ExampleValidator_Compiled() {
	spec, err := openapi.LoadFile("testdata/oneof.yaml")
	if err != nil {
		fmt.Println(err)
		return
	}
	v, err := openapi.NewValidator(spec, openapi.ValidatorConfig{})
	if err != nil {
		fmt.Println(err)
		return
	}
	compiled, why := v.Compiled()
	fmt.Println(compiled)
	fmt.Println(why)
	// Output:
	// false
	// /properties/params/items/properties/contact: keyword oneOf is not supported by the compiled validator
}
