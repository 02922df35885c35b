package openapi_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/ncpmock/ncpmock/openapi"
)

func BenchmarkValidate100Users(b *testing.B) {
	v := newValidator(b, openapi.ValidatorConfig{})
	data, _ := json.Marshal(usersN(100))
	ctx := context.Background()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := v.Validate(ctx, "application/json", data); err != nil {
			b.Fatal(err)
		}
	}
}
