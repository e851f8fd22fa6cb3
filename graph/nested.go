package graph

import (
	"context"
	"fmt"

	"github.com/cybertrade/cybertrade/model"
	"github.com/cybertrade/cybertrade/store"
	"github.com/cybertrade/cybertrade/store/reads"
)

// Row ids of the grouped types.
func companyID(c *model.Company) int64 { return c.RowID }
func countryID(c *model.Country) int64 { return c.RowID }
func caseID(c *model.Case) int64       { return c.RowID }
func productID(p *model.Product) int64 { return p.RowID }
func sourceID(s *model.Source) int64   { return s.RowID }

// window is a page's arguments as the schema gives them.
type window struct {
	first  *int
	after  *string
	last   *int
	before *string
}

// pageSig is what a nested page depends on besides its parent: pages of one group with the
// same signature load in one statement.
type pageSig struct {
	Scope reads.MoveScope `json:"s,omitempty"`
	Query reads.MoveQuery `json:"q"`
	Page  reads.PageArgs  `json:"p"`
	Dim   string          `json:"d,omitempty"` // a facet's dimension
}

// nestedMoves serves a nested move list of parent, a member of g: its page loads for every
// member of g at once (the moves of all the pages are one group of moves), and so do its
// count and facets when asked. Call the result with the list's query.
func nestedMoves[C any](g *group, sc reads.MoveScope, parent int64, w window, conn func(reads.Page[model.MoveRecord], counter, model.Faceter) C) func(reads.MoveQuery, error) (C, error) {
	return func(q reads.MoveQuery, err error) (C, error) {
		var zero C
		if err != nil {
			return zero, err
		}
		pa, err := reads.NewPageArgs(w.first, w.after, w.last, w.before)
		if err != nil {
			return zero, err
		}
		pages, err := load(g, sigKey("moves", pageSig{Scope: sc, Query: q, Page: pa}), func(ctx context.Context) (map[int64]reads.Page[model.MoveRecord], error) {
			pages, err := g.st.MovesByParent(ctx, sc, g.ids, q, pa)
			var recs []*model.MoveRecord
			for _, pg := range pages {
				for i := range pg.Items {
					recs = append(recs, &pg.Items[i])
				}
			}
			link(ctx, g.st, recs...)
			return pages, err
		})
		if err != nil {
			return zero, err
		}
		count := func(context.Context) (int, error) {
			by, err := load(g, sigKey("count", pageSig{Scope: sc, Query: q}), func(ctx context.Context) (map[int64]int, error) {
				return g.st.CountMovesByParent(ctx, sc, g.ids, q)
			})
			return by[parent], err
		}
		facets := func(_ context.Context, d string) ([]*model.Bucket, error) {
			by, err := load(g, sigKey("facet", pageSig{Scope: sc, Query: q, Dim: d}), func(ctx context.Context) (map[int64][]model.Bucket, error) {
				return g.st.GroupMoves(ctx, sc, g.ids, q, reads.Dimension(d))
			})
			return buckets(by[parent]), err
		}
		return conn(pages[parent], count, facets), nil
	}
}

// nestedList serves a nested list of something else than moves (the products of a company,
// the companies of a country…) the same way: its page and its count load for every member of
// g at once, and the items of all the pages are one group.
func nestedList[T any, C any](g *group, name string, parent int64, w window,
	page func(*store.Store, context.Context, []int64, reads.PageArgs) (map[int64]reads.Page[T], error),
	count func(*store.Store, context.Context, []int64) (map[int64]int, error),
	id func(*T) int64, conn func(reads.Page[T], counter) C) (C, error) {
	var zero C
	pa, err := reads.NewPageArgs(w.first, w.after, w.last, w.before)
	if err != nil {
		return zero, err
	}
	pages, err := load(g, sigKey(name, pageSig{Page: pa}), func(ctx context.Context) (map[int64]reads.Page[T], error) {
		pages, err := page(g.st, ctx, g.ids, pa)
		var all []*T
		for _, pg := range pages {
			for i := range pg.Items {
				all = append(all, &pg.Items[i])
			}
		}
		register(ctx, g.st, all, id)
		return pages, err
	})
	if err != nil {
		return zero, err
	}
	return conn(pages[parent], func(context.Context) (int, error) {
		by, err := load(g, name+"Count", func(ctx context.Context) (map[int64]int, error) { return count(g.st, ctx, g.ids) })
		return by[parent], err
	}), nil
}

// relatedRows are the children of parent, a member of g, over rel: loaded for every member of g
// at once, the children of all of them one group.
func relatedRows[T any](g *group, rel reads.Relation, parent int64, id func(*T) int64) ([]*T, error) {
	by, err := load(g, fmt.Sprintf("rel%d", rel), func(ctx context.Context) (map[int64][]*T, error) {
		return related(ctx, g.st, rel, g.ids, id)
	})
	return childrenOf(by, err, parent)
}

// related reads the children of parents over rel, by parent; all of them are one group.
func related[T any](ctx context.Context, st *store.Store, rel reads.Relation, parents []int64, id func(*T) int64) (map[int64][]*T, error) {
	rows, err := reads.RelatedRows[T](ctx, st.Reader, rel, parents)
	if err != nil {
		return nil, err
	}
	out := make(map[int64][]*T, len(rows))
	var all []*T
	for p, items := range rows {
		ptrs := make([]*T, len(items))
		for i := range items {
			ptrs[i] = &items[i]
		}
		out[p] = ptrs
		all = append(all, ptrs...)
	}
	register(ctx, st, all, id)
	return out, nil
}

// childrenOf are parent's children in by: an empty list when it has none.
func childrenOf[T any](by map[int64][]*T, err error, parent int64) ([]*T, error) {
	if err != nil {
		return nil, err
	}
	if v := by[parent]; v != nil {
		return v, nil
	}
	return []*T{}, nil
}

// one loads, for every member of g at once, the row each refers to by key (a company's home
// country, a product's company); the rows loaded are one group.
func one[T any, R any](g *group, name string, key func(*T) int64, fetch func(context.Context, []int64) ([]R, error), id func(*R) int64, want int64) (*R, error) {
	by, err := load(g, name, func(ctx context.Context) (map[int64]*R, error) {
		return byRowID(ctx, g.st, distinct(g, key), fetch, id)
	})
	return found(by, err, want, name)
}

// group is the object's producer's group (groups.go).
func (r *companyResolver) group(ctx context.Context, obj *model.Company) *group {
	return groupOf(ctx, r.Store, obj, companyID)
}

func (r *productResolver) group(ctx context.Context, obj *model.Product) *group {
	return groupOf(ctx, r.Store, obj, productID)
}

func (r *countryResolver) group(ctx context.Context, obj *model.Country) *group {
	return groupOf(ctx, r.Store, obj, countryID)
}

func (r *caseResolver) group(ctx context.Context, obj *model.Case) *group {
	return groupOf(ctx, r.Store, obj, caseID)
}

func (r *sourceResolver) group(ctx context.Context, obj *model.Source) *group {
	return groupOf(ctx, r.Store, obj, sourceID)
}

// topList serves a top-level list of something else than moves: its page is one group, and
// its count runs only when asked. Call the result with the list's query.
func topList[Q, T, C any](ctx context.Context, st *store.Store, w window,
	page func(context.Context, Q, reads.PageArgs) (reads.Page[T], error), count func(context.Context, Q) (int, error),
	id func(*T) int64, conn func(reads.Page[T], counter) C) func(Q, error) (C, error) {
	return func(q Q, err error) (C, error) {
		var zero C
		pa, perr := reads.NewPageArgs(w.first, w.after, w.last, w.before)
		if perr != nil {
			return zero, perr
		}
		if err != nil {
			return zero, err
		}
		pg, err := page(ctx, q, pa)
		if err != nil {
			return zero, err
		}
		registerRows(ctx, st, pg.Items, id) // one group: their relations load together
		return conn(pg, func(ctx context.Context) (int, error) { return count(ctx, q) }), nil
	}
}
