package httpapi_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/cybertrade/cybertrade/dataset"
	"github.com/cybertrade/cybertrade/internal/causal"
	"github.com/cybertrade/cybertrade/internal/isodate"
	"github.com/cybertrade/cybertrade/internal/testdb"
	"github.com/cybertrade/cybertrade/model"
	"github.com/cybertrade/cybertrade/synth"
)

// oracle answers filters over a parsed dataset the slow, obvious way, to check the API's SQL.
type oracle struct {
	ds       *dataset.Dataset
	moves    map[string]dataset.Move
	caseOf   map[string]string
	category map[string]string   // product -> category
	products map[string][]string // company -> products
}

func newOracle(ds *dataset.Dataset) *oracle {
	o := &oracle{ds: ds, moves: map[string]dataset.Move{}, caseOf: map[string]string{}, category: map[string]string{}, products: map[string][]string{}}
	for _, c := range ds.Companies {
		for _, p := range c.Products {
			o.category[p.Slug] = p.Category
			o.products[c.Slug] = append(o.products[c.Slug], p.Slug)
		}
	}
	for _, c := range ds.Cases {
		for _, m := range c.Moves {
			o.moves[m.Slug] = m
			o.caseOf[m.Slug] = c.Slug
		}
	}
	return o
}

// crit is one random filter, applied to moves of both kinds.
type crit struct {
	kind           string // "", "action" or "response"
	countryOptions []string
	companyOptions []string
	countries      []string
	companies      []string
	concerns       []string
	categories     []string
	cases          []string
	from, to       string
}

func any1(xs []string, pred func(string) bool) bool { return slices.ContainsFunc(xs, pred) }

func (o *oracle) concernsOf(m dataset.Move) []string {
	out := slices.Clone(m.Concerns)
	for _, t := range m.InReplyTo {
		out = append(out, o.moves[t].Concerns...)
	}
	return out
}

func (o *oracle) match(m dataset.Move, c crit) bool {
	if c.kind != "" && m.Type != c.kind {
		return false
	}
	switch {
	case len(c.countryOptions) > 0 && len(c.companyOptions) > 0:
		if !(m.Type == "action" && slices.Contains(c.countryOptions, m.Option) || m.Type == "response" && slices.Contains(c.companyOptions, m.Option)) {
			return false
		}
	case len(c.countryOptions) > 0:
		if m.Type != "action" || !slices.Contains(c.countryOptions, m.Option) {
			return false
		}
	case len(c.companyOptions) > 0:
		if m.Type != "response" || !slices.Contains(c.companyOptions, m.Option) {
			return false
		}
	}
	if len(c.countries) > 0 && !slices.Contains(c.countries, m.Country) {
		return false
	}
	if len(c.companies) > 0 && !slices.Contains(c.companies, m.Company) && !any1(m.Companies, func(s string) bool { return slices.Contains(c.companies, s) }) {
		return false
	}
	if len(c.concerns) > 0 && !any1(o.concernsOf(m), func(s string) bool { return slices.Contains(c.concerns, s) }) {
		return false
	}
	if len(c.categories) > 0 {
		prods := slices.Clone(m.Products)
		if m.Type == "response" {
			prods = append(prods, o.products[m.Company]...)
		}
		if !any1(prods, func(p string) bool { return slices.Contains(c.categories, o.category[p]) }) {
			return false
		}
	}
	if len(c.cases) > 0 && !slices.Contains(c.cases, o.caseOf[m.Slug]) {
		return false
	}
	d, _ := isodate.Parse(m.Date)
	if c.from != "" && d.End < c.from || c.to != "" && d.Start > c.to {
		return false
	}
	return true
}

// expect lists the matching moves' global ids in the API's order: causal date order (the
// keys of internal/causal over the whole dataset), then load order.
func (o *oracle) expect(c crit) []string {
	type hit struct {
		key       string
		at        int
		typ, slug string
	}
	keys := causalKeys(o.ds)
	var hits []hit
	at := 0
	for _, cs := range o.ds.Cases {
		for _, m := range cs.Moves {
			at++
			if o.match(m, c) {
				typ := "CountryAction"
				if m.Type == "response" {
					typ = "CompanyResponse"
				}
				hits = append(hits, hit{keys[m.Slug], at, typ, m.Slug})
			}
		}
	}
	sort.SliceStable(hits, func(i, j int) bool {
		return hits[i].key < hits[j].key || hits[i].key == hits[j].key && hits[i].at < hits[j].at
	})
	out := make([]string, len(hits))
	for i, h := range hits {
		out[i] = h.typ + ":" + h.slug
	}
	return out
}

// causalKeys is the sort key of every move of ds by slug, with moves numbered in load order
// (the order of their ids, which breaks ties of the API's order).
func causalKeys(ds *dataset.Dataset) map[string]string {
	index := map[string]int{}
	start := map[int]string{}
	answers := map[int][]int{}
	for _, cs := range ds.Cases {
		for _, m := range cs.Moves {
			index[m.Slug] = len(index) + 1
			d, _ := isodate.Parse(m.Date)
			start[index[m.Slug]] = d.Start
		}
	}
	for _, cs := range ds.Cases {
		for _, m := range cs.Moves {
			for _, t := range m.InReplyTo {
				answers[index[m.Slug]] = append(answers[index[m.Slug]], index[t])
			}
		}
	}
	byIndex := causal.Keys(start, answers, nil)
	out := make(map[string]string, len(index))
	for slug, i := range index {
		out[slug] = byIndex[i]
	}
	return out
}

func pick[T ~string](r *rand.Rand, all []T, n int) []string {
	var out []string
	for _, i := range r.Perm(len(all))[:n] {
		out = append(out, string(all[i]))
	}
	return out
}

// randomCrit draws a filter that combines a few criteria.
func randomCrit(r *rand.Rand, ds *dataset.Dataset) crit {
	var c crit
	for range 1 + r.IntN(3) {
		switch r.IntN(8) {
		case 0:
			c.countryOptions = pick(r, model.AllCountryOption, 1+r.IntN(2))
		case 1:
			c.companyOptions = pick(r, model.AllCompanyOption, 1+r.IntN(2))
		case 2:
			c.countries = []string{ds.Cases[r.IntN(len(ds.Cases))].Moves[0].Country}
		case 3:
			c.companies = []string{ds.Companies[r.IntN(len(ds.Companies))].Slug, ds.Companies[r.IntN(len(ds.Companies))].Slug}
		case 4:
			c.concerns = pick(r, model.AllConcern, 1+r.IntN(3))
		case 5:
			c.categories = pick(r, model.AllProductCategory, 1+r.IntN(4))
		case 6:
			c.cases = []string{ds.Cases[r.IntN(len(ds.Cases))].Slug, ds.Cases[r.IntN(len(ds.Cases))].Slug}
		case 7:
			y := 2003 + r.IntN(20)
			c.from, c.to = fmt.Sprintf("%d-%02d-01", y, 1+r.IntN(12)), fmt.Sprintf("%d-12-31", y+r.IntN(4))
		}
	}
	return c
}

func gqlList(xs []string, enum bool) string {
	q := make([]string, len(xs))
	for i, x := range xs {
		if enum {
			q[i] = x
		} else {
			q[i] = fmt.Sprintf("%q", x)
		}
	}
	return "[" + strings.Join(q, ", ") + "]"
}

// args renders the criteria as a filter input of the given list.
func (c crit) args(list string) string {
	var parts []string
	add := func(name string, xs []string, enum bool) {
		if len(xs) > 0 {
			parts = append(parts, name+": "+gqlList(xs, enum))
		}
	}
	switch list {
	case "actions":
		add("options", c.countryOptions, true)
	case "responses":
		add("options", c.companyOptions, true)
	default:
		add("countryOptions", c.countryOptions, true)
		add("companyOptions", c.companyOptions, true)
	}
	add("countries", c.countries, false)
	add("companies", c.companies, false)
	add("concerns", c.concerns, true)
	add("categories", c.categories, true)
	add("cases", c.cases, false)
	if c.from != "" {
		parts = append(parts, fmt.Sprintf("from: %q, to: %q", c.from, c.to))
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

// TestFiltersMatchAnOracle runs many random filter combinations on actions, responses, moves
// and cases and compares the API's answer (members, order and totalCount) with a plain Go
// evaluation of the same criteria over the loaded dataset.
func TestFiltersMatchAnOracle(t *testing.T) {
	ds := synth.Generate(60, 11)
	o := newOracle(ds)
	forEngine(t, func(t *testing.T, e testdb.Engine) {
		env := newEnv(t, e, ds)
		r := rand.New(rand.NewPCG(3, 4))
		nonEmpty := 0
		for i := range 60 {
			c := randomCrit(r, ds)
			list := []string{"actions", "responses", "moves"}[i%3]
			switch list {
			case "actions":
				c.kind, c.companyOptions = "action", nil
			case "responses":
				c.kind, c.countryOptions = "response", nil
			}
			want := o.expect(c)
			var out struct {
				List struct {
					TotalCount int
					Nodes      []struct {
						Typename string `json:"__typename"`
						Slug     string
					}
				} `json:"list"`
			}
			q := fmt.Sprintf(`{ list: %s(filter: %s, first: 100) { totalCount nodes { __typename ... on Move { slug } } } }`, list, c.args(list))
			env.ok(t, q, nil, &out)
			got := make([]string, len(out.List.Nodes))
			for j, n := range out.List.Nodes {
				got[j] = n.Typename + ":" + n.Slug
			}
			if out.List.TotalCount != len(want) || !slices.Equal(got, want[:min(len(want), 100)]) {
				t.Fatalf("%s\nAPI (%d): %v\nwant (%d): %v", q, out.List.TotalCount, got, len(want), want)
			}
			if len(want) > 0 {
				nonEmpty++
			}

			// A case matches when one of its moves matches every criterion.
			c.kind = ""
			if list == "moves" {
				var wantCases []string
				for _, cs := range ds.Cases {
					if slices.ContainsFunc(cs.Moves, func(m dataset.Move) bool { return o.match(m, c) }) {
						wantCases = append(wantCases, cs.Slug)
					}
				}
				var cases struct {
					Cases struct {
						TotalCount int
						Nodes      []struct{ Slug string }
					}
				}
				env.ok(t, fmt.Sprintf(`{ cases(filter: %s, first: 100) { totalCount nodes { slug } } }`, c.args("moves")), nil, &cases)
				var gotCases []string
				for _, n := range cases.Cases.Nodes {
					gotCases = append(gotCases, n.Slug)
				}
				sort.Strings(gotCases)
				sort.Strings(wantCases)
				if cases.Cases.TotalCount != len(wantCases) || !slices.Equal(gotCases, wantCases) {
					t.Fatalf("cases(filter: %s): %v, want %v", c.args("moves"), gotCases, wantCases)
				}
			}
		}
		if nonEmpty < 20 {
			t.Fatalf("only %d of 60 random filters matched anything; the test would prove little", nonEmpty)
		}
	})
}
