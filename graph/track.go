package graph

import (
	"context"
	"reflect"
	"strings"
	"sync"

	"github.com/99designs/gqlgen/graphql"
)

// tracker counts, for one request, the objects produced at every field path (by GraphQL type)
// and the field resolutions begun and finished. From that a loader at a field path knows how
// many sibling resolutions will call it, and fetches its batch as soon as all of them are
// waiting in it or have finished: batches follow the query's shape exactly.
type tracker struct {
	mu      sync.Mutex
	objs    map[string]map[string]int // path -> type -> objects produced there
	started map[string]map[string]int // field path -> parent type -> resolutions begun
	done    map[string]map[string]int // field path -> parent type -> resolutions finished
	// finished remembers the paths final has found complete.
	finished map[string]bool
	loaders  []interface{ Poke() }
}

func newTracker() *tracker {
	return &tracker{
		objs:    map[string]map[string]int{"": {"Query": 1}},
		started: map[string]map[string]int{},
		done:    map[string]map[string]int{},

		finished: map[string]bool{},
	}
}

func bump(m map[string]map[string]int, path, typ string, n int) {
	inner := m[path]
	if inner == nil {
		inner = map[string]int{}
		m[path] = inner
	}
	inner[typ] += n
}

// parentPath strips the last segment of a path like "responses.edges.node.".
func parentPath(p string) string {
	p = strings.TrimSuffix(p, ".")
	if i := strings.LastIndexByte(p, '.'); i >= 0 {
		return p[:i+1]
	}
	return ""
}

// final reports whether every object at path has been produced. t.mu is held. Once true it
// stays true (every parent object exists and every resolution under it has finished), so the
// answer is remembered: readiness is asked after every field that ends.
func (t *tracker) final(path string) bool {
	if path == "" || t.finished[path] {
		return true
	}
	pp := parentPath(path)
	if !t.final(pp) {
		return false
	}
	for typ, n := range t.started[path] {
		if t.done[path][typ] != n || n != t.objs[pp][typ] {
			return false
		}
	}
	t.finished[path] = true
	return true
}

// ready reports whether a loader of the field at path, on parent objects of type typ, has
// every call it will get: all sibling resolutions are waiting in it or finished.
func (t *tracker) ready(path, typ string, waiting int) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	pp := parentPath(path)
	return t.final(pp) && waiting+t.done[path][typ] == t.objs[pp][typ]
}

func (t *tracker) add(l interface{ Poke() }) {
	t.mu.Lock()
	t.loaders = append(t.loaders, l)
	t.mu.Unlock()
}

func (t *tracker) begin(path, typ string) {
	t.mu.Lock()
	bump(t.started, path, typ, 1)
	t.mu.Unlock()
}

func (t *tracker) end(path, typ string, res any) {
	t.mu.Lock()
	bump(t.done, path, typ, 1)
	countObjects(t.objs, path, res)
	loaders := t.loaders
	t.mu.Unlock()
	for _, l := range loaders {
		l.Poke()
	}
}

// countObjects records the GraphQL objects a field returned, by their Go type name (which is
// the GraphQL type name for every object type of this schema).
func countObjects(objs map[string]map[string]int, path string, res any) {
	v := reflect.ValueOf(res)
	switch v.Kind() {
	case reflect.Slice:
		for i := range v.Len() {
			if name := typeName(v.Index(i)); name != "" {
				bump(objs, path, name, 1)
			}
		}
	case reflect.Pointer, reflect.Struct, reflect.Interface:
		if name := typeName(v); name != "" {
			bump(objs, path, name, 1)
		}
	}
}

func typeName(v reflect.Value) string {
	for v.Kind() == reflect.Interface || v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return ""
		}
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct {
		return ""
	}
	return v.Type().Name()
}

// fieldPath is the path of the field being resolved, without list indices, e.g.
// "responses.edges.node.company.". It walks the field contexts as FieldContext.Path does,
// but builds only the string: this runs for every tracked field of every request.
func fieldPath(ctx context.Context) string {
	fc := graphql.GetFieldContext(ctx)
	var buf [24]string
	names := buf[:0]
	size := 0
	for it := fc; it != nil; it = it.Parent {
		if it.Index == nil && it.Field.Field != nil {
			names = append(names, it.Field.Alias)
			size += len(it.Field.Alias) + 1
		}
	}
	var b strings.Builder
	b.Grow(size)
	for i := len(names) - 1; i >= 0; i-- {
		b.WriteString(names[i])
		b.WriteByte('.')
	}
	return b.String()
}

// TrackFields is the gqlgen field middleware that feeds the request's tracker.
func TrackFields(ctx context.Context, next graphql.Resolver) (any, error) {
	l, _ := ctx.Value(loadersKey{}).(*Loaders)
	fc := graphql.GetFieldContext(ctx)
	if l == nil || fc == nil {
		return next(ctx)
	}
	if !fc.IsResolver && len(fc.Field.Selections) == 0 {
		// A leaf read straight from its object (slug, date, title…) neither produces objects
		// nor calls a loader: nothing to count, and most fields of a response are such leaves.
		return next(ctx)
	}
	path := fieldPath(ctx)
	l.t.begin(path, fc.Object)
	res, err := next(ctx)
	l.t.end(path, fc.Object, res)
	return res, err
}
