package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/ncpmock/ncpmock/mock"
	"github.com/ncpmock/ncpmock/openapi"
)

type genOptions struct {
	count     int
	users     int
	seed      seedFlag
	mode      string
	rule      string
	locale    string
	format    string
	out       string
	specFile  string
	listRules bool
	annotated bool
	duplicate bool
	strict    bool
	bom       bool
	prefix    string
	domain    string
	skipped   int // invalid cases CSV cannot carry
}

func genFlags(fs *flag.FlagSet) func(context.Context, *env, []string) error {
	o := &genOptions{}
	fs.IntVar(&o.count, "count", 1, "`N` rounds: N bodies in valid mode, every boundary or invalid case N times")
	fs.IntVar(&o.users, "users", 1, "`M` users per body (csv in valid mode: any number of rows)")
	fs.Var(&o.seed, "seed", "seed `S` of every random choice (default: random, printed on stderr)")
	fs.StringVar(&o.mode, "mode", "valid", "valid, boundary (values at their limits) or invalid (one broken rule per body, or a value's two length limits that only break together)")
	fs.StringVar(&o.rule, "rule", "", "only the case `NAME` (see --list-rules), in boundary or invalid mode")
	fs.StringVar(&o.locale, "locale", openapi.LocaleEnglish, "data language: en or ko (Hangul names and text)")
	fs.StringVar(&o.format, "format", "json", "json (one body, or an array of them), ndjson (a body a line) or csv (a user a row)")
	fs.StringVar(&o.out, "out", "", "write to `FILE` instead of stdout")
	fs.StringVar(&o.specFile, "spec", "", "OpenAPI spec `file` to generate from instead of the embedded one")
	fs.BoolVar(&o.annotated, "annotated", false, "json and ndjson: wrap each body as {\"case\",\"mode\",\"note\",\"users\",\"want\",\"body\"}, want being the answer the spec asks for")
	fs.BoolVar(&o.duplicate, "duplicate", false, "valid mode: the last user of each body repeats the first user's login ID (needs --users 2 or more)")
	fs.BoolVar(&o.strict, "strict", false, "invalid mode: also one body per object with an undeclared property, as serve --strict rejects")
	fs.BoolVar(&o.bom, "bom", false, "csv: start with a UTF-8 byte order mark, so that spreadsheets read Hangul right")
	fs.StringVar(&o.prefix, "login-prefix", "", "valid login IDs are `P`<n>@<domain>, n counting from 1 (a run's own prefix keeps runs apart, and finds their users again)")
	fs.StringVar(&o.domain, "login-domain", "", "`domain` of login IDs and emails (default: example.com, .org or .net)")
	fs.BoolVar(&o.listRules, "list-rules", false, "list every rule invalid mode can break (and why some cannot be broken alone), and the boundary cases")
	return func(ctx context.Context, e *env, args []string) error {
		if len(args) > 0 {
			return &usageError{msg: fmt.Sprintf("gen: unexpected argument %q", args[0])}
		}
		return gen(ctx, e, o)
	}
}

func gen(ctx context.Context, e *env, o *genOptions) error {
	if err := o.check(); err != nil {
		return err
	}
	seedGiven := o.seed.set
	g, err := o.generator(e)
	if err != nil {
		return err
	}
	if o.listRules {
		return listRules(e.stdout, g)
	}
	plan, err := o.plan(g)
	if err != nil {
		return err
	}
	if !seedGiven {
		fmt.Fprintf(e.stderr, "ncpmock: gen seed %d (replay with --seed %d)\n", g.Seed(), g.Seed())
	}
	if o.skipped > 0 {
		fmt.Fprintf(e.stderr, "ncpmock: CSV carries %d of the %d invalid cases; the other %d (wrong types, nulls, counts) need --format json or ndjson\n",
			len(plan), len(plan)+o.skipped, o.skipped)
	}
	return o.writeTo(e, func(w io.Writer) error { return o.emit(ctx, e, g, plan, newWants(g), w) })
}

func (o *genOptions) check() error {
	switch {
	case o.count < 1:
		return &usageError{msg: fmt.Sprintf("gen: --count %d: want 1 or more", o.count)}
	case o.users < 0:
		return &usageError{msg: fmt.Sprintf("gen: --users %d: want 0 or more (as many as the spec allows)", o.users)}
	case !slices.Contains([]string{"valid", "boundary", "invalid"}, o.mode):
		return &usageError{msg: fmt.Sprintf("gen: --mode %q: want valid, boundary or invalid", o.mode)}
	case !slices.Contains([]string{"json", "ndjson", "csv"}, o.format):
		return &usageError{msg: fmt.Sprintf("gen: --format %q: want json, ndjson or csv", o.format)}
	case !slices.Contains([]string{openapi.LocaleEnglish, openapi.LocaleKorean}, o.locale):
		return &usageError{msg: fmt.Sprintf("gen: --locale %q: want en or ko", o.locale)}
	case o.rule != "" && o.mode == "valid":
		return &usageError{msg: "gen: --rule picks a boundary or invalid case; add --mode boundary or --mode invalid"}
	case o.duplicate && o.mode != "valid":
		return &usageError{msg: fmt.Sprintf("gen: --duplicate is for --mode valid, not %s", o.mode)}
	case o.duplicate && o.users < 2:
		return &usageError{msg: fmt.Sprintf("gen: --duplicate: --users %d: want 2 or more, the first user and its repeat", o.users)}
	case o.strict && o.mode != "invalid" && !o.listRules:
		return &usageError{msg: fmt.Sprintf("gen: --strict is for --mode invalid, not %s", o.mode)}
	case o.annotated && o.format == "csv":
		return &usageError{msg: "gen: --annotated is for --format json or ndjson; a CSV row has no room for it"}
	case o.bom && o.format != "csv":
		return &usageError{msg: fmt.Sprintf("gen: --bom is for --format csv, not %s", o.format)}
	}
	return nil
}

func (o *genOptions) generator(e *env) (*openapi.Generator, error) {
	spec, err := loadSpecFlag(e, "gen", o.specFile)
	if err != nil {
		return nil, err
	}
	if spec == nil {
		if spec, err = openapi.Embedded(); err != nil {
			return nil, fmt.Errorf("gen: %w", err)
		}
	}
	g, err := openapi.NewGenerator(spec, openapi.GenConfig{Seed: o.seed.value(), Locale: o.locale, Strict: o.strict,
		LoginIDPrefix: o.prefix, LoginIDDomain: o.domain})
	var unsupported *openapi.SchemaError
	if o.specFile != "" && errors.As(err, &unsupported) {
		return nil, &usageError{msg: fmt.Sprintf("gen: --spec %s: %v", o.specFile, unsupported)}
	}
	if err != nil && (o.prefix != "" || o.domain != "") && !errors.Is(err, openapi.ErrUnsupportedSchema) {
		// Most likely the prefix or domain makes login IDs the spec refuses.
		return nil, &usageError{msg: "gen: --login-prefix/--login-domain: " + err.Error()}
	}
	if err != nil {
		return nil, fmt.Errorf("gen: %w", err)
	}
	return g, nil
}

// maker makes one case of a round.
type maker func() (*openapi.Case, error)

// step is a maker and how many times in a row a round runs it, so that a
// round of many like bodies (a billion CSV rows) is planned in constant
// memory.
type step struct {
	make  maker
	times int
}

// plan lists the cases of one round, checking the user count and rule first.
func (o *genOptions) plan(g *openapi.Generator) ([]step, error) {
	lo, hi := g.UserRange()
	chunked := o.mode == "valid" && o.format == "csv" && !o.duplicate
	if o.users < lo || !chunked && hi >= 0 && o.users > hi {
		return nil, &usageError{msg: fmt.Sprintf("gen: --users %d: the spec allows %d to %d users per body; use --count for more bodies",
			o.users, lo, hi)}
	}
	switch o.mode {
	case "valid":
		if o.duplicate {
			return []step{{func() (*openapi.Case, error) { return g.DuplicateLoginIDs(o.users) }, 1}}, nil
		}
		return validPlan(g, o.users, hi), nil
	case "boundary":
		return o.boundaryPlan(g)
	}
	return o.invalidPlan(g)
}

// validPlan makes users in bodies of at most hi users (CSV rows need not
// fit in one request): as many full bodies as fit, then the rest.
func validPlan(g *openapi.Generator, users, hi int) []step {
	body := func(n int) maker { return func() (*openapi.Case, error) { return g.Valid(n) } }
	if hi <= 0 || users <= hi {
		return []step{{body(users), 1}}
	}
	plan := []step{{body(hi), users / hi}}
	if rest := users % hi; rest > 0 {
		plan = append(plan, step{body(rest), 1})
	}
	return plan
}

func (o *genOptions) boundaryPlan(g *openapi.Generator) ([]step, error) {
	names := g.BoundaryNames()
	if o.rule != "" {
		if !slices.Contains(names, o.rule) {
			return nil, &usageError{msg: fmt.Sprintf("gen: --rule %q: no such boundary case; the spec gives rise to %s",
				o.rule, strings.Join(names, ", "))}
		}
		names = []string{o.rule}
	}
	plan := make([]step, len(names))
	for i, name := range names {
		plan[i] = step{func() (*openapi.Case, error) { return g.Boundary(name, o.users) }, 1}
	}
	return plan, nil
}

// invalidPlan makes one body per rule Invalid makes a case of (or the
// --rule one). CSV cannot carry some (wrong types, nulls, item counts):
// they are left out and counted in o.skipped.
func (o *genOptions) invalidPlan(g *openapi.Generator) ([]step, error) {
	var names []string
	for _, r := range g.Rules() {
		switch {
		case o.rule != "" && r.Name != o.rule:
		case !generated(r) && o.rule != "":
			return nil, &usageError{msg: fmt.Sprintf("gen: --rule %q cannot be broken alone: %s", o.rule, r.Reason)}
		case !generated(r):
		case o.format == "csv" && !r.Tabular && o.rule != "":
			return nil, &usageError{msg: fmt.Sprintf("gen: --rule %q: CSV cannot carry this case; use --format json or ndjson", o.rule)}
		case o.format == "csv" && !r.Tabular:
			o.skipped++
		default:
			names = append(names, r.Name)
		}
	}
	if len(names) == 0 && o.skipped == 0 {
		return nil, &usageError{msg: fmt.Sprintf("gen: --rule %q: no such rule%s (see --list-rules)", o.rule, suggestRules(g, o.rule))}
	}
	plan := make([]step, len(names))
	for i, name := range names {
		plan[i] = step{func() (*openapi.Case, error) { return g.Invalid(name, o.users) }, 1}
	}
	return plan, nil
}

// generated reports whether invalid mode makes a case of r: a rule broken
// alone, or a length rule broken with its sibling (Rule.With), as
// Generator.InvalidCases does.
func generated(r openapi.Rule) bool { return r.Isolatable || r.With != "" }

// suggestRules names the rules whose name contains the last part of name.
func suggestRules(g *openapi.Generator, name string) string {
	part := name[strings.LastIndexAny(name, "./[")+1:]
	if len(part) < 3 {
		return "" // "x" is in half the rule names
	}
	var hits []string
	for _, r := range g.Rules() {
		if part != "" && strings.Contains(strings.ToLower(r.Name), strings.ToLower(part)) && generated(r) {
			hits = append(hits, r.Name)
		}
	}
	if len(hits) == 0 || len(hits) > 8 {
		return ""
	}
	return "; did you mean " + strings.Join(hits, ", ") + "?"
}

// writeTo runs write on stdout or on the --out file, buffered.
func (o *genOptions) writeTo(e *env, write func(io.Writer) error) (err error) {
	var w io.Writer = e.stdout
	if o.out != "" {
		f, err := os.Create(o.out)
		if err != nil {
			return fmt.Errorf("gen: %w", err)
		}
		defer func() {
			if cerr := f.Close(); err == nil && cerr != nil {
				err = fmt.Errorf("gen: %w", cerr)
			}
		}()
		w = f
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	if err := write(bw); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("gen: %w", err)
	}
	return nil
}

// emit makes every case of every round and writes it as soon as it is made,
// so memory stays flat however many there are.
func (o *genOptions) emit(ctx context.Context, e *env, g *openapi.Generator, plan []step, ws wants, w io.Writer) error {
	// More than one body (the sum could overflow, so no product).
	many := o.count > 1 || len(plan) > 1 || len(plan) == 1 && plan[0].times > 1
	s := newSink(o, w, g, ws, many)
	leftOut := map[string]bool{} // boundary cases CSV cannot carry
	for range o.count {
		for _, st := range plan {
			for range st.times {
				if err := ctx.Err(); err != nil {
					return err
				}
				cs, err := st.make()
				if err != nil {
					return fmt.Errorf("gen: %w", err)
				}
				if leftOut[cs.Name] {
					continue
				}
				where, err := s.write(cs)
				if errors.Is(err, openapi.ErrNotTabular) && cs.Mode == openapi.ModeBoundary {
					// A value CSV cannot tell from an absent one (an
					// empty string): the row would be another case.
					if o.rule != "" {
						return &usageError{msg: fmt.Sprintf("gen: --rule %s: CSV cannot carry this case (%v); use --format json or ndjson", o.rule, err)}
					}
					leftOut[cs.Name] = true
					fmt.Fprintf(e.stderr, "ncpmock: boundary case %s left out: %v; use --format json or ndjson for it\n", cs.Name, err)
					continue
				}
				if err != nil {
					return fmt.Errorf("gen: %w", err)
				}
				annotate(e.stderr, cs, ws.of(cs), where)
			}
		}
	}
	return s.close()
}

// wants finds the problems a validator must report for an invalid case:
// Case.Want, and for a rule with a With the With rule of the same field.
type wants map[string]string // rule name to its With

func newWants(g *openapi.Generator) wants {
	ws := wants{}
	for _, r := range g.Rules() {
		if r.With != "" {
			ws[r.Name] = r.With
		}
	}
	return ws
}

// of returns every problem the case must get, Case.Want first; none for a
// valid or boundary case.
func (ws wants) of(cs *openapi.Case) []openapi.Problem {
	if cs.Want == nil {
		return nil
	}
	out := []openapi.Problem{{Field: cs.Want.Field, Rule: cs.Want.Rule}}
	if with := ws[cs.Name]; with != "" && cs.Mode == openapi.ModeInvalid {
		out = append(out, openapi.Problem{Field: cs.Want.Field, Rule: with})
	}
	return out
}

// annotate says on stderr what a boundary or invalid body is for.
func annotate(w io.Writer, cs *openapi.Case, want []openapi.Problem, where string) {
	switch {
	case cs.Mode == openapi.ModeValid && cs.Note != "":
		fmt.Fprintf(w, "ncpmock: %s: %s\n", where, cs.Note)
	case cs.Mode == openapi.ModeBoundary:
		fmt.Fprintf(w, "ncpmock: %s: %s: %s\n", where, cs.Name, cs.Note)
	case cs.Mode == openapi.ModeInvalid:
		fmt.Fprintf(w, "ncpmock: %s: %s: %s; want %s\n", where, cs.Name, cs.Note, wantText(want))
	}
}

// wantText names the problems: "params[0].description maxLength and
// maxBytes" for two of one field.
func wantText(ps []openapi.Problem) string {
	var b strings.Builder
	for i, p := range ps {
		switch {
		case i > 0 && p.Field == ps[i-1].Field:
			b.WriteString(" and " + p.Rule)
			continue
		case i > 0:
			b.WriteString(" and ")
		}
		if p.Field != "" {
			b.WriteString(p.Field + " ")
		}
		b.WriteString(p.Rule)
	}
	return b.String()
}

// sink writes cases in one format.
type sink interface {
	// write writes a case and says where it went, such as "body 3" or "rows 4-6".
	write(cs *openapi.Case) (where string, err error)
	close() error
}

func newSink(o *genOptions, w io.Writer, g *openapi.Generator, ws wants, many bool) sink {
	switch o.format {
	case "ndjson":
		return &ndjsonSink{w: w, annotated: o.annotated, wants: ws}
	case "csv":
		return &csvSink{w: csv.NewWriter(w), raw: w, g: g, bom: o.bom}
	}
	return &jsonSink{w: w, array: many, annotated: o.annotated, wants: ws}
}

// annotatedCase is a case as --annotated writes it: the body with what it is
// for and the answer the spec asks for, so that a file of cases can drive a
// test without the stderr notes.
type annotatedCase struct {
	Case  string          `json:"case"`
	Mode  openapi.Mode    `json:"mode"`
	Note  string          `json:"note,omitempty"`
	Users int             `json:"users"`
	Want  annotatedWant   `json:"want"`
	Body  json.RawMessage `json:"body"`
}

// annotatedWant is the answer a case should get: 200 for a valid or
// boundary body, with the users that fail (none but --duplicate's repeat;
// the others are created), or 400 with the problem of an invalid one
// (field "" for the body as a whole) and, for a length rule broken with its
// sibling (Rule.With), that sibling in also: the problems a validator
// reports are field and rule, and those of also, and no other.
type annotatedWant struct {
	Status int                `json:"status"`
	Failed []annotatedUser    `json:"failed,omitempty"`
	Field  *string            `json:"field,omitempty"`
	Rule   string             `json:"rule,omitempty"`
	Also   []annotatedProblem `json:"also,omitempty"`
}

// annotatedProblem is a further problem of an invalid case.
type annotatedProblem struct {
	Field string `json:"field"`
	Rule  string `json:"rule"`
}

// annotatedUser is a user a 200 answers with success false.
type annotatedUser struct {
	Index   int    `json:"index"` // from 0, in the body's order
	Message string `json:"message"`
}

// annotatedJSON returns the case wrapped as --annotated writes it, compact.
func annotatedJSON(cs *openapi.Case, ws wants) ([]byte, error) {
	name := cs.Name
	if name == "" {
		name = string(cs.Mode)
	}
	a := annotatedCase{Case: name, Mode: cs.Mode, Note: cs.Note, Users: cs.Users,
		Want: annotatedWant{Status: 200}, Body: cs.Body}
	for _, i := range cs.Duplicates {
		a.Want.Failed = append(a.Want.Failed, annotatedUser{Index: i, Message: mock.MsgDuplicateLoginID})
	}
	if cs.Want != nil {
		a.Want = annotatedWant{Status: 400, Field: &cs.Want.Field, Rule: cs.Want.Rule}
		for _, p := range ws.of(cs)[1:] {
			a.Want.Also = append(a.Want.Also, annotatedProblem{Field: p.Field, Rule: p.Rule})
		}
	}
	return json.Marshal(a)
}

// caseJSON returns what a JSON sink writes of a case: its body, or with
// --annotated the body wrapped.
func caseJSON(cs *openapi.Case, annotated bool, ws wants) ([]byte, error) {
	if annotated {
		return annotatedJSON(cs, ws)
	}
	return cs.Body, nil
}

// jsonSink writes one indented body, or an array of them.
type jsonSink struct {
	w         io.Writer
	array     bool
	annotated bool
	wants     wants
	n         int
	buf       bytes.Buffer
}

func (s *jsonSink) write(cs *openapi.Case) (string, error) {
	s.n++
	prefix, indent := "", "  "
	if s.array {
		prefix = "  "
		if err := writeString(s.w, map[bool]string{true: "[\n  ", false: ",\n  "}[s.n == 1]); err != nil {
			return "", err
		}
	}
	body, err := caseJSON(cs, s.annotated, s.wants)
	if err != nil {
		return "", err
	}
	s.buf.Reset()
	if err := json.Indent(&s.buf, body, prefix, indent); err != nil {
		return "", err
	}
	if !s.array {
		s.buf.WriteByte('\n')
	}
	_, err = s.buf.WriteTo(s.w)
	return fmt.Sprintf("body %d", s.n), err
}

func (s *jsonSink) close() error {
	if s.array {
		return writeString(s.w, "\n]\n")
	}
	return nil
}

// ndjsonSink writes a compact body a line.
type ndjsonSink struct {
	w         io.Writer
	annotated bool
	wants     wants
	n         int
}

func (s *ndjsonSink) write(cs *openapi.Case) (string, error) {
	s.n++
	body, err := caseJSON(cs, s.annotated, s.wants)
	if err != nil {
		return "", err
	}
	if _, err := s.w.Write(body); err != nil {
		return "", err
	}
	return fmt.Sprintf("line %d", s.n), writeString(s.w, "\n")
}

func (s *ndjsonSink) close() error { return nil }

// csvSink writes a header line, then a row a user. Cells are written as the
// data is (encoding/csv quotes as RFC 4180 asks, but ends lines with \n, as
// upload screens and spreadsheets take); a cell that starts with
// =, +, - or @ is not prefixed with ' against spreadsheet formula injection,
// as that would change the value an upload screen receives.
type csvSink struct {
	w      *csv.Writer
	raw    io.Writer // under w, for the BOM, which encoding/csv would quote
	g      *openapi.Generator
	bom    bool
	rows   int
	header bool
}

func (s *csvSink) writeHeader() error {
	if s.header {
		return nil
	}
	s.header = true
	if s.bom {
		// Nothing is written before the header, so w holds nothing yet.
		if err := writeString(s.raw, "\ufeff"); err != nil {
			return err
		}
	}
	return s.w.Write(s.g.CSVHeader())
}

func (s *csvSink) write(cs *openapi.Case) (string, error) {
	recs, err := s.g.CSVRecords(cs)
	if err != nil {
		return "", err
	}
	if err := s.writeHeader(); err != nil {
		return "", err
	}
	first := s.rows + 1
	for _, rec := range recs {
		if err := s.w.Write(rec); err != nil {
			return "", err
		}
		s.rows++
	}
	return fmt.Sprintf("rows %d-%d", first, s.rows), s.w.Error()
}

func (s *csvSink) close() error {
	if err := s.writeHeader(); err != nil {
		return err
	}
	s.w.Flush()
	return s.w.Error()
}

// sibling names r's With rule with its limit, such as "maxBytes 300".
func sibling(rules []openapi.Rule, r openapi.Rule) string {
	for _, o := range rules {
		if o.Path == r.Path && o.Rule == r.With {
			return o.Rule + " " + o.Limit
		}
	}
	return r.With
}

func writeString(w io.Writer, s string) error {
	_, err := io.WriteString(w, s)
	return err
}

// listRules prints every rule of invalid mode, with why some cannot be
// broken alone (and which of those are broken with their sibling length
// rule), and the boundary cases.
func listRules(w io.Writer, g *openapi.Generator) error {
	rules := g.Rules()
	nameW, ruleW := len("RULE"), len("REPORTS")
	for _, r := range rules {
		nameW, ruleW = max(nameW, len(r.Name)), max(ruleW, len(r.Rule))
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%-*s  %-*s  %-3s  %s\n", nameW, "RULE", ruleW, "REPORTS", "CSV", "LIMIT")
	for _, r := range rules {
		csvOK := map[bool]string{true: "yes", false: "no"}[r.Tabular]
		if !generated(r) {
			csvOK = "-"
		}
		fmt.Fprintf(&b, "%-*s  %-*s  %-3s  %s\n", nameW, r.Name, ruleW, r.Rule, csvOK, r.Limit)
		switch {
		case r.With != "":
			fmt.Fprintf(&b, "    breaks %s too: %s\n", sibling(rules, r), r.Reason)
		case !r.Isolatable:
			fmt.Fprintf(&b, "    not isolatable: %s\n", r.Reason)
		}
	}
	b.WriteString("\nBoundary cases (--mode boundary --rule NAME):\n")
	for _, name := range g.BoundaryNames() {
		fmt.Fprintf(&b, "  %-*s  %s\n", len(openapi.BoundaryMaxProperties), name, openapi.BoundaryNote(name))
	}
	return writeString(w, b.String())
}
