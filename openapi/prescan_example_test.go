package openapi_test

import (
	"fmt"
	"strings"

	"github.com/ncpmock/ncpmock/openapi"
)

// Prescan refuses a million-element params array from its bytes alone,
// before any decoding.
func ExamplePrescan() {
	spec, err := openapi.Embedded()
	if err != nil {
		fmt.Println(err)
		return
	}
	body := `{"params":[` + strings.Repeat("{},", 999999) + `{}]}`
	p, ok := openapi.Prescan(spec.RequestSchema(), []byte(body), 0)
	fmt.Println(ok, p)
	// Output:
	// false params: maxItems: must have at most 100 items, got 1000000
}
