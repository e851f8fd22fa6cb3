package store

import (
	"encoding/json"
	"fmt"

	"github.com/cybertrade/cybertrade/dataset"
	"github.com/cybertrade/cybertrade/internal/globalid"
	"github.com/cybertrade/cybertrade/internal/isodate"
)

// Values are one record's curated values on the write path: a *CountryValues, *CompanyValues,
// *ProductValues, *SourceValues, *CaseValues or *MoveValues. Each type answers for itself
// what the write path asks of it, instead of type switches over any.
type Values interface {
	// refs lists what the values refer to (and their own key, to find duplicates).
	refs() refs
	// check runs the shared checks, plus what the files' nesting guarantees and a write must
	// check: that a product's company and a move's case exist.
	check(idx *dbIndex) []dataset.Issue
	// duplicate is the validator's message for a key another live record has.
	duplicate() dataset.Issue
	// key is the natural key of the values, and its table.
	key() (table, key string)
	// recordType is the GraphQL type of the values.
	recordType() string
	// columns are the row columns, with references resolved through idx; link sets are
	// written by putSets.
	columns(idx *dbIndex) []column
	// sets are the link sets the record owns.
	sets() []linkSet
	// normalize makes equal values encode to equal JSON.
	normalize()
}

// Countries are not written through the API (the dataset's files define them); their values
// exist for reads of history and records.
func (v *CountryValues) refs() refs                     { return refs{} }
func (v *CountryValues) check(*dbIndex) []dataset.Issue { return nil }
func (v *CountryValues) duplicate() dataset.Issue {
	return dataset.Issue{Field: "code", Message: "duplicate country code"}
}
func (v *CountryValues) key() (string, string) { return "countries", v.Code }
func (v *CountryValues) recordType() string    { return globalid.Country }
func (v *CountryValues) columns(*dbIndex) []column {
	panic("countries are not written through the API")
}
func (v *CountryValues) sets() []linkSet       { return nil }
func (v *CountryValues) normalize()            {}
func (v *ProductValues) normalize()            {}
func (v *SourceValues) normalize()             {}
func (v *CompanyValues) sets() []linkSet       { return nil }
func (v *ProductValues) sets() []linkSet       { return nil }
func (v *SourceValues) sets() []linkSet        { return nil }
func (v *CaseValues) sets() []linkSet          { return caseSets }
func (v *MoveValues) sets() []linkSet          { return moveSets }
func (v *CompanyValues) key() (string, string) { return "companies", v.Slug }
func (v *ProductValues) key() (string, string) { return "products", v.Slug }
func (v *SourceValues) key() (string, string)  { return "sources", v.Key }
func (v *CaseValues) key() (string, string)    { return "cases", v.Slug }
func (v *MoveValues) key() (string, string)    { return "moves", v.Slug }
func (v *CompanyValues) recordType() string    { return globalid.Company }
func (v *ProductValues) recordType() string    { return globalid.Product }
func (v *SourceValues) recordType() string     { return globalid.Source }
func (v *CaseValues) recordType() string       { return globalid.Case }
func (v *CompanyValues) duplicate() dataset.Issue {
	return dataset.Issue{Field: "slug", Message: "duplicate company slug"}
}
func (v *ProductValues) duplicate() dataset.Issue {
	return dataset.Issue{Field: "slug", Message: "duplicate product slug"}
}
func (v *SourceValues) duplicate() dataset.Issue {
	return dataset.Issue{Field: "key", Message: "duplicate source key"}
}
func (v *CaseValues) duplicate() dataset.Issue {
	return dataset.Issue{Field: "slug", Message: "duplicate case slug"}
}
func (v *MoveValues) duplicate() dataset.Issue {
	return dataset.Issue{Field: "slug", Message: "duplicate move slug"}
}
func (v *SourceValues) refs() refs { return refs{sources: []string{v.Key}} }
func (v *CaseValues) refs() refs   { return refs{cases: []string{v.Slug}, sources: v.Sources} }
func (v *ProductValues) refs() refs {
	return refs{products: []string{v.Slug}, companies: []string{v.Company}}
}
func (v *CaseValues) columns(*dbIndex) []column {
	return []column{{"slug", v.Slug}, {"title", v.Title}, {"summary", v.Summary}}
}

func (v *CompanyValues) refs() refs {
	r := refs{companies: []string{v.Slug}}
	if v.Country != "" {
		r.countries = []string{v.Country}
	}
	return r
}

func (v *MoveValues) refs() refs {
	var r refs
	r.addMove(v)
	r.moves = append(r.moves, v.Slug)
	return r
}

func (v *CompanyValues) check(idx *dbIndex) []dataset.Issue {
	return dataset.CheckCompany(dataset.Company{Slug: v.Slug, Name: v.Name, Country: v.Country, Sector: v.Sector, Aliases: v.Aliases, Description: v.Description}, idx)
}

func (v *ProductValues) check(idx *dbIndex) []dataset.Issue {
	is := dataset.CheckProduct(dataset.Product{Slug: v.Slug, Name: v.Name, Category: v.Category, Description: v.Description})
	if !idx.HasCompany(v.Company) {
		is = append(is, dataset.Issue{Field: "company", Message: fmt.Sprintf("unknown company %q", v.Company)})
	}
	return is
}

func (v *SourceValues) check(*dbIndex) []dataset.Issue {
	return dataset.CheckSource(dataset.Source{Key: v.Key, Title: v.Title, Publisher: v.Publisher, Date: v.Date, URL: v.URL, Note: v.Note})
}

func (v *CaseValues) check(idx *dbIndex) []dataset.Issue {
	return dataset.CheckCase(dataset.Case{Slug: v.Slug, Title: v.Title, Summary: v.Summary, Sources: v.Sources}, idx)
}

func (v *MoveValues) check(idx *dbIndex) []dataset.Issue {
	is := dataset.CheckMove(v.File(), idx)
	if !idx.has("cases", v.Case) {
		is = append(is, dataset.Issue{Field: "case", Message: fmt.Sprintf("unknown case %q", v.Case)})
	}
	return is
}

func (v *CompanyValues) columns(idx *dbIndex) []column {
	var home any
	if v.Country != "" {
		home = idx.id("countries", v.Country)
	}
	aliases, _ := json.Marshal(nonNil(v.Aliases))
	return []column{{"slug", v.Slug}, {"name", v.Name}, {"home_country_id", home}, {"sector", v.Sector},
		{"description", v.Description}, {"aliases", string(aliases)}}
}

func (v *ProductValues) columns(idx *dbIndex) []column {
	return []column{{"slug", v.Slug}, {"name", v.Name}, {"category", v.Category}, {"description", v.Description},
		{"company_id", idx.id("companies", v.Company)}}
}

func (v *SourceValues) columns(*dbIndex) []column {
	d, _ := isodate.Parse(v.Date)
	return []column{{"key", v.Key}, {"title", v.Title}, {"publisher", v.Publisher}, {"date", v.Date},
		{"date_precision", string(d.Precision)}, {"url", dataset.NormalizeURL(v.URL)}, {"note", null(v.Note)}}
}

func (v *MoveValues) columns(idx *dbIndex) []column {
	d, _ := isodate.Parse(v.Date)
	cols := []column{{"slug", v.Slug}, {"case_id", idx.id("cases", v.Case)}, {"country_id", idx.id("countries", v.Country)},
		{"actor", null(v.Actor)}, {"date", v.Date}, {"date_precision", string(d.Precision)}, {"date_start", d.Start}, {"date_end", d.End},
		{"title", v.Title}, {"summary", v.Summary}, {"confidence", v.Confidence}, {"coding_note", null(v.CodingNote)},
		{"instrument", v.Instrument}}
	if v.Type == dataset.TypeResponse {
		return append(cols, column{"kind", "RESPONSE"}, column{"country_option", nil}, column{"company_option", v.Option},
			column{"company_id", idx.id("companies", v.Company)})
	}
	return append(cols, column{"kind", "ACTION"}, column{"country_option", v.Option}, column{"company_option", nil},
		column{"company_id", nil})
}
