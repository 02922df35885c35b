package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/ncpmock/ncpmock/apigw"
)

const defaultSignURI = "/api/v1/users/bulk"

type signOptions struct {
	method    string
	uri       string
	timestamp string
	curl      bool
}

func signFlags(fs *flag.FlagSet) func(context.Context, *env, []string) error {
	o := &signOptions{}
	fs.StringVar(&o.method, "method", http.MethodPost, "HTTP `method` of the request to sign")
	fs.StringVar(&o.uri, "uri", defaultSignURI, "path and query to sign, or a whole `URL` (its path and query are signed)")
	fs.StringVar(&o.timestamp, "timestamp", "", "`milliseconds` since the Unix epoch to sign at (default: now)")
	fs.BoolVar(&o.curl, "curl", false, "print curl -H options (a whole curl command when --uri is a URL)")
	return func(_ context.Context, e *env, args []string) error {
		if len(args) > 0 {
			return &usageError{msg: fmt.Sprintf("sign: unexpected argument %q", args[0])}
		}
		return sign(e, o)
	}
}

// sign prints the signature headers of one request. The keys come from the
// environment only, never from flags, so the secret stays out of shell
// history and process lists; it is never printed.
func sign(e *env, o *signOptions) error {
	creds, err := apigw.CredentialsFromEnv(e.getenv)
	if err != nil {
		return &usageError{msg: "sign: " + err.Error()}
	}
	target, err := o.target()
	if err != nil {
		return err
	}
	signer := &apigw.Signer{Credentials: creds}
	if o.timestamp != "" {
		ms, err := strconv.ParseInt(o.timestamp, 10, 64)
		if err != nil || ms < 0 {
			return &usageError{msg: fmt.Sprintf("sign: --timestamp %q: want milliseconds since the Unix epoch", o.timestamp)}
		}
		signer.Now = func() time.Time { return time.UnixMilli(ms) }
	}
	h := signer.Headers(o.method, target.RequestURI())
	names := []string{apigw.HeaderTimestamp, apigw.HeaderAccessKey, apigw.HeaderSignature}
	if o.curl {
		printCurl(e, o.method, target, h, names)
	} else {
		for _, name := range names {
			fmt.Fprintf(e.stdout, "%s: %s\n", name, h.Get(name))
		}
	}
	fmt.Fprintf(e.stderr, "ncpmock sign: signed %q for access key %s; valid for %s either side of the timestamp\n",
		o.method+" "+target.RequestURI(), creds.AccessKey, apigw.DefaultMaxSkew)
	return nil
}

// target parses --uri: an absolute URL or a path with an optional query.
func (o *signOptions) target() (*url.URL, error) {
	if o.method == "" || strings.ContainsAny(o.method, " \t\r\n") || strings.ToUpper(o.method) != o.method {
		return nil, &usageError{msg: fmt.Sprintf("sign: --method %q: want an upper-case HTTP method such as POST", o.method)}
	}
	u, err := url.Parse(o.uri)
	if err != nil {
		return nil, &usageError{msg: fmt.Sprintf("sign: --uri: %v", err)}
	}
	if u.IsAbs() && u.Host == "" || !u.IsAbs() && !strings.HasPrefix(o.uri, "/") {
		return nil, &usageError{msg: fmt.Sprintf("sign: --uri %q: want a path starting with / or an http(s) URL", o.uri)}
	}
	return u, nil
}

// printCurl prints the headers as curl options, one line, to be spliced
// with $(...), which splits words but removes no quotes: the URL (which
// url.URL.String leaves without spaces or quotes) is never quoted, so a
// query with & must be quoted by hand when the line is pasted instead;
// header values are quoted only when they hold what $(...) would split on.
func printCurl(e *env, method string, target *url.URL, h http.Header, names []string) {
	var parts []string
	if target.IsAbs() {
		parts = append(parts, "curl")
		if method != http.MethodGet {
			parts = append(parts, "-X", shellQuote(method))
		}
	}
	for _, name := range names {
		parts = append(parts, "-H", shellQuote(name+":"+h.Get(name)))
	}
	if target.IsAbs() {
		parts = append(parts, spliceQuote(target.String()))
	}
	fmt.Fprintln(e.stdout, strings.Join(parts, " "))
}

// spliceQuote returns s bare when $(...) keeps it one word as it is (no
// whitespace, quote or backslash), else quoted as one shell word.
func spliceQuote(s string) string {
	if s != "" && !strings.ContainsAny(s, " \t\r\n'\"\\") {
		return s
	}
	return shellQuote(s)
}

var errUnsafe = errors.New("needs quoting")

// shellQuote returns s as one POSIX shell word.
func shellQuote(s string) string {
	if shellSafe(s) == nil {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

func shellSafe(s string) error {
	if s == "" {
		return errUnsafe
	}
	for _, c := range s {
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case strings.ContainsRune("-_.:/+=@%,", c):
		default:
			return errUnsafe
		}
	}
	return nil
}
