package mock

import (
	"strings"

	"github.com/brianvoe/gofakeit/v7"
	"github.com/ncpmock/ncpmock/openapi"
)

// assignIDs gives each added user (added[i] for users[i]) an ID and its
// NRN, and copies its login ID and request out of the request body (whose
// buffer is reused once the request is answered). The store calls it as it
// creates users, so that IDs are drawn from the server's faker only for
// users created, in the order they are created: the same seed and the same
// requests give the same IDs. They are drawn exactly as calls of the
// faker's UUID method would (version 4 UUIDs, lower-case hex). All of a
// batch's strings are built in one, so that it costs one allocation.
func (s *Server) assignIDs(users []User, added []bool) {
	size := 0
	for i, a := range added {
		if a {
			size += 2*uuidLen + len(s.nrnPrefix) + len(users[i].LoginID) + len(users[i].Request)
		}
	}
	var sb strings.Builder
	sb.Grow(size)
	var u [uuidLen]byte
	faker := s.faker.Load()
	for i, a := range added {
		if a {
			appendUUID(u[:0], faker)
			sb.Write(u[:])
			sb.WriteString(s.nrnPrefix)
			sb.Write(u[:])
			sb.WriteString(users[i].LoginID)
			sb.WriteString(string(users[i].Request))
		}
	}
	all := sb.String()
	at := 0
	for i, a := range added {
		if !a {
			continue
		}
		u := &users[i]
		idAt, nrnAt, loginAt := at, at+uuidLen, at+uuidLen+len(s.nrnPrefix)+uuidLen
		reqAt := loginAt + len(u.LoginID)
		end := reqAt + len(u.Request)
		u.ID, u.NRN = all[idAt:idAt+uuidLen], all[nrnAt:loginAt]
		u.LoginID, u.Request = all[loginAt:reqAt], openapi.RawJSON(all[reqAt:end])
		at = end
	}
}

const uuidLen = 36

// appendUUID appends the UUID f.UUID() would return (gofakeit v7's
// algorithm), without its allocation.
func appendUUID(dst []byte, f *gofakeit.Faker) []byte {
	var u [16]byte
	r := f.Uint64()
	for i := range 8 {
		u[i] = byte(r)
		r >>= 8
	}
	r = f.Uint64()
	for i := 8; i < 16; i++ {
		u[i] = byte(r)
		r >>= 8
	}
	u[6] = u[6]&0x0f | 0x40 // version 4
	u[8] = u[8]&0x3f | 0x80 // RFC 4122 variant
	const hex = "0123456789abcdef"
	// Where each byte's two digits go in xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx.
	offsets := [16]uint8{0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34}
	var b [64]byte // indexes masked by 63 need no bounds check
	for i, c := range u {
		at := offsets[i]
		b[at&63], b[(at+1)&63] = hex[c>>4], hex[c&0x0f]
	}
	b[8], b[13], b[18], b[23] = '-', '-', '-', '-'
	return append(dst, b[:uuidLen]...)
}
