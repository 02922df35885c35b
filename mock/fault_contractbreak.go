package mock

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/ncpmock/ncpmock/openapi"
)

// Variants of ContractBreakFault. Their names are stable: contract suites and
// client tests refer to them.
const (
	// BreakWrongType gives Field a value of the wrong JSON type in every
	// result (a boolean becomes the string "true", a string the number 12345).
	BreakWrongType = "wrong-type"
	// BreakMissingField leaves the required Field out of every result.
	BreakMissingField = "missing-field"
	// BreakTooFew leaves the last result out: one result too few.
	BreakTooFew = "too-few"
	// BreakExtraResult adds a result for a user nobody asked for.
	BreakExtraResult = "extra-result"
)

// breakVariants lists the variants in the order documentation shows them.
func breakVariants() []string {
	return []string{BreakWrongType, BreakMissingField, BreakTooFew, BreakExtraResult}
}

// ContractBreakFault answers 200 with results that violate the spec, after
// handling the request as usual (users are created). A contract suite must
// catch every variant; client teams can see how their code copes.
//
// Header: contract-break=wrong-type, contract-break=missing-field; field=name,
// contract-break=too-few, contract-break=extra-result.
type ContractBreakFault struct {
	// Variant is one of wrong-type, missing-field, too-few, extra-result.
	Variant string `json:"variant"`
	// Field is the result field that wrong-type and missing-field break:
	// success (default) or name (both required), or id, nrn, message.
	Field string `json:"field,omitempty"`
}

// Kind returns "contract-break".
func (*ContractBreakFault) Kind() string { return KindContractBreak }

func (f *ContractBreakFault) check() error {
	if !slices.Contains(breakVariants(), f.Variant) {
		return fmt.Errorf("variant %q: want one of %s", f.Variant, strings.Join(breakVariants(), ", "))
	}
	fieldBreak := f.Variant == BreakWrongType || f.Variant == BreakMissingField
	if !fieldBreak && f.Field != "" {
		return fmt.Errorf("field: only for %s and %s", BreakWrongType, BreakMissingField)
	}
	if fieldBreak && f.Field == "" {
		f.Field = "success"
	}
	if fields := []string{"id", "nrn", "name", "success", "message"}; fieldBreak && !slices.Contains(fields, f.Field) {
		return fmt.Errorf("field %q: want one of %s", f.Field, strings.Join(fields, ", "))
	}
	return nil
}

func (f *ContractBreakFault) apply(x *exchange) error {
	x.breaker = f
	return nil
}

// breakResults returns the JSON of results, broken as the variant says.
func (f *ContractBreakFault) breakResults(x *exchange, results []openapi.UserResult) ([]byte, error) {
	switch f.Variant {
	case BreakTooFew:
		return json.Marshal(results[:max(0, len(results)-1)])
	case BreakExtraResult:
		id := x.s.faker.Load().UUID()
		extra := openapi.UserResult{ID: id, NRN: x.s.nrn(id), Name: "extra-result@ncpmock.test", Success: true}
		return json.Marshal(append(slices.Clip(results), extra))
	}
	data, err := json.Marshal(results)
	if err != nil {
		return nil, err
	}
	var items []map[string]any
	if err := json.Unmarshal(data, &items); err != nil {
		return nil, err
	}
	for _, item := range items {
		f.breakItem(item)
	}
	return json.Marshal(items)
}

func (f *ContractBreakFault) breakItem(item map[string]any) {
	if f.Variant == BreakMissingField {
		delete(item, f.Field)
		return
	}
	switch v := item[f.Field].(type) {
	case bool:
		item[f.Field] = fmt.Sprint(v)
	default:
		item[f.Field] = 12345
	}
}

// answerBroken answers 200 with results broken by the request's
// contract-break fault.
func (x *exchange) answerBroken(results []openapi.UserResult) error {
	data, err := x.breaker.breakResults(x, results)
	if err != nil {
		return err
	}
	return x.JSONBlob(http.StatusOK, append(data, '\n')) // as c.JSON ends its answers
}
