package openapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
)

// BulkRequest is the body of createUsersBulk.
type BulkRequest struct {
	// Params are the users to create: 1 to 100 of them, by the spec.
	Params []UserCreate `json:"params"`
}

// UserCreate is one user to create.
type UserCreate struct {
	// LoginID is the user's login ID (required): an email address of 3 to
	// 60 characters.
	LoginID string `json:"loginId"`
	// Description is free text, at most 300 bytes; nil when not sent.
	Description *string `json:"description,omitempty"`
	// UserProfile is the user's profile; nil when not sent.
	UserProfile *UserProfile `json:"userProfile,omitempty"`
	// AccessRules says what the user may reach (required).
	AccessRules AccessRules `json:"accessRules"`
	// Tags are key-value pairs, at most 20; nil when not sent.
	Tags map[string]string `json:"tags,omitempty"`
}

// BulkUsers is a createUsersBulk body as a mock needs it: each user's
// loginId and the user's JSON text as sent. Decoding a body into it (see
// Validator.DecodeUsers) costs a fraction of decoding it into a BulkRequest.
type BulkUsers struct {
	// Params are the body's users, in order.
	Params []UserText `json:"params"`
}

// UserText is one user of a BulkUsers.
type UserText struct {
	// LoginID is the user's loginId; empty when it is missing or not a
	// string.
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
	// FirstName is the first name, at most 200 bytes; nil when not sent
	// (as for every field here).
	FirstName *string `json:"firstName,omitempty"`
	// LastName is the last name, at most 200 bytes.
	LastName *string `json:"lastName,omitempty"`
	// Email is an email address, or empty, at most 200 bytes.
	Email *string `json:"email,omitempty"`
	// EmpNo is the employee number, at most 200 bytes.
	EmpNo *string `json:"empNo,omitempty"`
	// PhoneCountryCode is the country calling code without "+": 1 to 4
	// digits, or empty.
	PhoneCountryCode *string `json:"phoneCountryCode,omitempty"`
	// PhoneNo is a mobile phone number, such as "010-1100-0000" or
	// "01011000000", or empty.
	PhoneNo *string `json:"phoneNo,omitempty"`
	// DeptName is the department's name, at most 200 bytes.
	DeptName *string `json:"deptName,omitempty"`
}

// AccessRules says what a user may reach.
type AccessRules struct {
	// ConsoleAccessAllowed is whether the user may sign in to the console.
	ConsoleAccessAllowed bool `json:"consoleAccessAllowed"`
	// APIAccessAllowed is whether the user may call APIs.
	APIAccessAllowed bool `json:"apiAccessAllowed"`
}

// DecodeExact decodes a JSON value into dst (a pointer) as the spec and the
// validator read it, which encoding/json does not: an object's member binds
// to the field whose JSON name it matches exactly (encoding/json also takes
// "LOGINID" for loginId), and of a key repeated in one object the last value
// alone counts (encoding/json decodes each in turn, merging objects and
// failing on an earlier value of the wrong type). Values that are not
// structs, slices or pointers of them, or that unmarshal themselves, are left
// to encoding/json. It costs several times what json.Unmarshal does: the
// validator's Decode binds the same way in its single pass.
func DecodeExact(b []byte, dst any) error {
	v := reflect.ValueOf(dst)
	if v.Kind() != reflect.Pointer || v.IsNil() {
		return fmt.Errorf("openapi: DecodeExact into %T: want a non-nil pointer", dst)
	}
	return decodeExact(b, v.Elem())
}

var unmarshalerType = reflect.TypeFor[json.Unmarshaler]()

func decodeExact(b []byte, v reflect.Value) error {
	t := v.Type()
	if reflect.PointerTo(t).Implements(unmarshalerType) {
		return json.Unmarshal(b, v.Addr().Interface())
	}
	switch t.Kind() {
	case reflect.Pointer:
		if string(bytes.TrimSpace(b)) == "null" {
			v.SetZero()
			return nil
		}
		if v.IsNil() {
			v.Set(reflect.New(t.Elem()))
		}
		return decodeExact(b, v.Elem())
	case reflect.Slice:
		var items []json.RawMessage
		if err := json.Unmarshal(b, &items); err != nil {
			return err
		}
		if items == nil {
			v.SetZero()
			return nil
		}
		s := reflect.MakeSlice(t, len(items), len(items))
		for i, item := range items {
			if err := decodeExact(item, s.Index(i)); err != nil {
				return fmt.Errorf("[%d]: %w", i, err)
			}
		}
		v.Set(s)
		return nil
	case reflect.Struct:
		var members map[string]json.RawMessage
		if err := json.Unmarshal(b, &members); err != nil {
			return err
		}
		if members == nil {
			return nil // null leaves a struct as it is, as in encoding/json
		}
		v.SetZero()
		for i := range t.NumField() {
			name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
			raw, ok := members[name]
			if !ok || name == "" || name == "-" || !t.Field(i).IsExported() {
				continue
			}
			if err := decodeExact(raw, v.Field(i)); err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
		}
		return nil
	}
	return json.Unmarshal(b, v.Addr().Interface())
}

// UserResult is one element of the 200 answer: the outcome for one user.
type UserResult struct {
	// ID is the new user's ID, a UUID; empty, and left out of the JSON,
	// when the user was not created.
	ID string `json:"id,omitempty"`
	// NRN is the new user's NCP Resource Name,
	// nrn:PUB:SSO::<memberNo>:User/<id>; empty when the user was not
	// created.
	NRN string `json:"nrn,omitempty"`
	// Name is the requested login ID.
	Name string `json:"name"`
	// Success is whether this user was created.
	Success bool `json:"success"`
	// Message is why the user was not created, such as
	// "Duplicate login ID."; empty on success.
	Message string `json:"message"`
}

// ErrorResponse is the service's 400 body. FieldErrors is ncpmock's own
// addition; the real service is not known to send it.
type ErrorResponse struct {
	// ErrorCode is the service's error code: 400 for an invalid request.
	ErrorCode int `json:"errorCode"`
	// Message is the service's message: "Invalid request" for code 400.
	Message string `json:"message"`
	// FieldErrors lists every rule the request broke, as Problems.
	FieldErrors []Problem `json:"fieldErrors,omitempty"`
}

// GatewayError is the body of an API Gateway error.
type GatewayError struct {
	// Error is the whole content of the body: {"error": {...}}.
	Error GatewayErrorDetail `json:"error"`
}

// GatewayErrorDetail is the content of a GatewayError.
type GatewayErrorDetail struct {
	// ErrorCode is the gateway's code, a string such as "200"
	// (Authentication Failed) or "430" (Request Entity Too Large).
	ErrorCode string `json:"errorCode"`
	// Message names the code, such as "Authentication Failed".
	Message string `json:"message"`
	// Details says what went wrong; empty, and left out of the JSON, when
	// there is nothing to add.
	Details string `json:"details,omitempty"`
}
