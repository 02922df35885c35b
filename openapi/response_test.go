package openapi_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"github.com/ncpmock/ncpmock/openapi"
)

func TestValidateResponse(t *testing.T) {
	const id = "1a2b3c4d-1111-4abc-8def-0123456789ab"
	ok := `[{"id":"` + id + `","nrn":"nrn:PUB:SSO::1234567:User/` + id + `","name":"a@b.co","success":true,"message":""}]`
	json := http.Header{"Content-Type": {"application/json"}}
	tests := []struct {
		name   string
		status int
		header http.Header
		body   string
		want   []fieldRule
	}{
		{"created", 200, json, ok, nil},
		{"failed user", 200, json, `[{"name":"a@b.co","success":false,"message":"Duplicate login ID."}]`, nil},
		{"service error", 400, json, `{"errorCode":400,"message":"Invalid request"}`, nil},
		{"gateway error", 401, json, `{"error":{"errorCode":"200","message":"Authentication Failed"}}`, nil},
		{"success a string", 200, json, `[{"name":"a@b.co","success":"true"}]`, []fieldRule{{"[0].success", "type"}}},
		{"name missing", 200, json, `[{"success":true}]`, []fieldRule{{"[0].name", "required"}}},
		{"id not a UUID", 200, json, `[{"id":"42","name":"a","success":true}]`, []fieldRule{{"[0].id", "format"}}},
		{"nrn malformed", 200, json, `[{"nrn":"nrn:SSO:42","name":"a","success":true}]`, []fieldRule{{"[0].nrn", "pattern"}}},
		{"object instead of array", 200, json, `{"name":"a"}`, []fieldRule{{"", "type"}}},
		{"gateway shape on a 400", 400, json, `{"error":{"errorCode":"100","message":"x"}}`,
			[]fieldRule{{"errorCode", "required"}, {"message", "required"}}},
		{"errorCode a string", 400, json, `{"errorCode":"400","message":"Invalid request"}`, []fieldRule{{"errorCode", "type"}}},
		{"undeclared status", 418, json, `{}`, []fieldRule{{"", "status"}}},
		{"wrong content type", 200, http.Header{"Content-Type": {"text/html"}}, ok, []fieldRule{{"", "contentType"}}},
		{"no content type", 200, http.Header{}, ok, []fieldRule{{"", "contentType"}}},
		{"not JSON", 200, json, `[{`, []fieldRule{{"", "json"}}},
	}
	spec, err := openapi.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := spec.ValidateResponse(context.Background(), tc.status, tc.header, []byte(tc.body))
			assertProblems(t, err, tc.want)
		})
	}
	if !spec.ResponseDeclared(429) || spec.ResponseDeclared(418) {
		t.Error("ResponseDeclared: want 429 declared, 418 not")
	}
	if got := fmt.Sprint(spec.ResponseContentTypes(200)); got != "[application/json]" {
		t.Errorf("ResponseContentTypes(200) = %s", got)
	}
}
