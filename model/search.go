package model

// IsSearchResult marks Case as a search result.
func (Case) IsSearchResult() {}

// IsSearchResult marks CountryAction as a search result.
func (CountryAction) IsSearchResult() {}

// IsSearchResult marks CompanyResponse as a search result.
func (CompanyResponse) IsSearchResult() {}

// IsSearchResult marks Company as a search result.
func (Company) IsSearchResult() {}

// IsSearchResult marks Product as a search result.
func (Product) IsSearchResult() {}

// SearchConnection is a page of search results.
type SearchConnection struct {
	Edges    []*SearchEdge
	PageInfo *PageInfo
	Counter
}

// SearchEdge is a search result with its relevance.
type SearchEdge struct {
	Cursor string
	Node   SearchResult
	Type   SearchType
	Score  float64
}

// Nodes lists the page's records.
func (c *SearchConnection) Nodes() []SearchResult {
	out := make([]SearchResult, len(c.Edges))
	for i, e := range c.Edges {
		out[i] = e.Node
	}
	return out
}
