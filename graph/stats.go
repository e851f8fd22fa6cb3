package graph

import (
	"context"

	"github.com/cybertrade/cybertrade/internal/batch"
	"github.com/cybertrade/cybertrade/model"
	"github.com/cybertrade/cybertrade/store"
	"github.com/cybertrade/cybertrade/store/reads"
)

func buckets(bs []model.Bucket) []*model.Bucket {
	out := make([]*model.Bucket, len(bs))
	for i := range bs {
		out[i] = &bs[i]
	}
	return out
}

// countMoves runs one top-level aggregation.
func (r *Resolver) countMoves(ctx context.Context, q reads.MoveQuery, d reads.Dimension) ([]*model.Bucket, error) {
	res, err := r.Store.GroupMoves(ctx, reads.ScopeNone, nil, q, d)
	if err != nil {
		return nil, err
	}
	return buckets(res[0]), nil
}

// optionQueries turns the two filters of a matrix into queries.
func optionQueries(af *model.ActionFilter, rf *model.ResponseFilter) (reads.MoveQuery, reads.MoveQuery, error) {
	aq, err := actionQuery(af, nil)
	if err != nil {
		return aq, aq, err
	}
	rq, err := responseQuery(rf, nil)
	return aq, rq, err
}

func pairCounts(pairs []reads.OptionPair) map[[2]string]int {
	out := make(map[[2]string]int, len(pairs))
	for _, p := range pairs {
		out[[2]string{p.Row, p.Col}] = p.N
	}
	return out
}

// matrixRows lays out the action → response counts as a full grid in the enums' order.
func matrixRows(pairs []reads.OptionPair) []*model.ActionResponseRow {
	n := pairCounts(pairs)
	out := make([]*model.ActionResponseRow, 0, len(model.AllCountryOption))
	for _, co := range model.AllCountryOption {
		row := &model.ActionResponseRow{CountryOption: co}
		for _, ro := range model.AllCompanyOption {
			row.Responses = append(row.Responses, &model.CompanyOptionCount{Option: ro, Count: n[[2]string{string(co), string(ro)}]})
		}
		out = append(out, row)
	}
	return out
}

// afterRows lays out the response → next action counts as a full grid in the enums' order.
func afterRows(pairs []reads.OptionPair) []*model.AfterResponseRow {
	n := pairCounts(pairs)
	out := make([]*model.AfterResponseRow, 0, len(model.AllCompanyOption))
	for _, ro := range model.AllCompanyOption {
		row := &model.AfterResponseRow{CompanyOption: ro}
		for _, co := range model.AllCountryOption {
			row.Actions = append(row.Actions, &model.CountryOptionCount{Option: co, Count: n[[2]string{string(ro), string(co)}]})
		}
		out = append(out, row)
	}
	return out
}

// topFacets counts a top-level move list's filtered set, one statement per facet asked for.
func (r *Resolver) topFacets(q reads.MoveQuery) model.Faceter {
	return func(ctx context.Context, d string) ([]*model.Bucket, error) {
		return r.countMoves(ctx, q, reads.Dimension(d))
	}
}

// nestedFacets counts a nested move list's filtered set through a batched loader: one
// statement per facet field path, for every parent at once.
func nestedFacets(sc reads.MoveScope, parent int64, q reads.MoveQuery) model.Faceter {
	return func(ctx context.Context, d string) ([]*model.Bucket, error) {
		bs, err := facetLoader(ctx).Load(ctx, pageKey{parent, pageSig{Scope: sc, Query: q, Dim: d}.encode()})
		return buckets(bs), err
	}
}

func facetLoader(ctx context.Context) *batch.Loader[pageKey, []model.Bucket] {
	return forPath(ctx, "facet", func(st *store.Store) *batch.Loader[pageKey, []model.Bucket] {
		return grouped(st, func(ctx context.Context, s pageSig, parents []int64) (map[int64][]model.Bucket, error) {
			return st.GroupMoves(ctx, s.Scope, parents, s.Query, reads.Dimension(s.Dim))
		})
	})
}
