package httpapi_test

import (
	"strings"
	"testing"

	"github.com/cybertrade/cybertrade/internal/testdb"
	"github.com/cybertrade/cybertrade/synth"
)

// responseRelations selects every relation a response resolves inline from its producer's group.
const responseRelations = `... on CompanyResponse { slug company { slug } country { code } case { slug } sources { key } products { slug }
  replies { ... on CountryAction { slug country { code } case { slug } inReplyTo { slug } } }
  inReplyTo { ... on CountryAction { slug country { code } } } }`

// moveRelations adds those of an action, for fields of type Move, Node or SearchResult.
const moveRelations = responseRelations + `
  ... on CountryAction { slug country { code } case { slug } inReplyTo { slug } replies { slug }
    sources { key } products { slug } targetProducts { slug } targetCompanies { slug } counterparts { code } concerns }`

// TestEveryProducerLinksItsMoves asks for a move's relations through every field that
// produces moves (top-level and nested pages, move, node, nodes, search, chain, timelines,
// replies of replies): each producer links its moves, so none answers with an error.
func TestEveryProducerLinksItsMoves(t *testing.T) {
	forEngine(t, func(t *testing.T, e testdb.Engine) {
		env := newEnv(t, e, synth.Generate(20, 7))
		var top struct {
			Responses struct {
				Edges []struct {
					Node struct {
						ID, Slug, Title string
						Replies         []struct{ ID string }
					}
				}
			}
		}
		env.ok(t, `{ responses(first: 100) { edges { node { id slug title replies { id } } } } }`, nil, &top)
		var n struct{ ID, Slug, Title string }
		for _, ed := range top.Responses.Edges {
			if len(ed.Node.Replies) > 0 {
				n.ID, n.Slug, n.Title = ed.Node.ID, ed.Node.Slug, ed.Node.Title
				break
			}
		}
		if n.ID == "" {
			t.Fatal("no response with replies in the synthetic data")
		}
		word := ""
		for _, w := range strings.Fields(n.Title) {
			if len(w) > len(word) && strings.IndexFunc(w, func(r rune) bool { return !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z') }) < 0 {
				word = w
			}
		}
		for name, q := range map[string]string{
			"responses": `{ responses(first: 5) { edges { node { ` + responseRelations + ` } } } }`,
			"moves":     `{ moves(first: 5) { edges { node { ` + moveRelations + ` } } } }`,
			"nested":    `{ companies(first: 5) { edges { node { responses(first: 3) { edges { node { ` + responseRelations + ` } } } } } } }`,
			"timeline":  `{ companies(first: 5) { edges { node { timeline(first: 3) { edges { node { ` + moveRelations + ` } } } } } } }`,
			"move":      `query($s: String!) { move(slug: $s) { ` + moveRelations + ` } }`,
			"node":      `query($id: ID!) { node(id: $id) { ` + moveRelations + ` } }`,
			"nodes":     `query($id: ID!) { nodes(ids: [$id, $id]) { ` + moveRelations + ` } }`,
			"chain":     `query($id: ID!) { chain(id: $id) { move { ` + moveRelations + ` } via { ` + moveRelations + ` } } }`,
			"search":    `query($w: String!) { search(text: $w, first: 5) { edges { node { ` + moveRelations + ` } } } }`,
		} {
			t.Run(name, func(t *testing.T) {
				r := env.post(t, q, map[string]any{"s": n.Slug, "id": n.ID, "w": word})
				if len(r.Errors) > 0 || !strings.Contains(r.Raw, `"company":{"slug":`) || !strings.Contains(r.Raw, `"replies":[{"slug":`) && strings.Contains(q, "$id") {
					t.Fatalf("want companies and replies, no errors: %.600s", r.Raw)
				}
			})
		}
	})
}

// TestSharedDocumentsStillValidate sends an invalid query twice: the second time the limits
// find the document they parsed the first time, and gqlgen must still validate it.
func TestSharedDocumentsStillValidate(t *testing.T) {
	forEngine(t, func(t *testing.T, e testdb.Engine) {
		env := newEnv(t, e, synth.Generate(2, 1))
		for range 2 {
			env.fails(t, `{ responses(first: 1) { edges { node { noSuchField } } } }`, nil, "GRAPHQL_VALIDATION_FAILED")
		}
		for range 2 {
			var out map[string]any
			env.ok(t, `{ responses(first: 1) { edges { node { slug } } } }`, nil, &out)
		}
	})
}
