package export

import (
	"bytes"
	"encoding/csv"
	"strconv"
	"time"

	"github.com/cybertrade/cybertrade/model"
)

// CSV files follow RFC 4180 (CRLF line ends, quotes where needed), in UTF-8 with a header row.
// Ids are the API's global ids; a reference column ending in _id holds the referenced record's
// global id, beside a readable column (code, slug); several values are joined with ";".

func newCSV(b *bytes.Buffer, header ...string) *csv.Writer {
	w := csv.NewWriter(b)
	w.UseCRLF = true
	_ = w.Write(header)
	return w
}

func ts(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

func writeCountries(b *bytes.Buffer, v *view) error {
	w := newCSV(b, "id", "code", "alpha3", "name", "region", "supranational", "code_status", "created_at", "updated_at")
	for _, c := range v.Countries {
		_ = w.Write([]string{c.ID(), c.Code, deref(c.Alpha3), c.Name, c.Region, strconv.FormatBool(c.Supranational), string(c.CodeStatus), ts(c.CreatedAt), ts(c.UpdatedAt)})
	}
	w.Flush()
	return w.Error()
}

func (v *view) countryOf(id *int64) (code, gid string) {
	if id == nil {
		return "", ""
	}
	if c, ok := v.country[*id]; ok {
		return c.Code, c.ID()
	}
	return "", ""
}

func writeCompanies(b *bytes.Buffer, v *view) error {
	w := newCSV(b, "id", "slug", "name", "home_country", "home_country_id", "sector", "aliases", "description", "created_at", "updated_at")
	for _, c := range v.Companies {
		code, gid := v.countryOf(c.HomeCountryID)
		_ = w.Write([]string{c.ID(), c.Slug, c.Name, code, gid, c.Sector, joined(c.Aliases), c.Description, ts(c.CreatedAt), ts(c.UpdatedAt)})
	}
	w.Flush()
	return w.Error()
}

func writeProducts(b *bytes.Buffer, v *view) error {
	w := newCSV(b, "id", "slug", "name", "category", "description", "company", "company_id", "created_at", "updated_at")
	for _, p := range v.Products {
		co := v.company[p.CompanyID]
		_ = w.Write([]string{p.ID(), p.Slug, p.Name, string(p.Category), p.Description, co.Slug, co.ID(), ts(p.CreatedAt), ts(p.UpdatedAt)})
	}
	w.Flush()
	return w.Error()
}

// moveColumns are the columns both actions.csv and responses.csv end with.
var moveColumns = []string{"actor", "date", "date_precision", "date_start", "date_end", "title", "summary", "in_reply_to",
	"case", "case_id", "source_ids", "confidence", "coding_note", "created_at", "updated_at"}

func (v *view) moveTail(m *model.MoveRecord) []string {
	k := v.kase[m.CaseID]
	return []string{deref(m.Actor), m.Date, string(m.DatePrecision), m.DateStart, m.DateEnd, m.Title, m.Summary,
		joined(keys(v.inReply[m.RowID], v.move, moveID)), k.Slug, k.ID(),
		joined(keys(v.MoveSources[m.RowID], v.source, func(s *model.Source) string { return s.ID() })),
		string(m.Confidence), deref(m.CodingNote), ts(m.CreatedAt), ts(m.UpdatedAt)}
}

func writeActions(b *bytes.Buffer, v *view) error {
	w := newCSV(b, append([]string{"id", "slug", "option", "instrument", "country", "country_id", "concerns", "target_companies", "target_company_ids",
		"target_products", "target_product_ids", "counterparts"}, moveColumns...)...)
	for i := range v.Moves {
		m := &v.Moves[i]
		if m.Kind != model.MoveKindAction {
			continue
		}
		c := v.country[m.CountryID]
		concerns := make([]string, len(v.Concerns[m.RowID]))
		for j, x := range v.Concerns[m.RowID] {
			concerns[j] = string(x)
		}
		cos, prods := v.MoveCompanies[m.RowID], v.MoveProducts[m.RowID]
		_ = w.Write(append([]string{moveID(m), m.Slug, string(*m.CountryOption), string(m.Instrument), c.Code, c.ID(), joined(concerns),
			joined(keys(cos, v.company, func(x *model.Company) string { return x.Slug })),
			joined(keys(cos, v.company, func(x *model.Company) string { return x.ID() })),
			joined(keys(prods, v.product, func(x *model.Product) string { return x.Slug })),
			joined(keys(prods, v.product, func(x *model.Product) string { return x.ID() })),
			joined(keys(v.MoveCounterparts[m.RowID], v.country, func(x *model.Country) string { return x.Code })),
		}, v.moveTail(m)...))
	}
	w.Flush()
	return w.Error()
}

func writeResponses(b *bytes.Buffer, v *view) error {
	w := newCSV(b, append([]string{"id", "slug", "option", "instrument", "company", "company_id", "country", "country_id", "products", "product_ids"},
		moveColumns...)...)
	for i := range v.Moves {
		m := &v.Moves[i]
		if m.Kind != model.MoveKindResponse {
			continue
		}
		c, co := v.country[m.CountryID], v.company[*m.CompanyID]
		prods := v.MoveProducts[m.RowID]
		_ = w.Write(append([]string{moveID(m), m.Slug, string(*m.CompanyOption), string(m.Instrument), co.Slug, co.ID(), c.Code, c.ID(),
			joined(keys(prods, v.product, func(x *model.Product) string { return x.Slug })),
			joined(keys(prods, v.product, func(x *model.Product) string { return x.ID() })),
		}, v.moveTail(m)...))
	}
	w.Flush()
	return w.Error()
}

func writeCases(b *bytes.Buffer, v *view) error {
	w := newCSV(b, "id", "slug", "title", "summary", "start_date", "end_date", "source_ids", "created_at", "updated_at")
	for _, k := range v.Cases {
		_ = w.Write([]string{k.ID(), k.Slug, k.Title, k.Summary, deref(k.StartDate), deref(k.EndDate),
			joined(keys(v.CaseSources[k.RowID], v.source, func(s *model.Source) string { return s.ID() })), ts(k.CreatedAt), ts(k.UpdatedAt)})
	}
	w.Flush()
	return w.Error()
}

func writeSources(b *bytes.Buffer, v *view) error {
	w := newCSV(b, "id", "key", "title", "publisher", "date", "date_precision", "url", "note", "created_at", "updated_at")
	for _, s := range v.Sources {
		_ = w.Write([]string{s.ID(), s.Key, s.Title, s.Publisher, s.Date, string(s.DatePrecision), s.URL, deref(s.Note), ts(s.CreatedAt), ts(s.UpdatedAt)})
	}
	w.Flush()
	return w.Error()
}

// writeLinks writes one row per causal link: the reply and the move it answers.
func writeLinks(b *bytes.Buffer, v *view) error {
	w := newCSV(b, "reply_id", "reply_type", "reply_slug", "target_id", "target_type", "target_slug")
	for _, l := range v.Links {
		r, t := v.move[l.Parent], v.move[l.Child]
		_ = w.Write([]string{moveID(r), moveType(r), r.Slug, moveID(t), moveType(t), t.Slug})
	}
	w.Flush()
	return w.Error()
}
