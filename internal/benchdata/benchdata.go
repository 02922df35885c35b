// Package benchdata makes the request bodies that ncpmock's benchmarks and
// load test send: realistic users (Korean and English names, profiles, tags),
// the same for every run of a seed.
package benchdata

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/brianvoe/gofakeit/v7"
	"github.com/ncpmock/ncpmock/openapi"
)

// Seed is the seed of the bodies the benchmarks and the load test use.
const Seed = 20240601

// Users returns n valid users whose login IDs carry prefix, so that bodies
// with different prefixes create different users.
func Users(seed uint64, n int, prefix string) []openapi.UserCreate {
	f := openapi.NewFaker(seed)
	users := make([]openapi.UserCreate, n)
	for i := range users {
		users[i] = user(f, i, prefix)
	}
	return users
}

// Valid returns the JSON body of a valid request for n users.
func Valid(seed uint64, n int, prefix string) []byte {
	return encode(openapi.BulkRequest{Params: Users(seed, n, prefix)})
}

// Invalid returns the body of a 100-user request with three problems, the
// kinds clients get wrong: a phone number in the wrong format
// (params[7].userProfile.phoneNo), a Korean first name over its 200-byte
// limit though under 200 characters (params[42].userProfile.firstName) and
// missing access rules (params[88].accessRules).
func Invalid(seed uint64) []byte {
	users := Users(seed, 100, "")
	users[7].UserProfile.PhoneNo = ptr("010-12-3456")
	users[42].UserProfile.FirstName = ptr(strings.Repeat("홍", 70))
	params := make([]json.RawMessage, len(users))
	for i, u := range users {
		params[i] = encode(u)
	}
	u := users[88]
	params[88] = encode(struct {
		LoginID     string               `json:"loginId"`
		Description *string              `json:"description,omitempty"`
		UserProfile *openapi.UserProfile `json:"userProfile,omitempty"`
	}{u.LoginID, u.Description, u.UserProfile})
	return encode(map[string]any{"params": params})
}

var (
	koreanGiven    = []string{"민준", "서연", "도윤", "지우", "하준", "서윤", "지호", "하은"}
	koreanFamily   = []string{"김", "이", "박", "최", "정", "강", "조", "윤"}
	companyDomains = []string{"example.co.kr", "corp.example.com", "ncp-test.io"}
	teams          = []string{"Platform", "Security", "Data", "Mobile", "영업1팀", "인프라운영팀"}
)

func user(f *gofakeit.Faker, i int, prefix string) openapi.UserCreate {
	first, last := f.FirstName(), f.LastName()
	domain := f.RandomString(companyDomains)
	login := fmt.Sprintf("%s%s.%s%03d@%s", prefix, strings.ToLower(first), strings.ToLower(last), i, domain)
	if len(login) > 60 {
		login = fmt.Sprintf("%suser%03d@%s", prefix, i, domain)
	}
	if f.IntN(3) == 0 { // a Korean user
		first, last = f.RandomString(koreanGiven), f.RandomString(koreanFamily)
	}
	u := openapi.UserCreate{
		LoginID:     login,
		Description: ptr(f.RandomString([]string{"Sales team lead", "Contractor, until 2026-03", "신규 입사자 (2025년 하반기)", "On-call SRE, Seoul office", "Finance reviewer"})),
		UserProfile: &openapi.UserProfile{
			FirstName:        ptr(first),
			LastName:         ptr(last),
			Email:            ptr(strings.ToLower(first) + "@" + domain),
			EmpNo:            ptr(fmt.Sprintf("E-%06d", f.IntN(1000000))),
			PhoneCountryCode: ptr("82"),
			PhoneNo:          ptr(fmt.Sprintf("010-%04d-%04d", f.IntN(10000), f.IntN(10000))),
			DeptName:         ptr(f.RandomString(teams)),
		},
		AccessRules: openapi.AccessRules{ConsoleAccessAllowed: f.Bool(), APIAccessAllowed: f.Bool()},
	}
	if !isASCII(first) {
		u.UserProfile.Email = ptr(fmt.Sprintf("emp%03d@%s", i, domain))
	}
	// Optional fields are often left out.
	if f.IntN(3) > 0 {
		u.Description = nil
	}
	if f.IntN(3) > 0 {
		u.UserProfile.Email = nil
	}
	if f.IntN(3) == 0 {
		u.UserProfile.PhoneCountryCode, u.UserProfile.EmpNo = nil, nil
	}
	if f.IntN(4) == 0 {
		u.Tags = map[string]string{"team": f.RandomString(teams), "costCenter": fmt.Sprintf("CC-%04d", f.IntN(10000))}
	}
	return u
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// encode marshals values made of strings, bools, maps and slices, which
// always encode.
func encode(v any) []byte {
	out, _ := json.Marshal(v)
	return out
}

func ptr[T any](v T) *T { return &v }
