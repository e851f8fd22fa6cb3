package graph

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"

	"github.com/99designs/gqlgen/graphql"

	"github.com/cybertrade/cybertrade/internal/batch"

	"github.com/cybertrade/cybertrade/model"
	"github.com/cybertrade/cybertrade/store"
	"github.com/cybertrade/cybertrade/store/reads"
)

// Loaders batch every nested field of a request into one query per field path, so the number
// of SQL statements depends on the shape of a query, not on how many rows come back. Each
// field path (e.g. responses.edges.node.company) gets loader instances of its own, and the
// request's tracker tells each when all its sibling calls have arrived. A new set is built per
// request.
type Loaders struct {
	ctx    context.Context // the request's: batches are fetched under it
	st     *store.Store
	t      *tracker
	mu     sync.Mutex
	byPath map[string]any
}

// forPath returns the loader named name for the current field path, creating it on first use.
func forPath[K comparable, V any](ctx context.Context, name string, mk func(st *store.Store) *batch.Loader[K, V]) *batch.Loader[K, V] {
	l := loadersFrom(ctx)
	path, typ := fieldPath(ctx), ""
	if fc := graphql.GetFieldContext(ctx); fc != nil {
		typ = fc.Object
	}
	key := name + "@" + path + "#" + typ
	l.mu.Lock()
	defer l.mu.Unlock()
	if ld, ok := l.byPath[key]; ok {
		return ld.(*batch.Loader[K, V])
	}
	ld := mk(l.st)
	if l.ctx != nil {
		ld.SetContext(l.ctx)
	}
	ld.SetReady(func(waiting int) bool { return l.t.ready(path, typ, waiting) })
	l.t.add(ld)
	l.byPath[key] = ld
	return ld
}

// pageKey identifies one nested page: a parent and the (JSON-encoded) query that pages it.
// Keys with the same signature are fetched together in one statement.
type pageKey struct {
	Parent int64
	Sig    string
}

// pageSig is what a nested page depends on besides its parent.
type pageSig struct {
	Scope reads.MoveScope `json:"s,omitempty"`
	Query reads.MoveQuery `json:"q"`
	Page  reads.PageArgs  `json:"p"`
	Dim   string          `json:"d,omitempty"` // a facet's dimension
}

func (s pageSig) encode() string {
	b, _ := json.Marshal(s)
	return string(b)
}

func decodeSig(sig string) pageSig {
	var s pageSig
	_ = json.Unmarshal([]byte(sig), &s)
	return s
}

// byID adapts a store lookup to a mapped loader keyed by row id.
func byID[T any](st *store.Store, fetch func(context.Context, []int64) ([]T, error), id func(*T) int64) *batch.Loader[int64, *T] {
	return batch.New(0, func(ctx context.Context, ids []int64) (map[int64]*T, error) {
		rows, err := fetch(ctx, ids)
		if err != nil {
			return nil, err
		}
		out := make(map[int64]*T, len(rows))
		for i := range rows {
			out[id(&rows[i])] = &rows[i]
		}
		return out, nil
	})
}

// grouped runs fetch once per distinct signature among the keys.
func grouped[V any](st *store.Store, fetch func(ctx context.Context, sig pageSig, parents []int64) (map[int64]V, error)) *batch.Loader[pageKey, V] {
	return batch.New(0, func(ctx context.Context, keys []pageKey) (map[pageKey]V, error) {
		bySig := map[string][]int64{}
		for _, k := range keys {
			bySig[k.Sig] = append(bySig[k.Sig], k.Parent)
		}
		out := make(map[pageKey]V, len(keys))
		for sig, parents := range bySig {
			res, err := fetch(ctx, decodeSig(sig), parents)
			if err != nil {
				return nil, err
			}
			for _, p := range parents {
				out[pageKey{p, sig}] = res[p]
			}
		}
		return out, nil
	})
}

// NewLoaders builds a request's loaders over the store.
func NewLoaders(st *store.Store) *Loaders {
	return &Loaders{st: st, t: newTracker(), byPath: map[string]any{}}
}

func countryLoader(ctx context.Context) *batch.Loader[int64, *model.Country] {
	return forPath(ctx, "country", func(st *store.Store) *batch.Loader[int64, *model.Country] {
		return byID(st, st.CountriesByID, func(c *model.Country) int64 { return c.RowID })
	})
}

func companyLoader(ctx context.Context) *batch.Loader[int64, *model.Company] {
	return forPath(ctx, "company", func(st *store.Store) *batch.Loader[int64, *model.Company] {
		return byID(st, st.CompaniesByID, func(c *model.Company) int64 { return c.RowID })
	})
}

func moveLoader(ctx context.Context) *batch.Loader[int64, *model.MoveRecord] {
	return forPath(ctx, "move", func(st *store.Store) *batch.Loader[int64, *model.MoveRecord] {
		return byID(st, func(ctx context.Context, ids []int64) ([]model.MoveRecord, error) {
			rows, err := st.MovesByID(ctx, ids)
			linkItems(ctx, st, rows)
			return rows, err
		}, func(m *model.MoveRecord) int64 { return m.RowID })
	})
}

// relatedRowsLoader reads the children of a relation, rows included, for every parent at
// the field path in one statement.
func relatedRowsLoader[T any](ctx context.Context, rel reads.Relation) *batch.Loader[int64, []T] {
	return forPath(ctx, fmt.Sprintf("rows%d", rel), func(st *store.Store) *batch.Loader[int64, []T] {
		return batch.New(0, func(ctx context.Context, parents []int64) (map[int64][]T, error) {
			rows, err := reads.RelatedRows[T](ctx, st.Reader, rel, parents)
			if err != nil {
				return nil, err
			}
			for _, p := range parents {
				if _, ok := rows[p]; !ok {
					rows[p] = nil
				}
			}
			return rows, nil
		})
	})
}

func movePageLoader(ctx context.Context) *batch.Loader[pageKey, reads.Page[model.MoveRecord]] {
	return forPath(ctx, "movePage", func(st *store.Store) *batch.Loader[pageKey, reads.Page[model.MoveRecord]] {
		return grouped(st, func(ctx context.Context, s pageSig, parents []int64) (map[int64]reads.Page[model.MoveRecord], error) {
			pages, err := st.MovesByParent(ctx, s.Scope, parents, s.Query, s.Page)
			var recs []*model.MoveRecord
			for _, pg := range pages {
				for i := range pg.Items {
					recs = append(recs, &pg.Items[i])
				}
			}
			link(ctx, st, recs...) // the moves of every parent's page: one group
			return pages, err
		})
	})
}

func moveCountLoader(ctx context.Context) *batch.Loader[pageKey, int] {
	return forPath(ctx, "moveCount", func(st *store.Store) *batch.Loader[pageKey, int] {
		return grouped(st, func(ctx context.Context, s pageSig, parents []int64) (map[int64]int, error) {
			return st.CountMovesByParent(ctx, s.Scope, parents, s.Query)
		})
	})
}

// pageLoaders are the page and count loaders of one nested non-move list.
type pageLoaders[T any] struct {
	page  *batch.Loader[pageKey, reads.Page[T]]
	count func(ctx context.Context) *batch.Loader[pageKey, int] // at the totalCount field
}

func nestedLoaders[T any](ctx context.Context, name string,
	page func(*store.Store, context.Context, []int64, reads.PageArgs) (map[int64]reads.Page[T], error),
	count func(*store.Store, context.Context, []int64) (map[int64]int, error)) pageLoaders[T] {
	return pageLoaders[T]{
		page: forPath(ctx, name+"Page", func(st *store.Store) *batch.Loader[pageKey, reads.Page[T]] {
			return grouped(st, func(ctx context.Context, s pageSig, parents []int64) (map[int64]reads.Page[T], error) {
				return page(st, ctx, parents, s.Page)
			})
		}),
		count: func(ctx context.Context) *batch.Loader[pageKey, int] {
			return forPath(ctx, name+"Count", func(st *store.Store) *batch.Loader[pageKey, int] {
				return grouped(st, func(ctx context.Context, _ pageSig, parents []int64) (map[int64]int, error) {
					return count(st, ctx, parents)
				})
			})
		},
	}
}

type loadersKey struct{}

// WithLoaders is HTTP middleware that gives every request its own loaders.
func WithLoaders(st *store.Store, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ls := NewLoaders(st)
		ls.ctx = r.Context()
		ctx := context.WithValue(r.Context(), loadersKey{}, ls)
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// loadersFrom returns the request's loaders.
func loadersFrom(ctx context.Context) *Loaders {
	return ctx.Value(loadersKey{}).(*Loaders)
}
