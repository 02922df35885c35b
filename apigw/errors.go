package apigw

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"time"
)

// The two classes of failed verification, with the texts the real gateway
// puts in its 401 answers. Every error of Verify matches one of them with
// errors.Is.
var (
	// ErrMissing is matched by a *MissingHeaderError.
	ErrMissing = errors.New("authentication information are missing")
	// ErrInvalid is matched by the other verification errors.
	ErrInvalid = errors.New("invalid authentication information")
)

// MissingHeaderError reports signature headers that are absent or empty.
type MissingHeaderError struct {
	Headers []string // the missing header names, in the order NCP documents them
}

// Error names the missing headers.
func (e *MissingHeaderError) Error() string {
	return fmt.Sprintf("missing header %s", strings.Join(e.Headers, ", "))
}

// Is reports whether target is ErrMissing.
func (e *MissingHeaderError) Is(target error) bool { return target == ErrMissing }

// TimestampFormatError reports a timestamp header that is not a whole number
// of milliseconds.
type TimestampFormatError struct {
	Value string // the header's value
}

// Error quotes the value (at most 40 bytes of it) and says what was expected.
func (e *TimestampFormatError) Error() string {
	return fmt.Sprintf("%s %s is not a number of milliseconds since the Unix epoch",
		HeaderTimestamp, quoteShort(e.Value, 40))
}

// Is reports whether target is ErrInvalid.
func (e *TimestampFormatError) Is(target error) bool { return target == ErrInvalid }

// ClockSkewError reports a timestamp too far from the verifier's clock.
type ClockSkewError struct {
	Timestamp time.Time     // the time the request claims
	Now       time.Time     // the verifier's time
	MaxSkew   time.Duration // the largest difference allowed
}

// Error gives both times and the limit, and spots seconds sent for milliseconds.
func (e *ClockSkewError) Error() string {
	off := e.Timestamp.Sub(e.Now)
	dir := "ahead of"
	if off < 0 {
		off, dir = -off, "behind"
	}
	msg := fmt.Sprintf("%s %d is %s %s the server's clock (%d), more than the %s allowed",
		HeaderTimestamp, e.Timestamp.UnixMilli(), roundSkew(off), dir, e.Now.UnixMilli(), e.MaxSkew)
	if secs := e.Timestamp.UnixMilli(); secs > 0 && absDuration(time.Unix(secs, 0).Sub(e.Now)) <= e.MaxSkew {
		msg += "; it looks like seconds: send milliseconds"
	}
	return msg
}

// Is reports whether target is ErrInvalid.
func (e *ClockSkewError) Is(target error) bool { return target == ErrInvalid }

// UnknownAccessKeyError reports an access key the verifier does not know.
type UnknownAccessKeyError struct {
	// AccessKey is the access key header's value, as the request sent it.
	AccessKey string
}

// Error names the access key (an identifier, not a secret).
func (e *UnknownAccessKeyError) Error() string {
	return fmt.Sprintf("unknown access key %s", quoteShort(e.AccessKey, 64))
}

// Is reports whether target is ErrInvalid.
func (e *UnknownAccessKeyError) Is(target error) bool { return target == ErrInvalid }

// SignatureMismatchError reports a signature that is not the one the
// verifier computed. It carries the string the verifier signed, so a caller
// can compare it with its own; it never carries either signature.
type SignatureMismatchError struct {
	// AccessKey is the access key header's value, a key the verifier knows.
	AccessKey string
	// StringToSign is the text the verifier signed (see the StringToSign
	// function): "METHOD requestURI", timestamp and access key, one a line.
	StringToSign string
}

// Error shows the string the signature should have been computed over.
func (e *SignatureMismatchError) Error() string {
	return fmt.Sprintf("%s does not match; the string to sign was %s",
		HeaderSignature, quoteShort(e.StringToSign, 300))
}

// Is reports whether target is ErrInvalid.
func (e *SignatureMismatchError) Is(target error) bool { return target == ErrInvalid }

// quoteShort quotes s as Go does, cut to at most n bytes of s first, so a
// hostile header cannot make an error message huge.
func quoteShort(s string, n int) string {
	if len(s) <= n {
		return fmt.Sprintf("%q", s)
	}
	return fmt.Sprintf("%q... (%d bytes)", s[:n], len(s))
}

func roundSkew(d time.Duration) time.Duration {
	if d >= time.Second {
		return d.Round(time.Second)
	}
	return d.Round(time.Millisecond)
}

func absDuration(d time.Duration) time.Duration {
	if d == math.MinInt64 {
		return math.MaxInt64
	}
	if d < 0 {
		return -d
	}
	return d
}
