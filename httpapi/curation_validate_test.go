package httpapi_test

import (
	"maps"
	"strings"
	"testing"

	"github.com/cybertrade/cybertrade/dataset"
)

// TestMutationsRefuseWhatValidateRefuses: each bad record is written once through the API and
// once into the data files. The mutation is refused with INVALID_ARGUMENT, extensions.field
// naming the input field, and exactly the message `cybertrade validate` gives for the files.
func TestMutationsRefuseWhatValidateRefuses(t *testing.T) {
	action := func() (map[string]any, dataset.Move) {
		return map[string]any{"case": "linkedin-in-russia", "slug": "ru-new-measure", "option": "IMPORT_BARRIER", "instrument": "REGULATORY_ORDER", "country": "RU", "date": "2019-06",
				"title": "A new measure", "concerns": []string{"DATA_SOVEREIGNTY"}, "targetCompanies": []string{"linkedin"},
				"inReplyTo": []string{"linkedin-stays-out"}, "sources": []string{"wire-linkedin"}},
			dataset.Move{Slug: "ru-new-measure", Type: dataset.TypeAction, Option: "IMPORT_BARRIER", Instrument: "REGULATORY_ORDER", Country: "RU", Date: "2019-06",
				Title: "A new measure", Concerns: []string{"DATA_SOVEREIGNTY"}, Companies: []string{"linkedin"},
				InReplyTo: []string{"linkedin-stays-out"}, Sources: []string{"wire-linkedin"}}
	}
	response := func() (map[string]any, dataset.Move) {
		return map[string]any{"case": "linkedin-in-russia", "slug": "linkedin-appeals", "option": "DEFY", "instrument": "LAWSUIT", "company": "linkedin", "country": "RU",
				"date": "2019-07", "title": "LinkedIn appeals", "inReplyTo": []string{"ru-fines-linkedin"}, "sources": []string{"wire-linkedin"}},
			dataset.Move{Slug: "linkedin-appeals", Type: dataset.TypeResponse, Option: "DEFY", Instrument: "LAWSUIT", Company: "linkedin", Country: "RU", Date: "2019-07",
				Title: "LinkedIn appeals", InReplyTo: []string{"ru-fines-linkedin"}, Sources: []string{"wire-linkedin"}}
	}
	addMove := func(m dataset.Move) func(*dataset.Dataset) {
		return func(ds *dataset.Dataset) { ds.Cases[0].Moves = append(ds.Cases[0].Moves, m) }
	}
	const (
		createAction   = `mutation($in: CreateCountryActionInput!) { createCountryAction(input: $in) { countryAction { id } } }`
		createResponse = `mutation($in: CreateCompanyResponseInput!) { createCompanyResponse(input: $in) { companyResponse { id } } }`
	)
	type badCase struct {
		name, mutation string
		input          map[string]any
		field          string
		files          func(*dataset.Dataset) // the same record, put in the files
	}
	var cases []badCase
	actionCase := func(name, field string, edit func(in map[string]any, m *dataset.Move)) {
		in, m := action()
		edit(in, &m)
		cases = append(cases, badCase{name, createAction, in, field, addMove(m)})
	}
	responseCase := func(name, field string, edit func(in map[string]any, m *dataset.Move)) {
		in, m := response()
		edit(in, &m)
		cases = append(cases, badCase{name, createResponse, in, field, addMove(m)})
	}
	actionCase("impossible day", "input.date", func(in map[string]any, m *dataset.Move) { in["date"], m.Date = "2019-02-30", "2019-02-30" })
	actionCase("date not ISO", "input.date", func(in map[string]any, m *dataset.Move) { in["date"], m.Date = "6/2019", "6/2019" })
	actionCase("no concern", "input.concerns", func(in map[string]any, m *dataset.Move) { in["concerns"], m.Concerns = []string{}, nil })
	actionCase("reply pointing forward in time", "input.inReplyTo", func(in map[string]any, m *dataset.Move) {
		in["date"], m.Date = "2017", "2017"
	})
	actionCase("reply to a missing move", "input.inReplyTo", func(in map[string]any, m *dataset.Move) {
		in["inReplyTo"], m.InReplyTo = []string{"ru-nothing"}, []string{"ru-nothing"}
	})
	actionCase("reply to itself", "input.inReplyTo", func(in map[string]any, m *dataset.Move) {
		in["inReplyTo"], m.InReplyTo = []string{"ru-new-measure"}, []string{"ru-new-measure"}
	})
	actionCase("country not in the list", "input.country", func(in map[string]any, m *dataset.Move) { in["country"], m.Country = "SU", "SU" })
	actionCase("unknown counterpart", "input.counterparts", func(in map[string]any, m *dataset.Move) {
		in["counterparts"], m.Counterparts = []string{"XX"}, []string{"XX"}
	})
	actionCase("unknown target company", "input.targetCompanies", func(in map[string]any, m *dataset.Move) {
		in["targetCompanies"], m.Companies = []string{"linkedout"}, []string{"linkedout"}
	})
	actionCase("unknown target product", "input.targetProducts", func(in map[string]any, m *dataset.Move) {
		in["targetProducts"], m.Products = []string{"nothing"}, []string{"nothing"}
	})
	actionCase("no source", "input.sources", func(in map[string]any, m *dataset.Move) { in["sources"], m.Sources = []string{}, nil })
	actionCase("undefined source", "input.sources", func(in map[string]any, m *dataset.Move) {
		in["sources"], m.Sources = []string{"wire-nowhere"}, []string{"wire-nowhere"}
	})
	actionCase("low confidence without a note", "input.codingNote", func(in map[string]any, m *dataset.Move) { in["confidence"], m.Confidence = "LOW", "LOW" })
	actionCase("slug not kebab-case", "input.slug", func(in map[string]any, m *dataset.Move) { in["slug"], m.Slug = "RU New", "RU New" })
	actionCase("blank title", "input.title", func(in map[string]any, m *dataset.Move) { in["title"], m.Title = "  ", "  " })
	actionCase("duplicate slug", "input.slug", func(in map[string]any, m *dataset.Move) { in["slug"], m.Slug = "ru-court", "ru-court" })
	responseCase("unknown company", "input.company", func(in map[string]any, m *dataset.Move) { in["company"], m.Company = "linkedout", "linkedout" })
	responseCase("response before the action it answers", "input.inReplyTo", func(in map[string]any, m *dataset.Move) {
		in["date"], m.Date = "2019-05-01", "2019-05-01"
	})
	cases = append(cases,
		badCase{"source url not http(s)", `mutation($in: CreateSourceInput!) { createSource(input: $in) { source { id } } }`,
			map[string]any{"key": "wire-ftp", "title": "T", "publisher": "P", "date": "2019", "url": "ftp://example.org/x"}, "input.url",
			func(ds *dataset.Dataset) {
				ds.Cases[0].Bibliography = append(ds.Cases[0].Bibliography, dataset.Source{Key: "wire-ftp", Title: "T", Publisher: "P", Date: "2019", URL: "ftp://example.org/x"})
			}},
		badCase{"source month 13", `mutation($in: CreateSourceInput!) { createSource(input: $in) { source { id } } }`,
			map[string]any{"key": "wire-13", "title": "T", "publisher": "P", "date": "2019-13", "url": "https://example.org/x"}, "input.date",
			func(ds *dataset.Dataset) {
				ds.Cases[0].Bibliography = append(ds.Cases[0].Bibliography, dataset.Source{Key: "wire-13", Title: "T", Publisher: "P", Date: "2019-13", URL: "https://example.org/x"})
			}},
		badCase{"company home country not in the list", `mutation($in: CreateCompanyInput!) { createCompany(input: $in) { company { id } } }`,
			map[string]any{"slug": "zte", "name": "ZTE", "homeCountry": "XX"}, "input.homeCountry",
			func(ds *dataset.Dataset) {
				ds.Companies = append(ds.Companies, dataset.Company{Slug: "zte", Name: "ZTE", Country: "XX", File: "companies.yaml"})
			}},
		badCase{"duplicate company", `mutation($in: CreateCompanyInput!) { createCompany(input: $in) { company { id } } }`,
			map[string]any{"slug": "huawei", "name": "Huawei again"}, "input.slug",
			func(ds *dataset.Dataset) {
				ds.Companies = append(ds.Companies, dataset.Company{Slug: "huawei", Name: "Huawei again", File: "companies.yaml"})
			}},
		badCase{"product slug not kebab-case", `mutation($in: CreateProductInput!) { createProduct(input: $in) { product { id } } }`,
			map[string]any{"company": "huawei", "slug": "Mate_20", "name": "Mate 20", "category": "MOBILE_DEVICE"}, "input.slug",
			func(ds *dataset.Dataset) {
				ds.Companies[0].Products = append(ds.Companies[0].Products, dataset.Product{Slug: "Mate_20", Name: "Mate 20", Category: "MOBILE_DEVICE"})
			}},
		badCase{"case without moves", `mutation($in: CreateCaseInput!) { createCase(input: $in) { case { id } } }`,
			map[string]any{"slug": "empty-case", "title": "Empty", "sources": []string{"wire-norms"}}, "input.actions",
			func(ds *dataset.Dataset) {
				ds.Cases = append(ds.Cases, dataset.Case{Slug: "empty-case", Title: "Empty", Sources: []string{"wire-norms"}, File: "cases/empty-case.yaml"})
			}},
		badCase{"case whose response is undated", `mutation($in: CreateCaseInput!) { createCase(input: $in) { case { id } } }`,
			map[string]any{"slug": "new-case", "title": "New", "sources": []string{"wire-norms"},
				"actions": []map[string]any{{"slug": "cn-acts", "option": "NORMS", "instrument": "AGREEMENT", "country": "CN", "date": "2016", "title": "China acts",
					"concerns": []string{"IP_THEFT"}, "sources": []string{"wire-norms"}}},
				"responses": []map[string]any{{"slug": "huawei-answers", "option": "COMPROMISE", "instrument": "BUSINESS_DECISION", "company": "huawei", "country": "CN", "date": "soon",
					"title": "Huawei answers", "inReplyTo": []string{"cn-acts"}, "sources": []string{"wire-norms"}}}},
			"input.responses[0].date",
			func(ds *dataset.Dataset) {
				ds.Cases = append(ds.Cases, dataset.Case{Slug: "new-case", Title: "New", Sources: []string{"wire-norms"}, File: "cases/new-case.yaml",
					Moves: []dataset.Move{
						{Slug: "cn-acts", Type: dataset.TypeAction, Option: "NORMS", Instrument: "AGREEMENT", Country: "CN", Date: "2016", Title: "China acts", Concerns: []string{"IP_THEFT"}, Sources: []string{"wire-norms"}},
						{Slug: "huawei-answers", Type: dataset.TypeResponse, Option: "COMPROMISE", Instrument: "BUSINESS_DECISION", Company: "huawei", Country: "CN", Date: "soon", Title: "Huawei answers",
							InReplyTo: []string{"cn-acts"}, Sources: []string{"wire-norms"}}}})
			}},
		// An update is checked as the record it makes, and against the moves answering it.
		badCase{"update moving a move after its answer", updateActionMutation,
			map[string]any{"id": actionID("ru-keeps-block"), "expectedVersion": 1, "date": "2019"}, "input.date",
			func(ds *dataset.Dataset) { ds.Cases[0].Moves[3].Date = "2019" }},
		badCase{"update with an unknown source", updateActionMutation,
			map[string]any{"id": actionID("ru-keeps-block"), "expectedVersion": 1, "sources": []string{"wire-linkedin", "wire-gone"}}, "input.sources",
			func(ds *dataset.Dataset) { ds.Cases[0].Moves[3].Sources = []string{"wire-linkedin", "wire-gone"} }},
	)

	forCurator(t, researchFixture, func(t *testing.T, c *curator) {
		before := c.exports(t)
		for _, bc := range cases {
			t.Run(bc.name, func(t *testing.T) {
				ge := c.refused(t, c.editor, bc.mutation, map[string]any{"in": maps.Clone(bc.input)}, "INVALID_ARGUMENT")
				if ge.Extensions["field"] != bc.field {
					t.Errorf("extensions.field %v, want %s (%s)", ge.Extensions["field"], bc.field, ge.Message)
				}
				ds := researchFixture(t)
				bc.files(ds)
				problems := dataset.Validate(ds)
				var msgs []string
				for _, p := range problems {
					if p.Message == ge.Message || p.Record+": "+p.Message == ge.Message {
						return
					}
					msgs = append(msgs, p.String())
				}
				t.Errorf("the mutation says %q; validate says:\n%s", ge.Message, strings.Join(msgs, "\n"))
			})
		}
		after := c.exports(t)
		for name := range before {
			if before[name] != after[name] {
				t.Errorf("a refused mutation changed %s", name)
			}
		}
	})
}
