package graph

import (
	"context"

	"github.com/cybertrade/cybertrade/model"
	"github.com/cybertrade/cybertrade/store/reads"
)

func pageInfo[T any](pg reads.Page[T]) *model.PageInfo {
	pi := &model.PageInfo{HasNextPage: pg.HasNext, HasPreviousPage: pg.HasPrev}
	if n := len(pg.Cursors); n > 0 {
		start, end := pg.Cursors[0].Encode(), pg.Cursors[n-1].Encode()
		pi.StartCursor, pi.EndCursor = &start, &end
	}
	return pi
}

// edges turns a page into a connection's edges.
func edges[T any, E any](pg reads.Page[T], edge func(cursor string, item *T) E) []E {
	out := make([]E, len(pg.Items))
	for i := range pg.Items {
		out[i] = edge(pg.Cursors[i].Encode(), &pg.Items[i])
	}
	return out
}

type counter = func(context.Context) (int, error)

func actionConn(pg reads.Page[model.MoveRecord], count counter, facets model.Faceter) *model.CountryActionConnection {
	return &model.CountryActionConnection{PageInfo: pageInfo(pg), Counter: model.Counter{Count: count}, Facets: &model.ActionFacets{By: facets},
		Edges: edges(pg, func(c string, m *model.MoveRecord) *model.CountryActionEdge {
			return &model.CountryActionEdge{Cursor: c, Node: &model.CountryAction{MoveRecord: m}}
		})}
}

func responseConn(pg reads.Page[model.MoveRecord], count counter, facets model.Faceter) *model.CompanyResponseConnection {
	return &model.CompanyResponseConnection{PageInfo: pageInfo(pg), Counter: model.Counter{Count: count}, Facets: &model.ResponseFacets{By: facets},
		Edges: edges(pg, func(c string, m *model.MoveRecord) *model.CompanyResponseEdge {
			return &model.CompanyResponseEdge{Cursor: c, Node: &model.CompanyResponse{MoveRecord: m}}
		})}
}

func moveConn(pg reads.Page[model.MoveRecord], count counter, facets model.Faceter) *model.MoveConnection {
	return &model.MoveConnection{PageInfo: pageInfo(pg), Counter: model.Counter{Count: count}, Facets: &model.MoveFacets{By: facets},
		Edges: edges(pg, func(c string, m *model.MoveRecord) *model.MoveEdge {
			return &model.MoveEdge{Cursor: c, Node: m.AsMove()}
		})}
}

func countryConn(pg reads.Page[model.Country], count counter) *model.CountryConnection {
	return &model.CountryConnection{PageInfo: pageInfo(pg), Counter: model.Counter{Count: count},
		Edges: edges(pg, func(c string, x *model.Country) *model.CountryEdge { return &model.CountryEdge{Cursor: c, Node: x} })}
}

func companyConn(pg reads.Page[model.Company], count counter) *model.CompanyConnection {
	return &model.CompanyConnection{PageInfo: pageInfo(pg), Counter: model.Counter{Count: count},
		Edges: edges(pg, func(c string, x *model.Company) *model.CompanyEdge { return &model.CompanyEdge{Cursor: c, Node: x} })}
}

func productConn(pg reads.Page[model.Product], count counter) *model.ProductConnection {
	return &model.ProductConnection{PageInfo: pageInfo(pg), Counter: model.Counter{Count: count},
		Edges: edges(pg, func(c string, x *model.Product) *model.ProductEdge { return &model.ProductEdge{Cursor: c, Node: x} })}
}

func caseConn(pg reads.Page[model.Case], count counter) *model.CaseConnection {
	return &model.CaseConnection{PageInfo: pageInfo(pg), Counter: model.Counter{Count: count},
		Edges: edges(pg, func(c string, x *model.Case) *model.CaseEdge { return &model.CaseEdge{Cursor: c, Node: x} })}
}

func sourceConn(pg reads.Page[model.Source], count counter) *model.SourceConnection {
	return &model.SourceConnection{PageInfo: pageInfo(pg), Counter: model.Counter{Count: count},
		Edges: edges(pg, func(c string, x *model.Source) *model.SourceEdge { return &model.SourceEdge{Cursor: c, Node: x} })}
}

// topMoves runs a top-level move list; its count and facets run only when asked for.
func (r *Resolver) topMoves(ctx context.Context, q reads.MoveQuery, first *int, after *string, last *int, before *string) (reads.Page[model.MoveRecord], counter, model.Faceter, error) {
	pa, err := reads.NewPageArgs(first, after, last, before)
	if err != nil {
		return reads.Page[model.MoveRecord]{}, nil, nil, err
	}
	pg, err := r.Store.Moves(ctx, q, pa)
	linkItems(ctx, r.Store, pg.Items)
	return pg, func(ctx context.Context) (int, error) { return r.Store.CountMoves(ctx, q) }, r.topFacets(q), err
}

func deletionConn(pg reads.Page[model.Deletion], count counter) *model.DeletionConnection {
	return &model.DeletionConnection{PageInfo: pageInfo(pg), Counter: model.Counter{Count: count},
		Edges: edges(pg, func(c string, x *model.Deletion) *model.DeletionEdge { return &model.DeletionEdge{Cursor: c, Node: x} })}
}
