package mock

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/ncpmock/ncpmock/openapi"
)

var resultNames = []string{
	"kim@example.com", "", "<script>&amp;", `quote " and \ backslash`, "tab\tnew\nline\r\b\f\x00\x1f",
	"\x7f", "é 홍길동 😀", "\u2028\u2029", "bad \xff\xfe utf-8", "\xed\xa0\x80", "trailing \xe2\x82",
}

func TestAppendResultsMatchesEncodingJSON(t *testing.T) {
	var users []User
	var added []bool
	for i, name := range resultNames {
		u := User{LoginID: name}
		if i%2 == 0 {
			u.ID, u.NRN = name, "nrn:PUB:SSO::1:User/"+name
		}
		users, added = append(users, u), append(added, i%2 == 0)
		checkResults(t, users, added)
	}
	checkResults(t, []User{}, []bool{})
}

func checkResults(t *testing.T, users []User, added []bool) {
	t.Helper()
	var want bytes.Buffer
	if err := json.NewEncoder(&want).Encode(results(users, added, nil)); err != nil {
		t.Fatal(err)
	}
	if got := appendResults(nil, users, added); !bytes.Equal(got, want.Bytes()) {
		t.Errorf("got  %s\nwant %s", got, want.Bytes())
	}
}

func TestAppendErrorResponseMatchesEncodingJSON(t *testing.T) {
	check := func(r openapi.ErrorResponse) {
		t.Helper()
		var want bytes.Buffer
		if err := json.NewEncoder(&want).Encode(r); err != nil {
			t.Fatal(err)
		}
		if got := appendErrorResponse(nil, r); !bytes.Equal(got, want.Bytes()) {
			t.Errorf("got  %s\nwant %s", got, want.Bytes())
		}
	}
	check(openapi.ErrorResponse{})
	check(openapi.ErrorResponse{ErrorCode: 404, Message: MsgUserNotFound, FieldErrors: []openapi.Problem{}})
	r := openapi.ErrorResponse{ErrorCode: -7, Message: msgInvalidRequest}
	for i, text := range resultNames {
		r.FieldErrors = append(r.FieldErrors, openapi.Problem{
			Field: text, Rule: resultNames[(i+1)%len(resultNames)], Message: resultNames[(i+2)%len(resultNames)]})
		check(r)
	}
}

func FuzzAppendJSONString(f *testing.F) {
	for _, s := range resultNames {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		if got := appendJSONString(nil, s); !bytes.Equal(got, want) {
			t.Errorf("appendJSONString(%q): got %s, want %s", s, got, want)
		}
	})
}

// TestAppendJSONStringEveryPosition puts each byte that needs care at each
// position of strings longer than the eight bytes read at a time.
func TestAppendJSONStringEveryPosition(t *testing.T) {
	for _, special := range []string{`"`, `\`, "<", ">", "&", "\x00", "\x1f", "\x7f", "é", "\xff", "\u2028", " ", "~"} {
		for at := range 20 {
			s := strings.Repeat("a", at) + special + strings.Repeat("b", 20-at)
			want, err := json.Marshal(s)
			if err != nil {
				t.Fatal(err)
			}
			if got := appendJSONString(nil, s); !bytes.Equal(got, want) {
				t.Errorf("appendJSONString(%q): got %s, want %s", s, got, want)
			}
		}
	}
}

// TestFoldCase checks foldCase against strings.ToLower with an upper-case
// or non-ASCII byte at each position.
func TestFoldCase(t *testing.T) {
	for _, odd := range []string{"A", "Z", "@", "[", "a", "z", "é", "\xff", "K"} {
		for at := range 20 {
			s := strings.Repeat("x", at) + odd + strings.Repeat("y", 20-at)
			if got, want := foldCase(s), strings.ToLower(s); got != want {
				t.Errorf("foldCase(%q) = %q, want %q", s, got, want)
			}
		}
	}
}
