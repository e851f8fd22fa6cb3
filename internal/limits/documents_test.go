package limits

import (
	"context"
	"testing"

	"github.com/vektah/gqlparser/v2/ast"
)

// TestDocumentsGiveGqlgenOnlyValidatedDocuments: a document the limits parsed is shared with
// later checks, but gqlgen's query cache misses on it (so gqlgen validates it) until gqlgen
// adds its validated document, which the limits then read too.
func TestDocumentsGiveGqlgenOnlyValidatedDocuments(t *testing.T) {
	ctx := context.Background()
	d := NewDocuments(10)
	const q = "{ a }"
	parsed, validated := &ast.QueryDocument{}, &ast.QueryDocument{}
	if _, ok := d.Lookup(q); ok {
		t.Fatal("an empty cache has a document")
	}
	d.addParsed(q, parsed)
	if doc, ok := d.Lookup(q); !ok || doc != parsed {
		t.Fatal("the limits do not find the document they parsed")
	}
	if _, ok := d.Get(ctx, q); ok {
		t.Fatal("gqlgen got a document it has not validated: it would skip validation")
	}
	d.Add(ctx, q, validated)
	if doc, ok := d.Get(ctx, q); !ok || doc != validated {
		t.Fatal("gqlgen does not find the document it validated")
	}
	if doc, ok := d.Lookup(q); !ok || doc != validated {
		t.Fatal("the limits do not read the validated document")
	}
	var none *Documents
	if _, ok := none.Lookup(q); ok {
		t.Fatal("a nil cache has a document")
	}
}
