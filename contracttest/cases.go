package contracttest

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/ncpmock/ncpmock/openapi"
)

// Kind says what a case expects of the server.
type Kind string

// The kinds of case.
const (
	// Positive cases send valid requests of new users: each must be created.
	Positive Kind = "positive"
	// Negative cases send invalid requests: each must be refused with a 400.
	Negative Kind = "negative"
	// Semantic cases check behaviour of this endpoint over several requests,
	// such as duplicate login IDs.
	Semantic Kind = "semantic"
	// Auth cases send a valid request that is not signed, or signed badly:
	// each must be refused with the API Gateway's 401, errorCode "200".
	// They run only when Config.Signer is set.
	Auth Kind = "auth"
)

// Case is one scenario of the suite.
type Case struct {
	// Name identifies the case in reports and in Config.Only and
	// Config.Skip: its kind, a slash, then more ("negative/params/type").
	Name string
	// Kind says what the case expects of the server.
	Kind Kind
	// Description says in a sentence what the case sends and expects.
	Description string
	// Writes is true for cases that create users on a correct server.
	Writes bool
	// NeedsKeys is true for cases that run only when Config.Signer is set;
	// without it they are skipped, with the reason.
	NeedsKeys bool

	run func(r *caseRun)
}

const jsonType = "application/json"

// buildCases returns every case of the suite, in the order they run. The
// bodies come from the spec through openapi's generator and are made here,
// before any case runs, so that --only and --skip do not change them.
func buildCases(s *suite) ([]*Case, error) {
	g, err := openapi.NewGenerator(s.cfg.Spec, openapi.GenConfig{
		Seed:          s.cfg.Seed,
		LoginIDPrefix: "ncpmock-" + s.cfg.RunID + "-",
		LoginIDDomain: s.cfg.LoginDomain,
	})
	if err != nil {
		var se *openapi.SchemaError
		if errors.As(err, &se) {
			return nil, fmt.Errorf("contracttest: %w", err)
		}
		return nil, &UsageError{Msg: err.Error()}
	}
	var cases []*Case
	add := func(c *Case, err error) error {
		if err == nil {
			cases = append(cases, c)
		}
		return err
	}
	typical, err := g.Valid(3)
	if err != nil {
		return nil, err
	}
	cases = append(cases, positive("positive/typical", "three typical users", typical))
	for _, name := range g.BoundaryNames() {
		bc, err := g.Boundary(name, 3)
		if err := add(positive("positive/boundary/"+name, bc.Note, bc), err); err != nil {
			return nil, err
		}
	}
	invalid, err := g.InvalidCases(1)
	if err != nil {
		return nil, err
	}
	for _, ic := range invalid {
		cases = append(cases, negative("negative/"+ic.Name, ic.Note, ic.Body, jsonType, ic.Want))
	}
	cases = append(cases,
		negative("negative/malformed-json", "a body that is not JSON", []byte(`{"params":[{"loginId":`), jsonType, nil),
		negative("negative/empty-body", "no body at all", nil, jsonType, nil),
		negative("negative/wrong-content-type", "a valid body sent as text/plain", typical.Body, "text/plain", nil),
	)
	for _, build := range []func(*openapi.Generator) (*Case, error){resubmitCase, duplicateInBatchCase} {
		if err := add(build(g)); err != nil {
			return nil, err
		}
	}
	// Last, so that adding them changed no body of the cases before.
	auth, err := authCases(g)
	if err != nil {
		return nil, err
	}
	return append(cases, auth...), nil
}

func positive(name, description string, body *openapi.Case) *Case {
	return &Case{Name: name, Kind: Positive, Description: description, Writes: true, run: func(r *caseRun) {
		r.expectCreated(r.send(body.Body, jsonType), body.LoginIDs)
	}}
}

// negative sends a body that breaks want (nil: the body as a whole).
func negative(name, description string, body []byte, contentType string, want *openapi.Problem) *Case {
	return &Case{Name: name, Kind: Negative, Description: description, run: func(r *caseRun) {
		r.expectRejected(r.send(body, contentType), want)
	}}
}

// resubmitCase creates two users, then sends the first again beside a new
// one: the old one must fail with a message, the new one be created.
func resubmitCase(g *openapi.Generator) (*Case, error) {
	first, err := g.Valid(2)
	if err != nil {
		return nil, err
	}
	fresh, err := g.Valid(1)
	if err != nil {
		return nil, err
	}
	again, err := joinUsers(first, 0, fresh, 0)
	if err != nil {
		return nil, err
	}
	ids := []string{first.LoginIDs[0], fresh.LoginIDs[0]}
	return &Case{Name: "semantic/resubmit-duplicate", Kind: Semantic, Writes: true,
		Description: "a login ID created earlier fails with a message; the new user beside it is created",
		run: func(r *caseRun) {
			if r.expectCreated(r.send(first.Body, jsonType), first.LoginIDs) == nil {
				return
			}
			r.expectDuplicates(r.send(again, jsonType), ids, []bool{false, true}, CheckDuplicateRejected)
		}}, nil
}

// duplicateInBatchCase sends a batch whose last user repeats the first's
// login ID: the repeat fails, the others are created.
func duplicateInBatchCase(g *openapi.Generator) (*Case, error) {
	dup, err := g.DuplicateLoginIDs(3)
	if err != nil {
		return nil, err
	}
	want := make([]bool, len(dup.LoginIDs))
	for i := range want {
		want[i] = i < len(want)-1
	}
	return &Case{Name: "semantic/duplicate-in-batch", Kind: Semantic, Writes: true,
		Description: "a login ID repeated within a batch fails for the repeat only",
		run: func(r *caseRun) {
			r.expectDuplicates(r.send(dup.Body, jsonType), dup.LoginIDs, want, CheckDuplicateInBatch)
		}}, nil
}

// joinUsers makes a body of user i of a and user j of b.
func joinUsers(a *openapi.Case, i int, b *openapi.Case, j int) ([]byte, error) {
	var ba, bb struct {
		Params []json.RawMessage `json:"params"`
	}
	if err := json.Unmarshal(a.Body, &ba); err != nil {
		return nil, err
	}
	if err := json.Unmarshal(b.Body, &bb); err != nil {
		return nil, err
	}
	return json.Marshal(map[string][]json.RawMessage{"params": {ba.Params[i], bb.Params[j]}})
}

// expectDuplicates checks a 200 answer where want[i] says whether user i
// must be created; users that must not have to fail with a message.
func (r *caseRun) expectDuplicates(ex *Exchange, ids []string, want []bool, check string) {
	if ex == nil {
		return
	}
	if ex.Status != 200 {
		r.fail(ex, check, "200 with one result per user", describe(ex))
		return
	}
	results := r.checkResults(ex, ids)
	for i, res := range results {
		switch {
		case want[i] && res.Success != true:
			r.fail(ex, check, fmt.Sprintf("%s (result %d) created", ids[i], i), fmt.Sprintf("success %s, message %s", jsonText(res.Success), jsonText(res.Message)))
		case !want[i] && res.Success != false:
			r.fail(ex, check, fmt.Sprintf("%s (result %d) refused as a duplicate", ids[i], i), fmt.Sprintf("success %s", jsonText(res.Success)))
		case !want[i] && (res.Message == nil || res.Message == ""):
			r.fail(ex, check, fmt.Sprintf("a message saying why %s (result %d) was refused", ids[i], i), fmt.Sprintf("message %s", jsonText(res.Message)))
		}
	}
}
