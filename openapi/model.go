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
