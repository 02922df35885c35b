package mock

import "github.com/brianvoe/gofakeit/v7"

// newIDs returns n user IDs and their NRNs, drawn from the server's faker
// exactly as n calls of its UUID method would (version 4 UUIDs, lower-case
// hex), but built in one string so that a batch costs one allocation.
func (s *Server) newIDs(n int) (ids, nrns []string) {
	prefix := "nrn:" + s.cfg.NRNDomain + ":SSO::" + s.cfg.MemberNo + ":User/"
	var b []byte
	b = make([]byte, 0, n*(2*uuidLen+len(prefix)))
	for range n {
		b = appendUUID(b, s.faker)
		b = append(b, prefix...)
		b = append(b, b[len(b)-uuidLen-len(prefix):len(b)-len(prefix)]...)
	}
	all := string(b)
	ids, nrns = make([]string, n), make([]string, n)
	step := 2*uuidLen + len(prefix)
	for i := range n {
		at := i * step
		ids[i] = all[at : at+uuidLen]
		nrns[i] = all[at+uuidLen : at+step]
	}
	return ids, nrns
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
	for i, c := range u {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			dst = append(dst, '-')
		}
		dst = append(dst, hex[c>>4], hex[c&0x0f])
	}
	return dst
}
