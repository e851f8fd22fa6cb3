package httpapi_test

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/cybertrade/cybertrade/dataset"
	"github.com/cybertrade/cybertrade/internal/globalid"
	"github.com/cybertrade/cybertrade/internal/testdb"
	"github.com/cybertrade/cybertrade/synth"
)

type pageOut struct {
	Moves struct {
		TotalCount int
		PageInfo   struct {
			HasNextPage, HasPreviousPage bool
			StartCursor, EndCursor       *string
		}
		Edges []struct {
			Cursor string
			Node   struct{ ID, Date string }
		}
	}
}

const pageQuery = `query($first: Int, $after: String, $last: Int, $before: String, $filter: MoveFilter, $order: MoveOrder) {
  moves(first: $first, after: $after, last: $last, before: $before, filter: $filter, orderBy: $order) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { id date } }
  }
}`

// TestCursorPagination walks the whole move list forwards and backwards in small pages and
// checks that every move comes exactly once, in date order, matching totalCount.
func TestCursorPagination(t *testing.T) {
	forEngine(t, func(t *testing.T, e testdb.Engine) {
		ds := synth.Generate(12, 7) // 60 moves
		env := newEnv(t, e, ds)
		var forward []string
		var dates []string
		vars := map[string]any{"first": 7}
		total := -1
		for page := 0; ; page++ {
			var out pageOut
			env.ok(t, pageQuery, vars, &out)
			total = out.Moves.TotalCount
			for _, ed := range out.Moves.Edges {
				forward = append(forward, ed.Node.ID)
				dates = append(dates, ed.Node.Date)
			}
			if page > 0 && !out.Moves.PageInfo.HasPreviousPage {
				t.Fatalf("page %d after a cursor says there is no previous page", page)
			}
			if !out.Moves.PageInfo.HasNextPage {
				break
			}
			vars = map[string]any{"first": 7, "after": *out.Moves.PageInfo.EndCursor}
		}
		if total != 60 || len(forward) != 60 {
			t.Fatalf("walked %d moves, totalCount %d, want 60", len(forward), total)
		}
		if want := causalOrder(ds); !slices.Equal(slugsOf(forward), want) {
			t.Fatalf("moves are not in causal date order:\n got %v\nwant %v\n(dates %v)", slugsOf(forward), want, dates)
		}
		if unique := slices.Compact(slices.Sorted(slices.Values(forward))); len(unique) != 60 {
			t.Fatalf("pages overlap: %d unique ids of 60", len(unique))
		}

		var backward []string
		vars = map[string]any{"last": 9}
		for {
			var out pageOut
			env.ok(t, pageQuery, vars, &out)
			ids := make([]string, len(out.Moves.Edges))
			for i, ed := range out.Moves.Edges {
				ids[i] = ed.Node.ID
			}
			backward = append(ids, backward...)
			if !out.Moves.PageInfo.HasPreviousPage {
				break
			}
			vars = map[string]any{"last": 9, "before": *out.Moves.PageInfo.StartCursor}
		}
		if !slices.Equal(forward, backward) {
			t.Fatalf("paging backwards gives another order:\nforward  %v\nbackward %v", forward, backward)
		}

		var desc pageOut
		env.ok(t, pageQuery, map[string]any{"first": 100, "order": map[string]any{"field": "DATE", "direction": "DESC"}}, &desc)
		got := make([]string, len(desc.Moves.Edges))
		for i, ed := range desc.Moves.Edges {
			got[i] = ed.Node.ID
		}
		reversed := slices.Clone(forward)
		slices.Reverse(reversed)
		if !slices.Equal(got, reversed) {
			t.Fatalf("DESC order is not the reverse of ASC")
		}

		var def pageOut
		env.ok(t, pageQuery, nil, &def)
		if len(def.Moves.Edges) != 20 || !def.Moves.PageInfo.HasNextPage {
			t.Fatalf("default page: %d edges, hasNextPage %v; want 20, true", len(def.Moves.Edges), def.Moves.PageInfo.HasNextPage)
		}
	})
}

// TestBadInputGetsCodes checks that bad arguments get a GraphQL error with a stable code and a
// readable message, never a 500 or internals.
func TestBadInputGetsCodes(t *testing.T) {
	forEngine(t, func(t *testing.T, e testdb.Engine) {
		env := newEnv(t, e, synth.Generate(3, 1))
		tests := []struct {
			name, query string
			vars        map[string]any
			code, field string
		}{
			{"page over the maximum", `{ moves(first: 101) { totalCount } }`, nil, "INVALID_ARGUMENT", "first"},
			{"negative page", `{ actions(last: -1) { totalCount } }`, nil, "INVALID_ARGUMENT", "last"},
			{"first and last", `{ responses(first: 2, last: 2) { totalCount } }`, nil, "INVALID_ARGUMENT", "first"},
			{"malformed cursor", `{ moves(after: "not-a-cursor") { totalCount } }`, nil, "INVALID_ARGUMENT", "after"},
			{"nested page over the maximum", `{ countries(first: 1) { edges { node { actions(first: 500) { totalCount } } } } }`, nil, "INVALID_ARGUMENT", "first"},
			{"inverted date range", `{ actions(filter: {from: "2020-01-01", to: "2019-01-01"}) { totalCount } }`, nil, "INVALID_ARGUMENT", "filter.from"},
			{"bad date", `{ actions(filter: {from: "2020-13-01"}) { totalCount } }`, nil, "INVALID_ARGUMENT", "filter.from"},
			{"coarse date in a range", `{ responses(filter: {to: "2020"}) { totalCount } }`, nil, "INVALID_ARGUMENT", "filter.to"},
			{"unknown country code", `{ actions(filter: {countries: ["XX"]}) { totalCount } }`, nil, "INVALID_ARGUMENT", "filter.countries"},
			{"unknown company", `{ responses(filter: {companies: ["no-such-co"]}) { totalCount } }`, nil, "INVALID_ARGUMENT", "filter.companies"},
			{"unknown country", `{ country(code: "QQ") { name } }`, nil, "NOT_FOUND", ""},
			{"unknown company slug", `{ company(slug: "nope") { name } }`, nil, "NOT_FOUND", ""},
			{"unknown case", `{ case(slug: "nope") { title } }`, nil, "NOT_FOUND", ""},
			{"malformed id", `{ node(id: "%%%") { id } }`, nil, "INVALID_ARGUMENT", "id"},
			{"unknown id", `{ node(id: "Q29tcGFueTpub3BlLWluYw") { id } }`, nil, "NOT_FOUND", ""},
			{"too many ids", `query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, map[string]any{"ids": make([]string, 101)}, "INVALID_ARGUMENT", "ids"},
			{"unknown enum value", `{ responses(filter: {options: [SULK]}) { totalCount } }`, nil, "GRAPHQL_VALIDATION_FAILED", ""},
			{"syntax error", `{ responses(`, nil, "GRAPHQL_PARSE_FAILED", ""},
			{"unknown field", `{ responses { nope } }`, nil, "GRAPHQL_VALIDATION_FAILED", ""},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				if tc.name == "too many ids" {
					for i := range 101 {
						tc.vars["ids"].([]string)[i] = fmt.Sprintf("id%d", i)
					}
				}
				ge := env.fails(t, tc.query, tc.vars, tc.code)
				if tc.field != "" && ge.Extensions["field"] != tc.field {
					t.Errorf("extensions.field = %v, want %s (%s)", ge.Extensions["field"], tc.field, ge.Message)
				}
				if ge.Message == "" {
					t.Error("empty message")
				}
			})
		}
		r := env.post(t, `{ node(id: "Q29tcGFueTpub3BlLWluYw") { id } }`, nil)
		if r.Status != http.StatusOK {
			t.Errorf("a NOT_FOUND is a GraphQL error, not HTTP %d", r.Status)
		}
	})
}

// causalOrder lists the moves of ds as the API orders them: by causal sort key, then load order.
func causalOrder(ds *dataset.Dataset) []string {
	keys := causalKeys(ds)
	var slugs []string
	for _, c := range ds.Cases {
		for _, m := range c.Moves {
			slugs = append(slugs, m.Slug)
		}
	}
	slices.SortStableFunc(slugs, func(a, b string) int { return strings.Compare(keys[a], keys[b]) })
	return slugs
}

// slugsOf decodes global ids into slugs.
func slugsOf(ids []string) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		_, out[i], _ = globalid.Decode(id)
	}
	return out
}
