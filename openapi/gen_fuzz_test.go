package openapi_test

import (
	"bytes"
	"context"
	"errors"
	"regexp"
	"testing"
	"unicode/utf8"

	"github.com/ncpmock/ncpmock/openapi"
)

// FuzzGenerator explores seeds, locales, user counts and cases: every valid
// and boundary body passes the validator, every invalid body fails it with
// exactly its targeted problem, and the same inputs give the same bytes.
func FuzzGenerator(f *testing.F) {
	f.Add(uint64(0), false, uint8(1), uint8(0), uint16(0))
	f.Add(uint64(7), true, uint8(3), uint8(1), uint16(4))
	f.Add(uint64(1<<40), true, uint8(99), uint8(2), uint16(31))
	spec := embedded(f)
	v := specValidator(f, spec, false)
	f.Fuzz(func(t *testing.T, seed uint64, korean bool, users, mode uint8, pick uint16) {
		cfg := openapi.GenConfig{Seed: seed}
		if korean {
			cfg.Locale = openapi.LocaleKorean
		}
		var g *openapi.Generator
		generate := func() *openapi.Case {
			g = newGen(t, spec, cfg)
			_, hi := g.UserRange()
			return fuzzCase(t, g, 1+int(users)%hi, mode%3, int(pick))
		}
		cs := generate()
		switch cs.Mode {
		case openapi.ModeInvalid:
			checkRejected(t, g, v, cs)
		default:
			checkAccepted(t, v, cs)
			checkUnique(t, cs)
		}
		if again := generate(); !bytes.Equal(cs.Body, again.Body) {
			t.Errorf("seed %d: two generators made different bodies", seed)
		}
	})
}

func fuzzCase(t *testing.T, g *openapi.Generator, users int, mode uint8, pick int) *openapi.Case {
	var cs *openapi.Case
	var err error
	switch mode {
	case 0:
		cs, err = g.Valid(users)
	case 1:
		names := g.BoundaryNames()
		cs, err = g.Boundary(names[pick%len(names)], users)
	default:
		var names []string
		for _, r := range g.Rules() {
			if r.Isolatable {
				names = append(names, r.Name)
			}
		}
		cs, err = g.Invalid(names[pick%len(names)], users)
	}
	if err != nil {
		t.Fatal(err)
	}
	return cs
}

// FuzzValidator mutates generated bodies (its corpus comes from the
// generator) and checks the validator against a hand-written reading of the
// contract: it never panics, names a rule for every problem, and whatever
// it accepts meets the limits checked here directly on the typed model.
func FuzzValidator(f *testing.F) {
	spec := embedded(f)
	g := newGen(f, spec, openapi.GenConfig{Seed: 1, Locale: openapi.LocaleKorean})
	for _, users := range []int{1, 2} {
		cs, err := g.Valid(users)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(cs.Body)
	}
	for _, name := range []string{openapi.BoundaryMaxBytes, openapi.BoundaryMinLength} {
		f.Add(boundary(f, g, name).Body)
	}
	v := specValidator(f, spec, false)
	f.Fuzz(func(t *testing.T, body []byte) {
		_, err := v.Validate(context.Background(), "application/json", body)
		var ve *openapi.ValidationError
		switch {
		case errors.As(err, &ve):
			for _, p := range ve.Problems {
				if p.Rule == "" || p.Message == "" {
					t.Errorf("problem without rule or message: %+v", p)
				}
			}
			return
		case err != nil:
			t.Fatalf("got %T %v, want nil or a *ValidationError", err, err)
		}
		if msg := contractBreach(body); msg != "" {
			t.Errorf("validator accepted a body that %s:\n%s", msg, body)
		}
	})
}

var emailRE = regexp.MustCompile(openapi.EmailPattern)

// contractBreach reads an accepted body into the typed model and checks the
// limits of NCP's documentation independently of the spec and validator.
func contractBreach(body []byte) string {
	// Decode as the contract reads a body: a key binds to the property it
	// spells exactly ("emAil" is an undeclared property, not email, though
	// encoding/json would take it for one), and of a repeated key the last
	// one wins.
	var req openapi.BulkRequest
	if err := openapi.DecodeExact(body, &req); err != nil {
		return "does not decode into BulkRequest: " + err.Error()
	}
	if n := len(req.Params); n < 1 || n > 100 {
		return "has not 1 to 100 users"
	}
	for _, u := range req.Params {
		if n := utf8.RuneCountInString(u.LoginID); n < 3 || n > 60 || !emailRE.MatchString(u.LoginID) {
			return "has a bad login ID"
		}
		if u.Description != nil && len(*u.Description) > 300 {
			return "has a description over 300 bytes"
		}
		if p := u.UserProfile; p != nil {
			for _, s := range []*string{p.FirstName, p.LastName, p.Email, p.EmpNo, p.PhoneNo, p.DeptName} {
				if s != nil && len(*s) > 200 {
					return "has a profile field over 200 bytes"
				}
			}
			if p.PhoneCountryCode != nil && len(*p.PhoneCountryCode) > 10 {
				return "has a country code over 10 bytes"
			}
		}
		if len(u.Tags) > 20 {
			return "has more than 20 tags"
		}
	}
	return ""
}
