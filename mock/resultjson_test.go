package mock

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/ncpmock/ncpmock/openapi"
)

var resultNames = []string{
	"kim@example.com", "", "<script>&amp;", `quote " and \ backslash`, "tab\tnew\nline\r\b\f\x00\x1f",
	"\x7f", "é 홍길동 😀", "\u2028\u2029", "bad \xff\xfe utf-8", "\xed\xa0\x80", "trailing \xe2\x82",
}

func TestAppendResultsMatchesEncodingJSON(t *testing.T) {
	var results []openapi.UserResult
	for i, name := range resultNames {
		r := openapi.UserResult{Name: name, Message: resultNames[(i+3)%len(resultNames)]}
		if i%2 == 0 {
			r = openapi.UserResult{ID: name, NRN: "nrn:PUB:SSO::1:User/" + name, Name: name, Success: true}
		}
		results = append(results, r)
		checkResults(t, results)
	}
	checkResults(t, nil)
	checkResults(t, []openapi.UserResult{})
}

func checkResults(t *testing.T, results []openapi.UserResult) {
	t.Helper()
	var want bytes.Buffer
	if err := json.NewEncoder(&want).Encode(results); err != nil {
		t.Fatal(err)
	}
	if results == nil {
		want.Reset()
		want.WriteString("[]\n") // the handler never answers null
	}
	if got := appendResults(nil, results); !bytes.Equal(got, want.Bytes()) {
		t.Errorf("got  %s\nwant %s", got, want.Bytes())
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
