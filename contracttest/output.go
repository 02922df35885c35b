package contracttest

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
)

// maxShownPerCheck is how many failures of one check WriteCase spells out
// for a case; a server that gets one field wrong for 100 users fails the
// same check 100 times, and the rest are counted (the JSON and JUnit
// reports keep them all).
const maxShownPerCheck = 3

// WriteCase writes one case's outcome for people: a line, and for each
// failure the check, what was expected, what came back and a curl command
// (at most maxShownPerCheck failures of one check; the others counted).
func WriteCase(w io.Writer, c *CaseResult) {
	switch c.Status {
	case StatusSkip:
		fmt.Fprintf(w, "SKIP  %s: %s\n", c.Name, c.SkipReason)
		return
	case StatusNotRun:
		fmt.Fprintf(w, "STOP  %s: %s\n", c.Name, c.SkipReason)
		return
	case StatusPass:
		fmt.Fprintf(w, "PASS  %-44s %s\n", c.Name, round(c.Duration))
		return
	}
	fmt.Fprintf(w, "FAIL  %-44s %s\n", c.Name, round(c.Duration))
	shown, folded := make(map[string]int), make(map[string]int)
	var foldedChecks []string
	for i, f := range c.Failures {
		if shown[f.Check] < maxShownPerCheck {
			shown[f.Check]++
			fmt.Fprintf(w, "      %s\n        expected: %s\n        got:      %s\n", f.Check, f.Expected, f.Got)
		} else {
			if folded[f.Check] == 0 {
				foldedChecks = append(foldedChecks, f.Check)
			}
			folded[f.Check]++
		}
		// Failures of one request share one reproduce line, after the last.
		if i == len(c.Failures)-1 || c.Failures[i+1].Curl != f.Curl {
			io.WriteString(w, reproText(f, "      "))
		}
	}
	for _, check := range foldedChecks {
		fmt.Fprintf(w, "      ... and %d more %s failures (--json and --junit list every one)\n", folded[check], check)
	}
}

// reproText is the reproduce line of f, each line after indent: "reproduce:
// curl ...", or, when other requests must go first, "reproduce, in order:"
// and a line for each command; then, for requests that create users, a
// note that they reproduce only against a server without their login IDs.
// Empty when f has no command.
func reproText(f *Failure, indent string) string {
	if f.Curl == "" {
		return ""
	}
	var b strings.Builder
	if len(f.CurlBefore) == 0 {
		b.WriteString(indent + "reproduce: " + f.Curl + "\n")
	} else {
		b.WriteString(indent + "reproduce, in order:\n")
		for _, c := range append(slices.Clip(f.CurlBefore), f.Curl) {
			b.WriteString(indent + "  " + c + "\n")
		}
	}
	if f.CreatesUsers {
		it, its := "it creates users", "its"
		if len(f.CurlBefore) > 0 {
			it, its = "they create users", "their"
		}
		fmt.Fprintf(&b, "%snote: %s: run against a server without %s login IDs (the one tested may hold them now)\n", indent, it, its)
	}
	return b.String()
}

// SummaryOptions says how WriteSummary speaks of the users a run created.
// The zero value counts them and points to --json FILE.
type SummaryOptions struct {
	// ListAll lists every created user (id, login ID, NRN) and every login
	// ID maybe created, instead of counting them.
	ListAll bool
	// JSONFile names the file the JSON report went to, which lists them;
	// empty means none was written, and the summary says "--json FILE".
	JSONFile string
}

// WriteSummary writes the created users and the login IDs that may have
// been created without an id, as opts says, and the summary line "N
// passed, N failed, N skipped".
func WriteSummary(w io.Writer, r *Report, opts SummaryOptions) {
	listsThem := "--json FILE lists them"
	if opts.JSONFile != "" {
		listsThem = opts.JSONFile + " lists them"
	}
	if c := r.Cleanup; c != nil {
		found := ""
		if len(c.Found) > 0 {
			found = fmt.Sprintf(" and found %d maybe created", len(c.Found))
		}
		fmt.Fprintf(w, "created %s%s (login IDs ncpmock-%s-*); deleted %d with POST %s\n",
			plural(len(r.Created), "user"), found, r.RunID, c.Deleted, c.URL)
		if len(c.Failed) > 0 {
			fmt.Fprintf(w, "NOT DELETED: %s; to remove them by hand:\n", plural(len(c.Failed), "user"))
			for _, f := range c.Failed {
				fmt.Fprintf(w, "  %s %s %s (%s)\n", f.ID, f.LoginID, f.NRN, f.Reason)
			}
		}
	} else if n := len(r.Created); n > 0 {
		fmt.Fprintf(w, "created %s (login IDs ncpmock-%s-*)", plural(n, "user"), r.RunID)
		if opts.ListAll {
			fmt.Fprintln(w, "; to remove them:")
			for _, u := range r.Created {
				fmt.Fprintf(w, "  %s %s %s\n", u.ID, u.LoginID, u.NRN)
			}
		} else {
			fmt.Fprintln(w, "; "+listsThem)
		}
	}
	if c := r.Cleanup; c != nil && c.LookupURL != "" {
		writeLookups(w, r.MaybeCreated, c)
	} else {
		writeMaybeCreated(w, r.MaybeCreated, opts.ListAll, listsThem)
	}
	p, f, s := r.Count()
	left := ""
	if n := r.NotRun(); n > 0 {
		left = fmt.Sprintf(", %d not run (interrupted: %s)", n, r.Interrupted)
	}
	if r.Deselected > 0 {
		left += fmt.Sprintf(", %d not selected (--only, --skip)", r.Deselected)
	}
	fmt.Fprintf(w, "%d passed, %d failed, %d skipped%s in %s (seed %d)\n", p, f, s, left, round(r.Duration), r.Seed)
}

// writeMaybeCreated writes the login IDs that requests may have created
// without an answer that gives an id to delete them by (all of them when
// listAll, else a count).
func writeMaybeCreated(w io.Writer, maybe []MaybeCreated, listAll bool, listsThem string) {
	if len(maybe) == 0 {
		return
	}
	fmt.Fprintf(w, "MAYBE CREATED: %s got no answer with a user ID to delete them by", plural(len(maybe), "login ID"))
	if !listAll {
		fmt.Fprintln(w, "; "+listsThem)
		return
	}
	fmt.Fprintln(w, "; look them up by login ID:")
	for _, m := range maybe {
		fmt.Fprintf(w, "  %s (%s: %s)\n", m.LoginID, m.Case, m.Reason)
	}
}

func round(d time.Duration) time.Duration {
	if d > time.Second {
		return d.Round(10 * time.Millisecond)
	}
	return d.Round(100 * time.Microsecond)
}

// WriteJSON writes the whole report as JSON.
func WriteJSON(w io.Writer, r *Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

type junitSuites struct {
	XMLName  xml.Name   `xml:"testsuites"`
	Name     string     `xml:"name,attr"`
	Tests    int        `xml:"tests,attr"`
	Failures int        `xml:"failures,attr"`
	Skipped  int        `xml:"skipped,attr"`
	Time     string     `xml:"time,attr"`
	Suites   []junitSet `xml:"testsuite"`
}

type junitSet struct {
	Name       string          `xml:"name,attr"`
	Tests      int             `xml:"tests,attr"`
	Failures   int             `xml:"failures,attr"`
	Skipped    int             `xml:"skipped,attr"`
	Time       string          `xml:"time,attr"`
	Timestamp  string          `xml:"timestamp,attr"`
	Properties []junitProperty `xml:"properties>property"`
	Cases      []junitCase     `xml:"testcase"`
}

type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitCase struct {
	Name      string         `xml:"name,attr"`
	Classname string         `xml:"classname,attr"`
	Time      string         `xml:"time,attr"`
	Failures  []junitFailure `xml:"failure"`
	Skipped   *junitSkipped  `xml:"skipped"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

type junitSkipped struct {
	Message string `xml:"message,attr"`
}

// WriteJUnit writes the report as JUnit XML, one testcase per case and one
// failure element per failed check, for CI systems.
func WriteJUnit(w io.Writer, r *Report) error {
	p, f, s := r.Count()
	s += r.NotRun() // a case not run is skipped, with the reason
	set := junitSet{
		Name: "ncpmock contract " + r.Endpoint, Tests: p + f + s, Failures: f, Skipped: s,
		Time: seconds(r.Duration), Timestamp: r.Started.UTC().Format(time.RFC3339),
		Properties: []junitProperty{{"target", r.Target}, {"seed", fmt.Sprint(r.Seed)}, {"runId", r.RunID}},
	}
	for _, c := range r.Cases {
		jc := junitCase{Name: c.Name, Classname: "contract." + string(c.Kind), Time: seconds(c.Duration)}
		if c.Status == StatusSkip || c.Status == StatusNotRun {
			jc.Skipped = &junitSkipped{Message: c.SkipReason}
		}
		for _, fl := range c.Failures {
			text := fmt.Sprintf("expected: %s\ngot: %s\n", fl.Expected, fl.Got)
			text += reproText(fl, "")
			jc.Failures = append(jc.Failures, junitFailure{Message: fl.Check + ": " + truncate(fl.Got, 200), Type: fl.Check, Text: text})
		}
		set.Cases = append(set.Cases, jc)
	}
	doc := junitSuites{Name: "ncpmock contract", Tests: set.Tests, Failures: f, Skipped: s, Time: set.Time, Suites: []junitSet{set}}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

func seconds(d time.Duration) string { return fmt.Sprintf("%.3f", d.Seconds()) }

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "") + "..."
}
