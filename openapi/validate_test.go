package openapi_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/ncpmock/ncpmock/openapi"
)

// user returns a valid user with every field set, numbered n.
func user(n int) map[string]any {
	return map[string]any{
		"loginId":     fmt.Sprintf("user%d@example.com", n),
		"description": "QA engineer",
		"userProfile": map[string]any{
			"firstName": "Gildong", "lastName": "Hong", "email": fmt.Sprintf("user%d@example.com", n),
			"empNo": "E-1024", "phoneCountryCode": "82", "phoneNo": "010-1100-0000", "deptName": "QA",
		},
		"accessRules": map[string]any{"consoleAccessAllowed": true, "apiAccessAllowed": false},
	}
}

func body(users ...map[string]any) map[string]any {
	params := make([]any, len(users))
	for i, u := range users {
		params[i] = u
	}
	return map[string]any{"params": params}
}

func usersN(n int) map[string]any {
	users := make([]map[string]any, n)
	for i := range users {
		users[i] = user(i)
	}
	return body(users...)
}

func profile(u map[string]any) map[string]any { return u["userProfile"].(map[string]any) }

func rules(u map[string]any) map[string]any { return u["accessRules"].(map[string]any) }

// with returns a one-user body after change modified the user.
func with(change func(u map[string]any)) map[string]any {
	u := user(0)
	change(u)
	return body(u)
}

func tags(n int) map[string]any {
	t := make(map[string]any, n)
	for i := range n {
		t[fmt.Sprintf("k%d", i)] = "v"
	}
	return t
}

// hangul returns n Hangul syllables: 3 bytes each in UTF-8.
func hangul(n int) string {
	syllables := []rune("김이박최정강조윤장임한오서신권황안송류홍")
	out := make([]rune, n)
	for i := range out {
		out[i] = syllables[i%len(syllables)]
	}
	return string(out)
}

var (
	hangul66  = hangul(66)  // 198 bytes
	hangul100 = hangul(100) // 300 bytes
)

func TestHangulFixtures(t *testing.T) {
	if n := len([]rune(hangul66)); n != 66 || len(hangul66) != 198 {
		t.Fatalf("hangul66: %d syllables, %d bytes; want 66 and 198", n, len(hangul66))
	}
	if n := len([]rune(hangul100)); n != 100 || len(hangul100) != 300 {
		t.Fatalf("hangul100: %d syllables, %d bytes; want 100 and 300", n, len(hangul100))
	}
}

type fieldRule struct{ field, rule string }

func TestValidateRules(t *testing.T) {
	tests := []struct {
		name string
		body any
		want []fieldRule // nil: valid
	}{
		{"full user", body(user(0)), nil},
		{"minimal user", body(map[string]any{"loginId": "a@b.co",
			"accessRules": map[string]any{"consoleAccessAllowed": false, "apiAccessAllowed": false}}), nil},
		{"exactly 100 users", usersN(100), nil},
		{"101 users", usersN(101), []fieldRule{{"params", "maxItems"}}},
		{"no users", body(), []fieldRule{{"params", "minItems"}}},
		{"params missing", map[string]any{}, []fieldRule{{"params", "required"}}},
		{"params not an array", map[string]any{"params": "x"}, []fieldRule{{"params", "type"}}},
		{"body is an array", []any{user(0)}, []fieldRule{{"", "type"}}},
		{"user is a number", map[string]any{"params": []any{7}}, []fieldRule{{"params[0]", "type"}}},

		{"loginId missing", with(func(u map[string]any) { delete(u, "loginId") }), []fieldRule{{"params[0].loginId", "required"}}},
		{"loginId 60 characters", with(func(u map[string]any) { u["loginId"] = strings.Repeat("a", 48) + "@example.com" }), nil},
		{"loginId 61 characters", with(func(u map[string]any) { u["loginId"] = strings.Repeat("a", 49) + "@example.com" }),
			[]fieldRule{{"params[0].loginId", "maxLength"}}},
		{"loginId not an email", with(func(u map[string]any) { u["loginId"] = "gildong" }), []fieldRule{{"params[0].loginId", "format"}}},
		{"loginId too short", with(func(u map[string]any) { u["loginId"] = "a@" }),
			[]fieldRule{{"params[0].loginId", "format"}, {"params[0].loginId", "minLength"}}},
		{"loginId a number", with(func(u map[string]any) { u["loginId"] = 42 }), []fieldRule{{"params[0].loginId", "type"}}},
		{"loginId null", with(func(u map[string]any) { u["loginId"] = nil }), []fieldRule{{"params[0].loginId", "type"}}},

		{"description 300 bytes of Hangul", with(func(u map[string]any) { u["description"] = hangul100 }), nil},
		{"description 301 bytes: 100 syllables and a dot", with(func(u map[string]any) { u["description"] = hangul100 + "." }),
			[]fieldRule{{"params[0].description", "maxBytes"}}},
		{"description 300 ASCII", with(func(u map[string]any) { u["description"] = strings.Repeat("x", 300) }), nil},
		{"description 301 ASCII", with(func(u map[string]any) { u["description"] = strings.Repeat("x", 301) }),
			[]fieldRule{{"params[0].description", "maxBytes"}, {"params[0].description", "maxLength"}}},

		{"firstName 66 syllables (198 bytes)", with(func(u map[string]any) { profile(u)["firstName"] = hangul66 }), nil},
		{"firstName 67 syllables (201 bytes)", with(func(u map[string]any) { profile(u)["firstName"] = hangul66 + "가" }),
			[]fieldRule{{"params[0].userProfile.firstName", "maxBytes"}}},
		{"firstName 66 syllables and 2 ASCII (200 bytes)", with(func(u map[string]any) { profile(u)["firstName"] = hangul66 + "ab" }), nil},
		{"lastName 201 bytes", with(func(u map[string]any) { profile(u)["lastName"] = hangul66 + "abc" }),
			[]fieldRule{{"params[0].userProfile.lastName", "maxBytes"}}},
		{"empNo 201 bytes", with(func(u map[string]any) { profile(u)["empNo"] = hangul66 + "abc" }),
			[]fieldRule{{"params[0].userProfile.empNo", "maxBytes"}}},
		{"deptName 201 bytes", with(func(u map[string]any) { profile(u)["deptName"] = hangul66 + "abc" }),
			[]fieldRule{{"params[0].userProfile.deptName", "maxBytes"}}},
		{"deptName 200 ASCII", with(func(u map[string]any) { profile(u)["deptName"] = strings.Repeat("d", 200) }), nil},
		{"deptName 201 ASCII", with(func(u map[string]any) { profile(u)["deptName"] = strings.Repeat("d", 201) }),
			[]fieldRule{{"params[0].userProfile.deptName", "maxBytes"}, {"params[0].userProfile.deptName", "maxLength"}}},
		{"firstName null", with(func(u map[string]any) { profile(u)["firstName"] = nil }),
			[]fieldRule{{"params[0].userProfile.firstName", "type"}}},

		{"email empty", with(func(u map[string]any) { profile(u)["email"] = "" }), nil},
		{"email malformed", with(func(u map[string]any) { profile(u)["email"] = "hong@" }),
			[]fieldRule{{"params[0].userProfile.email", "pattern"}}},
		{"country code 4 digits", with(func(u map[string]any) { profile(u)["phoneCountryCode"] = "1268" }), nil},
		{"country code empty", with(func(u map[string]any) { profile(u)["phoneCountryCode"] = "" }), nil},
		{"country code with plus", with(func(u map[string]any) { profile(u)["phoneCountryCode"] = "+82" }),
			[]fieldRule{{"params[0].userProfile.phoneCountryCode", "pattern"}}},
		{"country code 11 bytes", with(func(u map[string]any) { profile(u)["phoneCountryCode"] = "12345678901" }),
			[]fieldRule{{"params[0].userProfile.phoneCountryCode", "maxBytes"},
				{"params[0].userProfile.phoneCountryCode", "maxLength"}, {"params[0].userProfile.phoneCountryCode", "pattern"}}},
		{"phone digits only", with(func(u map[string]any) { profile(u)["phoneNo"] = "01011000000" }), nil},
		{"phone 3-3-4", with(func(u map[string]any) { profile(u)["phoneNo"] = "010-110-0000" }), nil},
		{"phone malformed", with(func(u map[string]any) { profile(u)["phoneNo"] = "010-11" }),
			[]fieldRule{{"params[0].userProfile.phoneNo", "pattern"}}},
		{"phone 14 characters", with(func(u map[string]any) { profile(u)["phoneNo"] = "010-11000-0000" }),
			[]fieldRule{{"params[0].userProfile.phoneNo", "maxLength"}, {"params[0].userProfile.phoneNo", "pattern"}}},

		{"accessRules missing", with(func(u map[string]any) { delete(u, "accessRules") }),
			[]fieldRule{{"params[0].accessRules", "required"}}},
		{"consoleAccessAllowed a string", with(func(u map[string]any) { rules(u)["consoleAccessAllowed"] = "true" }),
			[]fieldRule{{"params[0].accessRules.consoleAccessAllowed", "type"}}},
		{"apiAccessAllowed missing", with(func(u map[string]any) { delete(rules(u), "apiAccessAllowed") }),
			[]fieldRule{{"params[0].accessRules.apiAccessAllowed", "required"}}},
		{"apiAccessAllowed null", with(func(u map[string]any) { rules(u)["apiAccessAllowed"] = nil }),
			[]fieldRule{{"params[0].accessRules.apiAccessAllowed", "type"}}},

		{"20 tags", with(func(u map[string]any) { u["tags"] = tags(20) }), nil},
		{"21 tags", with(func(u map[string]any) { u["tags"] = tags(21) }), []fieldRule{{"params[0].tags", "maxProperties"}}},
		{"tag value a number", with(func(u map[string]any) { u["tags"] = map[string]any{"cost center": 5} }),
			[]fieldRule{{`params[0].tags["cost center"]`, "type"}}},

		{"every problem of a batch, in order", body(user(0), user(1), with(func(u map[string]any) {
			profile(u)["phoneNo"] = "x"
		})["params"].([]any)[0].(map[string]any), user(3), user(4), user(5), user(6), user(7), user(8), user(9),
			with(func(u map[string]any) { delete(u, "loginId"); rules(u)["apiAccessAllowed"] = 1 })["params"].([]any)[0].(map[string]any)),
			[]fieldRule{{"params[2].userProfile.phoneNo", "pattern"},
				{"params[10].accessRules.apiAccessAllowed", "type"}, {"params[10].loginId", "required"}}},
	}
	v := newValidator(t, openapi.ValidatorConfig{})
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			data, err := json.Marshal(tc.body)
			if err != nil {
				t.Fatal(err)
			}
			_, err = v.Validate(context.Background(), "application/json", data)
			assertProblems(t, err, tc.want)
		})
	}
}

func newValidator(t testing.TB, cfg openapi.ValidatorConfig) *openapi.Validator {
	t.Helper()
	spec, err := openapi.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	v, err := openapi.NewValidator(spec, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func assertProblems(t *testing.T, err error, want []fieldRule) {
	t.Helper()
	if want == nil {
		if err != nil {
			t.Fatalf("got %v, want a valid body", err)
		}
		return
	}
	var verr *openapi.ValidationError
	if !errors.As(err, &verr) {
		t.Fatalf("got %v, want a *ValidationError", err)
	}
	if !errors.Is(err, openapi.ErrInvalidRequest) {
		t.Errorf("errors.Is(err, ErrInvalidRequest) = false")
	}
	var got []fieldRule
	for _, p := range verr.Problems {
		got = append(got, fieldRule{p.Field, p.Rule})
		if p.Message == "" {
			t.Errorf("problem %v has no message", p)
		}
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("got problems %v, want %v\n%v", got, want, verr)
	}
}

func TestValidateMessagesNameTheLimit(t *testing.T) {
	tests := []struct {
		name string
		body any
		want string
	}{
		{"maxBytes", with(func(u map[string]any) { profile(u)["firstName"] = hangul66 + "가" }),
			"must be at most 200 bytes of UTF-8, got 201 bytes (67 characters)"},
		{"maxItems", usersN(101), "must have at most 100 items, got 101"},
		{"minItems", body(), "must have at least 1 item, got 0"},
		{"maxLength", with(func(u map[string]any) { u["loginId"] = strings.Repeat("a", 49) + "@example.com" }),
			"must be at most 60 characters, got 61"},
		{"type", with(func(u map[string]any) { rules(u)["consoleAccessAllowed"] = "yes" }), "must be a boolean, got string"},
		{"required", with(func(u map[string]any) { delete(u, "accessRules") }), "is required"},
		{"pattern", with(func(u map[string]any) { profile(u)["phoneCountryCode"] = "+82" }), `must match the pattern ^(?:\d{1,4})?$`},
		{"format", with(func(u map[string]any) { u["loginId"] = "nobody" }), "must be a valid email address"},
		{"maxProperties", with(func(u map[string]any) { u["tags"] = tags(21) }), "must have at most 20 properties, got 21"},
	}
	v := newValidator(t, openapi.ValidatorConfig{})
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			data, _ := json.Marshal(tc.body)
			_, err := v.Validate(context.Background(), "application/json", data)
			var verr *openapi.ValidationError
			if !errors.As(err, &verr) || len(verr.Problems) != 1 {
				t.Fatalf("got %v, want one problem", err)
			}
			if msg := verr.Problems[0].Message; !strings.Contains(msg, tc.want) {
				t.Fatalf("got message %q, want it to contain %q", msg, tc.want)
			}
			if strings.Contains(verr.Error(), "Schema:") || len(verr.Error()) > 400 {
				t.Fatalf("error text dumps the schema: %s", verr)
			}
		})
	}
}

func TestValidateBodyLevelProblems(t *testing.T) {
	valid, _ := json.Marshal(body(user(0)))
	const accessRules = `"accessRules":{"consoleAccessAllowed":true,"apiAccessAllowed":false}`
	missingComma := `{"params":[{"loginId":"a@b.co" "userProfile":{"firstName":"A"},` + accessRules + `}]}`
	membersInArray := `{"params":[{"loginId":"a@b.co","accessRules":["consoleAccessAllowed":true]}]}`
	many, _ := json.Marshal(usersN(101))
	manyThenMissingComma := strings.TrimSuffix(string(many), "}") + `,"extra":1 "x":2}`
	tooDeepThenMissingComma := `{"x":` + strings.Repeat("[", 70) + strings.Repeat("]", 70) + ` "y":1}`
	badValue := `{"params":[{"loginId":"a@b.co","userProfile":{"firstName":"` + "\xff\xfe" + `ab"},` + accessRules + `}]}`
	badKey := `{"params":[{"loginId":"a@b.co","userProfile":{"first` + "\xc3" + `Name":"ab"},` + accessRules + `}]}`
	tests := []struct {
		name, contentType, body string
		rule, message           string
	}{
		{"malformed", "application/json", `{"params":[{"loginId":"a@b.co",]}`, "json",
			"malformed JSON at byte offset 31: invalid character ']' looking for beginning of object key string"},
		{"byte order mark", "application/json", "\xef\xbb\xbf" + string(valid), "json",
			"malformed JSON at byte offset 0: the body starts with a UTF-8 byte order mark (EF BB BF), which JSON text must not; send the JSON alone"},
		{"number out of range", "application/json", `{"params":[{"n":1e999999}]}`, "json",
			"malformed JSON at byte offset 16: number 1e999999 is out of the range of a 64-bit floating-point number"},
		{"truncated", "application/json", `{"params":[`, "json", "malformed JSON at byte offset 11: unexpected end of JSON input"},
		{"trailing data", "application/json", string(valid) + " x", "json",
			fmt.Sprintf("malformed JSON at byte offset %d: unexpected data after the top-level value", len(valid)+1)},
		{"two values", "application/json", string(valid) + string(valid), "json",
			fmt.Sprintf("malformed JSON at byte offset %d: unexpected data after the top-level value", len(valid))},
		// Prescan and the compiled pass see a container of the wrong type
		// before the decoder would stop: the body's syntax comes first.
		{"missing comma before an object", "application/json", missingComma, "json",
			fmt.Sprintf("malformed JSON at byte offset %d: invalid character '\"' after object key:value pair", strings.Index(missingComma, `"userProfile"`))},
		{"an object's members in an array", "application/json", membersInArray, "json",
			fmt.Sprintf("malformed JSON at byte offset %d: invalid character ':' after array element", strings.Index(membersInArray, `:true]`))},
		{"too many users, then a missing comma", "application/json", manyThenMissingComma, "json",
			fmt.Sprintf("malformed JSON at byte offset %d: invalid character '\"' after object key:value pair", strings.LastIndex(manyThenMissingComma, `"x"`))},
		{"too deep, then a missing comma", "application/json", tooDeepThenMissingComma, "json",
			fmt.Sprintf("malformed JSON at byte offset %d: invalid character '\"' after object key:value pair", strings.Index(tooDeepThenMissingComma, `"y"`))},
		{"invalid UTF-8 in a value", "application/json", badValue, "json",
			fmt.Sprintf("malformed JSON at byte offset %d: byte 0xFF is not valid UTF-8; JSON text must be UTF-8 (RFC 8259)", strings.IndexByte(badValue, 0xff))},
		{"invalid UTF-8 in a key", "application/json", badKey, "json",
			fmt.Sprintf("malformed JSON at byte offset %d: byte 0xC3 is not valid UTF-8", strings.IndexByte(badKey, 0xc3))},
		{"invalid UTF-8 after a syntax error", "application/json", `{"params":[{"loginId":"a@b.co",]` + "\xff", "json",
			"malformed JSON at byte offset 31: invalid character ']'"},
		{"empty body", "application/json", "", "body", "a JSON request body is required"},
		{"blank body", "application/json", " \n", "body", "a JSON request body is required"},
		{"no content type", "", string(valid), "contentType", "the Content-Type header is missing; send application/json"},
		{"wrong content type", "text/plain", string(valid), "contentType", `Content-Type "text/plain" is not accepted; send application/json`},
		{"another charset", "application/json; charset=euc-kr", string(valid), "contentType",
			`Content-Type "application/json; charset=euc-kr": charset "euc-kr" is not accepted; send UTF-8 (charset=utf-8, or no charset)`},
		{"unparsable content type", "application/json; charset", string(valid), "contentType", "is not accepted"},
	}
	v := newValidator(t, openapi.ValidatorConfig{})
	ref := newValidator(t, openapi.ValidatorConfig{Reference: true})
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := v.Validate(context.Background(), tc.contentType, []byte(tc.body))
			_, refErr := ref.Validate(context.Background(), tc.contentType, []byte(tc.body))
			if fmt.Sprint(err) != fmt.Sprint(refErr) {
				t.Fatalf("compiled: %v\nreference: %v", err, refErr)
			}
			var verr *openapi.ValidationError
			if !errors.As(err, &verr) || len(verr.Problems) != 1 {
				t.Fatalf("got %v, want one problem", err)
			}
			p := verr.Problems[0]
			if p.Field != "" || p.Rule != tc.rule || !strings.Contains(p.Message, tc.message) {
				t.Fatalf("got %+v, want rule %q and a message containing %q", p, tc.rule, tc.message)
			}
		})
	}
	t.Run("charset parameter accepted", func(t *testing.T) {
		if _, err := v.Validate(context.Background(), "application/json; charset=utf-8", valid); err != nil {
			t.Fatalf("got %v, want valid", err)
		}
	})
}

func TestValidateUnknownProperties(t *testing.T) {
	data, _ := json.Marshal(with(func(u map[string]any) {
		profile(u)["phoneNumber"] = "010-1100-0000"
		u["LoginID"] = "x"
	}))
	t.Run("warning by default", func(t *testing.T) {
		warnings, err := newValidator(t, openapi.ValidatorConfig{}).Validate(context.Background(), "application/json", data)
		if err != nil {
			t.Fatalf("got %v, want valid with warnings", err)
		}
		want := []openapi.Problem{
			{Field: "params[0].LoginID", Rule: "additionalProperties", Message: `is not a property the spec declares (did you mean "loginId"?)`},
			{Field: "params[0].userProfile.phoneNumber", Rule: "additionalProperties", Message: `is not a property the spec declares (did you mean "phoneNo"?)`},
		}
		if fmt.Sprint(warnings) != fmt.Sprint(want) {
			t.Fatalf("got %v, want %v", warnings, want)
		}
	})
	t.Run("problem when strict", func(t *testing.T) {
		warnings, err := newValidator(t, openapi.ValidatorConfig{Strict: true}).Validate(context.Background(), "application/json", data)
		if len(warnings) != 0 {
			t.Errorf("got warnings %v, want none when strict", warnings)
		}
		assertProblems(t, err, []fieldRule{{"params[0].LoginID", "additionalProperties"},
			{"params[0].userProfile.phoneNumber", "additionalProperties"}})
	})
	t.Run("tags may have any key", func(t *testing.T) {
		data, _ := json.Marshal(with(func(u map[string]any) { u["tags"] = map[string]any{"anything": "goes"} }))
		warnings, err := newValidator(t, openapi.ValidatorConfig{Strict: true}).Validate(context.Background(), "application/json", data)
		if err != nil || len(warnings) != 0 {
			t.Fatalf("got %v, %v; want valid without warnings", warnings, err)
		}
	})
}

// TestValidationFollowsTheSpec edits limits in a copy of the spec: the
// validator must enforce the new limits without code changes.
func TestValidationFollowsTheSpec(t *testing.T) {
	yaml := string(openapi.EmbeddedYAML())
	edited := strings.Replace(yaml, "maxItems: 100", "maxItems: 5", 1)
	edited = strings.Replace(edited, "maxLength: 200\n          x-max-bytes: 200\n          description: First name",
		"maxLength: 200\n          x-max-bytes: 10\n          description: First name", 1)
	if edited == yaml || strings.Count(edited, "x-max-bytes: 10\n") != 2 {
		t.Fatal("the edits did not apply; has the spec's layout changed?")
	}
	spec, err := openapi.Load([]byte(edited))
	if err != nil {
		t.Fatal(err)
	}
	v, err := openapi.NewValidator(spec, openapi.ValidatorConfig{})
	if err != nil {
		t.Fatal(err)
	}
	data, _ := json.Marshal(usersN(6))
	_, err = v.Validate(context.Background(), "application/json", data)
	assertProblems(t, err, []fieldRule{{"params", "maxItems"}})

	data, _ = json.Marshal(with(func(u map[string]any) { profile(u)["firstName"] = "가나다라" }))
	_, err = v.Validate(context.Background(), "application/json", data)
	assertProblems(t, err, []fieldRule{{"params[0].userProfile.firstName", "maxBytes"}})
}

func TestValidateKeepsNoStateBetweenRequests(t *testing.T) {
	v := newValidator(t, openapi.ValidatorConfig{})
	bad, _ := json.Marshal(usersN(101))
	good, _ := json.Marshal(usersN(2))
	for range 3 {
		if _, err := v.Validate(context.Background(), "application/json", bad); err == nil {
			t.Fatal("101 users accepted")
		}
		if _, err := v.Validate(context.Background(), "application/json", good); err != nil {
			t.Fatalf("valid body rejected after an invalid one: %v", err)
		}
	}
}

// TestMaxUndeclared: a body may hold MaxUndeclared undeclared properties in
// all, warned about (or, strict, refused one by one); one more and the whole
// body is refused for that alone, by the compiled validator and the
// reference alike.
func TestMaxUndeclared(t *testing.T) {
	body := func(n int) []byte {
		var b strings.Builder
		b.WriteString(`{"params":[{"loginId":"a@b.io","accessRules":{"consoleAccessAllowed":true,"apiAccessAllowed":true}`)
		for i := range n {
			fmt.Fprintf(&b, `,"typo%d":1`, i)
		}
		b.WriteString(`}]}`)
		return []byte(b.String())
	}
	for _, reference := range []bool{false, true} {
		for _, strict := range []bool{false, true} {
			v := newValidator(t, openapi.ValidatorConfig{MaxUndeclared: 5, Reference: reference, Strict: strict})
			name := fmt.Sprintf("reference=%t strict=%t", reference, strict)
			warnings, err := v.Validate(t.Context(), "application/json", body(5))
			if got := len(warnings); strict && err == nil || !strict && (err != nil || got != 5) {
				t.Errorf("%s, 5 undeclared: got %d warnings and %v, want 5 warnings (strict: 5 problems)", name, got, err)
			}
			_, err = v.Validate(t.Context(), "application/json", body(6))
			var verr *openapi.ValidationError
			if !errors.As(err, &verr) || len(verr.Problems) != 1 || verr.Problems[0].Rule != openapi.RuleMaxUndeclared ||
				verr.Problems[0].Message != "the body has more than 5 properties the spec does not declare (a limit of ncpmock's); the 6th is params[0].typo5" {
				t.Errorf("%s, 6 undeclared: got %v, want the one maxUndeclared problem", name, err)
			}
		}
	}
	if _, err := openapi.NewValidator(embedded(t), openapi.ValidatorConfig{MaxUndeclared: -1}); err == nil {
		t.Error("MaxUndeclared -1: got no error")
	}
}
