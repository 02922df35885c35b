package contracttest

import (
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// maxInlineBody is the longest body a curl command carries inline; longer
// ones are written to a file the command reads.
const maxInlineBody = 2048

// secretHeaders are redacted in curl commands and reports.
var secretHeaders = []string{"X-Ncp-Iam-Access-Key", "X-Ncp-Apigw-Signature-V2", "Authorization", "Cookie", "X-Ncpmock-Admin-Token"}

// reproWriter writes long request bodies to files for curl commands.
type reproWriter struct {
	dir    string
	runID  string
	signed bool // requests are signed: the command signs with ncpmock sign
	// wrongSecret is the secret key of auth/wrong-signature, never the
	// real one.
	wrongSecret string
}

// curl returns a shell command that sends the request of ex again.
func (w *reproWriter) curl(caseName string, step int, ex *Exchange) string {
	var b strings.Builder
	fmt.Fprintf(&b, "curl -sS -X %s %s", ex.Method, shellQuote(ex.URL))
	if w.signed {
		u, err := url.Parse(ex.URL)
		if err == nil {
			b.WriteString(signCommand(ex.Method, u.RequestURI(), ex.auth, w.wrongSecret))
		}
	}
	keys := make([]string, 0, len(ex.RequestHeader))
	for k := range ex.RequestHeader {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if k == "Accept" || k == "User-Agent" || isSignatureHeader(k) {
			continue
		}
		for _, v := range ex.RequestHeader[k] {
			if isSecret(k) {
				v = "REDACTED"
			}
			fmt.Fprintf(&b, " -H %s", shellQuote(k+": "+v))
		}
	}
	if ex.RequestBody == "" {
		return b.String()
	}
	if len(ex.RequestBody) <= maxInlineBody {
		fmt.Fprintf(&b, " --data-binary %s", shellQuote(ex.RequestBody))
		return b.String()
	}
	file, err := w.write(caseName, step, ex.RequestBody)
	if err != nil {
		return b.String() + fmt.Sprintf(" --data-binary @BODY  # body not saved: %v", err)
	}
	fmt.Fprintf(&b, " --data-binary @%s", shellQuote(file))
	return b.String()
}

// redactHeaders returns a copy of h with secret values replaced.
func redactHeaders(h http.Header) http.Header {
	out := h.Clone()
	for k := range out {
		if isSecret(k) {
			out[k] = []string{"REDACTED"}
		}
	}
	return out
}

func isSecret(header string) bool {
	for _, s := range secretHeaders {
		if strings.EqualFold(s, header) {
			return true
		}
	}
	return false
}

// write saves a body for a curl command to read, under an absolute path: a
// relative one (--repro-dir contract-repro, or a relative TMPDIR) would make
// the command, run from another directory, send no body without a word.
func (w *reproWriter) write(caseName string, step int, body string) (string, error) {
	if w.dir == "" {
		w.dir = filepath.Join(os.TempDir(), "ncpmock-repro-"+w.runID)
	}
	dir, err := filepath.Abs(w.dir)
	if err != nil {
		return "", err
	}
	w.dir = dir
	if err := os.MkdirAll(w.dir, 0o700); err != nil {
		return "", err
	}
	name := strings.NewReplacer("/", "_", " ", "_").Replace(caseName)
	file := filepath.Join(w.dir, fmt.Sprintf("%s.%d.json", name, step))
	return file, os.WriteFile(file, []byte(body), 0o600)
}

// shellQuote quotes s for a POSIX shell.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
