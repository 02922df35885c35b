package openapi

import (
	"fmt"
	"regexp"

	"github.com/getkin/kin-openapi/openapi3"
)

// EmailPattern is how ncpmock reads NCP's "email format": the pattern NCP's v2
// documentation spells out. It is an assumption for v1 (see the README).
const EmailPattern = `^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$`

// UUIDPattern matches a UUID in its canonical textual form, any version.
const UUIDPattern = `^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`

// regexpFormat is a string format checked by a regular expression.
type regexpFormat struct {
	name string
	re   *regexp.Regexp
}

// Validate implements openapi3.StringFormatValidator.
func (f regexpFormat) Validate(value string) error {
	if !f.re.MatchString(value) {
		return &formatError{name: f.name, pattern: f.re.String()}
	}
	return nil
}

// formatError reports a string that is not in its declared format.
type formatError struct {
	name, pattern string
}

func (e *formatError) Error() string {
	return fmt.Sprintf("must be a valid %s (%s)", e.name, e.pattern)
}

// formatValidators returns the string formats ncpmock checks, keyed by format
// name. They are registered per document, never globally.
func formatValidators() map[string]regexpFormat {
	return map[string]regexpFormat{
		"email": {name: "email address", re: regexp.MustCompile(EmailPattern)},
		"uuid":  {name: "UUID", re: regexp.MustCompile(UUIDPattern)},
	}
}

func registerFormats(doc *openapi3.T, formats map[string]regexpFormat) {
	for name, f := range formats {
		doc.SetStringFormatValidator(name, f)
	}
}
