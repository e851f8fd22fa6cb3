package httpapi_test

import (
	"fmt"
	"slices"
	"sort"
	"testing"

	"github.com/cybertrade/cybertrade/dataset"
	"github.com/cybertrade/cybertrade/internal/testdb"
)

// bundled is the dataset shipped in the binary.
func bundled(t *testing.T) *dataset.Dataset {
	t.Helper()
	return bundledData(t)
}

// TestDefyQuestionOnTheBundledData asks the product's own question in one request and checks
// the LinkedIn case comes back linked: company, the country answered, and Russia's reply.
func TestDefyQuestionOnTheBundledData(t *testing.T) {
	forEngine(t, func(t *testing.T, e testdb.Engine) {
		env := newEnv(t, e, bundled(t))
		var out struct {
			Responses struct {
				TotalCount int
				Edges      []struct {
					Node struct {
						Slug, Date, DatePrecision, Title, Option string
						Company                                  struct{ Name, Slug string }
						Country                                  struct{ Code, Name string }
						InReplyTo                                []struct{ Slug, Option string }
						Replies                                  []struct {
							Typename string `json:"__typename"`
							Slug     string
							Option   string
							Date     string
							Title    string
						}
						Sources []struct{ URL, Publisher string }
					}
				}
			}
		}
		env.ok(t, `{ responses(filter: {options: [DEFY]}, first: 100) { totalCount edges { node {
			slug date datePrecision title option
			company { name slug } country { code name }
			inReplyTo { slug ... on CountryAction { option } }
			replies { __typename slug ... on CountryAction { option date title } }
			sources { url publisher } } } } }`, nil, &out)
		if out.Responses.TotalCount != len(out.Responses.Edges) || out.Responses.TotalCount == 0 {
			t.Fatalf("totalCount %d, %d edges", out.Responses.TotalCount, len(out.Responses.Edges))
		}
		var dates []string
		var linkedin bool
		for _, ed := range out.Responses.Edges {
			n := ed.Node
			dates = append(dates, n.Date)
			if n.Option != "DEFY" {
				t.Fatalf("%s has option %s in a DEFY filter", n.Slug, n.Option)
			}
			if len(n.Sources) == 0 {
				t.Fatalf("%s has no sources", n.Slug)
			}
			if n.Slug != "linkedin-refuses-data-localisation" {
				continue
			}
			linkedin = true
			if n.Company.Slug != "linkedin" || n.Country.Code != "RU" || n.Country.Name != "Russian Federation" ||
				n.Date != "2017-03" || n.DatePrecision != "MONTH" {
				t.Fatalf("LinkedIn's response: %+v", n)
			}
			if len(n.InReplyTo) != 1 || n.InReplyTo[0].Slug != "ru-blocks-linkedin" || n.InReplyTo[0].Option != "IMPORT_BARRIER" {
				t.Fatalf("LinkedIn's response answers %+v, want ru-blocks-linkedin", n.InReplyTo)
			}
			if len(n.Replies) != 1 || n.Replies[0].Typename != "CountryAction" || n.Replies[0].Slug != "ru-keeps-linkedin-block" ||
				n.Replies[0].Option != "IMPORT_BARRIER" || n.Replies[0].Date != "2017-03" {
				t.Fatalf("Russia's reply to LinkedIn: %+v", n.Replies)
			}
		}
		if !linkedin {
			t.Fatal("LinkedIn's DEFY response is missing")
		}
		if !sort.StringsAreSorted(dates) {
			t.Fatalf("responses not in date order: %v", dates)
		}
	})
}

// TestReverseQuestions walks the graph the other ways: a country's actions and the responses
// they drew, a company's products and the actions aimed at them, a case's timeline in date
// order, a source's moves, and node(id:)/nodes(ids:) for every type.
func TestReverseQuestions(t *testing.T) {
	forEngine(t, func(t *testing.T, e testdb.Engine) {
		env := newEnv(t, e, bundled(t))

		var country struct {
			Country struct {
				ID, Code, Alpha3, Region string
				Actions                  struct {
					TotalCount int
					Edges      []struct {
						Node struct {
							ID, Slug, Date, Option string
							Concerns               []string
							TargetCompanies        []struct{ Slug string }
							Replies                []struct {
								Slug, Option string
								Company      struct{ Slug string }
							}
						}
					}
				}
				Responses struct {
					Edges []struct{ Node struct{ Slug string } }
				}
			}
		}
		env.ok(t, `{ country(code: "ru") { id code alpha3 region
			actions(filter: {companies: ["linkedin"]}, first: 10) { totalCount edges { node {
				id slug date option concerns targetCompanies { slug }
				replies { slug ... on CompanyResponse { option company { slug } } } } } }
			responses(filter: {companies: ["linkedin"]}) { edges { node { slug } } } } }`, nil, &country)
		c := country.Country
		if c.Code != "RU" || c.Alpha3 != "RUS" || c.Region != "Europe" {
			t.Fatalf("country RU: %+v", c)
		}
		var slugs []string
		for _, ed := range c.Actions.Edges {
			slugs = append(slugs, ed.Node.Slug)
			if len(ed.Node.TargetCompanies) != 1 || ed.Node.TargetCompanies[0].Slug != "linkedin" || !slices.Contains(ed.Node.Concerns, "DATA_SOVEREIGNTY") {
				t.Fatalf("action %s: %+v", ed.Node.Slug, ed.Node)
			}
		}
		want := []string{"ru-court-rules-linkedin-breaches-localisation-law", "ru-blocks-linkedin", "ru-app-stores-remove-linkedin-apps", "ru-keeps-linkedin-block"}
		if !slices.Equal(slugs, want) || c.Actions.TotalCount != 4 {
			t.Fatalf("Russia's actions against LinkedIn, in date order: %v (total %d), want %v", slugs, c.Actions.TotalCount, want)
		}
		if r := c.Actions.Edges[1].Node.Replies; len(r) != 1 || r[0].Slug != "linkedin-refuses-data-localisation" || r[0].Option != "DEFY" || r[0].Company.Slug != "linkedin" {
			t.Fatalf("responses drawn by the block: %+v", r)
		}
		if len(c.Responses.Edges) != 1 || c.Responses.Edges[0].Node.Slug != "linkedin-refuses-data-localisation" {
			t.Fatalf("responses answering Russia from LinkedIn: %+v", c.Responses.Edges)
		}

		var company struct {
			Company struct {
				ID          string
				Name        string
				HomeCountry struct{ Code string }
				Products    struct {
					Edges []struct {
						Node struct {
							ID, Slug, Category string
							Company            struct{ Slug string }
							Actions            struct {
								TotalCount int
								Edges      []struct{ Node struct{ Slug string } }
							}
						}
					}
				}
				TargetedBy struct{ TotalCount int }
				Responses  struct{ TotalCount int }
				Cases      struct {
					Edges []struct{ Node struct{ ID, Slug string } }
				}
			}
		}
		env.ok(t, `{ company(slug: "linkedin") { id name homeCountry { code }
			products { edges { node { id slug category company { slug }
				actions(orderBy: {direction: DESC}, first: 2) { totalCount edges { node { slug } } } } } }
			targetedBy { totalCount } responses { totalCount } cases { edges { node { id slug } } } } }`, nil, &company)
		co := company.Company
		if co.Name != "LinkedIn" || co.HomeCountry.Code != "US" || co.TargetedBy.TotalCount != 4 || co.Responses.TotalCount != 1 {
			t.Fatalf("company linkedin: %+v", co)
		}
		if len(co.Products.Edges) != 1 {
			t.Fatalf("LinkedIn's products: %+v", co.Products)
		}
		p := co.Products.Edges[0].Node
		if p.Slug != "linkedin-network" || p.Category != "ONLINE_SERVICE" || p.Company.Slug != "linkedin" || p.Actions.TotalCount != 4 ||
			len(p.Actions.Edges) != 2 || p.Actions.Edges[0].Node.Slug != "ru-keeps-linkedin-block" {
			t.Fatalf("product linkedin-network and the actions aimed at it, newest first: %+v", p)
		}
		if len(co.Cases.Edges) != 1 || co.Cases.Edges[0].Node.Slug != "linkedin-in-russia" {
			t.Fatalf("LinkedIn's cases: %+v", co.Cases)
		}

		var kase struct {
			Case struct {
				ID, Title, StartDate, EndDate string
				Moves                         struct {
					TotalCount int
					Edges      []struct {
						Node struct {
							Typename string `json:"__typename"`
							ID, Slug string
							Date     string
						}
					}
				}
				Countries []struct{ Code string }
				Companies []struct{ Slug string }
				Sources   []struct {
					ID, Key, URL string
					Moves        struct{ TotalCount int }
				}
			}
		}
		env.ok(t, `{ case(slug: "linkedin-in-russia") { id title startDate endDate
			moves(first: 100) { totalCount edges { node { __typename id slug date } } }
			countries { code } companies { slug } sources { id key url moves { totalCount } } } }`, nil, &kase)
		k := kase.Case
		if k.StartDate != "2016-11-10" || k.EndDate != "2017-03" || k.Moves.TotalCount != 5 {
			t.Fatalf("case linkedin-in-russia: %+v", k)
		}
		var timeline []string
		for _, ed := range k.Moves.Edges {
			timeline = append(timeline, ed.Node.Date+" "+ed.Node.Typename)
		}
		if !sort.StringsAreSorted(timeline[:3]) || timeline[0] != "2016-11-10 CountryAction" || len(timeline) != 5 {
			t.Fatalf("timeline not in date order: %v", timeline)
		}
		if len(k.Countries) != 1 || k.Countries[0].Code != "RU" || len(k.Companies) != 1 || k.Companies[0].Slug != "linkedin" {
			t.Fatalf("case countries/companies: %+v %+v", k.Countries, k.Companies)
		}
		if len(k.Sources) != 2 {
			t.Fatalf("case sources: %+v", k.Sources)
		}
		for _, s := range k.Sources {
			if s.Key == "techcrunch-2017-03-07-linkedin-block-continues" && s.Moves.TotalCount != 3 {
				t.Fatalf("TechCrunch backs %d moves, want 3", s.Moves.TotalCount)
			}
		}

		// node(id:) gives back every kind of object by the id the API handed out.
		ids := map[string]string{
			c.ID:                       "Country",
			c.Actions.Edges[0].Node.ID: "CountryAction",
			co.ID:                      "Company",
			p.ID:                       "Product",
			k.ID:                       "Case",
			k.Sources[0].ID:            "Source",
		}
		for _, ed := range k.Moves.Edges {
			if ed.Node.Typename == "CompanyResponse" {
				ids[ed.Node.ID] = "CompanyResponse"
			}
		}
		for id, typ := range ids {
			var n struct {
				Node struct {
					Typename string `json:"__typename"`
					ID       string
				}
			}
			env.ok(t, `query($id: ID!) { node(id: $id) { __typename id } }`, map[string]any{"id": id}, &n)
			if n.Node.Typename != typ || n.Node.ID != id {
				t.Fatalf("node(%s) = %+v, want a %s", id, n.Node, typ)
			}
		}
		var list []string
		for id := range ids {
			list = append(list, id)
		}
		list = append(list, "Q29tcGFueTpub3BlLWluYw")
		r := env.post(t, `query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, map[string]any{"ids": list})
		if len(r.Errors) != 1 || r.Errors[0].Extensions["code"] != "NOT_FOUND" {
			t.Fatalf("nodes with one unknown id: want one NOT_FOUND error, got %s", r.Raw)
		}
	})
}

// TestEveryRecordShowsItsSources: companies, products and countries list the sources cited
// by the moves that concern them; the counts match the dataset's files for every record.
func TestEveryRecordShowsItsSources(t *testing.T) {
	ds := bundled(t)
	want := map[string]map[string]bool{} // "company:x", "product:x", "country:XX" -> source keys
	add := func(rec string, keys []string) {
		if want[rec] == nil {
			want[rec] = map[string]bool{}
		}
		for _, k := range keys {
			want[rec][k] = true
		}
	}
	for _, c := range ds.Cases {
		for _, m := range c.Moves {
			if m.Company != "" {
				add("company:"+m.Company, m.Sources)
			}
			for _, co := range m.Companies {
				add("company:"+co, m.Sources)
			}
			for _, p := range m.Products {
				add("product:"+p, m.Sources)
			}
			add("country:"+m.Country, m.Sources)
			for _, cp := range m.Counterparts {
				add("country:"+cp, m.Sources)
			}
		}
	}
	forEngine(t, func(t *testing.T, e testdb.Engine) {
		env := newEnv(t, e, ds)
		type conn struct {
			TotalCount int
			Nodes      []struct{ Key, Date string }
		}
		type rec struct {
			Slug, Code string
			Sources    conn
		}
		// all pages through a root list ten records at a time (a bigger page of records with
		// 100 sources each would be over the cost limit).
		all := func(list, filter string) []rec {
			var out []rec
			after := ""
			for {
				var page map[string]struct {
					PageInfo struct {
						HasNextPage bool
						EndCursor   string
					}
					Nodes []rec
				}
				key := "slug"
				if list == "countries" {
					key = "code"
				}
				env.ok(t, fmt.Sprintf(`query($after: String) { %s(%s first: 10, after: $after) { pageInfo { hasNextPage endCursor }
					nodes { %s sources(first: 100) { totalCount nodes { key date } } } } }`, list, filter, key),
					map[string]any{"after": nilIfEmpty(after)}, &page)
				out = append(out, page[list].Nodes...)
				if !page[list].PageInfo.HasNextPage {
					return out
				}
				after = page[list].PageInfo.EndCursor
			}
		}
		var out struct{ Companies, Products, Countries struct{ Nodes []rec } }
		out.Companies.Nodes = all("companies", "")
		out.Products.Nodes = all("products", "")
		out.Countries.Nodes = all("countries", "filter: {hasActions: true},")
		check := func(rec string, c conn) {
			t.Helper()
			if c.TotalCount != len(want[rec]) || len(c.Nodes) != min(len(want[rec]), 100) {
				t.Errorf("%s: %d sources (%d listed), want %d", rec, c.TotalCount, len(c.Nodes), len(want[rec]))
			}
			var dates []string
			for _, n := range c.Nodes {
				dates = append(dates, n.Date)
				if !want[rec][n.Key] {
					t.Errorf("%s lists source %s, which none of its moves cites", rec, n.Key)
				}
			}
			if !sort.StringsAreSorted(dates) {
				t.Errorf("%s: sources not in date order", rec)
			}
		}
		for _, n := range out.Companies.Nodes {
			check("company:"+n.Slug, n.Sources)
		}
		for _, n := range out.Products.Nodes {
			check("product:"+n.Slug, n.Sources)
		}
		for _, n := range out.Countries.Nodes {
			check("country:"+n.Code, n.Sources)
		}
		if len(out.Companies.Nodes) < 30 || len(out.Countries.Nodes) < 18 {
			t.Fatalf("%d companies, %d acting countries listed", len(out.Companies.Nodes), len(out.Countries.Nodes))
		}
	})
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}
