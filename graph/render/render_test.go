package render_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/cybertrade/cybertrade/dataset"
	"github.com/cybertrade/cybertrade/httpapi"
	"github.com/cybertrade/cybertrade/internal/limits"
	"github.com/cybertrade/cybertrade/internal/testdb"
	"github.com/cybertrade/cybertrade/store"
	"github.com/cybertrade/cybertrade/synth"
)

const (
	common = `__typename id slug kind moveOption date datePrecision dateStart dateEnd instrument
	title summary actor confidence codingNote createdAt updatedAt version
	case { __typename id slug title summary startDate endDate createdAt updatedAt version }
	sources { __typename id key title publisher date datePrecision url note createdAt updatedAt version }
	products { __typename id slug name category description createdAt updatedAt version }
	inReplyTo { __typename slug ... on CompanyResponse { company { slug } } }
	replies { __typename ... on CountryAction { slug ao: option country { code } } ... on CompanyResponse { slug ro: option } }`
	action = `ao: option concerns
	country { __typename id code name region supranational codeStatus createdAt updatedAt version }
	targetCompanies { __typename id slug name aliases sector description createdAt updatedAt version }
	targetProducts { slug name }
	counterparts { code name }`
	response   = `ro: option company { id slug name aliases sector description } country { code }`
	moveFields = common + ` ... on CountryAction { ` + action + ` } ... on CompanyResponse { ` + response + ` }`
)

// The answers the renderer writes are gqlgen's, byte for byte: every field of every type it
// renders, through aliases, fragments, directives and the fields where it gives up.
var renderQueries = []struct{ name, query string }{
	{"every field of a move page", `{ moves(first: 40) { edges { cursor node { ` + moveFields + ` } }
		nodes { __typename slug } pageInfo { __typename hasNextPage hasPreviousPage startCursor endCursor } } }`},
	{"typed pages", `{ responses(first: 20) { edges { node { ` + common + response + ` } } pageInfo { endCursor } }
		actions(first: 20, orderBy: {field: DATE, direction: DESC}) { nodes { ` + common + action + ` } } }`},
	{"aliases and repeats", `{ r: responses(first: 5) { e: edges { n: node { s: slug slug s: slug c: company { n: name } } }
		edges { cursor node { title } } } }`},
	{"named fragments and directives", `query($yes: Boolean = true, $no: Boolean = false) {
		moves(first: 10) { edges { node { ...M ... @include(if: $no) { title } slug @skip(if: $yes) date @include(if: $yes) } } } }
		fragment M on Move { kind ... on CompanyResponse { company { ...C } } }
		fragment C on Company { slug name }`},
	{"gives up on resolvers, counts and facets", `{ responses(first: 5) { totalCount edges { node { slug company { homeCountry { code } products(first: 1) { edges { node { slug } } } } } } } }`},
	{"gives up on facets", `{ actions(first: 3) { facets { options { value count } } edges { node { slug } } } }`},
	{"nested pages", `{ countries(first: 3) { edges { node { code actions(first: 3) { edges { node { slug targetCompanies { slug } } } }
		responses(first: 2) { nodes { slug company { name } } } } } }
		country(code: "US") { actions(first: 5) { edges { node { slug replies { ... on CompanyResponse { company { slug } } } } } } } }`},
	{"lists from resolvers", `{ cases(first: 3) { edges { node { slug sources { key title } countries { code } companies { slug } } } } }`},
	{"a node", `{ moves(first: 1) { edges { node { id } } } }`},
}

func post(t *testing.T, h http.Handler, query string) string {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query})
	req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(string(body)))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		t.Fatalf("%d %.300s", rec.Code, rec.Body.String())
	}
	return rec.Body.String()
}

// servers returns a handler with the renderer and one without, over one synthetic dataset.
func servers(t *testing.T, e testdb.Engine) (rendered, plain http.Handler) {
	t.Helper()
	st := testdb.Open(t, e, store.Options{})
	if err := synth.Stream(40, 1, 500, func(ds *dataset.Dataset) error {
		_, err := st.BulkLoad(context.Background(), ds)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	lim := limits.Defaults()
	lim.RatePerMinute = 0
	return httpapi.New(st, httpapi.Options{Limits: &lim}), httpapi.New(st, httpapi.Options{Limits: &lim, FieldByField: true})
}

func TestRenderedAnswersAreGqlgens(t *testing.T) {
	for _, e := range testdb.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			rendered, plain := servers(t, e)
			for _, q := range renderQueries {
				got, want := post(t, rendered, q.query), post(t, plain, q.query)
				if strings.Contains(want, `"errors"`) {
					t.Errorf("%s: %.500s", q.name, want)
				}
				if got != want {
					t.Errorf("%s: rendered answer differs from gqlgen's\n got %.2000s\nwant %.2000s", q.name, got, want)
				}
			}
		})
	}
}

// TestRenderingCutsAllocations: the DEFY question costs well under half the allocations of
// gqlgen's field-by-field answer (so the renderer does serve it).
func TestRenderingCutsAllocations(t *testing.T) {
	const defy = `{ responses(filter: {options: [DEFY]}, first: 100) { edges { node { slug date title option
		company { slug name } country { code name } replies { ... on CountryAction { slug option date title } } } } } }`
	for _, e := range testdb.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			rendered, plain := servers(t, e)
			if got, want := post(t, rendered, defy), post(t, plain, defy); got != want || !strings.Contains(got, `"DEFY"`) {
				t.Fatalf("answers differ or hold no DEFY response:\n%.500s\n%.500s", got, want)
			}
			fast := testing.AllocsPerRun(20, func() { post(t, rendered, defy) })
			slow := testing.AllocsPerRun(20, func() { post(t, plain, defy) })
			t.Logf("allocations per request: %.0f rendered, %.0f field by field", fast, slow)
			if fast > 0.6*slow {
				t.Errorf("rendered answer allocates %.0f, field by field %.0f: want at most 60%%", fast, slow)
			}
		})
	}
}
