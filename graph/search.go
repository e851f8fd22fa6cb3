package graph

import (
	"github.com/cybertrade/cybertrade/model"
	"github.com/cybertrade/cybertrade/store"
)

// searchNode is the GraphQL object of a search hit.
func searchNode(h *store.SearchHit) model.SearchResult {
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

func searchConn(pg store.Page[store.SearchHit], count counter) *model.SearchConnection {
	return &model.SearchConnection{PageInfo: pageInfo(pg), Counter: model.Counter{Count: count},
		Edges: edges(pg, func(c string, h *store.SearchHit) *model.SearchEdge {
			return &model.SearchEdge{Cursor: c, Node: searchNode(h), Type: h.Type, Score: h.Score}
		})}
}
