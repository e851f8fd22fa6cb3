package model

import "context"

// Counter computes a connection's totalCount lazily: only when a client asks for it.
type Counter struct {
	Count func(ctx context.Context) (int, error)
}

// TotalCount runs the count query of the connection.
func (c Counter) TotalCount(ctx context.Context) (int, error) {
	if c.Count == nil {
		return 0, nil
	}
	return c.Count(ctx)
}

// CountryConnection is a page of countries.
type CountryConnection struct {
	Edges    []*CountryEdge
	PageInfo *PageInfo
	Counter
}

// CountryEdge is a country in a page.
type CountryEdge struct {
	Cursor string
	Node   *Country
}

// Nodes lists the page's countries.
func (c *CountryConnection) Nodes() []*Country {
	out := make([]*Country, len(c.Edges))
	for i, e := range c.Edges {
		out[i] = e.Node
	}
	return out
}

// CompanyConnection is a page of companies.
type CompanyConnection struct {
	Edges    []*CompanyEdge
	PageInfo *PageInfo
	Counter
}

// CompanyEdge is a company in a page.
type CompanyEdge struct {
	Cursor string
	Node   *Company
}

// Nodes lists the page's companies.
func (c *CompanyConnection) Nodes() []*Company {
	out := make([]*Company, len(c.Edges))
	for i, e := range c.Edges {
		out[i] = e.Node
	}
	return out
}

// ProductConnection is a page of products.
type ProductConnection struct {
	Edges    []*ProductEdge
	PageInfo *PageInfo
	Counter
}

// ProductEdge is a product in a page.
type ProductEdge struct {
	Cursor string
	Node   *Product
}

// Nodes lists the page's products.
func (c *ProductConnection) Nodes() []*Product {
	out := make([]*Product, len(c.Edges))
	for i, e := range c.Edges {
		out[i] = e.Node
	}
	return out
}

// CaseConnection is a page of cases.
type CaseConnection struct {
	Edges    []*CaseEdge
	PageInfo *PageInfo
	Counter
}

// CaseEdge is a case in a page.
type CaseEdge struct {
	Cursor string
	Node   *Case
}

// Nodes lists the page's cases.
func (c *CaseConnection) Nodes() []*Case {
	out := make([]*Case, len(c.Edges))
	for i, e := range c.Edges {
		out[i] = e.Node
	}
	return out
}

// SourceConnection is a page of sources.
type SourceConnection struct {
	Edges    []*SourceEdge
	PageInfo *PageInfo
	Counter
}

// SourceEdge is a source in a page.
type SourceEdge struct {
	Cursor string
	Node   *Source
}

// Nodes lists the page's sources.
func (c *SourceConnection) Nodes() []*Source {
	out := make([]*Source, len(c.Edges))
	for i, e := range c.Edges {
		out[i] = e.Node
	}
	return out
}

// CountryActionConnection is a page of country actions.
type CountryActionConnection struct {
	Edges    []*CountryActionEdge
	PageInfo *PageInfo
	Counter
	// Facets counts the whole filtered set.
	Facets *ActionFacets
}

// CountryActionEdge is an action in a page.
type CountryActionEdge struct {
	Cursor string
	Node   *CountryAction
}

// Nodes lists the page's actions.
func (c *CountryActionConnection) Nodes() []*CountryAction {
	out := make([]*CountryAction, len(c.Edges))
	for i, e := range c.Edges {
		out[i] = e.Node
	}
	return out
}

// CompanyResponseConnection is a page of company responses.
type CompanyResponseConnection struct {
	Edges    []*CompanyResponseEdge
	PageInfo *PageInfo
	Counter
	// Facets counts the whole filtered set.
	Facets *ResponseFacets
}

// CompanyResponseEdge is a response in a page.
type CompanyResponseEdge struct {
	Cursor string
	Node   *CompanyResponse
}

// Nodes lists the page's responses.
func (c *CompanyResponseConnection) Nodes() []*CompanyResponse {
	out := make([]*CompanyResponse, len(c.Edges))
	for i, e := range c.Edges {
		out[i] = e.Node
	}
	return out
}

// MoveConnection is a page of moves of both kinds.
type MoveConnection struct {
	Edges    []*MoveEdge
	PageInfo *PageInfo
	Counter
	// Facets counts the whole filtered set.
	Facets *MoveFacets
}

// MoveEdge is a move in a page.
type MoveEdge struct {
	Cursor string
	Node   Move
}

// Nodes lists the page's moves.
func (c *MoveConnection) Nodes() []Move {
	out := make([]Move, len(c.Edges))
	for i, e := range c.Edges {
		out[i] = e.Node
	}
	return out
}
