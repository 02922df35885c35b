package openapi

import (
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// decodeOracle decodes a valid body as the compiled validator promises to:
// encoding/json's reading (last of duplicate keys wins), keeping only the
// properties the schema declares, bound to fields by exact JSON name.
func decodeOracle(t *testing.T, schema *openapi3.Schema, body []byte) BulkRequest {
	t.Helper()
	var value any
	if err := json.Unmarshal(body, &value); err != nil {
		t.Fatal(err)
	}
	filtered, err := json.Marshal(declaredOnly(schema, value))
	if err != nil {
		t.Fatal(err)
	}
	var req BulkRequest
	if err := json.Unmarshal(filtered, &req); err != nil {
		t.Fatalf("oracle: %v", err)
	}
	return req
}

func declaredOnly(s *openapi3.Schema, v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any)
		for k, e := range x {
			if p := s.Properties[k]; p != nil {
				out[k] = declaredOnly(p.Value, e)
			} else if ap := s.AdditionalProperties.Schema; ap != nil {
				out[k] = declaredOnly(ap.Value, e)
			}
		}
		return out
	case []any:
		if s.Items == nil {
			return v
		}
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = declaredOnly(s.Items.Value, e)
		}
		return out
	}
	return v
}

func TestDecodeMatchesEncodingJSON(t *testing.T) {
	rich := loadSpecFile(t, "rich.yaml")
	for _, tc := range []struct {
		name string
		spec *Spec
		gen  func(*bodyGen) []byte
	}{
		{"embedded", mustEmbedded(t), (*bodyGen).body},
		{"rich", rich, richBody(rich)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fast, _ := validatorPair(t, tc.spec, false)
			g := newBodyGen(3)
			decoded := 0
			for range 600 {
				body := tc.gen(g)
				var got BulkRequest
				if _, err := fast.Decode(context.Background(), "application/json", body, &got); err != nil {
					if !reflect.DeepEqual(got, BulkRequest{}) {
						t.Fatalf("invalid body %s: got %+v, want the zero value", body, got)
					}
					continue
				}
				decoded++
				if want := decodeOracle(t, tc.spec.RequestSchema(), body); !reflect.DeepEqual(got, want) {
					gotJSON, _ := json.Marshal(got)
					wantJSON, _ := json.Marshal(want)
					t.Fatalf("body %s\ngot  %s\nwant %s", body, gotJSON, wantJSON)
				}
			}
			if decoded < 50 {
				t.Errorf("only %d valid bodies decoded; the test proves little", decoded)
			}
		})
	}
}

func TestDecodeEdgeCases(t *testing.T) {
	fast, ref := validatorPair(t, mustEmbedded(t), false)
	for name, body := range map[string]string{
		"duplicates": `{"params":[{"loginId":"a@b.co","loginId":"kim@example.com","userProfile":{"firstName":"A"},"userProfile":{"lastName":"B"},"accessRules":{"consoleAccessAllowed":true,"apiAccessAllowed":true},"accessRules":{"consoleAccessAllowed":false,"apiAccessAllowed":true},"tags":{"a":"1"},"tags":{"b":"2","b":"3"}}]}`,
		"escapes":    `{"params":[{"loginId":"kim\u0040example.com","description":"\ud83d\ude00 \u00e9\n","accessRules":{"consoleAccessAllowed":true,"apiAccessAllowed":false}}]}`,
		"unknown":    `{"params":[{"loginId":"kim@example.com","LoginId":"x@y.zz","Description":"ignored","accessRules":{"consoleAccessAllowed":true,"apiAccessAllowed":false}}],"extra":[1,{"a":null}]}`,
		"empty tags": `{"params":[{"loginId":"kim@example.com","userProfile":{},"tags":{},"accessRules":{"consoleAccessAllowed":true,"apiAccessAllowed":false}}]}`,
		// Found by FuzzValidate: encoding/json takes "ACCessRules" for
		// accessRules and fails on a body the validator accepts.
		"case": `{"params":[{"loginId":"0@0.AA","ACCessRules":"","LOGINID":7,"accessRules":{"consoleAccessAllowed":true,"apiAccessAllowed":false},"accessrules":{"consoleAccessAllowed":false,"apiAccessAllowed":true}}]}`,
	} {
		t.Run(name, func(t *testing.T) {
			var got BulkRequest
			if _, err := fast.Decode(context.Background(), "application/json", []byte(body), &got); err != nil {
				t.Fatal(err)
			}
			if want := decodeOracle(t, fast.spec.RequestSchema(), []byte(body)); !reflect.DeepEqual(got, want) {
				t.Errorf("got %+v, want %+v", got, want)
			}
			// The reference validates, then decodes with DecodeExact (keys
			// matched exactly, the last of repeated ones counting): the same
			// request.
			var viaRef, exact BulkRequest
			if _, err := ref.Decode(context.Background(), "application/json", []byte(body), &viaRef); err != nil {
				t.Fatal(err)
			}
			if err := DecodeExact([]byte(body), &exact); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, viaRef) || !reflect.DeepEqual(got, exact) {
				t.Errorf("compiled %+v\nreference %+v\nDecodeExact %+v", got, viaRef, exact)
			}
		})
	}
}

// TestDecodeUsersMatchesDecode checks DecodeUsers against Decode and the
// reference on generated bodies: the same verdict, warnings and problems;
// for a valid body, each user's loginId as Decode reads it and, as its
// text, the very element of params in the body.
func TestDecodeUsersMatchesDecode(t *testing.T) {
	rich := loadSpecFile(t, "rich.yaml")
	for _, tc := range []struct {
		name string
		spec *Spec
		gen  func(*bodyGen) []byte
	}{
		{"embedded", mustEmbedded(t), (*bodyGen).body},
		{"rich", rich, richBody(rich)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fast, ref := validatorPair(t, tc.spec, false)
			g := newBodyGen(5)
			decoded := 0
			for range 600 {
				body := tc.gen(g)
				var full BulkRequest
				wantWarn, wantErr := fast.Decode(context.Background(), "application/json", body, &full)
				for _, v := range []*Validator{fast, ref} {
					var got BulkUsers
					warn, err := v.DecodeUsers(context.Background(), "application/json", string(body), &got)
					if !reflect.DeepEqual(warn, wantWarn) || !reflect.DeepEqual(errText(err), errText(wantErr)) {
						t.Fatalf("body %s: DecodeUsers says %v %v, Decode %v %v", body, warn, err, wantWarn, wantErr)
					}
					if err != nil {
						if !reflect.DeepEqual(got, BulkUsers{}) {
							t.Fatalf("invalid body %s: got %+v, want the zero value", body, got)
						}
						continue
					}
					// The reference re-encodes a body encoding/json cannot
					// decode at once (repeated keys of different types).
					checkUsers(t, body, got, &full, v == fast)
				}
				if wantErr == nil {
					decoded++
				}
			}
			if decoded < 50 {
				t.Errorf("only %d valid bodies decoded; the test proves little", decoded)
			}
		})
	}
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// checkUsers checks the users DecodeUsers read from a valid body against
// the same body decoded by encoding/json and, unless full is nil, by Decode.
// With asSent each user's text must be a part of the body.
func checkUsers(t *testing.T, body []byte, got BulkUsers, full *BulkRequest, asSent bool) {
	t.Helper()
	var generic any // the last of repeated keys counts
	if err := json.Unmarshal(body, &generic); err != nil {
		t.Fatal(err)
	}
	params, _ := generic.(map[string]any)["params"].([]any)
	if full != nil && len(got.Params) != len(full.Params) || len(got.Params) != len(params) {
		t.Fatalf("body %s: %d users, encoding/json %d", body, len(got.Params), len(params))
	}
	for i, u := range got.Params {
		object, _ := params[i].(map[string]any)
		want, _ := object["loginId"].(string)
		if u.LoginID != want || full != nil && u.LoginID != full.Params[i].LoginID {
			t.Fatalf("body %s: user %d: loginId %q, want %q", body, i, u.LoginID, want)
		}
		var text any
		if asSent && !strings.Contains(string(body), string(u.JSON)) || json.Unmarshal([]byte(u.JSON), &text) != nil ||
			!reflect.DeepEqual(text, params[i]) {
			t.Fatalf("body %s: user %d: text %s is not its element of params", body, i, u.JSON)
		}
	}
}

func TestDecodeUsersEdgeCases(t *testing.T) {
	fast, ref := validatorPair(t, mustEmbedded(t), false)
	user := `{ "loginId" : "kim\u0040example.com", "loginId":"lee@example.com" ,"accessRules":{"consoleAccessAllowed":true,"apiAccessAllowed":false} }`
	body := "{\"params\":[ " + user + " ,\n" + user + "]}"
	for _, v := range []*Validator{fast, ref} {
		var got BulkUsers
		if _, err := v.DecodeUsers(context.Background(), "application/json", body, &got); err != nil {
			t.Fatal(err)
		}
		want := BulkUsers{Params: []UserText{{"lee@example.com", RawJSON(user)}, {"lee@example.com", RawJSON(user)}}}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("got %+v, want %+v", got, want)
		}
	}
}

// FuzzDecodeUsers feeds any body to DecodeUsers of the compiled validator
// and of the reference: each must give Validate's verdict, and for a valid
// body each user's loginId and text (a part of the body, for the compiled
// one).
func FuzzDecodeUsers(f *testing.F) {
	fast, ref := validatorPair(f, mustEmbedded(f), false)
	f.Add([]byte(`{"params":[{"loginId":"kim@example.com","accessRules":{"consoleAccessAllowed":true,"apiAccessAllowed":false}}]}`))
	f.Add([]byte(`{"params":[ {"loginId":"a@b.co", "loginId" : "kim\u0040example.com","x":[1,{}],"accessRules":{"consoleAccessAllowed":true,"apiAccessAllowed":false}} ]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, v := range []*Validator{fast, ref} {
			wantWarn, wantErr := v.Validate(t.Context(), "application/json", body)
			var got BulkUsers
			warn, err := v.DecodeUsers(t.Context(), "application/json", string(body), &got)
			if !reflect.DeepEqual(warn, wantWarn) || errText(err) != errText(wantErr) {
				t.Fatalf("body %q: DecodeUsers says %v %v, Validate %v %v", body, warn, err, wantWarn, wantErr)
			}
			if err != nil {
				if !reflect.DeepEqual(got, BulkUsers{}) {
					t.Fatalf("invalid body %q: got %+v, want the zero value", body, got)
				}
				continue
			}
			checkUsers(t, body, got, nil, v == fast)
		}
	})
}

// TestDecodeExact checks the exact, last-wins reading against what
// encoding/json does with the same bodies.
func TestDecodeExact(t *testing.T) {
	const rules = `"accessRules":{"consoleAccessAllowed":true,"apiAccessAllowed":false}`
	tests := []struct {
		name, body string
		want       BulkRequest
	}{
		{"other case ignored", `{"PARAMS":[],"params":[{"loginId":"a@b.co","LOGINID":"x@y.zz","AccessRules":"",` + rules + `}]}`,
			BulkRequest{Params: []UserCreate{{LoginID: "a@b.co", AccessRules: AccessRules{ConsoleAccessAllowed: true}}}}},
		{"last wins, no merging", `{"params":[{"loginId":1,"loginId":"a@b.co","userProfile":{"firstName":"A"},"userProfile":{"lastName":"B"},` + rules + `}]}`,
			BulkRequest{Params: []UserCreate{{LoginID: "a@b.co", UserProfile: &UserProfile{LastName: ptr("B")}, AccessRules: AccessRules{ConsoleAccessAllowed: true}}}}},
		{"null profile and description", `{"params":[{"loginId":"a@b.co","userProfile":null,"description":null,"tags":{"k":"v"},` + rules + `}]}`,
			BulkRequest{Params: []UserCreate{{LoginID: "a@b.co", Tags: map[string]string{"k": "v"}, AccessRules: AccessRules{ConsoleAccessAllowed: true}}}}},
		{"null params", `{"params":null}`, BulkRequest{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got BulkRequest
			if err := DecodeExact([]byte(tc.body), &got); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				gotJSON, _ := json.Marshal(got)
				wantJSON, _ := json.Marshal(tc.want)
				t.Errorf("got %s, want %s", gotJSON, wantJSON)
			}
		})
	}
	// encoding/json reads the first two differently: the reason DecodeExact exists.
	var plain BulkRequest
	if err := json.Unmarshal([]byte(tests[0].body), &plain); err == nil && reflect.DeepEqual(plain, tests[0].want) {
		t.Error("encoding/json now reads keys exactly; DecodeExact may be unneeded")
	}
	for _, bad := range []string{`{"params":[{"loginId":7}]}`, `{"params":{}}`, `[`, `{"params":[{"userProfile":{"firstName":3}}]}`} {
		if err := DecodeExact([]byte(bad), &plain); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
	if err := DecodeExact([]byte(`{}`), plain); err == nil {
		t.Error("a non-pointer destination: no error")
	}
}

func ptr(s string) *string { return &s }
