package limits

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/vektah/gqlparser/v2/ast"
)

// Documents is a server's one cache of parsed documents, keyed by the query's text. The limits
// read every document they check from it (parsing and adding it on a miss), and gqlgen uses it
// as its query cache: it gets only the documents it has validated itself, and adds them back.
// A repeated query is so parsed once, and its validated document serves the limits, the cost
// analysis and the executor alike.
type Documents struct {
	lru *lru.LRU[*document]
}

// document is a cached document and whether gqlgen has validated it.
type document struct {
	doc       *ast.QueryDocument
	validated bool
}

var _ graphql.Cache[*ast.QueryDocument] = (*Documents)(nil)

// NewDocuments returns a cache of the size most recently used documents.
func NewDocuments(size int) *Documents {
	return &Documents{lru: lru.New[*document](size)}
}

// Get implements graphql.Cache for gqlgen: a document gqlgen validated. One the limits have
// only parsed is a miss, so gqlgen never skips validation.
func (d *Documents) Get(ctx context.Context, query string) (*ast.QueryDocument, bool) {
	e, ok := d.lru.Get(ctx, query)
	if !ok || !e.validated {
		return nil, false
	}
	return e.doc, true
}

// Add implements graphql.Cache for gqlgen: a document it has validated.
func (d *Documents) Add(ctx context.Context, query string, doc *ast.QueryDocument) {
	d.lru.Add(ctx, query, &document{doc: doc, validated: true})
}

// Lookup returns the document of query, validated or not, if it is cached; a nil cache has none.
func (d *Documents) Lookup(query string) (*ast.QueryDocument, bool) {
	if d == nil {
		return nil, false
	}
	e, ok := d.lru.Get(context.Background(), query)
	if !ok {
		return nil, false
	}
	return e.doc, true
}

// addParsed keeps a document the limits parsed, until gqlgen replaces it with its validated one.
func (d *Documents) addParsed(query string, doc *ast.QueryDocument) {
	d.lru.Add(context.Background(), query, &document{doc: doc})
}
