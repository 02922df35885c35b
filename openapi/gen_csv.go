package openapi

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// ErrNotTabular reports a case that CSV rows cannot carry, such as a wrong
// JSON type or a null, which a CSV cell cannot tell from a string.
var ErrNotTabular = errors.New("case cannot be written as CSV rows")

// column is one CSV column: a scalar (or a map) of a user, reached from the
// user object through nested objects.
type column struct {
	name  string
	steps []*genNode
}

// csvColumns flattens the user schema: nested objects are expanded in place,
// maps (such as tags) and arrays take one column each. A column is named by
// its property, or by its dotted path when two share a name.
func (g *Generator) csvColumns() []column {
	if g.rows == nil {
		return nil
	}
	var cols []column
	var walk func(n *genNode, steps []*genNode)
	walk = func(n *genNode, steps []*genNode) {
		for _, p := range n.props {
			s := append(steps[:len(steps):len(steps)], p)
			if p.typ == openapi3.TypeObject && !p.isMap() && p.extra == nil {
				walk(p, s)
				continue
			}
			cols = append(cols, column{name: p.name, steps: s})
		}
	}
	walk(g.rows.items, nil)
	seen := make(map[string]int)
	for _, c := range cols {
		seen[c.name]++
	}
	for i, c := range cols {
		if seen[c.name] > 1 {
			names := make([]string, len(c.steps))
			for j, s := range c.steps {
				names[j] = s.name
			}
			cols[i].name = strings.Join(names, ".")
		}
	}
	return cols
}

// CSVHeader returns the CSV columns of a user, as a bulk-upload screen
// takes them: loginId, description, firstName, ... consoleAccessAllowed,
// apiAccessAllowed, tags.
func (g *Generator) CSVHeader() []string {
	out := make([]string, len(g.cols))
	for i, c := range g.cols {
		out[i] = c.name
	}
	return out
}

// CSVRecords returns one CSV record per user of the case, in the columns of
// CSVHeader. An empty cell is a property left out (or an empty map);
// booleans are true and false; a map is key=value pairs joined by ";".
// Cases CSV cannot carry (see Rule.Tabular), and cases with an empty string,
// which would read as absent, give ErrNotTabular.
func (g *Generator) CSVRecords(c *Case) ([][]string, error) {
	if !c.tabular || g.rows == nil {
		return nil, fmt.Errorf("%s: %w", c.Name, ErrNotTabular)
	}
	items := rowItems(c.root, g.rows)
	out := make([][]string, len(items))
	for i, it := range items {
		rec := make([]string, len(g.cols))
		for j, col := range g.cols {
			v := lookup(it, col.steps)
			if v == "" {
				// An empty cell reads as absent: the case would turn
				// into another (minLength into requiredOnly).
				return nil, fmt.Errorf("%s: user %d's %s is an empty string, which a CSV cell cannot tell from an absent property: %w",
					c.Name, i+1, col.name, ErrNotTabular)
			}
			rec[j] = cell(v)
		}
		out[i] = rec
	}
	return out, nil
}

func lookup(v any, steps []*genNode) any {
	for _, s := range steps {
		o, ok := v.(*genObject)
		if !ok {
			return nil
		}
		if v, ok = o.get(s.name); !ok {
			return nil
		}
	}
	return v
}

func cell(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	case bool:
		return strconv.FormatBool(v)
	case *genObject:
		parts := make([]string, len(v.keys))
		for i, k := range v.keys {
			parts[i] = k + "=" + cell(v.vals[i])
		}
		return strings.Join(parts, ";")
	}
	return string(appendJSON(nil, v))
}
