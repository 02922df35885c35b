package openapi

import (
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/getkin/kin-openapi/openapi3"
)

// fastPath is the compiled validator of one spec: the request schema as
// nodes, its bindings to the types bodies decode into, and a pool of
// scratch space.
type fastPath struct {
	media *openapi3.MediaType // the application/json media type compiled
	root  *node
	// The bindings to BulkRequest and to BulkUsers.
	request, users decoding
	pool           sync.Pool // of *pass
}

// decoding is the binding of the schema to one Go type, with what the last
// body needed in each of its arena sites.
type decoding struct {
	bind  *binding
	hints []atomic.Int32
}

func newDecoding(root *node, t reflect.Type) decoding {
	bind, sites := compileBinding(root, t)
	return decoding{bind: bind, hints: make([]atomic.Int32, sites)}
}

// newFastPath compiles the spec's application/json request schema, or says
// why it cannot.
func newFastPath(spec *Spec) (*fastPath, error) {
	media := spec.op.RequestBody.Value.Content.Get("application/json")
	root, err := compileSchema(spec.RequestSchema(), spec.formats)
	if err != nil {
		return nil, err
	}
	f := &fastPath{media: media, root: root,
		request: newDecoding(root, reflect.TypeFor[BulkRequest]()),
		users:   newDecoding(root, reflect.TypeFor[BulkUsers]())}
	f.pool.New = func() any { return new(pass) }
	return f, nil
}

// decoding returns the binding for dst (nil, a *BulkRequest or a
// *BulkUsers) and the address it binds to; nil when there is nothing to bind.
func (f *fastPath) decoding(dst any) (*decoding, unsafe.Pointer) {
	switch d := dst.(type) {
	case *BulkRequest:
		return &f.request, unsafe.Pointer(d)
	case *BulkUsers:
		return &f.users, unsafe.Pointer(d)
	}
	return nil, nil
}

// handles reports whether a body of this media type and Content-Type is
// read by the compiled validator: the application/json one, decoded by
// kin-openapi as JSON.
func (f *fastPath) handles(mt *openapi3.MediaType, contentType string) bool {
	if mt != f.media {
		return false
	}
	base, _, _ := strings.Cut(contentType, ";")
	return strings.ToLower(strings.TrimSpace(base)) == "application/json"
}

// validate runs one pass over body; done is false when the pass gave up and
// the reference must decide.
func (f *fastPath) validate(body string, strict bool, maxDepth, maxUndeclared int, dst any) (warnings []Problem, err error, done bool) {
	p := f.pool.Get().(*pass)
	defer f.release(p)
	p.reset(body)
	p.maxDepth, p.maxUndeclared = maxDepth, maxUndeclared
	d, root := f.decoding(dst)
	var b *binding
	if d != nil && d.bind != nil {
		b = d.bind
		p.arena = d.newArena(p.arena.hints, p.arena.used)
	}
	p.run(f.root, b, root)
	if b != nil {
		for i, n := range p.arena.used {
			d.hints[i].Store(n)
		}
	}
	if p.sole != nil {
		clearDecoded(dst)
		// The pass stopped at the container; past it the body may not be
		// JSON, which the reference reports first.
		if wellFormed([]byte(body)) != nil {
			return nil, nil, false
		}
		return nil, &ValidationError{Problems: []Problem{*p.sole}}, true
	}
	if p.bad {
		clearDecoded(dst)
		return nil, nil, false
	}
	problems, unknown := live(p.problems), live(p.unknown)
	if strict {
		problems = append(problems, unknown...)
	} else {
		warnings = sortedProblems(unknown)
	}
	if len(problems) > 0 {
		clearDecoded(dst)
		return warnings, &ValidationError{Problems: sortedProblems(problems)}, true
	}
	return warnings, nil, true
}

// newArena returns an arena sized from the hints, reusing the hint and
// count slices of a pooled pass.
func (d *decoding) newArena(hints, used []int32) arena {
	hints, used = hints[:0], used[:0]
	for i := range d.hints {
		hints, used = append(hints, d.hints[i].Load()), append(used, 0)
	}
	return arena{hints: hints, used: used, slabs: make([]slab, len(d.hints))}
}

// clearDecoded zeroes what dst (nil, a *BulkRequest or a *BulkUsers) points to.
func clearDecoded(dst any) {
	switch d := dst.(type) {
	case *BulkRequest:
		*d = BulkRequest{}
	case *BulkUsers:
		*d = BulkUsers{}
	}
}

// release returns a pass to the pool without anything that points into a
// body or a bound value.
func (f *fastPath) release(p *pass) {
	clear(p.path[:cap(p.path)])
	clear(p.problems[:cap(p.problems)])
	clear(p.unknown[:cap(p.unknown)])
	clear(p.keys[:cap(p.keys)])
	clear(p.names[:cap(p.names)])
	p.reset("")
	if cap(p.problems) > 1024 || cap(p.buf) > 1<<16 {
		return // let an unusually large scratch space go
	}
	f.pool.Put(p)
}
