package graph

import (
	"context"

	"github.com/cybertrade/cybertrade/model"
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
	return grid(pairs, model.AllCountryOption, model.AllCompanyOption,
		func(co model.CountryOption, cells []*model.CompanyOptionCount) *model.ActionResponseRow {
			return &model.ActionResponseRow{CountryOption: co, Responses: cells}
		},
		func(ro model.CompanyOption, n int) *model.CompanyOptionCount {
			return &model.CompanyOptionCount{Option: ro, Count: n}
		})
}

// afterRows lays out the response → next action counts as a full grid in the enums' order.
func afterRows(pairs []reads.OptionPair) []*model.AfterResponseRow {
	return grid(pairs, model.AllCompanyOption, model.AllCountryOption,
		func(ro model.CompanyOption, cells []*model.CountryOptionCount) *model.AfterResponseRow {
			return &model.AfterResponseRow{CompanyOption: ro, Actions: cells}
		},
		func(co model.CountryOption, n int) *model.CountryOptionCount {
			return &model.CountryOptionCount{Option: co, Count: n}
		})
}

// grid lays out pair counts as a row per value of rows with a cell per value of cols.
func grid[R, C ~string, Row, Cell any](pairs []reads.OptionPair, rows []R, cols []C, row func(R, []Cell) Row, cell func(C, int) Cell) []Row {
	n := pairCounts(pairs)
	out := make([]Row, 0, len(rows))
	for _, r := range rows {
		var cells []Cell
		for _, c := range cols {
			cells = append(cells, cell(c, n[[2]string{string(r), string(c)}]))
		}
		out = append(out, row(r, cells))
	}
	return out
}

// topFacets counts a top-level move list's filtered set, one statement per facet asked for.
func (r *Resolver) topFacets(q reads.MoveQuery) model.Faceter {
	return func(ctx context.Context, d string) ([]*model.Bucket, error) {
		return r.countMoves(ctx, q, reads.Dimension(d))
	}
}
