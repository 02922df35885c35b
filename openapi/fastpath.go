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
// nodes, its binding to BulkRequest, and a pool of scratch space.
type fastPath struct {
	media *openapi3.MediaType // the application/json media type compiled
	root  *node
	bind  *binding
	hints []atomic.Int32 // per arena site, what the last body needed
	pool  sync.Pool      // of *pass
}

// newFastPath compiles the spec's application/json request schema, or says
// why it cannot.
func newFastPath(spec *Spec) (*fastPath, error) {
	media := spec.op.RequestBody.Value.Content.Get("application/json")
	root, err := compileSchema(spec.RequestSchema(), spec.formats)
	if err != nil {
		return nil, err
	}
	bind, sites := compileBinding(root, reflect.TypeFor[BulkRequest]())
	f := &fastPath{media: media, root: root, bind: bind, hints: make([]atomic.Int32, sites)}
	f.pool.New = func() any { return new(pass) }
	return f, nil
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
func (f *fastPath) validate(body string, strict bool, maxDepth int, dst *BulkRequest) (warnings []Problem, err error, done bool) {
	p := f.pool.Get().(*pass)
	defer f.release(p)
	p.reset(body)
	p.maxDepth = maxDepth
	var root unsafe.Pointer
	if dst != nil && f.bind != nil {
		root = unsafe.Pointer(dst)
		p.arena = f.newArena(p.arena.hints, p.arena.used)
	}
	var b *binding
	if root != nil {
		b = f.bind
	}
	p.run(f.root, b, root)
	if b != nil {
		for i, n := range p.arena.used {
			f.hints[i].Store(n)
		}
	}
	if p.bad {
		if dst != nil {
			*dst = BulkRequest{}
		}
		return nil, nil, false
	}
	problems, unknown := live(p.problems), live(p.unknown)
	if strict {
		problems = append(problems, unknown...)
	} else {
		warnings = sortedProblems(unknown)
	}
	if len(problems) > 0 {
		if dst != nil {
			*dst = BulkRequest{}
		}
		return warnings, &ValidationError{Problems: sortedProblems(problems)}, true
	}
	return warnings, nil, true
}

// newArena returns an arena sized from the hints, reusing the hint and
// count slices of a pooled pass.
func (f *fastPath) newArena(hints, used []int32) arena {
	hints, used = hints[:0], used[:0]
	for i := range f.hints {
		hints, used = append(hints, f.hints[i].Load()), append(used, 0)
	}
	return arena{hints: hints, used: used, slabs: make([]slab, len(f.hints))}
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
