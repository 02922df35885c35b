package mock

import "errors"

// ErrInvalidConfig is matched by every error New returns for a Config it
// refuses: each is a *ConfigError.
var ErrInvalidConfig = errors.New("invalid config")

// ConfigError reports a Config that New refuses: which field, its value and
// what is wrong. Its message names the setting in words ("member number")
// and the rule, as ncpmock serve shows it.
type ConfigError struct {
	// Field is the Config field refused, as Go spells it, with the index of
	// an entry of a list: "MemberNo", "NRNDomain", "MaxBodyBytes",
	// "CORSOrigins[1]", "AdminToken", "Auth.Mode", "Auth.Credentials",
	// "Auth.MaxSkew", "Faults" or "Spec".
	Field string
	// Value is the value refused, as text. It is empty for AdminToken and
	// Auth.Credentials, which hold secrets, and for Faults and Spec, whose
	// Err says which part is wrong.
	Value string
	// Err says what is wrong: it is the message without its "mock: "
	// prefix. It wraps the cause where there is one, such as
	// openapi.ErrSpecNotLoaded or a *FaultError.
	Err error
}

// Error returns "mock: " and Err's message.
func (e *ConfigError) Error() string {
	if e.Err == nil {
		return "mock: " + e.Field + ": invalid"
	}
	return "mock: " + e.Err.Error()
}

// Unwrap returns Err.
func (e *ConfigError) Unwrap() error { return e.Err }

// Is reports whether target is ErrInvalidConfig.
func (e *ConfigError) Is(target error) bool { return target == ErrInvalidConfig }
