package mock_test

import (
	"errors"
	"fmt"

	"github.com/ncpmock/ncpmock/mock"
)

// A Config that New refuses gives a *ConfigError: a program that takes its
// settings from a form or a file can point at the field.
func ExampleConfigError() {
	_, err := mock.New(mock.Config{CORSOrigins: []string{"*", "localhost:3000"}})
	var ce *mock.ConfigError
	if errors.As(err, &ce) {
		fmt.Printf("field %s, value %q\n", ce.Field, ce.Value)
	}
	fmt.Println(errors.Is(err, mock.ErrInvalidConfig))
	fmt.Println(err)
	// Output:
	// field CORSOrigins[1], value "localhost:3000"
	// true
	// mock: CORS origin "localhost:3000": want *, null or scheme://host[:port]
}
