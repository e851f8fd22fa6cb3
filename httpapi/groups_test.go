package httpapi_test

import (
	"strings"
	"testing"

	"github.com/cybertrade/cybertrade/internal/testdb"
)

// TestEntityRelationsDoNotGrowWithPageSize: the relations of companies, countries, cases,
// products and sources (nested pages, their counts, a company's home country, a product's
// company, a case's countries, companies and sources), asked through every producer of those
// objects (top-level pages, nested pages, move relations, nodes), cost the same number of
// statements for a page of 2 as for a page of 12: they load per producer, not per object.
func TestEntityRelationsDoNotGrowWithPageSize(t *testing.T) {
	queries := map[string]string{
		"companies": `query($n: Int!) { companies(first: $n) { edges { node { slug homeCountry { code companies(first: 2) { totalCount edges { node { slug } } } }
			products(first: 2) { totalCount edges { node { slug company { slug } sources(first: 1) { edges { node { key } } } } } }
			cases(first: 2) { edges { node { slug countries { code } } } } sources(first: 2) { totalCount edges { node { key } } }
			responses(first: 2) { totalCount facets { options { value count } } edges { node { slug } } } } } } }`,
		"countries": `query($n: Int!) { countries(first: $n, filter: {hasActions: true}) { edges { node { code
			companies(first: 2) { edges { node { slug homeCountry { code } } } } sources(first: 2) { edges { node { key } } }
			actions(first: 2) { totalCount edges { node { slug targetCompanies { slug homeCountry { code } products(first: 1) { edges { node { slug } } } } } } } } } } }`,
		"cases": `query($n: Int!) { cases(first: $n) { edges { node { slug countries { code sources(first: 1) { edges { node { key } } } }
			companies { slug homeCountry { code } } sources { key moves(first: 2) { totalCount edges { node { slug } } } }
			moves(first: 2) { edges { node { slug case { slug companies { slug } } } } } } } } }`,
		"move relations": `query($n: Int!) { responses(first: $n) { edges { node { slug company { homeCountry { code } products(first: 1) { edges { node { slug } } } }
			country { companies(first: 1) { edges { node { slug } } } } case { countries { code } } sources { moves(first: 1) { edges { node { slug } } } } } } } }`,
		"products": `query($n: Int!) { products(first: $n) { edges { node { slug company { slug homeCountry { code } }
			actions(first: 2) { totalCount edges { node { slug } } } sources(first: 2) { edges { node { key } } } } } } }`,
	}
	forEngine(t, func(t *testing.T, e testdb.Engine) {
		env := bulkEnv(t, e, 40)
		for name, q := range queries {
			var stmts [2]int64
			for i, n := range []int{2, 12} {
				before := env.st.Statements()
				r := env.post(t, q, map[string]any{"n": n})
				stmts[i] = env.st.Statements() - before
				if len(r.Errors) > 0 || r.Status != 200 {
					t.Fatalf("%s: %d %v", name, r.Status, r.Errors)
				}
				if got := strings.Count(string(r.Data), `"slug"`) + strings.Count(string(r.Data), `"code"`); got < n {
					t.Fatalf("%s: first %d: only %d objects in the answer: the test would check nothing", name, n, got)
				}
			}
			t.Logf("%s: %d statements for 2 and for 12", name, stmts[0])
			if stmts[0] != stmts[1] {
				t.Errorf("%s: statements grew with the page: 2 -> %d, 12 -> %d", name, stmts[0], stmts[1])
			}
		}
	})
}
