package mock

import (
	"errors"
	"fmt"
	"regexp"
)

// PartialFault fails some users inside a 200: they get success false and
// Message, and are not created; the others are created as usual. The users
// that fail are those whose loginId matches LoginID (all when it is empty),
// each with probability Fraction (drawn from the server's seed).
//
// Header: partial=0.3, partial; loginId="^bad"; message="Invalid login ID.".
type PartialFault struct {
	// Fraction in [0, 1] is each candidate user's chance to fail; default 1
	// when LoginID is set, required otherwise.
	Fraction float64 `json:"fraction,omitempty" zero:"a fraction of 0 fails no user; leave it out to fail every user loginId matches"`
	// LoginID is a regular expression (RE2, unanchored) choosing the users
	// that may fail; empty means every user.
	LoginID string `json:"loginId,omitempty"`
	// Message is the failed users' message; default MsgDuplicateLoginID.
	Message string `json:"message,omitempty"`

	re *regexp.Regexp
}

// Kind returns "partial".
func (*PartialFault) Kind() string { return KindPartial }

func (f *PartialFault) check() error {
	if f.Fraction < 0 || f.Fraction > 1 {
		return fmt.Errorf("fraction %v: want a number from 0 to 1", f.Fraction)
	}
	if f.LoginID == "" && f.Fraction == 0 {
		return errors.New("want fraction (0 to 1) or loginId (a regular expression), or both")
	}
	if f.LoginID != "" {
		re, err := regexp.Compile(f.LoginID)
		if err != nil {
			return fmt.Errorf("loginId: %w", err)
		}
		f.re = re
		if f.Fraction == 0 {
			f.Fraction = 1
		}
	}
	if f.Message == "" {
		f.Message = MsgDuplicateLoginID
	}
	return nil
}

func (f *PartialFault) apply(x *exchange) error {
	x.partial = f
	return nil
}

// fails reports whether the user with this loginId fails.
func (f *PartialFault) fails(x *exchange, loginID string) bool {
	if f.re != nil && !f.re.MatchString(loginID) {
		return false
	}
	return x.roll(f.Fraction)
}
