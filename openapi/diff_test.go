package openapi

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// The compiled validator must answer exactly as the kin-openapi reference:
// same verdict, same problems (field, rule, message) in the same order, same
// warnings. These tests feed both the same bodies.

var writeFuzzSeeds = flag.Bool("write-fuzz-seeds", false, "rewrite testdata/fuzz/FuzzCompiledMatchesReference from the body generator")

func loadSpecFile(t testing.TB, name string) *Spec {
	t.Helper()
	spec, err := LoadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return spec
}

func mustEmbedded(t testing.TB) *Spec {
	t.Helper()
	spec, err := Embedded()
	if err != nil {
		t.Fatal(err)
	}
	return spec
}

// validatorPair returns the compiled validator of a spec and its reference.
func validatorPair(t testing.TB, spec *Spec, strict bool) (fast, ref *Validator) {
	t.Helper()
	fast, err := NewValidator(spec, ValidatorConfig{Strict: strict})
	if err != nil {
		t.Fatal(err)
	}
	if ok, why := fast.Compiled(); !ok {
		t.Fatalf("spec not compiled: %v", why)
	}
	ref, err = NewValidator(spec, ValidatorConfig{Strict: strict, Reference: true})
	if err != nil {
		t.Fatal(err)
	}
	return fast, ref
}

// outcome is what a validator says of one body.
type outcome struct {
	Warnings []Problem
	Problems []Problem
	Err      string // an error that is not a *ValidationError
}

func outcomeOf(warnings []Problem, err error) outcome {
	o := outcome{Warnings: warnings}
	var verr *ValidationError
	switch {
	case errors.As(err, &verr):
		o.Problems = verr.Problems
	case err != nil:
		o.Err = err.Error()
	}
	return o
}

func (o outcome) String() string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "  %d problems, %d warnings, err %q\n", len(o.Problems), len(o.Warnings), o.Err)
	for _, p := range o.Problems {
		fmt.Fprintf(&sb, "  problem %s\n", p)
	}
	for _, p := range o.Warnings {
		fmt.Fprintf(&sb, "  warning %s\n", p)
	}
	return sb.String()
}

// compareOn validates body with both and fails on any difference. It reports
// whether the compiled pass decided alone (without handing the body to the
// reference), so that callers can check the tests reach the compiled code.
func compareOn(t testing.TB, fast, ref *Validator, contentType string, body []byte) bool {
	t.Helper()
	ctx := context.Background()
	got := outcomeOf(fast.Validate(ctx, contentType, body))
	want := outcomeOf(ref.Validate(ctx, contentType, body))
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("body %q\ncompiled:\n%sreference:\n%s", truncate(body), got, want)
	}
	var dst BulkRequest
	decoded := outcomeOf(fast.Decode(ctx, contentType, body, &dst))
	if !reflect.DeepEqual(decoded, want) {
		t.Fatalf("body %q\nDecode:\n%sreference:\n%s", truncate(body), decoded, want)
	}
	_, _, done := fast.fast.validate(string(body), fast.strict, fast.depthLimit(), fast.undeclaredLimit(), nil)
	return done
}

func truncate(b []byte) string {
	if len(b) > 3000 {
		return string(b[:3000]) + "..."
	}
	return string(b)
}

func TestCompiledMatchesReferenceOnGeneratedBodies(t *testing.T) {
	n := 1500
	if testing.Short() {
		n = 200
	}
	rich := loadSpecFile(t, "rich.yaml")
	for _, tc := range []struct {
		name   string
		spec   *Spec
		strict bool
		gen    func(g *bodyGen) []byte
	}{
		{"embedded", mustEmbedded(t), false, (*bodyGen).body},
		{"embedded strict", mustEmbedded(t), true, (*bodyGen).body},
		{"rich", rich, false, richBody(rich)},
		{"rich strict", rich, true, richBody(rich)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fast, ref := validatorPair(t, tc.spec, tc.strict)
			g := newBodyGen(42)
			decided, valid := 0, 0
			for i := range n {
				body := tc.gen(g)
				if i%5 == 4 {
					body = g.byteMutation(body)
				}
				if compareOn(t, fast, ref, "application/json", body) {
					decided++
				}
				if _, err := ref.Validate(context.Background(), "application/json", body); err == nil {
					valid++
				}
			}
			t.Logf("%d bodies: %d decided by the compiled pass, %d valid", n, decided, valid)
			// Most bodies must exercise the compiled pass, and both verdicts
			// must occur, or the comparison proves little.
			if decided < n*6/10 || valid < n/20 || valid > n*9/10 {
				t.Errorf("got %d decided and %d valid of %d bodies; the generator no longer covers the validator", decided, valid, n)
			}
		})
	}
}

func richBody(spec *Spec) func(g *bodyGen) []byte {
	return func(g *bodyGen) []byte {
		var v any = g.fromSchema(spec.RequestSchema(), 0)
		if g.rng.IntN(3) == 0 {
			v = g.mutate(v, 0)
		}
		return []byte(g.write(v))
	}
}

// TestCompiledMatchesReferenceOnEdgeCases pins the JSON spellings most likely
// to split the two: each must get the same answer.
func TestCompiledMatchesReferenceOnEdgeCases(t *testing.T) {
	user := `{"loginId":"kim@example.com","accessRules":{"consoleAccessAllowed":true,"apiAccessAllowed":false}}`
	cases := map[string]string{
		"valid":                     `{"params":[` + user + `]}`,
		"duplicate key, last valid": `{"params":[{"loginId":"bad","loginId":"kim@example.com","accessRules":{"consoleAccessAllowed":true,"apiAccessAllowed":false}}]}`,
		"duplicate key, last bad":   `{"params":[{"loginId":"kim@example.com","loginId":"bad","accessRules":{"consoleAccessAllowed":true,"apiAccessAllowed":false}}]}`,
		"duplicate params":          `{"params":[{"x":1}],"params":[` + user + `]}`,
		"duplicate unknown":         `{"params":[` + user + `],"x":[1],"x":{"y":2}}`,
		"escaped key":               `{"par\u0061ms":[` + user + `]}`,
		"escaped value":             `{"params":[{"loginId":"kim\u0040example.com","accessRules":{"consoleAccessAllowed":true,"apiAccessAllowed":false}}]}`,
		"bytes after unescaping":    `{"params":[{"loginId":"kim@example.com","description":"` + strings.Repeat(`\uac00`, 101) + `","accessRules":{"consoleAccessAllowed":true,"apiAccessAllowed":false}}]}`,
		"invalid UTF-8 in a value":  "{\"params\":[{\"loginId\":\"kim@example.com\",\"description\":\"" + strings.Repeat("\xff", 101) + "\",\"accessRules\":{\"consoleAccessAllowed\":true,\"apiAccessAllowed\":false}}]}",
		"invalid UTF-8 in a key":    "{\"params\":[" + user + "],\"\xff\":1}",
		"lone surrogate":            `{"params":[{"loginId":"kim@example.com","description":"\ud800","accessRules":{"consoleAccessAllowed":true,"apiAccessAllowed":false}}]}`,
		"surrogate pair":            `{"params":[{"loginId":"kim@example.com","description":"\ud83d\ude00","accessRules":{"consoleAccessAllowed":true,"apiAccessAllowed":false}}]}`,
		"numbers":                   `{"params":[{"loginId":1.0,"description":1e2,"userProfile":-0,"accessRules":{"consoleAccessAllowed":1E-7,"apiAccessAllowed":12345678901234567890}}]}`,
		"number out of range":       `{"params":[` + user + `],"x":1e400}`,
		"nulls":                     `{"params":[{"loginId":null,"accessRules":null,"tags":null}]}`,
		"null root":                 `null`,
		"array root":                `[` + user + `]`,
		"string root":               `"params"`,
		"deep nesting":              `{"params":[` + user + `],"x":` + strings.Repeat("[", 600) + strings.Repeat("]", 600) + `}`,
		"too deep":                  `{"x":` + strings.Repeat("[", 10001) + strings.Repeat("]", 10001) + `}`,
		"trailing data":             `{"params":[` + user + `]} {}`,
		"trailing whitespace":       "{\"params\":[" + user + "]} \r\n\t",
		"byte order mark":           "\xef\xbb\xbf{\"params\":[" + user + "]}",
		"leading whitespace":        " \n{\"params\":[" + user + "]}",
		"unterminated":              `{"params":[` + user,
		"bad escape":                `{"params":"\x"}`,
		"control character":         "{\"params\":\"\x01\"}",
		"empty params":              `{"params":[]}`,
		"params object":             `{"params":{"0":` + user + `}}`,
		"type mismatch walks on":    `{"params":[{"loginId":{"a":{"b":1}},"accessRules":[{"c":2}]}]}`,
		"too many tags":             `{"params":[{"loginId":"kim@example.com","accessRules":{"consoleAccessAllowed":true,"apiAccessAllowed":false},"tags":{` + tags(21) + `}}]}`,
		"duplicate tags":            `{"params":[{"loginId":"kim@example.com","accessRules":{"consoleAccessAllowed":true,"apiAccessAllowed":false},"tags":{"a":"1","a":"2"}}]}`,
		"many unknown keys":         `{"params":[` + user + `],` + tags(40) + `}`,
		"typo":                      `{"params":[{"loginID":"kim@example.com","accessRules":{"consoleAccessAllowed":true,"apiAccessAllowed":false}}]}`,
		"quoted path":               `{"params":[` + user + `],"a b":1,"":2,"0":3}`,
	}
	rich := loadSpecFile(t, "rich.yaml")
	for _, spec := range []*Spec{mustEmbedded(t), rich} {
		for _, strict := range []bool{false, true} {
			fast, ref := validatorPair(t, spec, strict)
			for name, body := range cases {
				t.Run(fmt.Sprintf("%s strict=%t", name, strict), func(t *testing.T) {
					compareOn(t, fast, ref, "application/json", []byte(body))
					compareOn(t, fast, ref, "application/json; charset=utf-8", []byte(body))
				})
			}
		}
	}
}

func tags(n int) string {
	parts := make([]string, n)
	for i := range parts {
		parts[i] = fmt.Sprintf(`"k%d":"v"`, i)
	}
	return strings.Join(parts, ",")
}

// FuzzCompiledMatchesReference feeds any body to both validators of the
// embedded spec and of testdata/rich.yaml. Its seed corpus is in
// testdata/fuzz (rewrite it with -write-fuzz-seeds).
func FuzzCompiledMatchesReference(f *testing.F) {
	embedded, rich := mustEmbedded(f), loadSpecFile(f, "rich.yaml")
	pairs := make([][2]*Validator, 0, 4)
	for _, spec := range []*Spec{embedded, rich} {
		for _, strict := range []bool{false, true} {
			fast, ref := validatorPair(f, spec, strict)
			pairs = append(pairs, [2]*Validator{fast, ref})
		}
	}
	f.Add([]byte(`{"params":[{"loginId":"kim@example.com","accessRules":{"consoleAccessAllowed":true,"apiAccessAllowed":false}}]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, p := range pairs {
			compareOn(t, p[0], p[1], "application/json", body)
		}
	})
}

// TestWriteFuzzSeeds writes the fuzz seed corpus when asked to.
func TestWriteFuzzSeeds(t *testing.T) {
	if !*writeFuzzSeeds {
		t.Skip("run with -write-fuzz-seeds to rewrite the seed corpus")
	}
	dir := filepath.Join("testdata", "fuzz", "FuzzCompiledMatchesReference")
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	g := newBodyGen(7)
	rich := richBody(loadSpecFile(t, "rich.yaml"))
	for i := range 60 {
		var body []byte
		switch {
		case i < 30:
			body = g.body()
		case i < 50:
			body = rich(g)
		default:
			body = g.byteMutation(g.body())
		}
		if len(body) > 4000 {
			continue
		}
		content := fmt.Sprintf("go test fuzz v1\n[]byte(%q)\n", body)
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("seed-%02d", i)), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
