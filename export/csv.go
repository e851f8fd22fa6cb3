package export

import (
	"bufio"
	"io"
	"iter"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/cybertrade/cybertrade/model"
)

// CSV files follow RFC 4180 (CRLF line ends, quotes where needed), in UTF-8 with a header row.
// Ids are the API's global ids; a reference column ending in _id holds the referenced record's
// global id, beside a readable column (code, slug). Two rules keep the cells safe and exact:
//
//   - A list is one cell with its values joined by ";"; inside a value, "\" is written "\\"
//     and ";" is written "\;", so a value holding the separator stays one value. Only free
//     text (aliases) can hold either; keys, codes and enum values never do.
//   - A cell that begins with "=", "+", "-", "@", a tab or a carriage return is written with a
//     leading "'" (OWASP's advice against CSV injection), so a spreadsheet shows it as text
//     instead of running it as a formula. dataset.json keeps every value as it is.
//
// Carriage returns and line feeds inside a value are kept exactly (the cell is quoted).

// csvWriter writes RFC 4180 rows to a buffered writer; the first error sticks.
type csvWriter struct {
	w   *bufio.Writer
	err error
}

func newCSV(w io.Writer, header ...string) *csvWriter {
	c := &csvWriter{w: bufio.NewWriterSize(w, 64<<10)}
	c.row(header...)
	return c
}

// Neutralise returns a cell's text as the CSV files write it (before quoting): with a leading
// "'" when it begins with a character a spreadsheet reads as a formula.
func Neutralise(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

func (c *csvWriter) row(fields ...string) {
	if c.err != nil {
		return
	}
	for i, f := range fields {
		if i > 0 {
			c.w.WriteByte(',')
		}
		f = Neutralise(f)
		if !strings.ContainsAny(f, ",\"\r\n") && !strings.HasPrefix(f, " ") {
			c.w.WriteString(f)
			continue
		}
		c.w.WriteByte('"')
		c.w.WriteString(strings.ReplaceAll(f, `"`, `""`))
		c.w.WriteByte('"')
	}
	_, c.err = c.w.WriteString("\r\n")
}

func (c *csvWriter) close() error {
	if c.err != nil {
		return c.err
	}
	return c.w.Flush()
}

var listEscaper = strings.NewReplacer(`\`, `\\`, `;`, `\;`)

// joined writes a list as one cell (see above).
func joined(xs []string) string {
	if len(xs) == 1 && !strings.ContainsAny(xs[0], `\;`) {
		return xs[0]
	}
	var b strings.Builder
	for i, x := range xs {
		if i > 0 {
			b.WriteByte(';')
		}
		listEscaper.WriteString(&b, x)
	}
	return b.String()
}

func ts(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

func writeCountries(out io.Writer, v *view) error {
	w := newCSV(out, "id", "code", "alpha3", "name", "region", "supranational", "code_status", "created_at", "updated_at")
	for _, c := range v.Countries {
		w.row(c.ID(), c.Code, deref(c.Alpha3), c.Name, c.Region, strconv.FormatBool(c.Supranational), string(c.CodeStatus), ts(c.CreatedAt), ts(c.UpdatedAt))
	}
	return w.close()
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

func writeCompanies(out io.Writer, v *view) error {
	w := newCSV(out, "id", "slug", "name", "home_country", "home_country_id", "sector", "aliases", "description", "created_at", "updated_at")
	for _, c := range v.Companies {
		code, gid := v.countryOf(c.HomeCountryID)
		w.row(c.ID(), c.Slug, c.Name, code, gid, c.Sector, joined(c.Aliases), c.Description, ts(c.CreatedAt), ts(c.UpdatedAt))
	}
	return w.close()
}

func writeProducts(out io.Writer, v *view) error {
	w := newCSV(out, "id", "slug", "name", "category", "description", "company", "company_id", "created_at", "updated_at")
	for _, p := range v.Products {
		co := v.company[p.CompanyID]
		w.row(p.ID(), p.Slug, p.Name, string(p.Category), p.Description, co.Slug, co.ID(), ts(p.CreatedAt), ts(p.UpdatedAt))
	}
	return w.close()
}

// moveColumns are the columns both actions.csv and responses.csv end with (responses.csv
// leaves out actor: a company's response names no acting body).
var moveColumns = []string{"actor", "date", "date_precision", "date_start", "date_end", "title", "summary", "in_reply_to",
	"case", "case_id", "source_ids", "confidence", "coding_note", "created_at", "updated_at"}

func (v *view) moveTail(m *model.MoveRecord) []string {
	k := v.kase[m.CaseID]
	return []string{deref(m.Actor), m.Date, string(m.DatePrecision), m.DateStart, m.DateEnd, m.Title, m.Summary,
		joined(keys(v.inReply[m.RowID], v.move, moveID)), k.Slug, k.ID(),
		joined(keys(v.MoveSources[m.RowID], v.source, func(s *model.Source) string { return s.ID() })),
		string(m.Confidence), deref(m.CodingNote), ts(m.CreatedAt), ts(m.UpdatedAt)}
}

// ActionColumns and ResponseColumns are the headers of actions.csv and responses.csv.
var (
	ActionColumns = append([]string{"id", "slug", "option", "instrument", "country", "country_name", "country_id", "concerns", "target_companies", "target_company_ids",
		"target_products", "target_product_ids", "counterparts"}, moveColumns...)
	ResponseColumns = append([]string{"id", "slug", "option", "instrument", "company", "company_name", "company_id", "country", "country_name", "country_id", "products", "product_ids"},
		moveColumns[1:]...)
)

// movesOf yields the view's moves of one kind, in order.
func (v *view) movesOf(kind model.MoveKind) iter.Seq[*model.MoveRecord] {
	return func(yield func(*model.MoveRecord) bool) {
		for i := range v.Moves {
			if v.Moves[i].Kind == kind && !yield(&v.Moves[i]) {
				return
			}
		}
	}
}

// slugsAndIDs are the two cells naming the records ids points to in rec: their slugs, then
// their global ids.
func slugsAndIDs[T any](ids []int64, rec map[int64]*T, slug, id func(*T) string) []string {
	return []string{joined(keys(ids, rec, slug)), joined(keys(ids, rec, id))}
}

func companySlug(x *model.Company) string { return x.Slug }
func productSlug(x *model.Product) string { return x.Slug }

func writeActions(out io.Writer, v *view) error {
	w := newCSV(out, ActionColumns...)
	for m := range v.movesOf(model.MoveKindAction) {
		c := v.country[m.CountryID]
		concerns := make([]string, len(v.Concerns[m.RowID]))
		for j, x := range v.Concerns[m.RowID] {
			concerns[j] = string(x)
		}
		w.row(slices.Concat([]string{moveID(m), m.Slug, string(*m.CountryOption), string(m.Instrument), c.Code, c.Name, c.ID(), joined(concerns)},
			slugsAndIDs(v.MoveCompanies[m.RowID], v.company, companySlug, (*model.Company).ID),
			slugsAndIDs(v.MoveProducts[m.RowID], v.product, productSlug, (*model.Product).ID),
			[]string{joined(keys(v.MoveCounterparts[m.RowID], v.country, func(x *model.Country) string { return x.Code }))},
			v.moveTail(m))...)
	}
	return w.close()
}

func writeResponses(out io.Writer, v *view) error {
	w := newCSV(out, ResponseColumns...)
	for m := range v.movesOf(model.MoveKindResponse) {
		c, co := v.country[m.CountryID], v.company[*m.CompanyID]
		w.row(slices.Concat([]string{moveID(m), m.Slug, string(*m.CompanyOption), string(m.Instrument), co.Slug, co.Name, co.ID(), c.Code, c.Name, c.ID()},
			slugsAndIDs(v.MoveProducts[m.RowID], v.product, productSlug, (*model.Product).ID),
			v.moveTail(m)[1:])...)
	}
	return w.close()
}

func writeCases(out io.Writer, v *view) error {
	w := newCSV(out, "id", "slug", "title", "summary", "start_date", "end_date", "source_ids", "created_at", "updated_at")
	for _, k := range v.Cases {
		w.row(k.ID(), k.Slug, k.Title, k.Summary, deref(k.StartDate), deref(k.EndDate),
			joined(keys(v.CaseSources[k.RowID], v.source, func(s *model.Source) string { return s.ID() })), ts(k.CreatedAt), ts(k.UpdatedAt))
	}
	return w.close()
}

func writeSources(out io.Writer, v *view) error {
	w := newCSV(out, "id", "key", "title", "publisher", "date", "date_precision", "url", "note", "created_at", "updated_at")
	for _, s := range v.Sources {
		w.row(s.ID(), s.Key, s.Title, s.Publisher, s.Date, string(s.DatePrecision), s.URL, deref(s.Note), ts(s.CreatedAt), ts(s.UpdatedAt))
	}
	return w.close()
}

// moveOption is a move's option, whichever kind it is.
func moveOption(m *model.MoveRecord) string {
	if m.Kind == model.MoveKindResponse {
		return string(*m.CompanyOption)
	}
	return string(*m.CountryOption)
}

// LinkColumns is the header of links.csv.
var LinkColumns = []string{"reply_id", "reply_type", "reply_slug", "reply_option", "reply_date", "reply_date_start",
	"target_id", "target_type", "target_slug", "target_option", "target_date", "target_date_start"}

// writeLinks writes one row per causal link: the reply and the move it answers, each with its
// kind (type), option and date, so "which action answered which response" needs no join.
func writeLinks(out io.Writer, v *view) error {
	w := newCSV(out, LinkColumns...)
	for _, l := range v.Links {
		r, t := v.move[l.Parent], v.move[l.Child]
		w.row(moveID(r), moveType(r), r.Slug, moveOption(r), r.Date, r.DateStart, moveID(t), moveType(t), t.Slug, moveOption(t), t.Date, t.DateStart)
	}
	return w.close()
}

// MoveColumns is the header of moves.csv.
var MoveColumns = []string{"id", "slug", "kind", "option", "instrument", "country", "country_name", "company", "company_name",
	"target_companies", "date", "date_precision", "date_start", "date_end", "title", "in_reply_to", "case", "confidence"}

// writeMoves writes every move, actions and responses together, in causal order (a reply
// never before the move it answers), with the names a table shows: the flat file to answer a
// question in a notebook without a join.
func writeMoves(out io.Writer, v *view) error {
	w := newCSV(out, MoveColumns...)
	for i := range v.Moves {
		m := &v.Moves[i]
		c := v.country[m.CountryID]
		var company, companyName string
		if m.CompanyID != nil {
			co := v.company[*m.CompanyID]
			company, companyName = co.Slug, co.Name
		}
		w.row(moveID(m), m.Slug, string(m.Kind), moveOption(m), string(m.Instrument), c.Code, c.Name, company, companyName,
			joined(keys(v.MoveCompanies[m.RowID], v.company, companySlug)),
			m.Date, string(m.DatePrecision), m.DateStart, m.DateEnd, m.Title,
			joined(keys(v.inReply[m.RowID], v.move, moveID)), v.kase[m.CaseID].Slug, string(m.Confidence))
	}
	return w.close()
}
