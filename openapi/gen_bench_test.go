package openapi_test

import (
	"encoding/json"
	"testing"

	"github.com/ncpmock/ncpmock/openapi"
)

// BenchmarkGenerateUsers measures the generator making valid bodies of 100
// users, in users per second, English and Korean.
func BenchmarkGenerateUsers(b *testing.B) {
	for _, locale := range []string{openapi.LocaleEnglish, openapi.LocaleKorean} {
		b.Run(locale, func(b *testing.B) {
			g := newGen(b, embedded(b), openapi.GenConfig{Seed: 1, Locale: locale})
			b.ReportAllocs()
			bytes := 0
			for b.Loop() {
				cs, err := g.Valid(100)
				if err != nil {
					b.Fatal(err)
				}
				bytes += len(cs.Body)
			}
			b.ReportMetric(float64(100*b.N)/b.Elapsed().Seconds(), "users/s")
			b.SetBytes(int64(bytes / b.N))
		})
	}
}

// BenchmarkBaselineFakerJSON is the baseline of the generator's figure: the
// same faker filling the typed model with names, an email and a phone number
// (no spec, no constraints) and encoding/json marshalling 100 users.
func BenchmarkBaselineFakerJSON(b *testing.B) {
	f := openapi.NewFaker(1)
	b.ReportAllocs()
	for b.Loop() {
		req := openapi.BulkRequest{Params: make([]openapi.UserCreate, 100)}
		for i := range req.Params {
			first, last, email, phone, dept := f.FirstName(), f.LastName(), f.Email(), f.Phone(), f.JobLevel()
			req.Params[i] = openapi.UserCreate{LoginID: email,
				UserProfile: &openapi.UserProfile{FirstName: &first, LastName: &last, Email: &email,
					PhoneNo: &phone, DeptName: &dept},
				AccessRules: openapi.AccessRules{ConsoleAccessAllowed: f.Bool(), APIAccessAllowed: f.Bool()}}
		}
		if _, err := json.Marshal(req); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(100*b.N)/b.Elapsed().Seconds(), "users/s")
}
