package contracttest_test

import (
	"errors"
	"fmt"

	"github.com/ncpmock/ncpmock/contracttest"
)

// A command line is checked before any output: Validate sends nothing.
func ExampleValidate() {
	err := contracttest.Validate("127.0.0.1:8780", contracttest.Config{RunID: "demo"})
	fmt.Println(errors.Is(err, contracttest.ErrUsage), err)
	err = contracttest.Validate("http://127.0.0.1:8780", contracttest.Config{RunID: "demo", Only: []string{"positive/typical"}})
	fmt.Println(err)
	// Output:
	// true target "127.0.0.1:8780": want an http:// or https:// URL
	// <nil>
}
