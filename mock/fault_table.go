package mock

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
)

// Errors of the fault rule table, answered 404 and 409 by the admin API.
var (
	ErrRuleNotFound = errors.New("no fault rule with that id")
	ErrRuleExists   = errors.New("a fault rule with this id exists")
)

// faultTable holds the active fault rules and their counters. It is safe for
// concurrent use; reads on the hot path are one atomic load.
type faultTable struct {
	size   atomic.Int64 // len(rules), read without the lock
	routes []apiRoute   // the routes faults act on, which every rule must reach

	mu      sync.Mutex
	rules   []*compiledRule
	nextID  int
	initial []compiledRule // the rules of Config.Faults as added, restored by reset
	initID  int            // nextID after adding them
}

func newFaultTable(initial []Rule, routes []apiRoute) (*faultTable, error) {
	t := &faultTable{routes: routes}
	if _, err := t.add(initial...); err != nil {
		return nil, err
	}
	for _, c := range t.rules {
		t.initial = append(t.initial, *c)
	}
	t.initID = t.nextID
	return t, nil
}

// empty reports, without locking, whether there is no rule at all.
func (t *faultTable) empty() bool { return t.size.Load() == 0 }

// add checks every rule and adds them all, or none when one is wrong. Rules
// without an ID get one. It returns the rules as added.
func (t *faultTable) add(rules ...Rule) ([]Rule, error) {
	compiled := make([]*compiledRule, len(rules))
	for i, r := range rules {
		c, err := compileRule(r)
		if err == nil {
			err = t.checkReach(c)
		}
		if err != nil {
			return nil, &FaultError{Where: ruleWhere(i+1, r.ID), Err: err}
		}
		compiled[i] = c
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	taken := make(map[string]bool, len(t.rules)+len(rules))
	for _, c := range t.rules {
		taken[c.rule.ID] = true
	}
	added := make([]Rule, len(compiled))
	for i, c := range compiled {
		if c.rule.ID == "" {
			c.rule.ID = t.freeID(taken)
		} else if taken[c.rule.ID] {
			return nil, &FaultError{Where: ruleWhere(i+1, c.rule.ID), Err: ErrRuleExists}
		}
		taken[c.rule.ID] = true
		added[i] = c.rule.clone()
	}
	t.rules = append(slices.Clip(t.rules), compiled...)
	t.size.Store(int64(len(t.rules)))
	return added, nil
}

func (t *faultTable) freeID(taken map[string]bool) string {
	for {
		t.nextID++
		id := "rule-" + strconv.Itoa(t.nextID)
		if !taken[id] {
			return id
		}
	}
}

// list returns every rule with its counters, in the order they apply.
func (t *faultTable) list() []RuleStatus {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make([]RuleStatus, len(t.rules))
	for i, c := range t.rules {
		out[i] = c.status()
	}
	return out
}

// get returns the rule with the given id.
func (t *faultTable) get(id string) (RuleStatus, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, c := range t.rules {
		if c.rule.ID == id {
			return c.status(), nil
		}
	}
	return RuleStatus{}, fmt.Errorf("%w: %q", ErrRuleNotFound, id)
}

// remove deletes the rule with the given id and returns it as it was.
func (t *faultTable) remove(id string) (RuleStatus, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for i, c := range t.rules {
		if c.rule.ID == id {
			t.rules = slices.Delete(slices.Clone(t.rules), i, i+1)
			t.size.Store(int64(len(t.rules)))
			return c.status(), nil
		}
	}
	return RuleStatus{}, fmt.Errorf("%w: %q", ErrRuleNotFound, id)
}

// clear deletes every rule and returns how many there were.
func (t *faultTable) clear() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	n := len(t.rules)
	t.rules = nil
	t.size.Store(0)
	return n
}

// reset goes back to the rules of Config.Faults, with fresh counters.
func (t *faultTable) reset() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.rules = make([]*compiledRule, len(t.initial))
	for i := range t.initial {
		c := t.initial[i] // a copy: the counters start afresh
		c.rule = c.rule.clone()
		t.rules[i] = &c
	}
	t.nextID = t.initID
	t.size.Store(int64(len(t.rules)))
}

// choose picks the rules that fire on x's request and schedules their faults:
// every latency rule that fires, and at most one rule of any other kind (the
// first that fires, unless x already has one).
func (t *faultTable) choose(x *exchange, r *http.Request, loginIDs []string, bulk bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, c := range t.rules {
		if !bulk && (c.rule.Match.Path == "" || bulkOnly(c.rule.Fault.Kind())) {
			continue // see injectFaults
		}
		if !c.matches(r, loginIDs) {
			continue
		}
		c.matched++
		if c.remaining == 0 || !c.latency && x.terminal != nil {
			continue
		}
		if !x.roll(c.rule.Probability) {
			continue
		}
		c.hits++
		if c.remaining > 0 {
			c.remaining--
		}
		x.schedule(c.rule.Fault, AppliedFault{Kind: c.rule.Fault.Kind(), Source: SourceRule, Rule: c.rule.ID})
	}
}

// needsLoginIDs reports whether some rule matches on loginIds, so that the
// body must be read before choosing.
func (t *faultTable) needsLoginIDs() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, c := range t.rules {
		if c.loginID != nil {
			return true
		}
	}
	return false
}
