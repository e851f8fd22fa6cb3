package export

import (
	"bufio"
	"bytes"
	"cmp"
	"encoding/json"
	"io"
	"sort"

	"github.com/cybertrade/cybertrade/dataset"
	"github.com/cybertrade/cybertrade/model"
)

// Dataset rebuilds the dataset in the loader's format from a snapshot (the canonical files
// writer uses it); writeJSON streams the same document case by case.
func (v *view) Dataset() *dataset.Dataset {
	ds := &dataset.Dataset{Meta: v.meta(), Countries: v.countries(), Companies: v.companies(), Cases: []dataset.Case{}}
	v.eachCase(func(c dataset.Case) error {
		ds.Cases = append(ds.Cases, c)
		return nil
	})
	return ds
}

func (v *view) meta() dataset.Meta {
	return dataset.Meta{Version: v.Meta.Version, Title: v.Meta.Title, License: v.Meta.License, LicenseURL: v.Meta.LicenseURL,
		Citation: v.Meta.Citation, Description: v.Meta.Description, Framework: v.Meta.Framework}
}

func (v *view) countries() []dataset.Country {
	out := []dataset.Country{}
	for _, c := range v.Countries {
		out = append(out, dataset.Country{Code: c.Code, Alpha3: deref(c.Alpha3), Name: c.Name, Region: c.Region, Supranational: c.Supranational, CodeStatus: fileCodeStatus(c.CodeStatus)})
	}
	return out
}

func (v *view) companies() []dataset.Company {
	products := map[int64][]dataset.Product{}
	for _, p := range v.Products {
		products[p.CompanyID] = append(products[p.CompanyID], dataset.Product{Slug: p.Slug, Name: p.Name, Category: string(p.Category), Description: p.Description})
	}
	out := []dataset.Company{}
	for _, c := range v.Companies {
		code, _ := v.countryOf(c.HomeCountryID)
		var aliases []string
		if len(c.Aliases) > 0 {
			aliases = c.Aliases
		}
		out = append(out, dataset.Company{Slug: c.Slug, Name: c.Name, Country: code, Sector: c.Sector,
			Aliases: aliases, Description: c.Description, Products: products[c.RowID]})
	}
	return out
}

// eachCase calls f with each case in slug order, as the case files write it. Each source goes
// to the bibliography of the first case (by slug) that cites it, or of the first case when
// none does. Lists are in content order (slugs, codes, dates), so the same data gives the same
// document. Only one case's moves are converted at a time.
func (v *view) eachCase(f func(dataset.Case) error) error {
	citedBy := map[int64]string{}
	cite := func(src int64, caseSlug string) {
		if cur, ok := citedBy[src]; !ok || caseSlug < cur {
			citedBy[src] = caseSlug
		}
	}
	moves := map[int64][]*model.MoveRecord{}
	for i := range v.Moves {
		m := &v.Moves[i]
		k := v.kase[m.CaseID]
		for _, s := range v.MoveSources[m.RowID] {
			cite(s, k.Slug)
		}
		moves[m.CaseID] = append(moves[m.CaseID], m)
	}
	for _, k := range v.Cases {
		for _, s := range v.CaseSources[k.RowID] {
			cite(s, k.Slug)
		}
	}
	bib := map[string][]*model.Source{}
	for i := range v.Sources {
		s := &v.Sources[i]
		owner, ok := citedBy[s.RowID]
		if !ok {
			if len(v.Cases) == 0 {
				continue
			}
			owner = v.Cases[0].Slug
		}
		bib[owner] = append(bib[owner], s)
	}
	for _, k := range v.Cases {
		c := dataset.Case{Slug: k.Slug, Title: k.Title, Summary: k.Summary,
			Sources: keys(v.CaseSources[k.RowID], v.source, func(s *model.Source) string { return s.Key }),
			Moves:   []dataset.Move{}}
		for _, m := range moves[k.RowID] {
			c.Moves = append(c.Moves, v.fileMove(m))
		}
		for _, s := range bib[k.Slug] {
			c.Bibliography = append(c.Bibliography, dataset.Source{Key: s.Key, Title: s.Title, Publisher: s.Publisher, Date: s.Date, URL: s.URL, Note: deref(s.Note)})
		}
		if err := f(c); err != nil {
			return err
		}
	}
	return nil
}

// fileMove is a move as the case files write it.
func (v *view) fileMove(m *model.MoveRecord) dataset.Move {
	fm := dataset.Move{Slug: m.Slug, Instrument: string(m.Instrument), Country: v.country[m.CountryID].Code, Actor: deref(m.Actor), Date: m.Date, Title: m.Title,
		Summary: m.Summary, CodingNote: deref(m.CodingNote),
		Companies:    nilIfEmpty(keys(v.MoveCompanies[m.RowID], v.company, companySlug)),
		Products:     nilIfEmpty(keys(v.MoveProducts[m.RowID], v.product, productSlug)),
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

// writeJSON streams dataset.json: the bytes json.Encoder (two-space indent, no HTML escaping)
// writes for the whole dataset.Dataset, produced one country, company and case at a time.
func writeJSON(out io.Writer, v *view) error {
	w := &jsonWriter{w: bufio.NewWriterSize(out, 64<<10)}
	w.raw("{\n  \"meta\": ")
	w.value(v.meta(), "  ")
	w.raw(",\n  \"countries\": ")
	w.array(len(v.Countries) > 0, func() {
		for i, c := range v.countries() {
			w.item(i, c)
		}
	})
	w.raw(",\n  \"companies\": ")
	w.array(len(v.Companies) > 0, func() {
		for i, c := range v.companies() {
			w.item(i, c)
		}
	})
	w.raw(",\n  \"cases\": ")
	w.array(len(v.Cases) > 0, func() {
		i := 0
		w.err = cmp.Or(w.err, v.eachCase(func(c dataset.Case) error {
			w.item(i, c)
			i++
			return w.err
		}))
	})
	w.raw("\n}\n")
	if w.err != nil {
		return w.err
	}
	return w.w.Flush()
}

// jsonWriter writes an indented JSON document piece by piece; the first error sticks.
type jsonWriter struct {
	w   *bufio.Writer
	err error
}

func (w *jsonWriter) raw(s string) {
	if w.err == nil {
		_, w.err = w.w.WriteString(s)
	}
}

// value writes x indented as if it sat at prefix's depth, without a trailing newline.
func (w *jsonWriter) value(x any, prefix string) {
	if w.err != nil {
		return
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent(prefix, "  ")
	enc.SetEscapeHTML(false)
	if w.err = enc.Encode(x); w.err == nil {
		_, w.err = w.w.Write(bytes.TrimSuffix(b.Bytes(), []byte("\n")))
	}
}

// array writes "[]" when empty, else "[", the items body writes, and "]" at depth one.
func (w *jsonWriter) array(nonEmpty bool, body func()) {
	if !nonEmpty {
		w.raw("[]")
		return
	}
	w.raw("[")
	body()
	w.raw("\n  ]")
}

func (w *jsonWriter) item(i int, x any) {
	if i > 0 {
		w.raw(",")
	}
	w.raw("\n    ")
	w.value(x, "    ")
}

// fileCodeStatus is a country's code status as the files write it: nothing when official.
func fileCodeStatus(s model.CountryCodeStatus) string {
	if s == model.CountryCodeStatusOfficial {
		return ""
	}
	return string(s)
}
