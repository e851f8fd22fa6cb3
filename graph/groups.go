package graph

import (
	"context"
	"encoding/json"
	"net/http"
	"sync"

	"github.com/cybertrade/cybertrade/internal/ctxkey"
	"github.com/cybertrade/cybertrade/store"
)

// The relations of companies, countries, cases, products, sources and chain entries (nested
// pages, their counts and facets, a company's home country, a product's company, a case's
// countries, companies and sources, a chain entry's via) load per producer, as the relations
// of moves do (links.go): the objects one producer returned (a page, the pages of one batch, a
// relation loaded for a group…) are one group, and the first of them asked for a relation
// loads it for the whole group in one statement. So a relation costs one statement per
// producer and argument set, whatever the number of objects, with no readiness tracking.
// These fields keep their resolvers (they take a context, or arguments): the request's groups
// tell a resolver which group its object belongs to.

// groups files the objects of one request by the group that produced them.
type groups struct {
	ctx context.Context // the request's: relations load under it
	st  *store.Store
	mu  sync.Mutex
	of  map[any]*group // an object (a pointer) -> its group
}

// group is the objects of one producer, all of one type ([]*T in items), and the relations
// loaded for them, by relation and arguments.
type group struct {
	ctx   context.Context
	st    *store.Store
	items any     // []*T
	ids   []int64 // their row ids
	mu    sync.Mutex
	loads map[string]*loading
}

type loading struct {
	once sync.Once
	v    any
	err  error
}

// WithLoaders is HTTP middleware that gives every request its own groups.
func WithLoaders(st *store.Store, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gs := &groups{st: st, of: map[any]*group{}}
		gs.ctx = ctxkey.With(r.Context(), gs)
		next.ServeHTTP(w, r.WithContext(gs.ctx))
	})
}

// register makes items one group and returns it. Outside a request (no groups in ctx), the
// group serves only itself.
func register[T any](ctx context.Context, st *store.Store, items []*T, id func(*T) int64) *group {
	g := &group{ctx: ctx, st: st, items: items, ids: make([]int64, len(items)), loads: map[string]*loading{}}
	for i, it := range items {
		g.ids[i] = id(it)
	}
	if gs := ctxkey.From[*groups](ctx); gs != nil {
		g.ctx = gs.ctx
		gs.mu.Lock()
		for _, it := range items {
			gs.of[it] = g
		}
		gs.mu.Unlock()
	}
	return g
}

// registerRows makes the rows of a slice one group.
func registerRows[T any](ctx context.Context, st *store.Store, rows []T, id func(*T) int64) {
	if len(rows) == 0 {
		return
	}
	register(ctx, st, pointers(rows), id)
}

// pointers are pointers to the elements of rows, in place: what a group holds.
func pointers[T any](rows []T) []*T {
	ptrs := make([]*T, len(rows))
	for i := range rows {
		ptrs[i] = &rows[i]
	}
	return ptrs
}

// groupOf returns obj's group: its producer's, or a group of obj alone when no producer
// registered it (a single object: the relation costs one statement for it).
func groupOf[T any](ctx context.Context, st *store.Store, obj *T, id func(*T) int64) *group {
	if gs := ctxkey.From[*groups](ctx); gs != nil {
		gs.mu.Lock()
		g := gs.of[obj]
		gs.mu.Unlock()
		if g != nil {
			return g
		}
	}
	return register(ctx, st, []*T{obj}, id)
}

// members are the group's objects.
func members[T any](g *group) []*T {
	items, _ := g.items.([]*T)
	return items
}

// load runs fetch once for the group under key and returns its result.
func load[V any](g *group, key string, fetch func(ctx context.Context) (map[int64]V, error)) (map[int64]V, error) {
	g.mu.Lock()
	l := g.loads[key]
	if l == nil {
		l = &loading{}
		g.loads[key] = l
	}
	g.mu.Unlock()
	l.once.Do(func() { l.v, l.err = fetch(g.ctx) })
	v, _ := l.v.(map[int64]V)
	return v, l.err
}

// sigKey names a relation with the arguments it was asked with.
func sigKey(name string, args any) string {
	b, _ := json.Marshal(args)
	return name + string(b)
}

// distinct are the distinct non-zero keys of the group's members.
func distinct[T any](g *group, key func(*T) int64) []int64 {
	return distinctKeys(members[T](g), key)
}

// distinctKeys are the distinct non-zero keys of items.
func distinctKeys[T any](items []*T, key func(*T) int64) []int64 {
	seen := make(map[int64]struct{}, len(items))
	out := make([]int64, 0, len(items))
	for _, it := range items {
		k := key(it)
		if _, ok := seen[k]; ok || k == 0 {
			continue
		}
		seen[k] = struct{}{}
		out = append(out, k)
	}
	return out
}
