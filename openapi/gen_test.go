package openapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/ncpmock/ncpmock/openapi"
)

func embedded(t testing.TB) *openapi.Spec {
	t.Helper()
	spec, err := openapi.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	return spec
}

func loadFixture(t testing.TB, name string) *openapi.Spec {
	t.Helper()
	spec, err := openapi.LoadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return spec
}

// editedSpec returns the embedded spec with each old string replaced by new,
// failing when old is not in the YAML exactly once.
func editedSpec(t testing.TB, edits ...[2]string) *openapi.Spec {
	t.Helper()
	yaml := string(openapi.EmbeddedYAML())
	for _, e := range edits {
		if n := strings.Count(yaml, e[0]); n != 1 {
			t.Fatalf("edit %q: found %d times, want 1", e[0], n)
		}
		yaml = strings.Replace(yaml, e[0], e[1], 1)
	}
	spec, err := openapi.Load([]byte(yaml))
	if err != nil {
		t.Fatal(err)
	}
	return spec
}

func newGen(t testing.TB, spec *openapi.Spec, cfg openapi.GenConfig) *openapi.Generator {
	t.Helper()
	g, err := openapi.NewGenerator(spec, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func specValidator(t testing.TB, spec *openapi.Spec, strict bool) *openapi.Validator {
	t.Helper()
	v, err := openapi.NewValidator(spec, openapi.ValidatorConfig{Strict: strict})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// checkAccepted fails unless the validator accepts the body without a warning.
func checkAccepted(t testing.TB, v *openapi.Validator, cs *openapi.Case) {
	t.Helper()
	warnings, err := v.Validate(context.Background(), "application/json", cs.Body)
	if err != nil || len(warnings) > 0 {
		t.Errorf("%s %s: got warnings %v, error %v; want neither\nbody: %s", cs.Mode, cs.Name, warnings, err, cs.Body)
	}
}

// checkRejected fails unless the validator reports exactly the case's Want.
func checkRejected(t testing.TB, g *openapi.Generator, v *openapi.Validator, cs *openapi.Case) {
	t.Helper()
	_, err := v.Validate(context.Background(), "application/json", cs.Body)
	var ve *openapi.ValidationError
	if !errors.As(err, &ve) {
		t.Errorf("%s: got error %v, want %s %s\nbody: %s", cs.Name, err, cs.Want.Field, cs.Want.Rule, clipBody(cs.Body))
		return
	}
	want := []openapi.Problem{{Field: cs.Want.Field, Rule: cs.Want.Rule}}
	if with := ruleWith(g, cs.Name); with != "" {
		// A rule broken with its sibling length rule (Rule.With).
		want = append(want, openapi.Problem{Field: cs.Want.Field, Rule: with})
	}
	got := make([]openapi.Problem, len(ve.Problems))
	for i, p := range ve.Problems {
		got[i] = openapi.Problem{Field: p.Field, Rule: p.Rule}
	}
	slices.SortFunc(got, func(a, b openapi.Problem) int { return strings.Compare(a.Rule, b.Rule) })
	slices.SortFunc(want, func(a, b openapi.Problem) int { return strings.Compare(a.Rule, b.Rule) })
	if !slices.Equal(got, want) {
		t.Errorf("%s: got problems %v, want exactly %v\nbody: %s", cs.Name, ve.Problems, want, clipBody(cs.Body))
	}
}

// ruleWith returns the Rule.With of the named rule.
func ruleWith(g *openapi.Generator, name string) string {
	for _, r := range g.Rules() {
		if r.Name == name {
			return r.With
		}
	}
	return ""
}

func clipBody(b []byte) string {
	if len(b) > 600 {
		return string(b[:600]) + "..."
	}
	return string(b)
}

// checkAgreement makes bodies of every mode for each seed and checks that the
// validator agrees with the generator about each.
func checkAgreement(t *testing.T, spec *openapi.Spec, seeds int, strict bool) {
	t.Helper()
	v := specValidator(t, spec, strict)
	for seed := range uint64(seeds) {
		for _, locale := range []string{openapi.LocaleEnglish, openapi.LocaleKorean} {
			g := newGen(t, spec, openapi.GenConfig{Seed: seed, Locale: locale, Strict: strict})
			lo, hi := g.UserRange()
			users := lo + int(seed)%min(5, hi-lo+1)
			checkSeed(t, g, v, users)
			if t.Failed() {
				t.Fatalf("seed %d, locale %s, %d users: generator and validator disagree", seed, locale, users)
			}
		}
	}
}

func checkSeed(t *testing.T, g *openapi.Generator, v *openapi.Validator, users int) {
	t.Helper()
	valid, err := g.Valid(users)
	if err != nil {
		t.Fatal(err)
	}
	checkAccepted(t, v, valid)
	boundary, err := g.BoundaryCases(users)
	if err != nil {
		t.Fatal(err)
	}
	for _, cs := range append(boundary, valid) {
		checkAccepted(t, v, cs)
		checkUnique(t, cs)
	}
	invalid, err := g.InvalidCases(users)
	if err != nil {
		t.Fatal(err)
	}
	for _, cs := range invalid {
		checkRejected(t, g, v, cs)
	}
}

func checkUnique(t testing.TB, cs *openapi.Case) {
	t.Helper()
	seen := make(map[string]bool)
	for _, id := range cs.LoginIDs {
		// The mock compares login IDs without case by default.
		if key := strings.ToLower(id); seen[key] {
			t.Errorf("%s %s: login ID %q twice (case aside)", cs.Mode, cs.Name, id)
		}
		seen[strings.ToLower(id)] = true
	}
	if len(cs.LoginIDs) != cs.Users {
		t.Errorf("%s %s: got %d login IDs for %d users", cs.Mode, cs.Name, len(cs.LoginIDs), cs.Users)
	}
}

// TestGeneratorAgreesWithValidator is the property test: over many seeds,
// both locales and several specs, every valid and boundary body passes the
// validator and every invalid body fails it with exactly its targeted problem.
func TestGeneratorAgreesWithValidator(t *testing.T) {
	seeds := 60
	switch {
	case testing.Short():
		seeds = 4
	case raceEnabled:
		seeds = 12
	}
	specs := []struct {
		name   string
		spec   *openapi.Spec
		strict bool
	}{
		{"embedded", embedded(t), false},
		{"embedded strict", embedded(t), true},
		{"fixture", loadFixture(t, "gen-fixture.yaml"), false},
		{"edited limits", editedSpec(t,
			[2]string{"maxLength: 60", "maxLength: 24"},
			[2]string{"maxItems: 100\n          items:\n            $ref: '#/components/schemas/UserCreate'",
				"maxItems: 7\n          items:\n            $ref: '#/components/schemas/UserCreate'"},
			[2]string{"maxLength: 200\n          x-max-bytes: 200\n          description: Department",
				"maxLength: 9\n          x-max-bytes: 12\n          description: Department"}), false},
	}
	for _, tc := range specs {
		t.Run(tc.name, func(t *testing.T) {
			checkAgreement(t, tc.spec, seeds, tc.strict)
		})
	}
}

// TestInvalidCoversEveryIsolatableRule checks that InvalidCases makes one
// case for every isolatable rule and every rule broken with its sibling
// length rule (Rule.With), and none for the others.
func TestInvalidCoversEveryIsolatableRule(t *testing.T) {
	g := newGen(t, embedded(t), openapi.GenConfig{Seed: 3})
	cases, err := g.InvalidCases(2)
	if err != nil {
		t.Fatal(err)
	}
	byName := make(map[string]*openapi.Case)
	for _, cs := range cases {
		byName[cs.Name] = cs
	}
	covered := 0
	for _, r := range g.Rules() {
		_, made := byName[r.Name]
		want := r.Isolatable || r.With != ""
		switch {
		case want && !made:
			t.Errorf("rule %s is isolatable (or has With %q) but has no case", r.Name, r.With)
		case !want && made:
			t.Errorf("rule %s is not isolatable (%s) but has a case", r.Name, r.Reason)
		case !r.Isolatable && r.Reason == "":
			t.Errorf("rule %s is not isolatable and says no reason", r.Name)
		}
		if want {
			covered++
		}
	}
	if covered != len(cases) {
		t.Errorf("got %d cases, want %d (one per isolatable rule or rule with With)", len(cases), covered)
	}
}

// TestRulesReadFromSpec checks which rules are isolatable, and why not, on
// the embedded spec: the interplay of pattern, maxLength and x-max-bytes.
func TestRulesReadFromSpec(t *testing.T) {
	g := newGen(t, embedded(t), openapi.GenConfig{})
	rules := make(map[string]openapi.Rule)
	for _, r := range g.Rules() {
		rules[r.Name] = r
	}
	tests := []struct {
		name       string
		isolatable bool
		reason     string // a part of the reason
		with       string // Rule.With
	}{
		{"params/maxItems", true, "", ""},
		{"params[].loginId/maxLength", true, "", ""},
		{"params[].loginId/format", true, "", ""},
		{"params[].loginId/minLength", false, "no value shorter than 6 characters", ""},
		{"params[].description/maxBytes", true, "", ""},
		{"params[].description/maxLength", false, "301 characters take at least 301 bytes", "maxBytes"},
		{"params[].userProfile.phoneNo/pattern", true, "", ""},
		{"params[].userProfile.phoneNo/maxLength", false, "admits no value of 14 characters", ""},
		{"params[].userProfile.phoneNo/maxBytes", false, "admits no value of 201 bytes", ""},
		{"params[].userProfile.phoneCountryCode/maxLength", false, "11 characters take at least 11 bytes", ""},
		{"params[].userProfile.phoneCountryCode/maxBytes", false, "admits no value of 11 bytes", ""},
		{"params[].userProfile.email/maxLength", false, "201 characters take at least 201 bytes", "maxBytes"},
		{"params[].userProfile.email/maxBytes", false, "only single-byte characters", "maxLength"},
		{"params[].tags/maxProperties", true, "", ""},
		{"params[].accessRules.apiAccessAllowed/type", true, "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, ok := rules[tc.name]
			if !ok {
				t.Fatalf("no rule %s", tc.name)
			}
			if r.Isolatable != tc.isolatable || !strings.Contains(r.Reason, tc.reason) || r.With != tc.with {
				t.Errorf("got isolatable %v, reason %q, with %q; want %v, %q, %q", r.Isolatable, r.Reason, r.With, tc.isolatable, tc.reason, tc.with)
			}
		})
	}
	if _, err := g.Invalid("params[].userProfile.phoneNo/maxLength", 1); !errors.Is(err, openapi.ErrNotIsolatable) {
		t.Errorf("Invalid(not isolatable): got %v, want ErrNotIsolatable", err)
	}
	cs, err := g.Invalid("params[].userProfile.email/maxLength", 1)
	if err != nil {
		t.Fatalf("Invalid(email/maxLength): got %v, want a body over both length limits", err)
	}
	var body struct {
		Params []struct {
			UserProfile struct{ Email string } `json:"userProfile"`
		} `json:"params"`
	}
	if err := json.Unmarshal(cs.Body, &body); err != nil || len(body.Params) != 1 {
		t.Fatalf("body %s: %v", clipBody(cs.Body), err)
	}
	if email := body.Params[0].UserProfile.Email; runeLen(email) != 201 || len(email) != 201 {
		t.Errorf("got email %q (%d characters, %d bytes), want 201 of each", email, runeLen(email), len(email))
	}
	if _, err := g.Invalid("params[].nope/pattern", 1); !errors.Is(err, openapi.ErrUnknownRule) {
		t.Errorf("Invalid(unknown): got %v, want ErrUnknownRule", err)
	}
}

// TestShortLoginIDsStayRealistic lowers loginId's maxLength below the
// usual first.last<n>@example.com: valid login IDs still read as the
// user's name at a reserved domain, numbered, rather than random matches
// of the email format such as "+@8n.CL".
func TestShortLoginIDsStayRealistic(t *testing.T) {
	spec := editedSpec(t, [2]string{"maxLength: 60", "maxLength: 20"},
		[2]string{"- loginId: gildong.hong@example.com", "- loginId: g.hong@example.com"},
		[2]string{"example: gildong.hong@example.com\n        description:", "example: g.hong@example.com\n        description:"})
	v := specValidator(t, spec, false)
	realistic := regexp.MustCompile(`^[a-z]+(\.[a-z]+)?[0-9]+@example\.(com|org|net)$`)
	for _, locale := range []string{openapi.LocaleEnglish, openapi.LocaleKorean} {
		g := newGen(t, spec, openapi.GenConfig{Seed: 5, Locale: locale})
		for range 3 {
			cs, err := g.Valid(100)
			if err != nil {
				t.Fatal(err)
			}
			checkAccepted(t, v, cs)
			checkUnique(t, cs)
			for _, id := range cs.LoginIDs {
				if !realistic.MatchString(id) {
					t.Errorf("%s: got login ID %q, want a name, a number and a reserved domain", locale, id)
				}
			}
		}
	}
}

// TestMaxBytesWithFewCharacters checks a byte limit that the locale's own
// letters cannot break within the character limit (10 Hangul syllables are
// only 30 bytes): 4-byte characters can, so the rule is isolatable, and
// beyond 4 bytes a character it is not, saying so.
func TestMaxBytesWithFewCharacters(t *testing.T) {
	const dept = "maxLength: 200\n          x-max-bytes: 200\n          description: Department"
	tests := []struct {
		name       string
		maxBytes   int
		isolatable bool
	}{
		{"31 bytes in 10 characters", 30, true},
		{"41 bytes in 10 characters", 40, false},
	}
	for _, tc := range tests {
		limits := fmt.Sprintf("maxLength: 10\n          x-max-bytes: %d\n          description: Department", tc.maxBytes)
		spec := editedSpec(t, [2]string{dept, limits})
		v := specValidator(t, spec, false)
		for _, locale := range []string{openapi.LocaleEnglish, openapi.LocaleKorean} {
			t.Run(tc.name+" "+locale, func(t *testing.T) {
				g := newGen(t, spec, openapi.GenConfig{Seed: 3, Locale: locale})
				const name = "params[].userProfile.deptName/maxBytes"
				i := slices.IndexFunc(g.Rules(), func(r openapi.Rule) bool { return r.Name == name })
				if i < 0 {
					t.Fatalf("no rule %s", name)
				}
				r := g.Rules()[i]
				if r.Isolatable != tc.isolatable {
					t.Fatalf("got isolatable %v (reason %q), want %v", r.Isolatable, r.Reason, tc.isolatable)
				}
				edge := boundary(t, g, openapi.BoundaryMaxBytes)
				checkAccepted(t, v, edge)
				if dept := field(t, g, edge, "deptName"); len(dept) != tc.maxBytes {
					t.Errorf("boundary maxBytes: got deptName %q of %d bytes, want %d", dept, len(dept), tc.maxBytes)
				}
				if !tc.isolatable {
					if want := "4 bytes a character"; !strings.Contains(r.Reason, want) {
						t.Errorf("got reason %q, want one saying %q", r.Reason, want)
					}
					return
				}
				cs, err := g.Invalid(r.Name, 2)
				if err != nil {
					t.Fatal(err)
				}
				checkRejected(t, g, v, cs)
			})
		}
	}
}

// TestGenerationFollowsEditedSpec lowers limits in a copy of the YAML and
// checks that the bodies follow, with no code change.
func TestGenerationFollowsEditedSpec(t *testing.T) {
	spec := editedSpec(t,
		[2]string{"maxLength: 60", "maxLength: 24"},
		[2]string{"maxItems: 100\n          items:\n            $ref: '#/components/schemas/UserCreate'",
			"maxItems: 7\n          items:\n            $ref: '#/components/schemas/UserCreate'"},
		[2]string{"maxProperties: 20", "maxProperties: 4"},
		[2]string{"maxLength: 200\n          x-max-bytes: 200\n          description: Department",
			"maxLength: 9\n          x-max-bytes: 12\n          description: Department"},
		[2]string{`pattern: '^(?:\d{3}-\d{3,4}-\d{4}|\d{9,11})?$'`, `pattern: '^0\d{2}\.\d{4}\.\d{4}$'`},
		[2]string{"phoneNo: 010-1100-0000", "phoneNo: 010.1100.0000"},
		[2]string{"example: 010-1100-0000", "example: 010.1100.0000"})
	for _, locale := range []string{openapi.LocaleEnglish, openapi.LocaleKorean} {
		g := newGen(t, spec, openapi.GenConfig{Seed: 11, Locale: locale})
		if _, err := g.Valid(8); !errors.Is(err, openapi.ErrUserCount) {
			t.Errorf("Valid(8) with maxItems 7: got %v, want ErrUserCount", err)
		}
		maxBytes := boundary(t, g, openapi.BoundaryMaxBytes)
		if got := field(t, g, maxBytes, "deptName"); len(got) != 12 {
			t.Errorf("%s: maxBytes deptName %q is %d bytes, want 12", locale, got, len(got))
		}
		if got := field(t, g, boundary(t, g, openapi.BoundaryMaxLength), "loginId"); len(got) != 24 {
			t.Errorf("%s: maxLength loginId %q is %d characters, want 24", locale, got, len(got))
		}
		if got := field(t, g, maxBytes, "phoneNo"); !regexpMatch(`^0\d{2}\.\d{4}\.\d{4}$`, got) {
			t.Errorf("%s: phoneNo %q does not follow the edited pattern", locale, got)
		}
		if cs := boundary(t, g, openapi.BoundaryMaxItems); cs.Users != 7 {
			t.Errorf("%s: maxItems body has %d users, want 7", locale, cs.Users)
		}
		if got := strings.Count(field(t, g, boundary(t, g, openapi.BoundaryMaxProperties), "tags"), "="); got != 4 {
			t.Errorf("%s: maxProperties tags have %d entries, want 4", locale, got)
		}
		for range 20 {
			cs, err := g.Valid(3)
			if err != nil {
				t.Fatal(err)
			}
			for _, rec := range records(t, g, cs) {
				if dept := rec[column(t, g, "deptName")]; len(dept) > 12 || runeLen(dept) > 9 {
					t.Errorf("%s: valid deptName %q breaks the edited limits", locale, dept)
				}
			}
		}
	}
}

// TestKoreanBytes shows the byte limits biting Korean text as the spec
// says: 66 syllables (198 bytes) pass a 200-byte field, 67 (201) fail.
func TestKoreanBytes(t *testing.T) {
	spec := embedded(t)
	v := specValidator(t, spec, false)
	g := newGen(t, spec, openapi.GenConfig{Seed: 5, Locale: openapi.LocaleKorean})
	cs, err := g.Invalid("params[].userProfile.firstName/maxBytes", 1)
	if err != nil {
		t.Fatal(err)
	}
	name := field(t, g, cs, "firstName")
	if runeLen(name) != 67 || len(name) != 201 || !allHangul(name) {
		t.Fatalf("got firstName %q (%d characters, %d bytes), want 67 Hangul syllables", name, runeLen(name), len(name))
	}
	checkRejected(t, g, v, cs)
	shorter := string([]rune(name)[:66])
	body := bytes.Replace(cs.Body, []byte(name), []byte(shorter), 1)
	if _, err := v.Validate(context.Background(), "application/json", body); err != nil {
		t.Errorf("66 syllables (%d bytes): got %v, want accepted", len(shorter), err)
	}
	desc := field(t, g, boundary(t, g, openapi.BoundaryMaxBytes), "description")
	if len(desc) != 300 || hangulCount(desc) < 80 {
		t.Errorf("maxBytes description %q: %d bytes, %d syllables; want 300 bytes of mostly Hangul", desc, len(desc), hangulCount(desc))
	}
}

func TestSeedReproduces(t *testing.T) {
	spec := embedded(t)
	run := func(seed uint64, locale string) string {
		g := newGen(t, spec, openapi.GenConfig{Seed: seed, Locale: locale})
		var out bytes.Buffer
		for range 3 {
			cs, err := g.Valid(4)
			if err != nil {
				t.Fatal(err)
			}
			out.Write(cs.Body)
		}
		cases, err := g.InvalidCases(2)
		if err != nil {
			t.Fatal(err)
		}
		for _, cs := range cases {
			out.Write(cs.Body)
		}
		return out.String()
	}
	for _, locale := range []string{openapi.LocaleEnglish, openapi.LocaleKorean} {
		if run(42, locale) != run(42, locale) {
			t.Errorf("%s: seed 42 gave two different sequences", locale)
		}
		if run(42, locale) == run(43, locale) {
			t.Errorf("%s: seeds 42 and 43 gave the same sequence", locale)
		}
	}
}

func TestLoginIDPrefix(t *testing.T) {
	spec := embedded(t)
	v := specValidator(t, spec, false)
	g := newGen(t, spec, openapi.GenConfig{Seed: 9, LoginIDPrefix: "ncpmock-r7-", LoginIDDomain: "test.example.com"})
	var all []*openapi.Case
	for range 2 {
		cs, err := g.Valid(3)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, cs)
	}
	boundary, err := g.BoundaryCases(2)
	if err != nil {
		t.Fatal(err)
	}
	all = append(all, boundary...)
	n := 0
	for _, cs := range all {
		checkAccepted(t, v, cs)
		for _, id := range cs.LoginIDs {
			if !strings.HasPrefix(id, "ncpmock-r7-") || !strings.HasSuffix(id, "@test.example.com") {
				t.Errorf("%s %s: login ID %q lacks the prefix or domain", cs.Mode, cs.Name, id)
			}
		}
		n += len(cs.LoginIDs)
	}
	if first := all[0].LoginIDs[0]; first != "ncpmock-r7-1@test.example.com" {
		t.Errorf("first login ID: got %q, want %q", first, "ncpmock-r7-1@test.example.com")
	}
	if got := len(field(t, g, boundary[0], "loginId")); boundary[0].Name == openapi.BoundaryMaxLength && got != 60 {
		t.Errorf("maxLength login ID is %d characters, want 60", got)
	}
	_, err = openapi.NewGenerator(spec, openapi.GenConfig{LoginIDPrefix: "bad prefix "})
	if err == nil || !strings.Contains(err.Error(), "format") {
		t.Errorf("prefix with spaces: got %v, want an error naming format", err)
	}
	// A prefix that fits for user 9 but not for user 10 (61 characters):
	// an error then, never a random address in the prefixed form's place.
	long := newGen(t, spec, openapi.GenConfig{Seed: 1, LoginIDPrefix: "ci-0123456789abcdef0123456789abcdef01234567-", LoginIDDomain: "qa.example.com"})
	if cs, err := long.Valid(9); err != nil || cs.LoginIDs[8] != "ci-0123456789abcdef0123456789abcdef01234567-9@qa.example.com" {
		t.Fatalf("users 1-9: got %v, %v", cs, err)
	}
	if cs, err := long.Valid(1); err == nil || !strings.Contains(err.Error(), "maxLength") || !strings.Contains(err.Error(), "shorten the prefix") {
		t.Errorf("user 10: got %v (login IDs %q); want an error naming maxLength", err, loginIDsOf(cs))
	}
}

// TestLoginIDsUniqueWithoutCase fills whole batches, where short random login
// IDs (the minLength boundary) are likeliest to meet: seed 123 once gave
// "7@b.uj" and "7@b.Uj" in one body, which the mock answers with a duplicate.
func TestLoginIDsUniqueWithoutCase(t *testing.T) {
	spec := embedded(t)
	seeds := uint64(120)
	if testing.Short() {
		seeds = 20
	}
	for seed := range seeds {
		g := newGen(t, spec, openapi.GenConfig{Seed: seed + 100})
		_, hi := g.UserRange()
		cs, err := g.Boundary(openapi.BoundaryMinLength, hi)
		if err != nil {
			t.Fatal(err)
		}
		checkUnique(t, cs)
		if t.Failed() {
			t.Fatalf("seed %d", seed+100)
		}
	}
}

func TestDuplicateLoginIDs(t *testing.T) {
	spec := embedded(t)
	g := newGen(t, spec, openapi.GenConfig{Seed: 1})
	cs, err := g.DuplicateLoginIDs(3)
	if err != nil {
		t.Fatal(err)
	}
	checkAccepted(t, specValidator(t, spec, false), cs)
	if len(cs.LoginIDs) != 3 || cs.LoginIDs[0] != cs.LoginIDs[2] || cs.LoginIDs[0] == cs.LoginIDs[1] {
		t.Errorf("got login IDs %v, want the first repeated last only", cs.LoginIDs)
	}
	if _, err := g.DuplicateLoginIDs(1); !errors.Is(err, openapi.ErrUserCount) {
		t.Errorf("DuplicateLoginIDs(1): got %v, want ErrUserCount", err)
	}
}

func TestNewGeneratorErrors(t *testing.T) {
	spec := embedded(t)
	unsupported := editedSpec(t, [2]string{"        loginId:\n          type: string\n          format: email",
		"        loginId:\n          type: string\n          format: phone"})
	// Keywords the generator cannot honour are refused, not ignored: a
	// valid body with two equal items or 7 for multipleOf 5 would be
	// rejected by the validator.
	unique := editedSpec(t, [2]string{"maxItems: 100\n          items:\n            $ref: '#/components/schemas/UserCreate'",
		"maxItems: 100\n          uniqueItems: true\n          items:\n            $ref: '#/components/schemas/UserCreate'"})
	multiple := editedSpec(t, [2]string{"        apiAccessAllowed:\n          type: boolean\n",
		"        apiAccessAllowed:\n          type: boolean\n        level:\n          type: integer\n          multipleOf: 5\n"})
	noInteger := editedSpec(t, [2]string{"        apiAccessAllowed:\n          type: boolean\n",
		"        apiAccessAllowed:\n          type: boolean\n        level:\n          type: integer\n          minimum: 0.25\n          maximum: 0.75\n"})
	tests := []struct {
		name string
		spec *openapi.Spec
		cfg  openapi.GenConfig
		want string
		is   error
	}{
		{"nil spec", nil, openapi.GenConfig{}, "spec not loaded", openapi.ErrSpecNotLoaded},
		{"locale", spec, openapi.GenConfig{Locale: "fr"}, `locale "fr"`, nil},
		{"domain", spec, openapi.GenConfig{LoginIDDomain: "localhost"}, "format", nil},
		{"format", unsupported, openapi.GenConfig{}, `params[].loginId: schema not supported by the generator: format "phone"`, openapi.ErrUnsupportedSchema},
		{"uniqueItems", unique, openapi.GenConfig{}, `params: schema not supported by the generator: uniqueItems`, openapi.ErrUnsupportedSchema},
		{"multipleOf", multiple, openapi.GenConfig{}, `params[].accessRules.level: schema not supported by the generator: multipleOf 5`, openapi.ErrUnsupportedSchema},
		{"no integer", noInteger, openapi.GenConfig{}, `params[].accessRules.level: schema not supported by the generator: no integer lies between minimum 0.25 and maximum 0.75`, openapi.ErrUnsupportedSchema},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := openapi.NewGenerator(tc.spec, tc.cfg)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want an error containing %q", err, tc.want)
			}
			if tc.is != nil && !errors.Is(err, tc.is) {
				t.Errorf("got %v, want errors.Is %v", err, tc.is)
			}
		})
	}
}

func TestCSV(t *testing.T) {
	g := newGen(t, embedded(t), openapi.GenConfig{Seed: 2})
	want := "loginId,description,firstName,lastName,email,empNo,phoneCountryCode,phoneNo,deptName,consoleAccessAllowed,apiAccessAllowed,tags"
	if got := strings.Join(g.CSVHeader(), ","); got != want {
		t.Errorf("header: got %q, want %q", got, want)
	}
	cs, err := g.Invalid("params[].userProfile.phoneNo/pattern", 3)
	if err != nil {
		t.Fatal(err)
	}
	recs := records(t, g, cs)
	if len(recs) != 3 {
		t.Fatalf("got %d records, want 3", len(recs))
	}
	idx := strings.TrimSuffix(strings.TrimPrefix(cs.Want.Field, "params["), "].userProfile.phoneNo")
	var row int
	fmt.Sscan(idx, &row)
	if phone := recs[row][column(t, g, "phoneNo")]; regexpMatch(`^(?:\d{3}-\d{3,4}-\d{4}|\d{9,11})?$`, phone) {
		t.Errorf("row %d phoneNo %q matches the pattern it should break", row, phone)
	}
	typed, err := g.Invalid("params[].accessRules.apiAccessAllowed/type", 1)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := g.CSVRecords(typed); !errors.Is(err, openapi.ErrNotTabular) {
		t.Errorf("CSVRecords(type case): got %v, want ErrNotTabular", err)
	}
}

// TestCSVCarriesLengthPairs: a rule broken with its sibling length rule
// (Rule.With) is a string in a column, which a CSV cell carries like any
// other: the 201-character email over maxLength and x-max-bytes 200.
func TestCSVCarriesLengthPairs(t *testing.T) {
	g := newGen(t, embedded(t), openapi.GenConfig{Seed: 2})
	for _, r := range g.Rules() {
		if r.With != "" && !r.Tabular {
			t.Errorf("rule %s (with %s) is not Tabular, but its value is a string in a column", r.Name, r.With)
		}
	}
	cs, err := g.Invalid("params[].userProfile.email/maxLength", 1)
	if err != nil {
		t.Fatal(err)
	}
	if email := field(t, g, cs, "email"); runeLen(email) != 201 || len(email) != 201 {
		t.Errorf("email cell %q (%d characters, %d bytes), want 201 of each", email, runeLen(email), len(email))
	}
}

// helpers reading generated bodies back.

func boundary(t testing.TB, g *openapi.Generator, name string) *openapi.Case {
	t.Helper()
	cs, err := g.Boundary(name, 1)
	if err != nil {
		t.Fatal(err)
	}
	return cs
}

func records(t testing.TB, g *openapi.Generator, cs *openapi.Case) [][]string {
	t.Helper()
	recs, err := g.CSVRecords(cs)
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

func column(t testing.TB, g *openapi.Generator, name string) int {
	t.Helper()
	for i, h := range g.CSVHeader() {
		if h == name {
			return i
		}
	}
	t.Fatalf("no column %q", name)
	return -1
}

// field returns the named column of the case's first user.
func field(t testing.TB, g *openapi.Generator, cs *openapi.Case, name string) string {
	t.Helper()
	return records(t, g, cs)[0][column(t, g, name)]
}

func runeLen(s string) int { return len([]rune(s)) }

func allHangul(s string) bool { return hangulCount(s) == runeLen(s) }

func hangulCount(s string) int {
	n := 0
	for _, r := range s {
		if 0xac00 <= r && r <= 0xd7a3 {
			n++
		}
	}
	return n
}

func regexpMatch(pattern, s string) bool {
	ok, err := regexp.MatchString(pattern, s)
	return err == nil && ok
}

func loginIDsOf(cs *openapi.Case) []string {
	if cs == nil {
		return nil
	}
	return cs.LoginIDs
}

// TestValidUsersKeepPairsWhole: optional properties are left out at random,
// but never half of a pair real data keeps together (before, 8% of users had
// a country code without a phone number, and 7% a last name alone).
func TestValidUsersKeepPairsWhole(t *testing.T) {
	spec := embedded(t)
	for _, locale := range []string{openapi.LocaleEnglish, openapi.LocaleKorean} {
		g := newGen(t, spec, openapi.GenConfig{Seed: 1, Locale: locale})
		halves, phones := 0, 0
		for range 10 {
			cs, err := g.Valid(100)
			if err != nil {
				t.Fatal(err)
			}
			var body openapi.BulkRequest
			if err := json.Unmarshal(cs.Body, &body); err != nil {
				t.Fatal(err)
			}
			for _, u := range body.Params {
				p := u.UserProfile
				if p == nil {
					continue
				}
				if p.PhoneCountryCode != nil && p.PhoneNo == nil || (p.FirstName == nil) != (p.LastName == nil) {
					halves++
				}
				if p.PhoneNo != nil {
					phones++
				}
			}
		}
		if halves != 0 || phones < 500 {
			t.Errorf("%s: %d users with half a pair (want 0), %d with a phone number (want most)", locale, halves, phones)
		}
	}
}
