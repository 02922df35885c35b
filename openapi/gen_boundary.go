package openapi

import (
	"fmt"
	"slices"
)

// Names of the boundary cases. A spec gives rise to those whose limits it
// sets (BoundaryNames lists them).
const (
	// BoundaryMaxLength: every string at its character limit (as far as its
	// byte limit and pattern allow), in ASCII; numbers at their maximum.
	BoundaryMaxLength = "maxLength"
	// BoundaryMaxBytes: every string at its byte limit, in multibyte text
	// where no pattern or format applies (Hangul in the ko locale).
	BoundaryMaxBytes = "maxBytes"
	// BoundaryMinLength: every string at its minimum length ("" where
	// allowed); numbers at their minimum.
	BoundaryMinLength = "minLength"
	// BoundaryRequiredOnly: only the required properties.
	BoundaryRequiredOnly = "requiredOnly"
	// BoundaryMaxItems: exactly maxItems users.
	BoundaryMaxItems = "maxItems"
	// BoundaryMinItems: exactly minItems users.
	BoundaryMinItems = "minItems"
	// BoundaryMaxProperties: every map (such as tags) at its maxProperties.
	BoundaryMaxProperties = "maxProperties"
)

var boundaryNotes = map[string]string{
	BoundaryMaxLength:     "every string at its character limit",
	BoundaryMaxBytes:      "every string at its byte limit, multibyte where free",
	BoundaryMinLength:     "every string at its shortest",
	BoundaryRequiredOnly:  "only the required properties",
	BoundaryMaxItems:      "the most users one body may hold",
	BoundaryMinItems:      "the fewest users one body may hold",
	BoundaryMaxProperties: "every map at its maxProperties",
}

// BoundaryNote says in a few words what the named boundary case holds.
func BoundaryNote(name string) string { return boundaryNotes[name] }

// BoundaryNames lists the boundary cases the spec's limits give rise to.
func (g *Generator) BoundaryNames() []string {
	var has struct{ maxLen, maxBytes, str, optional, maxProps bool }
	walkNodes(g.root, func(n *genNode) {
		if n.str != nil {
			has.str = true
			has.maxLen = has.maxLen || n.str.maxLen >= 0 || n.str.maxBytes >= 0
			has.maxBytes = has.maxBytes || n.str.maxBytes >= 0
		}
		has.optional = has.optional || !n.required && n != g.root && n.name != ""
		has.maxProps = has.maxProps || n.extra != nil && n.maxProps >= 0
	})
	var names []string
	add := func(ok bool, name string) {
		if ok {
			names = append(names, name)
		}
	}
	add(has.maxLen, BoundaryMaxLength)
	add(has.maxBytes, BoundaryMaxBytes)
	add(has.str, BoundaryMinLength)
	add(has.optional, BoundaryRequiredOnly)
	add(g.rows != nil && g.rows.maxItems >= 0, BoundaryMaxItems)
	add(g.rows != nil, BoundaryMinItems)
	add(has.maxProps, BoundaryMaxProperties)
	return names
}

func walkNodes(n *genNode, fn func(*genNode)) {
	fn(n)
	for _, p := range n.props {
		walkNodes(p, fn)
	}
	for _, child := range []*genNode{n.extra, n.items} {
		if child != nil {
			walkNodes(child, fn)
		}
	}
}

// Boundary returns the named boundary body with the given number of users
// (the maxItems and minItems cases set their own number). The spec accepts
// every boundary body.
func (g *Generator) Boundary(name string, users int) (*Case, error) {
	st, ok := map[string]strategy{BoundaryMaxLength: stMaxChars, BoundaryMaxBytes: stMaxBytes,
		BoundaryMinLength: stMin, BoundaryRequiredOnly: stRequiredOnly,
		BoundaryMaxItems: stTypical, BoundaryMinItems: stTypical, BoundaryMaxProperties: stMaxProps}[name]
	if !ok || !slices.Contains(g.BoundaryNames(), name) {
		return nil, fmt.Errorf("boundary %q: %w; the spec gives rise to %v", name, ErrUnknownRule, g.BoundaryNames())
	}
	switch name {
	case BoundaryMaxItems:
		users = g.rows.maxItems
	case BoundaryMinItems:
		users = g.rows.minItems
	}
	if err := g.checkUsers(users); err != nil {
		return nil, err
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	c := g.newCtx(st, users)
	cs, err := c.finish(ModeBoundary, name, c.value(g.root))
	if cs != nil {
		cs.Note = boundaryNotes[name]
	}
	return cs, err
}

// BoundaryCases returns every boundary body, in the order of BoundaryNames.
func (g *Generator) BoundaryCases(users int) ([]*Case, error) {
	var out []*Case
	for _, name := range g.BoundaryNames() {
		cs, err := g.Boundary(name, users)
		if err != nil {
			return nil, err
		}
		out = append(out, cs)
	}
	return out, nil
}
