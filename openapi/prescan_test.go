package openapi

import (
	"fmt"
	"strings"
	"testing"
)

func TestPrescan(t *testing.T) {
	spec, err := Embedded()
	if err != nil {
		t.Fatal(err)
	}
	schema := spec.RequestSchema()
	user := `{"loginId":"kim@example.com","accessRules":{"consoleAccessAllowed":true,"apiAccessAllowed":false}}`
	users := func(n int) string { return `{"params":[` + strings.TrimSuffix(strings.Repeat(user+",", n), ",") + `]}` }
	tags := func(n int) string {
		var b strings.Builder
		for i := range n {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(`"k` + strings.Repeat("x", i) + `":"v"`)
		}
		return `{"params":[{"loginId":"a@b.io","accessRules":{},"tags":{` + b.String() + `}}]}`
	}
	// undeclared returns a body of two users with n undeclared keys in all,
	// some repeated, some at the top level, and inside one of them
	// nested keys that no schema speaks for (and so are not counted).
	undeclared := func(n int) string {
		var b strings.Builder
		b.WriteString(`{"x0":{"a":1,"b":2},"params":[{"loginId":"a@b.io",`)
		for i := 1; i < n; i++ {
			if i == n/2 {
				b.WriteString(`"accessRules":{}},{`)
			}
			fmt.Fprintf(&b, `"x%d":%d,`, i%(n/3+1), i)
		}
		b.WriteString(`"loginId":"b@b.io"}]}`)
		return b.String()
	}
	tests := []struct {
		name  string
		body  string
		depth int
		field string // "" with rule "" means the body passes
		rule  string
		msg   string
	}{
		{name: "one user", body: users(1)},
		{name: "100 users", body: users(100)},
		{name: "20 tags", body: tags(20)},
		{name: "brackets and quotes inside strings", body: `{"params":[{"loginId":"[[[{{\"]]]\\","description":"}],:,\"x"}]}`},
		{name: "not JSON at all", body: `params: [1, 2]`},
		{name: "unbalanced closers", body: `]]]}}}`},
		{name: "unterminated string", body: `{"params":["abc`},
		{name: "unknown property may hold anything", body: `{"params":[],"extra":[[1,2],{"a":[3]}]}`},
		{name: "101 users", body: users(101), field: "params", rule: "maxItems", msg: "must have at most 100 items, got 101"},
		{name: "a million numbers", body: `{"params":[` + strings.Repeat("0,", 999999) + `0]}`, field: "params", rule: "maxItems", msg: "got 1000000"},
		{name: "escaped key is still params", body: `{"\u0070arams":[` + strings.Repeat("1,", 100) + `1]}`, field: "params", rule: "maxItems"},
		{name: "1000 undeclared properties", body: undeclared(DefaultMaxUndeclared)},
		{name: "1001 undeclared properties", body: undeclared(DefaultMaxUndeclared + 1), field: "", rule: RuleMaxUndeclared,
			msg: "the body has more than 1000 properties the spec does not declare (a limit of ncpmock's); the 1001st is params[1].x332"},
		{name: "21 tags", body: tags(21), field: "params[0].tags", rule: "maxProperties", msg: "must have at most 20 properties, got 21"},
		{name: "text after the top-level value", body: `{"params":[]} [[[[`},
		{name: "top-level array", body: `[` + strings.Repeat("0,", 999) + `0]`, field: "", rule: "type", msg: "must be an object, got array"},
		{name: "array for a user", body: `{"params":[{},[[[]]]]}`, field: "params[1]", rule: "type", msg: "must be an object, got array"},
		{name: "object for params", body: `{"params":{"0":{}}}`, field: "params", rule: "type", msg: "must be an array, got object"},
		{name: "array for a tag value", body: `{"params":[{"tags":{"a":[]}}]}`, field: "params[0].tags.a", rule: "type", msg: "must be a string, got array"},
		{name: "nesting 10000 deep", body: `{"params":[],"x":` + strings.Repeat("[", 10000) + strings.Repeat("]", 10000) + `}`,
			field: "x" + strings.Repeat("[0]", DefaultMaxDepth-1), rule: RuleMaxDepth, msg: "deeper than 64 levels"},
		{name: "depth limit", depth: 3, body: `{"params":[{"userProfile":{}}]}`, field: "params[0].userProfile", rule: RuleMaxDepth},
		{name: "depth limit reached exactly", depth: 4, body: `{"params":[{"userProfile":{}}]}`},
		{name: "depth while counting too many items", body: `{"params":[` + strings.Repeat("1,", 100) + strings.Repeat("[", 100) + `]}`,
			field: "params[100]" + strings.Repeat("[0]", DefaultMaxDepth-2), rule: RuleMaxDepth},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, ok := Prescan(schema, []byte(tc.body), tc.depth)
			if tc.rule == "" {
				if !ok {
					t.Fatalf("got %v, want the body to pass", p)
				}
				return
			}
			if ok {
				t.Fatalf("got no problem, want %s at %q", tc.rule, tc.field)
			}
			if p.Rule != tc.rule || p.Field != tc.field {
				t.Errorf("got %s at %q, want %s at %q", p.Rule, p.Field, tc.rule, tc.field)
			}
			if !strings.Contains(p.Message, tc.msg) {
				t.Errorf("message: got %q, want it to contain %q", p.Message, tc.msg)
			}
		})
	}
}

func TestOrdinal(t *testing.T) {
	for n, want := range map[int]string{1: "1st", 2: "2nd", 3: "3rd", 4: "4th", 11: "11th", 12: "12th", 13: "13th",
		21: "21st", 101: "101st", 111: "111th", 1001: "1001st", 1002: "1002nd", 1013: "1013th"} {
		if got := ordinal(n); got != want {
			t.Errorf("ordinal(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestClip(t *testing.T) {
	for in, want := range map[string]string{
		strings.Repeat("a", 48): strings.Repeat("a", 48),
		strings.Repeat("a", 49): strings.Repeat("a", 45) + "...",
		strings.Repeat("가", 48): strings.Repeat("가", 48),
		strings.Repeat("가", 60): strings.Repeat("가", 45) + "...",
		"short":                 "short",
	} {
		if got := clip(in); got != want {
			t.Errorf("clip(%q) = %q, want %q", in, got, want)
		}
	}
}
