package apigw

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
)

// Credentials is an NCP API key pair. Its String and GoString methods hide the
// secret key, so printing Credentials with fmt never reveals it.
type Credentials struct {
	// AccessKey identifies the caller; it is sent in the access key header
	// and is not a secret.
	AccessKey string
	// SecretKey keys the HMAC that signs each request; it is never sent.
	SecretKey string
}

// String shows the access key and hides the secret key.
func (c Credentials) String() string {
	return fmt.Sprintf("{AccessKey:%s SecretKey:%s}", c.AccessKey, redacted(c.SecretKey))
}

// GoString hides the secret key from %#v as well.
func (c Credentials) GoString() string {
	return fmt.Sprintf("apigw.Credentials{AccessKey:%q, SecretKey:%q}", c.AccessKey, redacted(c.SecretKey))
}

// MarshalJSON hides the secret key from encoding/json (and so from JSON
// logs and reports that embed Credentials).
func (c Credentials) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct{ AccessKey, SecretKey string }{c.AccessKey, redacted(c.SecretKey)})
}

// LogValue hides the secret key from log/slog, whatever the handler.
func (c Credentials) LogValue() slog.Value {
	return slog.GroupValue(slog.String("AccessKey", c.AccessKey), slog.String("SecretKey", redacted(c.SecretKey)))
}

func redacted(secret string) string {
	if secret == "" {
		return ""
	}
	return "REDACTED"
}

// ErrNoCredentials reports that the environment does not hold both keys.
var ErrNoCredentials = errors.New("NCP credentials not set")

// CredentialsFromEnv reads the key pair from NCP_ACCESS_KEY and NCP_SECRET_KEY
// through getenv (os.Getenv in a program). It returns an error matching
// ErrNoCredentials, naming the variables that are unset or empty.
func CredentialsFromEnv(getenv func(string) string) (Credentials, error) {
	c := Credentials{AccessKey: getenv(EnvAccessKey), SecretKey: getenv(EnvSecretKey)}
	var missing []string
	if c.AccessKey == "" {
		missing = append(missing, EnvAccessKey)
	}
	if c.SecretKey == "" {
		missing = append(missing, EnvSecretKey)
	}
	if len(missing) > 0 {
		return Credentials{}, fmt.Errorf("%w: set %s", ErrNoCredentials, strings.Join(missing, " and "))
	}
	return c, nil
}

// CredentialsFileError reports a line of a credentials file that is not a
// key pair. It never quotes the line, which may hold a secret.
type CredentialsFileError struct {
	Line   int    // 1-based line number
	Reason string // what is wrong with it
}

// Error names the line and the reason.
func (e *CredentialsFileError) Error() string {
	return fmt.Sprintf("credentials line %d: %s", e.Line, e.Reason)
}

// ReadCredentials parses key pairs, one a line, in the form
//
//	ACCESS_KEY SECRET_KEY
//
// separated by spaces or tabs. Blank lines and lines starting with # are
// ignored. An access key may appear only once. A malformed line gives a
// *CredentialsFileError that names the line but not its content.
func ReadCredentials(r io.Reader) ([]Credentials, error) {
	var creds []Credentials
	seen := make(map[string]int)
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if n == 1 {
			// Some Windows editors start a UTF-8 file with a byte order
			// mark, which would become part of the first access key.
			line = strings.TrimPrefix(line, "\ufeff")
		}
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Fields(line)
		if len(fields) != 2 {
			return nil, &CredentialsFileError{Line: n, Reason: fmt.Sprintf(
				"want ACCESS_KEY SECRET_KEY, got %d fields", len(fields))}
		}
		if first, dup := seen[fields[0]]; dup {
			return nil, &CredentialsFileError{Line: n, Reason: fmt.Sprintf(
				"access key %s already given on line %d", fields[0], first)}
		}
		seen[fields[0]] = n
		creds = append(creds, Credentials{AccessKey: fields[0], SecretKey: fields[1]})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read credentials: %w", err)
	}
	if len(creds) == 0 {
		return nil, errors.New("read credentials: no key pairs found")
	}
	return creds, nil
}
