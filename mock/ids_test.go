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
	ids, nrns := s.newIDs(5)
	more, _ := s.newIDs(2)
	f := openapi.NewFaker(99)
	for i, id := range append(ids, more...) {
		if want := f.UUID(); id != want {
			t.Errorf("id %d: got %q, want %q", i, id, want)
		}
	}
	for i, nrn := range nrns {
		if want := fmt.Sprintf("nrn:GOV:SSO::42:User/%s", ids[i]); nrn != want {
			t.Errorf("nrn %d: got %q, want %q", i, nrn, want)
		}
	}
	if ids, nrns := s.newIDs(0); len(ids) != 0 || len(nrns) != 0 {
		t.Errorf("newIDs(0): got %q, %q", ids, nrns)
	}
}
