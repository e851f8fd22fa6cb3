package httpapi_test

import (
	"testing"

	"github.com/cybertrade/cybertrade/internal/testdb"
	"github.com/cybertrade/cybertrade/model"
)

// TestMoveWithoutFragments reads kind, moveOption and the machine dates on Move itself, over
// a mixed list (actions and responses) and a nested one (replies), with no fragment or alias:
// what a notebook or a typed front-end selects.
func TestMoveWithoutFragments(t *testing.T) {
	forEngine(t, func(t *testing.T, e testdb.Engine) {
		env := newEnv(t, e, researchFixture(t))
		type mv struct {
			Slug, Kind, MoveOption, Date, DatePrecision, DateStart, DateEnd string
		}
		var d struct {
			Moves struct {
				Nodes []struct {
					mv
					Replies []mv `json:"replies"`
				} `json:"nodes"`
			} `json:"moves"`
		}
		env.ok(t, `{ moves(filter: {cases: ["linkedin-in-russia"]}, first: 20) { nodes {
			slug kind moveOption date datePrecision dateStart dateEnd
			replies { slug kind moveOption date datePrecision dateStart dateEnd } } } }`, nil, &d)
		got := map[string]mv{}
		for _, n := range d.Moves.Nodes {
			got[n.Slug] = n.mv
			for _, r := range n.Replies {
				if r != got[r.Slug] && got[r.Slug].Slug != "" {
					t.Errorf("reply %s differs from its own row: %+v vs %+v", r.Slug, r, got[r.Slug])
				}
			}
		}
		want := []mv{
			{"ru-blocks-linkedin", "ACTION", "IMPORT_BARRIER", "2016-11-17", "DAY", "2016-11-17", "2016-11-17"},
			{"linkedin-refuses", "RESPONSE", "DEFY", "2017-03", "MONTH", "2017-03-01", "2017-03-31"},
			{"linkedin-stays-out", "RESPONSE", "AVOID", "2018", "YEAR", "2018-01-01", "2018-12-31"},
			{"ru-fines-linkedin", "ACTION", "AMPLIFY", "2019-05-23", "DAY", "2019-05-23", "2019-05-23"},
		}
		for _, w := range want {
			if got[w.Slug] != w {
				t.Errorf("%s: got %+v, want %+v", w.Slug, got[w.Slug], w)
			}
		}
		// The DEFY replies of the product's question, without fragments.
		var q struct {
			Responses struct {
				Nodes []struct {
					Slug    string
					Replies []mv
				}
			}
		}
		env.ok(t, `{ responses(filter: {options: [DEFY], cases: ["linkedin-in-russia"]}) { nodes { slug replies { slug kind moveOption dateStart } } } }`, nil, &q)
		if len(q.Responses.Nodes) != 1 || len(q.Responses.Nodes[0].Replies) != 1 ||
			q.Responses.Nodes[0].Replies[0] != (mv{Slug: "ru-keeps-block", Kind: "ACTION", MoveOption: "IMPORT_BARRIER", DateStart: "2017-03-01"}) {
			t.Errorf("DEFY replies: %+v", q.Responses.Nodes)
		}
	})
}

// TestMoveOptionCoversBothEnums: MoveOption holds every country and company option, and
// nothing else, so Move.moveOption can never be an unknown value.
func TestMoveOptionCoversBothEnums(t *testing.T) {
	want := map[model.MoveOption]bool{}
	for _, o := range model.AllCountryOption {
		want[model.MoveOption(o)] = true
	}
	for _, o := range model.AllCompanyOption {
		if want[model.MoveOption(o)] {
			t.Errorf("%s is both a country and a company option", o)
		}
		want[model.MoveOption(o)] = true
	}
	if len(model.AllMoveOption) != len(want) {
		t.Errorf("MoveOption has %d values, the two option enums %d", len(model.AllMoveOption), len(want))
	}
	for _, o := range model.AllMoveOption {
		if !want[o] {
			t.Errorf("MoveOption %s is no country or company option", o)
		}
	}
}
