package graph

import (
	"context"

	"github.com/cybertrade/cybertrade/model"
	"github.com/cybertrade/cybertrade/store"
)

func buckets(bs []model.Bucket) []*model.Bucket {
	out := make([]*model.Bucket, len(bs))
	for i := range bs {
		out[i] = &bs[i]
	}
	return out
}

// countMoves runs one top-level aggregation.
func (r *Resolver) countMoves(ctx context.Context, q store.MoveQuery, d store.Dimension) ([]*model.Bucket, error) {
	res, err := r.Store.GroupMoves(ctx, store.ScopeNone, nil, q, d)
	if err != nil {
		return nil, err
	}
	return buckets(res[0]), nil
}

// optionQueries turns the two filters of a matrix into queries.
func optionQueries(af *model.ActionFilter, rf *model.ResponseFilter) (store.MoveQuery, store.MoveQuery, error) {
	aq, err := actionQuery(af, nil)
	if err != nil {
		return aq, aq, err
	}
	rq, err := responseQuery(rf, nil)
	return aq, rq, err
}

func pairCounts(pairs []store.OptionPair) map[[2]string]int {
	out := make(map[[2]string]int, len(pairs))
	for _, p := range pairs {
		out[[2]string{p.Row, p.Col}] = p.N
	}
	return out
}

// matrixRows lays out the action → response counts as a full grid in the enums' order.
func matrixRows(pairs []store.OptionPair) []*model.ActionResponseRow {
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
func afterRows(pairs []store.OptionPair) []*model.AfterResponseRow {
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
func (r *Resolver) topFacets(q store.MoveQuery) model.Faceter {
	return func(ctx context.Context, d string) ([]*model.Bucket, error) {
		return r.countMoves(ctx, q, store.Dimension(d))
	}
}
