// Package record holds the one typed record of each entity on the write path: its curated
// values (as revisions keep them and the shared checks see them), how they map to a row and its
// link sets, how they are read back (ReadStates), and the index of the live records they refer
// to. Curated writes and file loads both build on it.
package record

import (
	"encoding/json"
	"fmt"

	"github.com/cybertrade/cybertrade/dataset"
	"github.com/cybertrade/cybertrade/internal/globalid"
	"github.com/cybertrade/cybertrade/internal/isodate"
	"github.com/cybertrade/cybertrade/store/core"
)

// Values are one record's curated values on the write path: a *CountryValues, *CompanyValues,
// *ProductValues, *SourceValues, *CaseValues or *MoveValues. Each type answers for itself
// what the write path asks of it, instead of type switches over any.
type Values interface {
	// Refs lists what the values refer to (and their own key, to find duplicates).
	Refs() Refs
	// Check runs the shared checks, plus what the files' nesting guarantees and a write must
	// check: that a product's company and a move's case exist.
	Check(idx *Index) []dataset.Issue
	// Duplicate is the validator's message for a key another live record has.
	Duplicate() dataset.Issue
	// NaturalKey is the natural key of the values, and its table.
	NaturalKey() (table, key string)
	// RecordType is the GraphQL type of the values.
	RecordType() string
	// Columns are the row columns, with references resolved through idx; the link sets
	// (Sets) are written apart.
	Columns(idx *Index) []Column
	// Sets are the link sets the record owns.
	Sets() []LinkSet
	// Normalize makes equal values encode to equal JSON.
	Normalize()
}

// Countries are not written through the API (the dataset's files define them); their values
// exist for reads of history and records.
func (v *CountryValues) Refs() Refs                   { return Refs{} }
func (v *CountryValues) Check(*Index) []dataset.Issue { return nil }
func (v *CountryValues) Duplicate() dataset.Issue {
	return dataset.Issue{Field: "code", Message: "duplicate country code"}
}
func (v *CountryValues) NaturalKey() (string, string) { return "countries", v.Code }
func (v *CountryValues) RecordType() string           { return globalid.Country }
func (v *CountryValues) Columns(*Index) []Column {
	panic("countries are not written through the API")
}
func (v *CountryValues) Sets() []LinkSet              { return nil }
func (v *CountryValues) Normalize()                   {}
func (v *ProductValues) Normalize()                   {}
func (v *SourceValues) Normalize()                    {}
func (v *CompanyValues) Sets() []LinkSet              { return nil }
func (v *ProductValues) Sets() []LinkSet              { return nil }
func (v *SourceValues) Sets() []LinkSet               { return nil }
func (v *CaseValues) Sets() []LinkSet                 { return caseSets }
func (v *MoveValues) Sets() []LinkSet                 { return moveSets }
func (v *CompanyValues) NaturalKey() (string, string) { return "companies", v.Slug }
func (v *ProductValues) NaturalKey() (string, string) { return "products", v.Slug }
func (v *SourceValues) NaturalKey() (string, string)  { return "sources", v.Key }
func (v *CaseValues) NaturalKey() (string, string)    { return "cases", v.Slug }
func (v *MoveValues) NaturalKey() (string, string)    { return "moves", v.Slug }
func (v *CompanyValues) RecordType() string           { return globalid.Company }
func (v *ProductValues) RecordType() string           { return globalid.Product }
func (v *SourceValues) RecordType() string            { return globalid.Source }
func (v *CaseValues) RecordType() string              { return globalid.Case }
func (v *CompanyValues) Duplicate() dataset.Issue {
	return dataset.Issue{Field: "slug", Message: "duplicate company slug"}
}
func (v *ProductValues) Duplicate() dataset.Issue {
	return dataset.Issue{Field: "slug", Message: "duplicate product slug"}
}
func (v *SourceValues) Duplicate() dataset.Issue {
	return dataset.Issue{Field: "key", Message: "duplicate source key"}
}
func (v *CaseValues) Duplicate() dataset.Issue {
	return dataset.Issue{Field: "slug", Message: "duplicate case slug"}
}
func (v *MoveValues) Duplicate() dataset.Issue {
	return dataset.Issue{Field: "slug", Message: "duplicate move slug"}
}
func (v *SourceValues) Refs() Refs { return Refs{Sources: []string{v.Key}} }
func (v *CaseValues) Refs() Refs   { return Refs{Cases: []string{v.Slug}, Sources: v.Sources} }
func (v *ProductValues) Refs() Refs {
	return Refs{Products: []string{v.Slug}, Companies: []string{v.Company}}
}
func (v *CaseValues) Columns(*Index) []Column {
	return []Column{{"slug", v.Slug}, {"title", v.Title}, {"summary", v.Summary}}
}

func (v *CompanyValues) Refs() Refs {
	r := Refs{Companies: []string{v.Slug}}
	if v.Country != "" {
		r.Countries = []string{v.Country}
	}
	return r
}

func (v *MoveValues) Refs() Refs {
	var r Refs
	r.AddMove(v)
	r.Moves = append(r.Moves, v.Slug)
	return r
}

func (v *CompanyValues) Check(idx *Index) []dataset.Issue {
	return dataset.CheckCompany(dataset.Company{Slug: v.Slug, Name: v.Name, Country: v.Country, Sector: v.Sector, Aliases: v.Aliases, Description: v.Description}, idx)
}

func (v *ProductValues) Check(idx *Index) []dataset.Issue {
	is := dataset.CheckProduct(dataset.Product{Slug: v.Slug, Name: v.Name, Category: v.Category, Description: v.Description})
	if !idx.HasCompany(v.Company) {
		is = append(is, dataset.Issue{Field: "company", Message: fmt.Sprintf("unknown company %q", v.Company)})
	}
	return is
}

func (v *SourceValues) Check(*Index) []dataset.Issue {
	return dataset.CheckSource(dataset.Source{Key: v.Key, Title: v.Title, Publisher: v.Publisher, Date: v.Date, URL: v.URL, Note: v.Note})
}

func (v *CaseValues) Check(idx *Index) []dataset.Issue {
	return dataset.CheckCase(dataset.Case{Slug: v.Slug, Title: v.Title, Summary: v.Summary, Sources: v.Sources}, idx)
}

func (v *MoveValues) Check(idx *Index) []dataset.Issue {
	is := dataset.CheckMove(v.File(), v.Dated(), idx)
	if !idx.Has("cases", v.Case) {
		is = append(is, dataset.Issue{Field: "case", Message: fmt.Sprintf("unknown case %q", v.Case)})
	}
	return is
}

func (v *CompanyValues) Columns(idx *Index) []Column {
	var home any
	if v.Country != "" {
		home = idx.ID("countries", v.Country)
	}
	aliases, _ := json.Marshal(nonNil(v.Aliases))
	return []Column{{"slug", v.Slug}, {"name", v.Name}, {"home_country_id", home}, {"sector", v.Sector},
		{"description", v.Description}, {"aliases", string(aliases)}}
}

func (v *ProductValues) Columns(idx *Index) []Column {
	return []Column{{"slug", v.Slug}, {"name", v.Name}, {"category", v.Category}, {"description", v.Description},
		{"company_id", idx.ID("companies", v.Company)}}
}

func (v *SourceValues) Columns(*Index) []Column {
	d, _ := isodate.Parse(v.Date)
	return []Column{{"key", v.Key}, {"title", v.Title}, {"publisher", v.Publisher}, {"date", v.Date},
		{"date_precision", string(d.Precision)}, {"url", dataset.NormalizeURL(v.URL)}, {"note", core.Null(v.Note)}}
}

func (v *MoveValues) Columns(idx *Index) []Column {
	d := v.Dated().Date
	cols := []Column{{"slug", v.Slug}, {"case_id", idx.ID("cases", v.Case)}, {"country_id", idx.ID("countries", v.Country)},
		{"actor", core.Null(v.Actor)}, {"date", v.Date}, {"date_precision", string(d.Precision)}, {"date_start", d.Start}, {"date_end", d.End},
		{"title", v.Title}, {"summary", v.Summary}, {"confidence", v.Confidence}, {"coding_note", core.Null(v.CodingNote)},
		{"instrument", v.Instrument}}
	if v.Type == dataset.TypeResponse {
		return append(cols, Column{"kind", "RESPONSE"}, Column{"country_option", nil}, Column{"company_option", v.Option},
			Column{"company_id", idx.ID("companies", v.Company)})
	}
	return append(cols, Column{"kind", "ACTION"}, Column{"country_option", v.Option}, Column{"company_option", nil},
		Column{"company_id", nil})
}

// Column is one column of a row write.
type Column struct {
	Name  string
	Value any
}

// LinkSet is one many-to-many table of a record's values.
type LinkSet struct {
	Table, ParentCol, Col string
	RefTable              string // the table Col refers to ("" for plain values: concerns)
	Get                   func(v Values) []string
}

var (
	caseSets = []LinkSet{{"case_sources", "case_id", "source_id", "sources", func(v Values) []string { return v.(*CaseValues).Sources }}}
	moveSets = []LinkSet{
		{"move_concerns", "move_id", "concern", "", func(v Values) []string { return v.(*MoveValues).Concerns }},
		{"move_companies", "move_id", "company_id", "companies", func(v Values) []string { return v.(*MoveValues).Companies }},
		{"move_products", "move_id", "product_id", "products", func(v Values) []string { return v.(*MoveValues).Products }},
		{"move_counterparts", "move_id", "country_id", "countries", func(v Values) []string { return v.(*MoveValues).Counterparts }},
		{"move_links", "reply_id", "target_id", "moves", func(v Values) []string { return v.(*MoveValues).InReplyTo }},
		{"move_sources", "move_id", "source_id", "sources", func(v Values) []string { return v.(*MoveValues).Sources }},
	}
)
