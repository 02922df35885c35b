package mock

import (
	"fmt"
	"testing"

	"github.com/ncpmock/ncpmock/openapi"
)

// The IDs must be the ones gofakeit's UUID gives for the same seed, so that
// a seed reproduces a run whichever way they are built.
func TestNewIDsAreTheFakersUUIDs(t *testing.T) {
	s, err := New(Config{Seed: 99, MemberNo: "42", NRNDomain: "GOV"})
	if err != nil {
		t.Fatal(err)
	}
	users, more := make([]User, 5), make([]User, 2)
	s.assignIDs(users)
	s.assignIDs(nil)
	s.assignIDs(more)
	f := openapi.NewFaker(99)
	for i, u := range append(users, more...) {
		if want := f.UUID(); u.ID != want {
			t.Errorf("id %d: got %q, want %q", i, u.ID, want)
		}
		if want := fmt.Sprintf("nrn:GOV:SSO::42:User/%s", u.ID); u.NRN != want {
			t.Errorf("nrn %d: got %q, want %q", i, u.NRN, want)
		}
	}
}
