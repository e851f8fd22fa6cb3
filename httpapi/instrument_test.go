package httpapi_test

import (
	"encoding/csv"
	"slices"
	"strings"
	"testing"
)

// TestInstrumentEverywhere: every move answers its instrument; the instruments filter narrows
// actions, responses, moves and cases; stats and facets count by instrument; the CSV, JSON and
// GraphML exports carry it; and a write without an instrument, or with an unknown one, is
// refused with nothing written. On both engines, over the research fixture.
func TestInstrumentEverywhere(t *testing.T) {
	forCurator(t, researchFixture, func(t *testing.T, c *curator) {
		ds := researchFixture(t)
		want := map[string]string{} // slug -> instrument, from the fixture
		for _, k := range ds.Cases {
			for _, m := range k.Moves {
				want[m.Slug] = m.Instrument
			}
		}

		var all struct {
			Moves struct {
				Nodes []struct{ Slug, Instrument string }
			}
		}
		c.ok(t, `{ moves(first: 100) { nodes { slug instrument } } }`, nil, &all)
		if len(all.Moves.Nodes) != len(want) {
			t.Fatalf("%d moves, the fixture has %d", len(all.Moves.Nodes), len(want))
		}
		for _, n := range all.Moves.Nodes {
			if n.Instrument != want[n.Slug] {
				t.Errorf("%s: instrument %q, the fixture says %q", n.Slug, n.Instrument, want[n.Slug])
			}
		}

		var out struct {
			Actions, Responses, Moves struct {
				TotalCount int
				Nodes      []struct{ Slug, Instrument string }
				Facets     struct {
					Instruments []struct {
						Value string
						Count int
					}
				}
			}
			Cases struct{ Nodes []struct{ Slug string } }
			Stats struct {
				Actions, Responses []struct {
					Value string
					Count int
				}
			}
		}
		c.ok(t, `{
			actions(filter: {instruments: [AGREEMENT]}, first: 100) { totalCount nodes { slug instrument } facets { instruments { value count } } }
			responses(filter: {instruments: [STATEMENT, VERIFICATION]}, first: 100) { totalCount nodes { slug instrument } facets { instruments { value count } } }
			moves(filter: {instruments: [REGULATORY_ORDER]}, first: 100) { totalCount nodes { ... on CountryAction { slug instrument } ... on CompanyResponse { slug instrument } } facets { instruments { value count } } }
			cases(filter: {instruments: [AGREEMENT]}, first: 100) { nodes { slug } }
			stats { actions(groupBy: INSTRUMENT) { value count } responses(groupBy: INSTRUMENT) { value count } }
		}`, nil, &out)
		count := func(kind string, keep func(string) bool) int {
			n := 0
			for _, k := range ds.Cases {
				for _, m := range k.Moves {
					if (kind == "" || m.Type == kind) && keep(m.Instrument) {
						n++
					}
				}
			}
			return n
		}
		is := func(vals ...string) func(string) bool { return func(v string) bool { return slices.Contains(vals, v) } }
		for _, tc := range []struct {
			name  string
			total int
			nodes []struct{ Slug, Instrument string }
			want  func(string) bool
		}{
			{"actions by AGREEMENT", count("action", is("AGREEMENT")), out.Actions.Nodes, is("AGREEMENT")},
			{"responses by STATEMENT or VERIFICATION", count("response", is("STATEMENT", "VERIFICATION")), out.Responses.Nodes, is("STATEMENT", "VERIFICATION")},
			{"moves by REGULATORY_ORDER", count("", is("REGULATORY_ORDER")), out.Moves.Nodes, is("REGULATORY_ORDER")},
		} {
			if tc.total == 0 || len(tc.nodes) != tc.total {
				t.Errorf("%s: %d nodes, the fixture has %d", tc.name, len(tc.nodes), tc.total)
			}
			for _, n := range tc.nodes {
				if !tc.want(n.Instrument) {
					t.Errorf("%s: %s has instrument %s", tc.name, n.Slug, n.Instrument)
				}
			}
		}
		if len(out.Cases.Nodes) != 1 || out.Cases.Nodes[0].Slug != "us-china-norms" {
			t.Errorf("cases with an AGREEMENT: %+v, want us-china-norms", out.Cases.Nodes)
		}
		sum := func(bs []struct {
			Value string
			Count int
		}, v string) int {
			for _, b := range bs {
				if b.Value == v {
					return b.Count
				}
			}
			return 0
		}
		for _, v := range []string{"REGULATORY_ORDER", "AGREEMENT"} {
			if got, w := sum(out.Stats.Actions, v), count("action", is(v)); got != w {
				t.Errorf("stats.actions(groupBy: INSTRUMENT) %s = %d, the fixture has %d", v, got, w)
			}
		}
		for _, v := range []string{"STATEMENT", "LAWSUIT", "VERIFICATION", "BUSINESS_DECISION"} {
			if got, w := sum(out.Stats.Responses, v), count("response", is(v)); got != w {
				t.Errorf("stats.responses(groupBy: INSTRUMENT) %s = %d, the fixture has %d", v, got, w)
			}
		}
		if f := out.Actions.Facets.Instruments; len(f) != 1 || f[0].Value != "AGREEMENT" || f[0].Count != out.Actions.TotalCount {
			t.Errorf("facets of the AGREEMENT actions: %+v", f)
		}

		// The exports carry it.
		ex := c.exports(t)
		for _, file := range []string{"actions.csv", "responses.csv"} {
			rows, err := csv.NewReader(strings.NewReader(ex[file])).ReadAll()
			if err != nil || len(rows) < 2 {
				t.Fatalf("%s: %v", file, err)
			}
			col := slices.Index(rows[0], "instrument")
			slug := slices.Index(rows[0], "slug")
			if col < 0 {
				t.Fatalf("%s has no instrument column: %v", file, rows[0])
			}
			for _, r := range rows[1:] {
				if r[col] != want[r[slug]] {
					t.Errorf("%s: %s has instrument %q, want %q", file, r[slug], r[col], want[r[slug]])
				}
			}
		}
		if !strings.Contains(ex["dataset.json"], `"instrument": "AGREEMENT"`) && !strings.Contains(ex["dataset.json"], `"instrument":"AGREEMENT"`) {
			t.Error("dataset.json does not carry the instruments")
		}
		if !strings.Contains(ex["graph.graphml"], `attr.name="instrument"`) || !strings.Contains(ex["graph.graphml"], ">AGREEMENT<") {
			t.Error("graph.graphml does not carry the instruments")
		}

		// A write without an instrument, or with an unknown one, is refused; nothing is written.
		before := c.dataVersion(t)
		in := map[string]any{"case": "linkedin-in-russia", "slug": "ru-new-measure", "option": "IMPORT_BARRIER", "country": "RU",
			"date": "2019-06", "title": "A new measure", "concerns": []string{"DATA_SOVEREIGNTY"}, "sources": []string{"wire-linkedin"}}
		const create = `mutation($in: CreateCountryActionInput!) { createCountryAction(input: $in) { countryAction { id } } }`
		if r := c.as(t, c.editor, create, map[string]any{"in": in}); len(r.Errors) == 0 || !strings.Contains(r.Body, "instrument") {
			t.Errorf("a create without an instrument: %s", r.Body)
		}
		in["instrument"] = "TWEET"
		if r := c.as(t, c.editor, create, map[string]any{"in": in}); len(r.Errors) == 0 || !strings.Contains(r.Body, "TWEET") {
			t.Errorf("a create with an unknown instrument: %s", r.Body)
		}
		if after := c.dataVersion(t); after != before {
			t.Errorf("refused writes changed the data version from %d to %d", before, after)
		}
		in["instrument"] = "LEGISLATION"
		c.must(t, c.editor, create, map[string]any{"in": in}, nil)
		var got struct{ Move struct{ Instrument string } }
		c.ok(t, `{ move(slug: "ru-new-measure") { instrument } }`, nil, &got)
		if got.Move.Instrument != "LEGISLATION" {
			t.Errorf("the created move has instrument %q", got.Move.Instrument)
		}
	})
}
