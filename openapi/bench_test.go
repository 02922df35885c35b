package openapi_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/ncpmock/ncpmock/internal/benchdata"
	"github.com/ncpmock/ncpmock/openapi"
)

// benchBodies are the bodies of the validation benchmarks.
func benchBodies() []struct {
	name  string
	body  []byte
	valid bool
} {
	return []struct {
		name  string
		body  []byte
		valid bool
	}{
		{"valid-1", benchdata.Valid(benchdata.Seed, 1, ""), true},
		{"valid-100", benchdata.Valid(benchdata.Seed, 100, ""), true},
		{"invalid-100", benchdata.Invalid(benchdata.Seed), false},
	}
}

func benchValidators(b *testing.B) []struct {
	name string
	v    *openapi.Validator
} {
	spec, err := openapi.Embedded()
	if err != nil {
		b.Fatal(err)
	}
	compiled, err := openapi.NewValidator(spec, openapi.ValidatorConfig{})
	if err != nil {
		b.Fatal(err)
	}
	reference, err := openapi.NewValidator(spec, openapi.ValidatorConfig{Reference: true})
	if err != nil {
		b.Fatal(err)
	}
	return []struct {
		name string
		v    *openapi.Validator
	}{{"compiled", compiled}, {"reference", reference}}
}

// BenchmarkValidate compares the compiled validator with the kin-openapi
// reference on the same bodies.
func BenchmarkValidate(b *testing.B) {
	ctx := context.Background()
	for _, v := range benchValidators(b) {
		for _, body := range benchBodies() {
			b.Run(v.name+"/"+body.name, func(b *testing.B) {
				b.ReportAllocs()
				b.SetBytes(int64(len(body.body)))
				for b.Loop() {
					_, err := v.v.Validate(ctx, "application/json", body.body)
					if (err == nil) != body.valid {
						b.Fatalf("valid=%t: %v", body.valid, err)
					}
				}
			})
		}
	}
}

// BenchmarkDecode measures validating and decoding a whole BulkRequest: the
// compiled validator validates and decodes in one pass; the reference
// validates, then encoding/json decodes.
func BenchmarkDecode(b *testing.B) {
	ctx := context.Background()
	for _, v := range benchValidators(b) {
		for _, body := range benchBodies() {
			b.Run(v.name+"/"+body.name, func(b *testing.B) {
				b.ReportAllocs()
				b.SetBytes(int64(len(body.body)))
				var req openapi.BulkRequest
				for b.Loop() {
					_, err := v.v.Decode(ctx, "application/json", body.body, &req)
					if (err == nil) != body.valid {
						b.Fatalf("valid=%t: %v", body.valid, err)
					}
				}
			})
		}
	}
}

// BenchmarkDecodeUsers measures what the mock's handler does with a body:
// validate it and read each user's loginId and text.
func BenchmarkDecodeUsers(b *testing.B) {
	ctx := context.Background()
	for _, v := range benchValidators(b) {
		for _, body := range benchBodies() {
			b.Run(v.name+"/"+body.name, func(b *testing.B) {
				b.ReportAllocs()
				b.SetBytes(int64(len(body.body)))
				text := string(body.body)
				var req openapi.BulkUsers
				for b.Loop() {
					_, err := v.v.DecodeUsers(ctx, "application/json", text, &req)
					if (err == nil) != body.valid {
						b.Fatalf("valid=%t: %v", body.valid, err)
					}
				}
			})
		}
	}
}

// BenchmarkUnmarshal is a yardstick: encoding/json alone decoding the body
// into the request type, without any validation.
func BenchmarkUnmarshal(b *testing.B) {
	body := benchdata.Valid(benchdata.Seed, 100, "")
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		var req openapi.BulkRequest
		if err := json.Unmarshal(body, &req); err != nil {
			b.Fatal(err)
		}
	}
}
