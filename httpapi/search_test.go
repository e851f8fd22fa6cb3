package httpapi_test

import (
	"context"
	"slices"
	"testing"

	"github.com/cybertrade/cybertrade/dataset"
	"github.com/cybertrade/cybertrade/internal/globalid"
	"github.com/cybertrade/cybertrade/store/load"
)

const searchQuery = `query($text: String!, $types: [SearchType!], $first: Int, $after: String) {
  search(text: $text, types: $types, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor type score node {
      __typename
      ... on Case { id title }
      ... on CountryAction { id title country { code } }
      ... on CompanyResponse { id title company { slug } }
      ... on Company { id name }
      ... on Product { id name company { slug } }
    } }
  }
}`

type searchOut struct {
	Search struct {
		TotalCount int
		PageInfo   struct {
			HasNextPage bool
			EndCursor   string
		}
		Edges []struct {
			Cursor string
			Type   string
			Score  float64
			Node   struct {
				Typename string `json:"__typename"`
				ID       string
				Country  struct{ Code string }
				Company  struct{ Slug string }
			}
		}
	}
}

func (o searchOut) ids() []string {
	var out []string
	for _, e := range o.Search.Edges {
		out = append(out, e.Node.ID)
	}
	return out
}

// TestSearchRanksRecords: the same real queries give the same records in the same order on
// PostgreSQL (tsvector, ts_rank) and SQLite (FTS5, bm25): all words must match (stemmed),
// titles outrank summaries, types can be narrowed, pages follow the ranking, nested fields load,
// and deleted records are not found.
func TestSearchRanksRecords(t *testing.T) {
	forEnv(t, researchFixture, func(t *testing.T, env *env) {
		search := func(text string, types []string) searchOut {
			t.Helper()
			var out searchOut
			vars := map[string]any{"text": text, "first": 20}
			if types != nil {
				vars["types"] = types
			}
			env.ok(t, searchQuery, vars, &out)
			for i, ed := range out.Search.Edges {
				if i > 0 && ed.Score > out.Search.Edges[i-1].Score {
					t.Errorf("%q: scores not descending: %v", text, out.ids())
				}
				if ed.Score <= 0 {
					t.Errorf("%q: score %v is not positive", text, ed.Score)
				}
			}
			return out
		}
		for _, tc := range []struct {
			text  string
			types []string
			want  []string // the whole result, in order
		}{
			// In a title (weight A) beats in a summary (B).
			{"evaluation centre", nil, []string{actionID("uk-evaluation-centre"), responseID("huawei-staffs-centre")}},
			// Stemming: "blocking" finds "blocks" and "blocked"; both words in the title first.
			{"blocking Telegram", nil, []string{actionID("ru-blocks-telegram"), globalid.Encode("Case", "telegram-in-russia")}},
			// All words must match; common words are ignored.
			{"the encryption keys of Telegram", nil, []string{responseID("telegram-refuses-keys"), globalid.Encode("Case", "telegram-in-russia")}},
			// Types narrow the search; a name with its aliases outranks a product name.
			{"Kaspersky", []string{"COMPANY", "PRODUCT"}, []string{globalid.Encode("Company", "kaspersky-lab"), globalid.Encode("Product", "kaspersky-antivirus")}},
			// A phrase needs its words in order.
			{`"encryption keys"`, []string{"CASE"}, []string{globalid.Encode("Case", "telegram-in-russia")}},
			{`"keys encryption"`, nil, nil},
			// Alternatives and exclusions.
			{"fines or sues -ban", nil, []string{actionID("ru-fines-linkedin")}},
			// Category text is searchable (TELECOM_EQUIPMENT).
			{"telecom equipment", []string{"PRODUCT"}, []string{globalid.Encode("Product", "huawei-network-equipment")}},
		} {
			out := search(tc.text, tc.types)
			if got := out.ids(); !slices.Equal(got, tc.want) || out.Search.TotalCount != len(tc.want) {
				t.Errorf("search %q %v: total %d\n got %v\nwant %v", tc.text, tc.types, out.Search.TotalCount, got, tc.want)
			}
		}

		// Every match of a broad query, with types, typenames and nested fields.
		all := search("LinkedIn", nil)
		// The case, the company, the product and the 5 moves with LinkedIn in their title, in
		// an order that differs between the engines' rankings.
		wantAll := sorted(globalid.Encode("Case", "linkedin-in-russia"), globalid.Encode("Company", "linkedin"), globalid.Encode("Product", "linkedin-network"),
			actionID("ru-court"), actionID("ru-blocks-linkedin"), responseID("linkedin-refuses"), responseID("linkedin-stays-out"), actionID("ru-fines-linkedin"))
		if got := sorted(all.ids()...); all.Search.TotalCount != 8 || !slices.Equal(got, wantAll) {
			t.Errorf("LinkedIn: %d results %v", all.Search.TotalCount, got)
		}
		typename := map[string]string{"CASE": "Case", "COUNTRY_ACTION": "CountryAction", "COMPANY_RESPONSE": "CompanyResponse", "COMPANY": "Company", "PRODUCT": "Product"}
		for _, ed := range all.Search.Edges {
			typ, _, _ := globalid.Decode(ed.Node.ID)
			if typename[ed.Type] != ed.Node.Typename || typ != ed.Node.Typename {
				t.Errorf("edge type %s, node %s, id type %s", ed.Type, ed.Node.Typename, typ)
			}
			if ed.Node.Typename == "CountryAction" && ed.Node.Country.Code != "RU" {
				t.Errorf("nested country of %s: %q", ed.Node.ID, ed.Node.Country.Code)
			}
			if (ed.Node.Typename == "CompanyResponse" || ed.Node.Typename == "Product") && ed.Node.Company.Slug != "linkedin" {
				t.Errorf("nested company of %s: %q", ed.Node.ID, ed.Node.Company.Slug)
			}
		}
		// Statements depend on the query, not on how many results or which types come back
		// (nested fields in type fragments add their batched loader when that type is present).
		stmts := func(first int) int64 {
			var out searchOut
			before := env.st.Statements()
			env.ok(t, `query($first: Int) { search(text: "LinkedIn", first: $first) { totalCount edges { type score node { __typename } } } }`,
				map[string]any{"first": first}, &out)
			if len(out.Search.Edges) != first {
				t.Fatalf("first: %d gave %d edges", first, len(out.Search.Edges))
			}
			return env.st.Statements() - before
		}
		if one, eight := stmts(1), stmts(8); one != eight {
			t.Errorf("search ran %d statements for one result, %d for eight", one, eight)
		}

		// Paging one by one gives the same order.
		var paged []string
		vars := map[string]any{"text": "LinkedIn", "first": 2}
		for {
			var pg searchOut
			env.ok(t, searchQuery, vars, &pg)
			paged = append(paged, pg.ids()...)
			if !pg.Search.PageInfo.HasNextPage {
				break
			}
			vars["after"] = pg.Search.PageInfo.EndCursor
		}
		if !slices.Equal(paged, all.ids()) {
			t.Errorf("paged search differs:\n%v\n%v", paged, all.ids())
		}

		// Bad input.
		for _, text := range []string{"", "  ", "the of and", "-telegram"} {
			ge := env.fails(t, searchQuery, map[string]any{"text": text}, "INVALID_ARGUMENT")
			if ge.Extensions["field"] != "text" {
				t.Errorf("%q: field %v", text, ge.Extensions["field"])
			}
		}
		env.fails(t, searchQuery, map[string]any{"text": "x", "after": "bm90LWEtY3Vyc29y"}, "INVALID_ARGUMENT")

		// Deleted records are not found; the index follows edits.
		ds := researchFixture(t)
		ds.Cases = slices.DeleteFunc(ds.Cases, func(c dataset.Case) bool { return c.Slug == "telegram-in-russia" })
		ds.Companies[0].Description = "Maker of routers and handsets."
		if _, err := env.st.LoadWith(context.Background(), ds, load.Options{Prune: true}); err != nil {
			t.Fatal(err)
		}
		if got := search("Telegram", nil).ids(); !slices.Equal(got, []string{globalid.Encode("Company", "telegram"), globalid.Encode("Product", "telegram-messenger")}) {
			t.Errorf("after deleting the Telegram case: %v", got)
		}
		if got := search("routers", nil).ids(); !slices.Equal(got, []string{globalid.Encode("Company", "huawei")}) {
			t.Errorf("after editing Huawei's description: %v", got)
		}
		if got := search("smartphones", nil).ids(); len(got) != 0 {
			t.Errorf("old description still found: %v", got)
		}
	})
}
