package openapi

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
)

// BulkRequest is the body of createUsersBulk.
type BulkRequest struct {
	Params []UserCreate `json:"params"`
}

// UserCreate is one user to create.
type UserCreate struct {
	LoginID     string            `json:"loginId"`
	Description *string           `json:"description,omitempty"`
	UserProfile *UserProfile      `json:"userProfile,omitempty"`
	AccessRules AccessRules       `json:"accessRules"`
	Tags        map[string]string `json:"tags,omitempty"`
}

// BulkUsers is a createUsersBulk body as a mock needs it: each user's
// loginId and the user's JSON text as sent. Decoding a body into it (see
// Validator.DecodeUsers) costs a fraction of decoding it into a BulkRequest.
type BulkUsers struct {
	Params []UserText `json:"params"`
}

// UserText is one user of a BulkUsers.
type UserText struct {
	LoginID string `json:"loginId"`
	// JSON is the user's object as written in the body, whitespace, unknown
	// properties and repeated keys included.
	JSON RawJSON `json:"-"`
}

// UnmarshalJSON reads a user's object as the compiled validator binds it:
// its text (a copy) and its loginId, the key matched exactly, the last of
// repeated ones counting, left empty when it is not a string.
func (u *UserText) UnmarshalJSON(b []byte) error {
	var members map[string]json.RawMessage
	if err := json.Unmarshal(b, &members); err != nil {
		return err
	}
	var id string
	if json.Unmarshal(members["loginId"], &id) != nil {
		id = ""
	}
	u.LoginID, u.JSON = id, RawJSON(b)
	return nil
}

// RawJSON is a JSON value's text held in a string, which, unlike a
// json.RawMessage, can share a body's memory safely: nothing can change it.
// It marshals as the value it holds (null when empty).
type RawJSON string

// MarshalJSON returns the text, or null when it is empty.
func (r RawJSON) MarshalJSON() ([]byte, error) {
	if r == "" {
		return []byte("null"), nil
	}
	return []byte(r), nil
}

// UnmarshalJSON keeps a copy of the value's text.
func (r *RawJSON) UnmarshalJSON(b []byte) error {
	*r = RawJSON(b)
	return nil
}

// UserProfile holds the optional profile of a user.
type UserProfile struct {
	FirstName        *string `json:"firstName,omitempty"`
	LastName         *string `json:"lastName,omitempty"`
	Email            *string `json:"email,omitempty"`
	EmpNo            *string `json:"empNo,omitempty"`
	PhoneCountryCode *string `json:"phoneCountryCode,omitempty"`
	PhoneNo          *string `json:"phoneNo,omitempty"`
	DeptName         *string `json:"deptName,omitempty"`
}

// AccessRules says what a user may reach.
type AccessRules struct {
	ConsoleAccessAllowed bool `json:"consoleAccessAllowed"`
	APIAccessAllowed     bool `json:"apiAccessAllowed"`
}

// UnmarshalJSON decodes a body as the validator reads it: see
// unmarshalExact.
func (r *BulkRequest) UnmarshalJSON(b []byte) error {
	type plain BulkRequest
	return unmarshalExact(b, (*plain)(r))
}

// UnmarshalJSON decodes a body as the validator reads it: see
// unmarshalExact.
func (r *BulkUsers) UnmarshalJSON(b []byte) error {
	type plain BulkUsers
	return unmarshalExact(b, (*plain)(r))
}

// UnmarshalJSON decodes a user as the validator reads it: see
// unmarshalExact.
func (u *UserCreate) UnmarshalJSON(b []byte) error {
	type plain UserCreate
	return unmarshalExact(b, (*plain)(u))
}

// UnmarshalJSON decodes a profile as the validator reads it: see
// unmarshalExact.
func (p *UserProfile) UnmarshalJSON(b []byte) error {
	type plain UserProfile
	return unmarshalExact(b, (*plain)(p))
}

// UnmarshalJSON decodes access rules as the validator reads them: see
// unmarshalExact.
func (a *AccessRules) UnmarshalJSON(b []byte) error {
	type plain AccessRules
	return unmarshalExact(b, (*plain)(a))
}

// unmarshalExact decodes a JSON object into the struct dst points to as the
// spec and the validator read it, which encoding/json does not: a member
// binds to the field whose JSON name it matches exactly (encoding/json also
// takes "LOGINID" for loginId), and of a key repeated the last value alone
// counts (encoding/json decodes each in turn, merging objects and failing
// on an earlier value of the wrong type). JSON null leaves dst as it is.
func unmarshalExact(b []byte, dst any) error {
	var members map[string]json.RawMessage
	if err := json.Unmarshal(b, &members); err != nil {
		return err
	}
	if members == nil {
		return nil // null
	}
	v := reflect.ValueOf(dst).Elem()
	v.SetZero()
	t := v.Type()
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		raw, ok := members[name]
		if !ok || name == "" || name == "-" {
			continue
		}
		if err := json.Unmarshal(raw, v.Field(i).Addr().Interface()); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
	}
	return nil
}

// UserResult is one element of the 200 answer: the outcome for one user.
type UserResult struct {
	ID      string `json:"id,omitempty"`
	NRN     string `json:"nrn,omitempty"`
	Name    string `json:"name"`
	Success bool   `json:"success"`
	Message string `json:"message"`
}

// ErrorResponse is the service's 400 body. FieldErrors is ncpmock's own
// addition; the real service is not known to send it.
type ErrorResponse struct {
	ErrorCode   int       `json:"errorCode"`
	Message     string    `json:"message"`
	FieldErrors []Problem `json:"fieldErrors,omitempty"`
}

// GatewayError is the body of an API Gateway error.
type GatewayError struct {
	Error GatewayErrorDetail `json:"error"`
}

// GatewayErrorDetail is the content of a GatewayError.
type GatewayErrorDetail struct {
	ErrorCode string `json:"errorCode"`
	Message   string `json:"message"`
	Details   string `json:"details,omitempty"`
}
