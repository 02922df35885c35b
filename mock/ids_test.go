package mock

import (
	"fmt"
	"testing"

	"github.com/ncpmock/ncpmock/openapi"
)

// The IDs must be the ones gofakeit's UUID gives for the same seed, drawn
// for the added users only, so that a seed reproduces a run whichever way
// they are built.
func TestNewIDsAreTheFakersUUIDs(t *testing.T) {
	s, err := New(Config{Seed: 99, MemberNo: "42", NRNDomain: "GOV"})
	if err != nil {
		t.Fatal(err)
	}
	users, more := make([]User, 5), make([]User, 2)
	added, addedMore := []bool{true, false, true, true, false}, []bool{true, true}
	s.assignIDs(users, added)
	s.assignIDs(nil, nil)
	s.assignIDs(more, addedMore)
	f := openapi.NewFaker(99)
	all, allAdded := append(users, more...), append(added, addedMore...)
	for i, u := range all {
		if !allAdded[i] {
			if u.ID != "" || u.NRN != "" {
				t.Errorf("user %d, not added: got id %q and nrn %q, want none", i, u.ID, u.NRN)
			}
			continue
		}
		if want := f.UUID(); u.ID != want {
			t.Errorf("id %d: got %q, want %q", i, u.ID, want)
		}
		if want := fmt.Sprintf("nrn:GOV:SSO::42:User/%s", u.ID); u.NRN != want {
			t.Errorf("nrn %d: got %q, want %q", i, u.NRN, want)
		}
	}
}
