package httpapi_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/cybertrade/cybertrade/internal/globalid"
)

const chainQuery = `query($id: ID!, $dir: ChainDirection, $depth: Int) {
  chain(id: $id, direction: $dir, maxDepth: $depth) {
    depth
    move { id date datePrecision
      ... on CountryAction { countryOption: option country { code } targetCompanies { slug } }
      ... on CompanyResponse { companyOption: option company { slug } }
      sources { key } }
    via { id title }
  }
}`

type chainOut struct {
	Chain []struct {
		Depth int
		Move  struct {
			ID, Date, DatePrecision      string
			CountryOption, CompanyOption string
			Country                      struct{ Code string }
			Company                      struct{ Slug string }
			Sources                      []struct{ Key string }
		}
		Via *struct{ ID, Title string }
	}
}

// steps renders a chain as "depth:slug<via" for comparison.
func (c chainOut) steps() []string {
	var out []string
	for _, e := range c.Chain {
		_, slug, _ := globalid.Decode(e.Move.ID)
		s := fmt.Sprintf("%d:%s", e.Depth, slug)
		if e.Via != nil {
			_, via, _ := globalid.Decode(e.Via.ID)
			s += "<" + via
		}
		out = append(out, s)
	}
	return out
}

// TestCausalChains: chains run forward through replies and backward through inReplyTo to a
// bounded depth, branch, survive cycles, load nested fields in batches, and cost the same
// number of statements at depth 1 and depth 10.
func TestCausalChains(t *testing.T) {
	forEnv(t, researchFixture, func(t *testing.T, env *env) {
		run := func(t *testing.T, id, dir string, depth *int) (chainOut, int64) {
			t.Helper()
			vars := map[string]any{"id": id}
			if dir != "" {
				vars["dir"] = dir
			}
			if depth != nil {
				vars["depth"] = *depth
			}
			var out chainOut
			before := env.st.Statements()
			env.ok(t, chainQuery, vars, &out)
			return out, env.st.Statements() - before
		}
		d := func(n int) *int { return &n }
		for _, tc := range []struct {
			name, id, dir string
			depth         *int
			want          []string
		}{
			{"forward, default depth", actionID("ru-blocks-linkedin"), "FORWARD", nil, []string{
				"0:ru-blocks-linkedin", "1:linkedin-refuses<ru-blocks-linkedin", "2:ru-keeps-block<linkedin-refuses",
				"3:linkedin-stays-out<ru-keeps-block", "4:ru-fines-linkedin<linkedin-stays-out"}},
			{"backward, bounded", actionID("ru-fines-linkedin"), "BACKWARD", d(2), []string{
				"-2:ru-keeps-block<linkedin-stays-out", "-1:linkedin-stays-out<ru-fines-linkedin", "0:ru-fines-linkedin"}},
			{"both ways (the default)", actionID("ru-keeps-block"), "", d(10), []string{
				"-2:ru-blocks-linkedin<linkedin-refuses", "-1:linkedin-refuses<ru-keeps-block", "0:ru-keeps-block",
				"1:linkedin-stays-out<ru-keeps-block", "2:ru-fines-linkedin<linkedin-stays-out"}},
			{"branching forward, by date", actionID("us-dhs-ban"), "FORWARD", nil, []string{
				"0:us-dhs-ban", "1:kaspersky-transparency<us-dhs-ban", "1:kaspersky-sues<us-dhs-ban"}},
			{"a response to two actions", responseID("kaspersky-sues"), "BACKWARD", nil, []string{
				"-1:us-dhs-ban<kaspersky-sues", "-1:us-ndaa-ban<kaspersky-sues", "0:kaspersky-sues"}},
			{"a cycle ends", actionID("ru-blocks-telegram"), "BOTH", d(10), []string{
				"-1:telegram-refuses-keys<ru-blocks-telegram", "0:ru-blocks-telegram", "1:telegram-refuses-keys<ru-blocks-telegram"}},
			{"depth 0 is the start", responseID("linkedin-refuses"), "BOTH", d(0), []string{"0:linkedin-refuses"}},
			{"an unlinked move", actionID("us-china-agreement"), "BOTH", nil, []string{"0:us-china-agreement"}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				out, _ := run(t, tc.id, tc.dir, tc.depth)
				if got := out.steps(); !slices.Equal(got, tc.want) {
					t.Errorf("chain:\n got %v\nwant %v", got, tc.want)
				}
			})
		}

		// Nested fields come from batched loaders: depth 1 and depth 10 cost the same.
		short, nShort := run(t, actionID("ru-blocks-linkedin"), "FORWARD", d(1))
		long, nLong := run(t, actionID("ru-blocks-linkedin"), "FORWARD", d(10))
		if len(short.Chain) != 2 || len(long.Chain) != 5 {
			t.Fatalf("chains of %d and %d entries", len(short.Chain), len(long.Chain))
		}
		if nShort != nLong {
			t.Errorf("statements grew with the chain: %d at depth 1, %d at depth 10", nShort, nLong)
		}
		for _, en := range long.Chain {
			m := en.Move
			if len(m.Sources) != 1 || m.Sources[0].Key != "wire-linkedin" {
				t.Errorf("%s: sources %v", m.ID, m.Sources)
			}
			typ, _, _ := globalid.Decode(m.ID)
			if (typ == "CountryAction" && m.Country.Code != "RU") || (typ == "CompanyResponse" && m.Company.Slug != "linkedin") {
				t.Errorf("%s: nested country %q company %q", m.ID, m.Country.Code, m.Company.Slug)
			}
		}
		if got := long.Chain[3].Move; got.Date != "2018" || got.DatePrecision != "YEAR" || got.CompanyOption != "AVOID" {
			t.Errorf("a year-precise move in the chain: %+v", got)
		}

		// Bad input.
		for _, tc := range []struct {
			vars        map[string]any
			code, field string
		}{
			{map[string]any{"id": actionID("ru-court"), "depth": 11}, "INVALID_ARGUMENT", "maxDepth"},
			{map[string]any{"id": actionID("ru-court"), "depth": -1}, "INVALID_ARGUMENT", "maxDepth"},
			{map[string]any{"id": globalid.Encode("Company", "linkedin")}, "INVALID_ARGUMENT", "id"},
			{map[string]any{"id": "%%%"}, "INVALID_ARGUMENT", "id"},
			{map[string]any{"id": actionID("no-such-move")}, "NOT_FOUND", ""},
			{map[string]any{"id": actionID("linkedin-refuses")}, "NOT_FOUND", ""}, // a response, named as an action
		} {
			ge := env.fails(t, chainQuery, tc.vars, tc.code)
			if tc.field != "" && ge.Extensions["field"] != tc.field {
				t.Errorf("%v: field %v", tc.vars, ge.Extensions["field"])
			}
		}
	})
}

// TestTimelines: countries and companies list every move involving them in date order, with
// each date at its precision; nested timelines are batched.
func TestTimelines(t *testing.T) {
	forEnv(t, researchFixture, func(t *testing.T, env *env) {
		type tl struct {
			TotalCount int
			Nodes      []struct{ ID, Date, DatePrecision string }
		}
		var out struct {
			RU, CN, US struct{ Timeline tl }
			LinkedIn   struct{ Timeline, Responses tl }
			Huawei     struct{ Timeline tl }
		}
		env.ok(t, `fragment T on MoveConnection { totalCount nodes { id date datePrecision } }
		{
			RU: country(code: "RU") { timeline(first: 100) { ...T } }
			CN: country(code: "CN") { timeline { ...T } }
			US: country(code: "US") { timeline(orderBy: {direction: DESC}) { ...T } }
			LinkedIn: company(slug: "linkedin") { timeline { ...T } responses: timeline(filter: {kinds: [RESPONSE]}) { ...T } }
			Huawei: company(slug: "huawei") { timeline { ...T } }
		}`, nil, &out)
		ids := func(x tl) []string {
			var s []string
			for _, n := range x.Nodes {
				_, slug, _ := globalid.Decode(n.ID)
				s = append(s, slug+"@"+n.Date+"/"+n.DatePrecision)
			}
			if len(s) != x.TotalCount {
				t.Errorf("totalCount %d for %d nodes", x.TotalCount, len(s))
			}
			return s
		}
		for _, tc := range []struct {
			name string
			got  tl
			want []string
		}{
			{"RU", out.RU.Timeline, []string{"ru-court@2016-11-10/DAY", "ru-blocks-linkedin@2016-11-17/DAY", "linkedin-refuses@2017-03/MONTH",
				"ru-keeps-block@2017-03/MONTH", "linkedin-stays-out@2018/YEAR", "ru-blocks-telegram@2018-04-16/DAY",
				"telegram-refuses-keys@2018-04-16/DAY", "ru-fines-linkedin@2019-05-23/DAY"}},
			{"CN (a counterpart)", out.CN.Timeline, []string{"us-china-agreement@2015-09-25/DAY"}},
			{"US, newest first", out.US.Timeline, []string{"kaspersky-sues@2017-12-18/DAY", "us-ndaa-ban@2017-12-12/DAY",
				"kaspersky-transparency@2017-10/MONTH", "us-dhs-ban@2017-09-13/DAY", "us-china-agreement@2015-09-25/DAY"}},
			{"LinkedIn", out.LinkedIn.Timeline, []string{"ru-court@2016-11-10/DAY", "ru-blocks-linkedin@2016-11-17/DAY",
				"linkedin-refuses@2017-03/MONTH", "ru-keeps-block@2017-03/MONTH", "linkedin-stays-out@2018/YEAR", "ru-fines-linkedin@2019-05-23/DAY"}},
			{"LinkedIn's responses", out.LinkedIn.Responses, []string{"linkedin-refuses@2017-03/MONTH", "linkedin-stays-out@2018/YEAR"}},
			{"Huawei", out.Huawei.Timeline, []string{"uk-evaluation-centre@2010-11/MONTH", "huawei-staffs-centre@2010-12/MONTH"}},
		} {
			if got := ids(tc.got); !slices.Equal(got, tc.want) {
				t.Errorf("%s timeline:\n got %v\nwant %v", tc.name, got, tc.want)
			}
		}

		nested := func(codes []string) int64 {
			var out struct {
				Countries struct {
					Nodes []struct {
						Timeline struct {
							TotalCount int
							Nodes      []struct{ ID string }
						}
					}
				}
			}
			before := env.st.Statements()
			env.ok(t, `query($codes: [String!]) { countries(filter: {codes: $codes}) { nodes { timeline(first: 2) { totalCount nodes { id } } } } }`,
				map[string]any{"codes": codes}, &out)
			if len(out.Countries.Nodes) != len(codes) {
				t.Fatalf("%d countries", len(out.Countries.Nodes))
			}
			return env.st.Statements() - before
		}
		if a, b := nested([]string{"RU"}), nested([]string{"RU", "US", "CN", "GB"}); a != b {
			t.Errorf("nested timelines: %d statements for 1 country, %d for 4", a, b)
		}
	})
}
