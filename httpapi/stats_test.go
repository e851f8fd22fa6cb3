package httpapi_test

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"testing"

	"github.com/cybertrade/cybertrade/dataset"
	"github.com/cybertrade/cybertrade/internal/testdb"
	"github.com/cybertrade/cybertrade/model"
	"github.com/cybertrade/cybertrade/synth"
)

type bucket struct {
	Value string
	Label *string
	Count int
}

// index is a dataset's moves and names, to compute expected counts independently of the SQL.
type index struct {
	moves        map[string]dataset.Move
	companyName  map[string]string
	companyHome  map[string]string
	countryName  map[string]string
	productCateg map[string]string
}

func indexOf(ds *dataset.Dataset) index {
	ix := index{moves: map[string]dataset.Move{}, companyName: map[string]string{}, companyHome: map[string]string{},
		countryName: map[string]string{}, productCateg: map[string]string{}}
	for _, c := range ds.Countries {
		ix.countryName[c.Code] = c.Name
	}
	for _, c := range ds.Companies {
		ix.companyName[c.Slug], ix.companyHome[c.Slug] = c.Name, c.Country
		for _, p := range c.Products {
			ix.productCateg[p.Slug] = p.Category
		}
	}
	for _, c := range ds.Cases {
		for _, m := range c.Moves {
			ix.moves[m.Slug] = m
		}
	}
	return ix
}

// count groups the moves that keep() accepts by the values values() gives, as sorted buckets.
func (ix index) count(keep func(dataset.Move) bool, values func(dataset.Move) []string, label func(string) *string) []bucket {
	n := map[string]int{}
	for _, m := range ix.moves {
		if !keep(m) {
			continue
		}
		seen := map[string]bool{}
		for _, v := range values(m) {
			if !seen[v] {
				seen[v] = true
				n[v]++
			}
		}
	}
	out := []bucket{}
	for _, v := range slices.Sorted(maps.Keys(n)) {
		out = append(out, bucket{Value: v, Label: label(v), Count: n[v]})
	}
	return out
}

func one(v string) []string  { return []string{v} }
func noLabel(string) *string { return nil }
func strp(s string) *string  { return &s }

func sameBuckets(t *testing.T, what string, got, want []bucket) {
	t.Helper()
	g, _ := json.Marshal(got)
	w, _ := json.Marshal(want)
	if string(g) != string(w) {
		t.Errorf("%s:\n got %s\nwant %s", what, g, w)
	}
}

// TestStatsCountLikeTheLists: every aggregation and facet equals counts computed in Go from the
// loaded files, with and without filters; each aggregation is one SQL statement.
func TestStatsCountLikeTheLists(t *testing.T) {
	forEngine(t, func(t *testing.T, e testdb.Engine) {
		ds := synth.Generate(60, 5)
		env := newEnv(t, e, ds)
		ix := indexOf(ds)
		isAction := func(m dataset.Move) bool { return m.Type == dataset.TypeAction }
		isResponse := func(m dataset.Move) bool { return m.Type == dataset.TypeResponse }
		country := func(v string) *string { return strp(ix.countryName[v]) }
		company := func(v string) *string { return strp(ix.companyName[v]) }
		year := func(m dataset.Move) []string { return one(m.Date[:4]) }
		opt := func(m dataset.Move) []string { return one(m.Option) }
		ctry := func(m dataset.Move) []string { return one(m.Country) }
		categories := func(m dataset.Move) []string {
			var out []string
			for _, p := range m.Products {
				out = append(out, ix.productCateg[p])
			}
			return out
		}
		inUSCN := func(m dataset.Move) bool {
			return isAction(m) && (m.Country == "US" || m.Country == "CN") && m.Date >= "2010-01-01"
		}
		defyAvoid := func(m dataset.Move) bool { return isResponse(m) && (m.Option == "DEFY" || m.Option == "AVOID") }

		const statsQuery = `query($af: ActionFilter, $rf: ResponseFilter) { stats {
			aOption: actions(groupBy: OPTION) { value label count }
			aCountry: actions(groupBy: COUNTRY, filter: $af) { value label count }
			aYear: actions(groupBy: YEAR) { value label count }
			aConcern: actions(groupBy: CONCERN, filter: $af) { value label count }
			aCategory: actions(groupBy: CATEGORY) { value label count }
			aTarget: actions(groupBy: TARGET_COMPANY, filter: $af) { value label count }
			rOption: responses(groupBy: OPTION) { value label count }
			rCompany: responses(groupBy: COMPANY, filter: $rf) { value label count }
			rHome: responses(groupBy: HOME_COUNTRY) { value label count }
			rCountry: responses(groupBy: COUNTRY, filter: $rf) { value label count }
			rYear: responses(groupBy: YEAR, filter: $rf) { value label count }
		} }`
		var out struct {
			Stats map[string][]bucket
		}
		env.ok(t, statsQuery, map[string]any{
			"af": map[string]any{"countries": []string{"US", "CN"}, "from": "2010-01-01"},
			"rf": map[string]any{"options": []string{"DEFY", "AVOID"}},
		}, &out)
		for _, tc := range []struct {
			field string
			want  []bucket
		}{
			{"aOption", ix.count(isAction, opt, noLabel)},
			{"aCountry", ix.count(inUSCN, ctry, country)},
			{"aYear", ix.count(isAction, year, noLabel)},
			{"aConcern", ix.count(inUSCN, func(m dataset.Move) []string { return m.Concerns }, noLabel)},
			{"aCategory", ix.count(isAction, categories, noLabel)},
			{"aTarget", ix.count(inUSCN, func(m dataset.Move) []string { return m.Companies }, company)},
			{"rOption", ix.count(isResponse, opt, noLabel)},
			{"rCompany", ix.count(defyAvoid, func(m dataset.Move) []string { return one(m.Company) }, company)},
			{"rHome", ix.count(isResponse, func(m dataset.Move) []string { return one(ix.companyHome[m.Company]) }, country)},
			{"rCountry", ix.count(defyAvoid, ctry, country)},
			{"rYear", ix.count(defyAvoid, year, noLabel)},
		} {
			if len(tc.want) < 2 {
				t.Fatalf("%s: the expected answer has %d buckets; the test would not tell much", tc.field, len(tc.want))
			}
			sameBuckets(t, "stats."+tc.field, out.Stats[tc.field], tc.want)
		}

		// The matrices, from the links in the files.
		matrix := map[[2]string]map[string]bool{} // (action option, response option) -> responses
		after := map[[2]string]map[string]bool{}  // (response option, action option) -> actions
		for _, m := range ix.moves {
			for _, target := range m.InReplyTo {
				tm := ix.moves[target]
				switch {
				case isResponse(m) && isAction(tm) && slices.Contains(tm.Concerns, "ESPIONAGE"):
					k := [2]string{tm.Option, m.Option}
					if matrix[k] == nil {
						matrix[k] = map[string]bool{}
					}
					matrix[k][m.Slug] = true
				case isAction(m) && isResponse(tm):
					k := [2]string{tm.Option, m.Option}
					if after[k] == nil {
						after[k] = map[string]bool{}
					}
					after[k][m.Slug] = true
				}
			}
		}
		var mx struct {
			Stats struct {
				ActionResponseMatrix []struct {
					CountryOption string
					Responses     []struct {
						Option string
						Count  int
					}
				}
				AfterResponse []struct {
					CompanyOption string
					Actions       []struct {
						Option string
						Count  int
					}
				}
			}
		}
		before := env.st.Statements()
		env.ok(t, `{ stats {
			actionResponseMatrix(actions: {concerns: [ESPIONAGE]}) { countryOption responses { option count } }
			afterResponse { companyOption actions { option count } }
		} }`, nil, &mx)
		if n := env.st.Statements() - before; n != 2 {
			t.Errorf("two aggregations ran %d statements, want 2", n)
		}
		rows := mx.Stats.ActionResponseMatrix
		if len(rows) != len(model.AllCountryOption) {
			t.Fatalf("matrix has %d rows", len(rows))
		}
		nonzero := 0
		for i, row := range rows {
			if row.CountryOption != string(model.AllCountryOption[i]) || len(row.Responses) != len(model.AllCompanyOption) {
				t.Fatalf("matrix row %d: %+v", i, row)
			}
			for j, c := range row.Responses {
				want := len(matrix[[2]string{row.CountryOption, c.Option}])
				if c.Option != string(model.AllCompanyOption[j]) || c.Count != want {
					t.Errorf("matrix[%s][%s] = %d, want %d", row.CountryOption, c.Option, c.Count, want)
				}
				nonzero += min(c.Count, 1)
			}
		}
		for i, row := range mx.Stats.AfterResponse {
			if row.CompanyOption != string(model.AllCompanyOption[i]) || len(row.Actions) != len(model.AllCountryOption) {
				t.Fatalf("afterResponse row %d: %+v", i, row)
			}
			for _, c := range row.Actions {
				if want := len(after[[2]string{row.CompanyOption, c.Option}]); c.Count != want {
					t.Errorf("afterResponse[%s][%s] = %d, want %d", row.CompanyOption, c.Option, c.Count, want)
				}
				nonzero += min(c.Count, 1)
			}
		}
		if nonzero < 10 {
			t.Fatalf("only %d non-zero cells: the test data does not exercise the matrices", nonzero)
		}

		// Facets of a filtered top-level list are the same counts, over all pages.
		var fc struct {
			Actions struct {
				TotalCount int
				Edges      []struct{ Cursor string }
				Facets     map[string][]bucket
			}
			Responses struct {
				TotalCount int
				Facets     map[string][]bucket
			}
			Moves struct {
				TotalCount int
				Facets     map[string][]bucket
			}
		}
		env.ok(t, `{
			actions(filter: {countries: ["US", "CN"], from: "2010-01-01"}, first: 2) { totalCount edges { cursor }
				facets { options { value label count } countries { value label count } years { value label count }
					concerns { value label count } categories { value label count } targetCompanies { value label count } } }
			responses(filter: {options: [DEFY, AVOID]}, first: 1) { totalCount
				facets { options { value label count } companies { value label count } countries { value label count }
					homeCountries { value label count } years { value label count } } }
			moves(filter: {countries: ["RU"]}, first: 1) { totalCount
				facets { kinds { value label count } options { value label count } countries { value label count } years { value label count } } }
		}`, nil, &fc)
		if len(fc.Actions.Edges) != 2 {
			t.Fatalf("page size: %d", len(fc.Actions.Edges))
		}
		sameBuckets(t, "actions.facets.options", fc.Actions.Facets["options"], ix.count(inUSCN, opt, noLabel))
		sameBuckets(t, "actions.facets.countries", fc.Actions.Facets["countries"], out.Stats["aCountry"])
		sameBuckets(t, "actions.facets.years", fc.Actions.Facets["years"], ix.count(inUSCN, year, noLabel))
		sameBuckets(t, "actions.facets.concerns", fc.Actions.Facets["concerns"], out.Stats["aConcern"])
		sameBuckets(t, "actions.facets.categories", fc.Actions.Facets["categories"], ix.count(inUSCN, categories, noLabel))
		sameBuckets(t, "actions.facets.targetCompanies", fc.Actions.Facets["targetCompanies"], out.Stats["aTarget"])
		sameBuckets(t, "responses.facets.companies", fc.Responses.Facets["companies"], out.Stats["rCompany"])
		sameBuckets(t, "responses.facets.homeCountries", fc.Responses.Facets["homeCountries"],
			ix.count(defyAvoid, func(m dataset.Move) []string { return one(ix.companyHome[m.Company]) }, country))
		sameBuckets(t, "responses.facets.options", fc.Responses.Facets["options"], ix.count(defyAvoid, opt, noLabel))
		inRU := func(m dataset.Move) bool { return m.Country == "RU" }
		sameBuckets(t, "moves.facets.kinds", fc.Moves.Facets["kinds"], ix.count(inRU, func(m dataset.Move) []string {
			if isAction(m) {
				return one("ACTION")
			}
			return one("RESPONSE")
		}, noLabel))
		sameBuckets(t, "moves.facets.options", fc.Moves.Facets["options"], ix.count(inRU, opt, noLabel))
		sameBuckets(t, "moves.facets.countries", fc.Moves.Facets["countries"], []bucket{{"RU", strp(ix.countryName["RU"]), fc.Moves.TotalCount}})
		sum := 0
		for _, b := range fc.Actions.Facets["options"] {
			sum += b.Count
		}
		if sum != fc.Actions.TotalCount {
			t.Errorf("option facets sum to %d, totalCount is %d", sum, fc.Actions.TotalCount)
		}

		// Nested facets: one statement per facet field whatever the number of parents.
		nested := func(codes []string) (map[string][]bucket, int64) {
			var nc struct {
				Countries struct {
					Nodes []struct {
						Code    string
						Actions struct {
							Facets struct{ Options, Years []bucket }
						}
					}
				}
			}
			before := env.st.Statements()
			env.ok(t, `query($codes: [String!]) { countries(filter: {codes: $codes}) { nodes { code
				actions(first: 1) { facets { options { value label count } years { value label count } } } } } }`,
				map[string]any{"codes": codes}, &nc)
			res := map[string][]bucket{}
			for _, n := range nc.Countries.Nodes {
				res[n.Code] = n.Actions.Facets.Options
				res[n.Code+"/years"] = n.Actions.Facets.Years
			}
			return res, env.st.Statements() - before
		}
		few, nFew := nested([]string{"US", "CN"})
		many, nMany := nested([]string{"US", "CN", "RU", "GB", "DE", "FR", "IN", "JP"})
		if nFew != nMany {
			t.Errorf("nested facets: %d statements for 2 countries, %d for 8", nFew, nMany)
		}
		for _, code := range []string{"US", "CN", "RU", "JP"} {
			of := func(m dataset.Move) bool { return isAction(m) && m.Country == code }
			sameBuckets(t, fmt.Sprintf("%s.actions.facets.options", code), many[code], ix.count(of, opt, noLabel))
			sameBuckets(t, fmt.Sprintf("%s.actions.facets.years", code), many[code+"/years"], ix.count(of, year, noLabel))
		}
		if fmt.Sprint(few["US"]) != fmt.Sprint(many["US"]) {
			t.Errorf("a parent's facets depend on its siblings")
		}
	})
}
