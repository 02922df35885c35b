package openapi

import (
	"errors"
	"fmt"
	"strconv"
	"sync"

	"github.com/brianvoe/gofakeit/v7"
	"github.com/getkin/kin-openapi/openapi3"
)

// Mode is a kind of generated body.
type Mode string

// The modes of generation.
const (
	// ModeValid makes typical, realistic bodies the spec accepts.
	ModeValid Mode = "valid"
	// ModeBoundary makes bodies the spec accepts with values at their limits.
	ModeBoundary Mode = "boundary"
	// ModeInvalid makes bodies that each break exactly one rule of the spec.
	ModeInvalid Mode = "invalid"
)

// ErrUserCount is matched by the error for a number of users the spec does
// not allow in one body.
var ErrUserCount = errors.New("user count out of range")

// GenConfig configures a Generator. The zero value is usable: seed 0,
// English data, login IDs like maya.gonzalez17@example.com.
type GenConfig struct {
	// Seed seeds every random choice: the same seed, config and sequence of
	// calls give the same bodies, byte for byte.
	Seed uint64
	// Locale is LocaleEnglish (default, "") or LocaleKorean.
	Locale string
	// LoginIDPrefix, when set, makes every valid login ID
	// <prefix><n>@<domain>, n counting the users of the Generator from 1
	// (boundary bodies lengthen it before the @ where a limit asks for it).
	// A contract suite sets it to "ncpmock-<run>-" to find its users again.
	LoginIDPrefix string
	// LoginIDDomain is the domain of login IDs and emails; default one of
	// example.com, example.org and example.net (reserved, never delivered).
	LoginIDDomain string
	// Strict makes invalid mode also add an undeclared property to each
	// object, as a Validator with ValidatorConfig.Strict rejects.
	Strict bool
}

// Generator makes request bodies of the createUsersBulk operation from the
// constraints of the spec: valid, at the boundaries, and breaking one rule
// at a time. It is safe for concurrent use; the bodies it returns depend on
// the order of the calls, so use one goroutine for a reproducible sequence.
type Generator struct {
	mu    sync.Mutex
	spec  *Spec
	cfg   GenConfig
	f     *gofakeit.Faker
	loc   *locale
	root  *genNode
	rows  *genNode // the array of users, nil when the body has none
	cols  []column
	seq   uint64
	rules []*ruleDef
}

// NewGenerator returns a Generator for the spec's request body. It returns an
// error for a schema it cannot generate (see ErrUnsupportedSchema) or a config
// whose login IDs the spec would refuse.
func NewGenerator(spec *Spec, cfg GenConfig) (*Generator, error) {
	if err := spec.Loaded(); err != nil {
		return nil, fmt.Errorf("new generator: %w", err)
	}
	loc, err := lookupLocale(cfg.Locale)
	if err != nil {
		return nil, fmt.Errorf("new generator: %w", err)
	}
	root, err := compileGenSchema(spec)
	if err != nil {
		return nil, fmt.Errorf("new generator: %w", err)
	}
	g := &Generator{spec: spec, cfg: cfg, f: NewFaker(cfg.Seed), loc: loc, root: root, rows: findRows(root)}
	if err := g.checkLoginIDs(); err != nil {
		return nil, fmt.Errorf("new generator: %w", err)
	}
	g.rules = g.findRules()
	g.cols = g.csvColumns()
	if err := g.probe(); err != nil {
		return nil, fmt.Errorf("new generator: %w", err)
	}
	return g, nil
}

// Seed returns the seed the Generator was made with.
func (g *Generator) Seed() uint64 { return g.cfg.Seed }

// UserRange returns how many users one body may hold: the minItems and
// maxItems of the array of users (max -1 when the spec sets none).
func (g *Generator) UserRange() (lo, hi int) {
	if g.rows == nil {
		return 0, -1
	}
	return g.rows.minItems, g.rows.maxItems
}

// Case is one generated request body with what it is meant to show.
type Case struct {
	// Mode is the mode that made the case.
	Mode Mode
	// Name is the boundary's or the broken rule's name; empty in valid mode.
	Name string
	// Body is the request body, compact JSON.
	Body []byte
	// Users is the number of users in the body's array of users.
	Users int
	// LoginIDs lists the login IDs of the body's users, in order.
	LoginIDs []string
	// Want is, in invalid mode, the problem a validator must report, and the
	// only one: its Field and Rule (Message is left empty). For a rule with
	// Rule.With, the validator reports the With rule of the same field too.
	Want *Problem
	// Duplicates lists, from 0, the users whose login ID repeats an
	// earlier user's in the body (DuplicateLoginIDs): the mock answers each
	// "Duplicate login ID." and creates the others (assumed of the service).
	Duplicates []int
	// Note says in words what the case does.
	Note string

	root    any
	tabular bool // CSVRecords can express the case
}

// Valid returns a typical body of the given number of users.
func (g *Generator) Valid(users int) (*Case, error) {
	if err := g.checkUsers(users); err != nil {
		return nil, err
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	c := g.newCtx(stTypical, users)
	return c.finish(ModeValid, "", c.value(g.root))
}

// DuplicateLoginIDs returns a valid body of the given number of users (at
// least 2) whose last user has the first user's login ID: the spec accepts it
// and the service answers that user with a per-user failure.
func (g *Generator) DuplicateLoginIDs(users int) (*Case, error) {
	if users < 2 {
		return nil, fmt.Errorf("duplicate login IDs: %w: need at least 2 users, got %d", ErrUserCount, users)
	}
	if err := g.checkUsers(users); err != nil {
		return nil, err
	}
	login := g.loginNode()
	if login == nil {
		return nil, errors.New("duplicate login IDs: the spec's users have no login ID")
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	c := g.newCtx(stTypical, users)
	root := c.value(g.root)
	items := rowItems(root, g.rows)
	first, _ := items[0].(*genObject).get(login.name)
	items[len(items)-1].(*genObject).set(login.name, first)
	cs, err := c.finish(ModeValid, "duplicateLoginIds", root)
	if cs != nil {
		cs.Note = fmt.Sprintf("users 1 and %d share the login ID %v", users, first)
		cs.Duplicates = []int{users - 1}
	}
	return cs, err
}

func (g *Generator) checkUsers(users int) error {
	if g.rows == nil {
		return nil
	}
	lo, hi := g.UserRange()
	if users < lo || hi >= 0 && users > hi {
		return fmt.Errorf("%w: %d users; the spec allows %s per body (%s minItems %d, maxItems %d)",
			ErrUserCount, users, rangeText(lo, hi), displayPath(g.rows.path), lo, hi)
	}
	return nil
}

func rangeText(lo, hi int) string {
	if hi < 0 {
		return fmt.Sprintf("at least %d", lo)
	}
	return fmt.Sprintf("%d to %d", lo, hi)
}

func findRows(root *genNode) *genNode {
	if root.typ != openapi3.TypeObject {
		return nil
	}
	for _, p := range root.props {
		if p.rows {
			return p
		}
	}
	return nil
}

// loginNode returns the property of a user that holds its login ID.
func (g *Generator) loginNode() *genNode {
	if g.rows == nil {
		return nil
	}
	for _, p := range g.rows.items.props {
		if p.sem == semLoginID && p.typ == openapi3.TypeString {
			return p
		}
	}
	return nil
}

func (g *Generator) newPersona(c *genCtx) *persona {
	*c.seq++
	first, last, rf, rl := g.loc.person(c.f)
	domain := g.cfg.LoginIDDomain
	if domain == "" {
		domain = []string{"example.com", "example.org", "example.net"}[c.f.IntN(3)]
	}
	return &persona{first: first, last: last, rfirst: rf, rlast: rl,
		dept: g.loc.depts[c.f.IntN(len(g.loc.depts))], domain: domain, seq: *c.seq}
}

func (g *Generator) loginID(p *persona) string {
	n := strconv.FormatUint(p.seq, 10)
	if g.cfg.LoginIDPrefix != "" {
		return g.cfg.LoginIDPrefix + n + "@" + p.domain
	}
	return p.rfirst + "." + p.rlast + n + "@" + p.domain
}

// checkLoginIDs refuses a prefix or domain that makes login IDs the spec
// would refuse.
func (g *Generator) checkLoginIDs() error {
	login := g.loginNode()
	if login == nil || g.cfg.LoginIDPrefix == "" && g.cfg.LoginIDDomain == "" {
		return nil
	}
	p := &persona{rfirst: "gildong", rlast: "hong", domain: g.cfg.LoginIDDomain, seq: 1}
	if p.domain == "" {
		p.domain = "example.com"
	}
	id := g.loginID(p)
	if broken := login.str.broken(id, login.enum); len(broken) > 0 {
		return fmt.Errorf("login ID prefix %q and domain %q make login IDs such as %q, which break %s's %s",
			g.cfg.LoginIDPrefix, g.cfg.LoginIDDomain, id, login.path, login.str.limits(id, broken, login.enum))
	}
	return nil
}

// probe makes one body of each mode with a scratch faker, so that a spec
// whose constraints no value meets fails in NewGenerator, not later.
func (g *Generator) probe() error {
	users := 1
	if lo, _ := g.UserRange(); lo > 1 {
		users = lo
	}
	for _, st := range []strategy{stTypical, stMaxChars, stMaxBytes, stMin} {
		c := g.scratchCtx(st, users)
		if _, err := c.finish(ModeValid, "", c.value(g.root)); err != nil {
			return err
		}
	}
	return nil
}
