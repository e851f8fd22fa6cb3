package export

import (
	"bytes"
	"encoding/json"
	"sort"

	"github.com/cybertrade/cybertrade/dataset"
	"github.com/cybertrade/cybertrade/model"
)

// Dataset rebuilds the dataset in the loader's format from a snapshot. Each source goes to the
// bibliography of the first case (by slug) that cites it, or of the first case when none does.
// Lists are in content order (slugs, codes, dates), so the same data gives the same document.
func (v *view) Dataset() *dataset.Dataset {
	ds := &dataset.Dataset{
		Meta: dataset.Meta{Version: v.Meta.Version, Title: v.Meta.Title, License: v.Meta.License, LicenseURL: v.Meta.LicenseURL,
			Citation: v.Meta.Citation, Description: v.Meta.Description, Framework: v.Meta.Framework},
		Countries: []dataset.Country{}, Companies: []dataset.Company{}, Cases: []dataset.Case{},
	}
	for _, c := range v.Countries {
		ds.Countries = append(ds.Countries, dataset.Country{Code: c.Code, Alpha3: deref(c.Alpha3), Name: c.Name, Region: c.Region, Supranational: c.Supranational, CodeStatus: fileCodeStatus(c.CodeStatus)})
	}
	products := map[int64][]dataset.Product{}
	for _, p := range v.Products {
		products[p.CompanyID] = append(products[p.CompanyID], dataset.Product{Slug: p.Slug, Name: p.Name, Category: string(p.Category), Description: p.Description})
	}
	for _, c := range v.Companies {
		code, _ := v.countryOf(c.HomeCountryID)
		var aliases []string
		if len(c.Aliases) > 0 {
			aliases = c.Aliases
		}
		ds.Companies = append(ds.Companies, dataset.Company{Slug: c.Slug, Name: c.Name, Country: code, Sector: c.Sector,
			Aliases: aliases, Description: c.Description, Products: products[c.RowID]})
	}

	// The cases citing each source, to place it in one bibliography.
	citedBy := map[int64]string{}
	cite := func(src int64, caseSlug string) {
		if cur, ok := citedBy[src]; !ok || caseSlug < cur {
			citedBy[src] = caseSlug
		}
	}
	moves := map[int64][]dataset.Move{}
	for i := range v.Moves {
		m := &v.Moves[i]
		k := v.kase[m.CaseID]
		for _, s := range v.MoveSources[m.RowID] {
			cite(s, k.Slug)
		}
		moves[m.CaseID] = append(moves[m.CaseID], v.fileMove(m))
	}
	for _, k := range v.Cases {
		for _, s := range v.CaseSources[k.RowID] {
			cite(s, k.Slug)
		}
	}
	bib := map[string][]dataset.Source{}
	for _, s := range v.Sources {
		owner, ok := citedBy[s.RowID]
		if !ok {
			if len(v.Cases) == 0 {
				continue
			}
			owner = v.Cases[0].Slug
		}
		bib[owner] = append(bib[owner], dataset.Source{Key: s.Key, Title: s.Title, Publisher: s.Publisher, Date: s.Date, URL: s.URL, Note: deref(s.Note)})
	}
	for _, k := range v.Cases {
		c := dataset.Case{Slug: k.Slug, Title: k.Title, Summary: k.Summary,
			Sources: keys(v.CaseSources[k.RowID], v.source, func(s *model.Source) string { return s.Key }),
			Moves:   moves[k.RowID], Bibliography: bib[k.Slug]}
		if c.Moves == nil {
			c.Moves = []dataset.Move{}
		}
		ds.Cases = append(ds.Cases, c)
	}
	return ds
}

// fileMove is a move as the case files write it.
func (v *view) fileMove(m *model.MoveRecord) dataset.Move {
	fm := dataset.Move{Slug: m.Slug, Instrument: string(m.Instrument), Country: v.country[m.CountryID].Code, Actor: deref(m.Actor), Date: m.Date, Title: m.Title,
		Summary: m.Summary, CodingNote: deref(m.CodingNote),
		Companies:    nilIfEmpty(keys(v.MoveCompanies[m.RowID], v.company, func(x *model.Company) string { return x.Slug })),
		Products:     nilIfEmpty(keys(v.MoveProducts[m.RowID], v.product, func(x *model.Product) string { return x.Slug })),
		Counterparts: nilIfEmpty(keys(v.MoveCounterparts[m.RowID], v.country, func(x *model.Country) string { return x.Code })),
		InReplyTo:    nilIfEmpty(keys(v.inReply[m.RowID], v.move, func(x *model.MoveRecord) string { return x.Slug })),
		Sources:      keys(v.MoveSources[m.RowID], v.source, func(x *model.Source) string { return x.Key }),
	}
	if m.Confidence != model.ConfidenceHigh {
		fm.Confidence = string(m.Confidence)
	}
	if m.Kind == model.MoveKindResponse {
		fm.Type, fm.Option, fm.Company = dataset.TypeResponse, string(*m.CompanyOption), v.company[*m.CompanyID].Slug
	} else {
		fm.Type, fm.Option = dataset.TypeAction, string(*m.CountryOption)
		for _, c := range v.Concerns[m.RowID] {
			fm.Concerns = append(fm.Concerns, string(c))
		}
		sort.Strings(fm.Concerns)
	}
	return fm
}

func nilIfEmpty(xs []string) []string {
	if len(xs) == 0 {
		return nil
	}
	return xs
}

func writeJSON(b *bytes.Buffer, v *view) error {
	enc := json.NewEncoder(b)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v.Dataset())
}

// fileCodeStatus is a country's code status as the files write it: nothing when official.
func fileCodeStatus(s model.CountryCodeStatus) string {
	if s == model.CountryCodeStatusOfficial {
		return ""
	}
	return string(s)
}
