package graph

import (
	"context"

	"github.com/cybertrade/cybertrade/model"
	"github.com/cybertrade/cybertrade/store"
	"github.com/cybertrade/cybertrade/store/reads"
)

// linkHits links the moves among search hits as one group, and makes the hits of each other
// type one group.
func linkHits(ctx context.Context, st *store.Store, hits []reads.SearchHit) {
	var recs []*model.MoveRecord
	var cases []*model.Case
	var companies []*model.Company
	var products []*model.Product
	for i := range hits {
		switch h := &hits[i]; {
		case h.Move != nil:
			recs = append(recs, h.Move)
		case h.Case != nil:
			cases = append(cases, h.Case)
		case h.Company != nil:
			companies = append(companies, h.Company)
		case h.Product != nil:
			products = append(products, h.Product)
		}
	}
	link(ctx, st, recs...)
	register(ctx, st, cases, caseID)
	register(ctx, st, companies, companyID)
	register(ctx, st, products, productID)
}

// searchNode is the GraphQL object of a search hit.
func searchNode(h *reads.SearchHit) model.SearchResult {
	switch {
	case h.Case != nil:
		return h.Case
	case h.Move != nil:
		return h.Move.AsMove().(model.SearchResult)
	case h.Company != nil:
		return h.Company
	}
	return h.Product
}

func searchConn(pg reads.Page[reads.SearchHit], count counter) *model.SearchConnection {
	return &model.SearchConnection{PageInfo: pageInfo(pg), Counter: model.Counter{Count: count},
		Edges: edges(pg, func(c string, h *reads.SearchHit) *model.SearchEdge {
			return &model.SearchEdge{Cursor: c, Node: searchNode(h), Type: h.Type, Score: h.Score}
		})}
}
