package openapi

import (
	"reflect"
	"unsafe"
)

// Binding: while the pass validates a body it also fills a Go value (a
// BulkRequest), so that the body is decoded once. A binding is compiled from
// a node and a Go type: a property binds to the struct field whose JSON name
// is exactly the property's name. Values of another JSON kind than the
// field's are not bound (the body is then invalid anyway). Duplicate keys
// bind their last value only, as they validate.
//
// At run time a binding writes through the address of the value it fills,
// at offsets computed here from reflect, because going through reflect.Value
// for each of a body's thousand fields cost a third of the pass. Only the
// kinds below are bound, each written as its own Go type.
//
// A struct may also hold the JSON text of the object it binds to: a field of
// type RawJSON tagged `json:"-"` (so that encoding/json leaves it alone)
// receives the object as written in the body, a part of it.

type bindKind uint8

const (
	bindString bindKind = iota + 1 // a string kind
	bindBool                       // a bool kind
	bindStruct
	bindSlice
	bindMap // with string keys
)

type binding struct {
	kind   bindKind
	ptr    bool         // the Go value is a pointer to typ
	typ    reflect.Type // the type bound (the element type of a pointer)
	site   int          // for a pointer to a struct or a slice: its site in the arena
	slab   reflect.Type // []typ, for a pointer to a struct
	flat   bool         // typ holds no pointer: zeroing it needs no write barrier
	fields []fieldBinding
	elem   *binding // of a slice's elements or a map's values
	raw    uintptr  // of a struct: 1 + the offset of its RawJSON field; 0: none
	// of a slice: the size of its elements
	elemSize uintptr
}

// fieldBinding binds one declared property (by index) to a struct field.
type fieldBinding struct {
	offset uintptr
	b      *binding // nil: nothing to bind
}

type bindKey struct {
	n *node
	t reflect.Type
}

type bindCompiler struct {
	memo  map[bindKey]*binding
	sites int
}

// compileBinding returns the binding of n to values of type t (nil when
// nothing of n can be bound to t), and the number of arena sites it uses.
func compileBinding(n *node, t reflect.Type) (*binding, int) {
	c := &bindCompiler{memo: make(map[bindKey]*binding), sites: 1} // site 0: strings
	b := c.binding(n, t)
	return b, c.sites
}

func (c *bindCompiler) site() int {
	c.sites++
	return c.sites - 1
}

func (c *bindCompiler) binding(n *node, t reflect.Type) *binding {
	if n == nil {
		return nil
	}
	if b, ok := c.memo[bindKey{n, t}]; ok {
		return b
	}
	b := &binding{typ: t}
	if t.Kind() == reflect.Pointer {
		b.ptr, b.typ = true, t.Elem()
	}
	b.flat = pointerFree(b.typ)
	c.memo[bindKey{n, t}] = b
	switch b.typ.Kind() {
	case reflect.String:
		b.kind = bindString
	case reflect.Bool:
		b.kind = bindBool
	case reflect.Struct:
		c.structBinding(b, n)
	case reflect.Slice:
		if b.ptr || n.items == nil {
			return c.none(n, t)
		}
		b.kind, b.elem, b.site = bindSlice, c.binding(n.items, b.typ.Elem()), c.site()
		b.elemSize = b.typ.Elem().Size()
	case reflect.Map:
		if b.ptr || n.ap == nil || b.typ.Key().Kind() != reflect.String {
			return c.none(n, t)
		}
		b.kind, b.elem = bindMap, c.binding(n.ap, b.typ.Elem())
	default:
		return c.none(n, t)
	}
	return b
}

func (c *bindCompiler) none(n *node, t reflect.Type) *binding {
	c.memo[bindKey{n, t}] = nil
	return nil
}

func (c *bindCompiler) structBinding(b *binding, n *node) {
	b.kind = bindStruct
	if b.ptr {
		b.site, b.slab = c.site(), reflect.SliceOf(b.typ)
	}
	b.fields = make([]fieldBinding, len(n.props))
	for i, prop := range n.props {
		if f, ok := fieldByJSONName(b.typ, prop.name); ok {
			b.fields[i] = fieldBinding{offset: f.Offset, b: c.binding(prop.node, f.Type)}
		}
	}
	if f, ok := rawField(b.typ); ok {
		b.raw = 1 + f.Offset
	}
}

var rawJSONType = reflect.TypeFor[RawJSON]()

// rawField finds the field that receives a struct's own JSON text: of type
// RawJSON, tagged `json:"-"`.
func rawField(t reflect.Type) (reflect.StructField, bool) {
	for i := range t.NumField() {
		f := t.Field(i)
		if f.IsExported() && f.Type == rawJSONType && f.Tag.Get("json") == "-" {
			return f, true
		}
	}
	return reflect.StructField{}, false
}

// setRaw gives the struct at dst, bound by b, its JSON text.
func setRaw(b *binding, dst unsafe.Pointer, text string) {
	if b.raw != 0 {
		*(*RawJSON)(unsafe.Add(dst, b.raw-1)) = RawJSON(text)
	}
}

// fieldByJSONName finds the exported field whose JSON name is name.
func fieldByJSONName(t reflect.Type, name string) (reflect.StructField, bool) {
	for i := range t.NumField() {
		f := t.Field(i)
		if f.IsExported() && !f.Anonymous && f.Tag.Get("json") != "-" && jsonName(f) == name {
			return f, true
		}
	}
	return reflect.StructField{}, false
}

// arena allocates what one body points to (strings, structs, slices) in
// chunks, so that a hundred users cost a handful of allocations. Each site
// (site 0 for strings, one for each pointer-to-struct and slice binding)
// starts with a chunk of the size the previous body needed there. Its memory
// belongs to the bound value: an arena is never reused.
type arena struct {
	hints []int32 // per site, what the previous body needed
	used  []int32 // per site, what this body needs
	strs  []string
	slabs []slab // per site
}

type slab struct {
	base unsafe.Pointer
	n    int // used
	cap  int
}

// maxChunk bounds the chunks sized from hints.
const maxChunk = 4096

func (a *arena) chunk(site, prev, least int) int {
	if prev == 0 && site < len(a.hints) {
		return min(max(int(a.hints[site]), least), maxChunk)
	}
	return min(max(2*prev, least), maxChunk)
}

func (a *arena) count(site, n int) {
	if site < len(a.used) && int32(n) > a.used[site] {
		a.used[site] = int32(n)
	}
}

func (a *arena) newString(v string) *string {
	if len(a.strs) == cap(a.strs) {
		a.strs = make([]string, 0, a.chunk(0, cap(a.strs), 16))
	}
	a.strs = append(a.strs, v)
	if len(a.used) > 0 {
		a.used[0]++
	}
	return &a.strs[len(a.strs)-1]
}

// newStruct returns a zero value of b's struct type.
func (a *arena) newStruct(b *binding) unsafe.Pointer {
	if b.site >= len(a.slabs) {
		return reflect.New(b.typ).UnsafePointer()
	}
	s := &a.slabs[b.site]
	if s.n == s.cap {
		s.cap = a.chunk(b.site, s.cap, 8)
		s.base, s.n = reflect.MakeSlice(b.slab, s.cap, s.cap).UnsafePointer(), 0
	}
	p := unsafe.Add(s.base, uintptr(s.n)*b.typ.Size())
	s.n++
	if b.site < len(a.used) {
		a.used[b.site]++
	}
	return p
}

func (a *arena) setString(b *binding, dst unsafe.Pointer, v string) {
	if b.ptr {
		*(**string)(dst) = a.newString(v)
	} else {
		*(*string)(dst) = v
	}
}

func (a *arena) setBool(b *binding, dst unsafe.Pointer, v bool) {
	if b.ptr {
		p := new(bool)
		*p = v
		*(**bool)(dst) = p
	} else {
		*(*bool)(dst) = v
	}
}

// setZero zeroes the value dst points to (a nil pointer for a pointer binding).
func setZero(b *binding, dst unsafe.Pointer) {
	switch {
	case b.ptr:
		*(*unsafe.Pointer)(dst) = nil
	case b.flat:
		clear(unsafe.Slice((*byte)(dst), b.typ.Size()))
	case !isZeroMemory(dst, b.typ.Size()):
		// Through reflect, for the write barriers of its pointers. A fresh
		// element of an array (the common case) is zero already.
		reflect.NewAt(b.typ, dst).Elem().SetZero()
	}
}

// isZeroMemory reports whether the size bytes at p are all zero.
func isZeroMemory(p unsafe.Pointer, size uintptr) bool {
	words := unsafe.Slice((*uintptr)(p), size/unsafe.Sizeof(uintptr(0)))
	for _, w := range words {
		if w != 0 {
			return false
		}
	}
	for _, c := range unsafe.Slice((*byte)(p), size)[len(words)*int(unsafe.Sizeof(uintptr(0))):] {
		if c != 0 {
			return false
		}
	}
	return true
}

// pointerFree reports whether values of t hold no pointer.
func pointerFree(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64, reflect.Complex64, reflect.Complex128:
		return true
	case reflect.Array:
		return t.Len() == 0 || pointerFree(t.Elem())
	case reflect.Struct:
		for i := range t.NumField() {
			if !pointerFree(t.Field(i).Type) {
				return false
			}
		}
		return true
	}
	return false
}

// startStruct returns the address of the fresh struct an object binds to.
func (a *arena) startStruct(b *binding, dst unsafe.Pointer) unsafe.Pointer {
	if b.ptr {
		p := a.newStruct(b)
		*(*unsafe.Pointer)(dst) = p
		return p
	}
	setZero(b, dst)
	return dst
}

var stringMapType = reflect.TypeFor[map[string]string]()

// boundMap is the map an object binds to: a map[string]string (Tags) directly,
// any other map through reflect.
type boundMap struct {
	strings map[string]string
	str     *string // the element being read, for strings
	m       reflect.Value
	tmp     reflect.Value // a pointer to the element being read
}

// startMap gives dst a fresh map. A map of strings reads its elements into
// slot.
func startMap(b *binding, dst unsafe.Pointer, slot *string) boundMap {
	if b.typ == stringMapType {
		m := make(map[string]string)
		*(*map[string]string)(dst) = m
		return boundMap{strings: m, str: slot}
	}
	m := reflect.MakeMap(b.typ)
	reflect.NewAt(b.typ, dst).Elem().Set(m)
	return boundMap{m: m, tmp: reflect.New(b.typ.Elem())}
}

// elem returns the address a map's element is read into.
func (m *boundMap) elem() unsafe.Pointer {
	if m.strings != nil {
		*m.str = ""
		return unsafe.Pointer(m.str)
	}
	m.tmp.Elem().SetZero()
	return m.tmp.UnsafePointer()
}

// set stores the element read under key.
func (m *boundMap) set(b *binding, key string) {
	if m.strings != nil {
		m.strings[key] = *m.str
		return
	}
	m.m.SetMapIndex(reflect.ValueOf(key).Convert(b.typ.Key()), m.tmp.Elem())
}

// startSlice empties the slice dst points to.
func startSlice(b *binding, dst unsafe.Pointer) {
	reflect.NewAt(b.typ, dst).Elem().SetZero()
}

// sliceHeader is the layout of a Go slice.
type sliceHeader struct {
	data     unsafe.Pointer
	len, cap int
}

// appendElem grows the slice dst points to by one zero element and returns
// the element's address. Only growing the array goes through reflect; the
// length is a plain word of the slice.
func (a *arena) appendElem(b *binding, dst unsafe.Pointer) unsafe.Pointer {
	h := (*sliceHeader)(dst)
	n := h.len
	if n == h.cap {
		reflect.NewAt(b.typ, dst).Elem().Grow(a.chunk(b.site, n, 4))
	}
	h.len = n + 1 // the element is zero: past the old length, a grown array is
	a.count(b.site, n+1)
	return unsafe.Add(h.data, uintptr(n)*b.elemSize)
}
