package httpapi_test

import (
	"fmt"
	"slices"
	"sort"
	"testing"

	"github.com/cybertrade/cybertrade/dataset"
	"github.com/cybertrade/cybertrade/internal/testdb"
)

// filesIndex holds the shipped data files' moves and who answered each, the oracle of the
// tests that read the bundled data: they compare with the files, never with fixed counts, so a
// curator who adds a case breaks none of them.
type filesIndex struct {
	move    map[string]dataset.Move
	caseOf  map[string]string
	replies map[string][]string
}

func fileMoves(ds *dataset.Dataset) filesIndex {
	x := filesIndex{move: map[string]dataset.Move{}, caseOf: map[string]string{}, replies: map[string][]string{}}
	for _, c := range ds.Cases {
		for _, m := range c.Moves {
			x.move[m.Slug] = m
			x.caseOf[m.Slug] = c.Slug
			for _, t := range m.InReplyTo {
				x.replies[t] = append(x.replies[t], m.Slug)
			}
		}
	}
	return x
}

// where lists the slugs of the moves f accepts.
func (x filesIndex) where(f func(m dataset.Move) bool) []string {
	var out []string
	for s, m := range x.move {
		if f(m) {
			out = append(out, s)
		}
	}
	return out
}

// edges is how a test decodes a connection read through its edges: the total count and each
// edge's node.
type edges[N any] struct {
	TotalCount int
	Edges      []struct{ Node N }
}

func sameSet(a, b []string) bool {
	return slices.Equal(slices.Sorted(slices.Values(a)), slices.Sorted(slices.Values(b)))
}

// TestDefyQuestionOnTheBundledData asks the product's own question in one request and checks
// the LinkedIn case comes back linked: company, the country answered, and Russia's reply.
func TestDefyQuestionOnTheBundledData(t *testing.T) {
	forEnv(t, bundledData, func(t *testing.T, env *env) {
		var out struct {
			Responses edges[struct {
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
			}]
		}
		env.ok(t, `{ responses(filter: {options: [DEFY]}, first: 100) { totalCount edges { node {
			slug date datePrecision title option
			company { name slug } country { code name }
			inReplyTo { slug ... on CountryAction { option } }
			replies { __typename slug ... on CountryAction { option date title } }
			sources { url publisher } } } } }`, nil, &out)
		if out.Responses.TotalCount == 0 || len(out.Responses.Edges) != min(out.Responses.TotalCount, 100) {
			t.Fatalf("totalCount %d, %d edges", out.Responses.TotalCount, len(out.Responses.Edges))
		}
		files := fileMoves(bundledData(t))
		var slugs []string
		var linkedin bool
		for _, ed := range out.Responses.Edges {
			n := ed.Node
			slugs = append(slugs, n.Slug)
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
			f := files.move[n.Slug]
			if n.Company.Slug != "linkedin" || n.Country.Code != "RU" || n.Country.Name != "Russian Federation" || n.Date != f.Date {
				t.Fatalf("LinkedIn's response: %+v", n)
			}
			var answers, replies []string
			for _, x := range n.InReplyTo {
				answers = append(answers, x.Slug)
			}
			for _, x := range n.Replies {
				replies = append(replies, x.Slug)
				if x.Typename == "CountryAction" && (x.Option == "" || x.Date != files.move[x.Slug].Date) {
					t.Fatalf("Russia's reply to LinkedIn: %+v", x)
				}
			}
			if !sameSet(answers, f.InReplyTo) || !sameSet(replies, files.replies[n.Slug]) || !slices.Contains(replies, "ru-keeps-linkedin-block") {
				t.Fatalf("LinkedIn's response answers %v and is answered by %v; the files say %v and %v", answers, replies, f.InReplyTo, files.replies[n.Slug])
			}
		}
		if !linkedin {
			t.Fatal("LinkedIn's DEFY response is missing")
		}
		checkCausal(t, "DEFY responses", slugs, links(bundledData(t)))
	})
}

// TestReverseQuestions walks the graph the other ways: a country's actions and the responses
// they drew, a company's products and the actions aimed at them, a case's timeline in date
// order, a source's moves, and node(id:)/nodes(ids:) for every type.
func TestReverseQuestions(t *testing.T) {
	forEnv(t, bundledData, func(t *testing.T, env *env) {
		files := fileMoves(bundledData(t))
		targets := func(m dataset.Move, co string) bool { return m.Company == co || slices.Contains(m.Companies, co) }

		var country struct {
			Country struct {
				ID, Code, Alpha3, Region string
				Actions                  edges[struct {
					ID, Slug, Date, Option string
					Concerns               []string
					TargetCompanies        []struct{ Slug string }
					Replies                []struct {
						Slug, Option string
						Company      struct{ Slug string }
					}
				}]
				Responses struct {
					Edges []struct{ Node struct{ Slug string } }
				}
			}
		}
		env.ok(t, `{ country(code: "ru") { id code alpha3 region
			actions(filter: {companies: ["linkedin"]}, first: 100) { totalCount edges { node {
				id slug date option concerns targetCompanies { slug }
				replies { slug ... on CompanyResponse { option company { slug } } } } } }
			responses(filter: {companies: ["linkedin"]}, first: 100) { edges { node { slug } } } } }`, nil, &country)
		c := country.Country
		if c.Code != "RU" || c.Alpha3 != "RUS" || c.Region != "Europe" {
			t.Fatalf("country RU: %+v", c)
		}
		var slugs []string
		for _, ed := range c.Actions.Edges {
			slugs = append(slugs, ed.Node.Slug)
			var cos []string
			for _, x := range ed.Node.TargetCompanies {
				cos = append(cos, x.Slug)
			}
			f := files.move[ed.Node.Slug]
			if !sameSet(cos, f.Companies) || !sameSet(ed.Node.Concerns, f.Concerns) {
				t.Fatalf("action %s: %+v, the files say %v %v", ed.Node.Slug, ed.Node, f.Companies, f.Concerns)
			}
			if ed.Node.Slug == "ru-blocks-linkedin" {
				var replies []string
				for _, r := range ed.Node.Replies {
					replies = append(replies, r.Slug)
				}
				if !sameSet(replies, files.replies["ru-blocks-linkedin"]) || !slices.Contains(replies, "linkedin-refuses-data-localisation") {
					t.Fatalf("responses drawn by the block: %v, the files say %v", replies, files.replies["ru-blocks-linkedin"])
				}
			}
		}
		want := files.where(func(m dataset.Move) bool {
			return m.Type == dataset.TypeAction && m.Country == "RU" && targets(m, "linkedin")
		})
		if !sameSet(slugs, want) || c.Actions.TotalCount != len(want) || !slices.Contains(slugs, "ru-blocks-linkedin") {
			t.Fatalf("Russia's actions against LinkedIn: %v (total %d), the files say %v", slugs, c.Actions.TotalCount, want)
		}
		checkCausal(t, "Russia's actions against LinkedIn", slugs, links(bundledData(t)))
		var responses []string
		for _, ed := range c.Responses.Edges {
			responses = append(responses, ed.Node.Slug)
		}
		if want := files.where(func(m dataset.Move) bool {
			return m.Type == dataset.TypeResponse && m.Country == "RU" && m.Company == "linkedin"
		}); !sameSet(responses, want) {
			t.Fatalf("responses answering Russia from LinkedIn: %v, the files say %v", responses, want)
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
							Actions            edges[struct{ Slug string }]
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
		targetedBy := files.where(func(m dataset.Move) bool {
			return m.Type == dataset.TypeAction && slices.Contains(m.Companies, "linkedin")
		})
		responded := files.where(func(m dataset.Move) bool { return m.Type == dataset.TypeResponse && m.Company == "linkedin" })
		if co.Name != "LinkedIn" || co.HomeCountry.Code != "US" || co.TargetedBy.TotalCount != len(targetedBy) || co.Responses.TotalCount != len(responded) {
			t.Fatalf("company linkedin: %+v; the files say %d actions aimed at it and %d responses", co, len(targetedBy), len(responded))
		}
		var p struct {
			ID, Slug, Category string
			Company            struct{ Slug string }
			Actions            edges[struct{ Slug string }]
		}
		for _, ed := range co.Products.Edges {
			if ed.Node.Slug == "linkedin-network" {
				p = ed.Node
			}
		}
		atProduct := files.where(func(m dataset.Move) bool {
			return m.Type == dataset.TypeAction && slices.Contains(m.Products, "linkedin-network")
		})
		if p.Category != "ONLINE_SERVICE" || p.Company.Slug != "linkedin" || p.Actions.TotalCount != len(atProduct) ||
			len(p.Actions.Edges) != min(2, len(atProduct)) || !slices.Contains(atProduct, p.Actions.Edges[0].Node.Slug) {
			t.Fatalf("product linkedin-network and the actions aimed at it, newest first: %+v; the files say %v", p, atProduct)
		}
		var cases, wantCases []string
		for _, ed := range co.Cases.Edges {
			cases = append(cases, ed.Node.Slug)
		}
		for _, s := range append(targetedBy, responded...) {
			if !slices.Contains(wantCases, files.caseOf[s]) {
				wantCases = append(wantCases, files.caseOf[s])
			}
		}
		if !sameSet(cases, wantCases) || !slices.Contains(cases, "linkedin-in-russia") {
			t.Fatalf("LinkedIn's cases: %v, the files say %v", cases, wantCases)
		}

		var kase struct {
			Case struct {
				ID, Title, StartDate, EndDate string
				Moves                         edges[struct {
					Typename string `json:"__typename"`
					ID, Slug string
					Date     string
				}]
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
		inCase := files.where(func(m dataset.Move) bool { return files.caseOf[m.Slug] == "linkedin-in-russia" })
		var timeline, dates []string
		for _, ed := range k.Moves.Edges {
			timeline = append(timeline, ed.Node.Slug)
			dates = append(dates, ed.Node.Date)
		}
		if k.Moves.TotalCount != len(inCase) || !sameSet(timeline, inCase) || !slices.Contains(dates, k.StartDate) || !slices.Contains(dates, k.EndDate) {
			t.Fatalf("case linkedin-in-russia: %+v; the files say %v", k, inCase)
		}
		checkCausal(t, "linkedin-in-russia", timeline, links(bundledData(t)))
		var kc []string
		for _, x := range k.Companies {
			kc = append(kc, x.Slug)
		}
		if !slices.Contains(kc, "linkedin") || len(k.Countries) == 0 {
			t.Fatalf("case countries/companies: %+v %+v", k.Countries, k.Companies)
		}
		var caseFile dataset.Case
		for _, c := range bundledData(t).Cases {
			if c.Slug == "linkedin-in-russia" {
				caseFile = c
			}
		}
		if len(k.Sources) != len(caseFile.Sources) {
			t.Fatalf("case sources: %+v, the file lists %v", k.Sources, caseFile.Sources)
		}
		for _, s := range k.Sources {
			citing := files.where(func(m dataset.Move) bool { return slices.Contains(m.Sources, s.Key) })
			if s.Moves.TotalCount != len(citing) {
				t.Fatalf("%s backs %d moves, the files say %d", s.Key, s.Moves.TotalCount, len(citing))
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
	ds := bundledData(t)
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
