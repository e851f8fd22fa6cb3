package export

import (
	"bufio"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"

	"github.com/cybertrade/cybertrade/model"
)

// The graph: the countries that take part in a move (acting, answered or counterpart) and the
// companies are nodes (ids are the API's global ids); each move is described once. A response
// is one RESPONSE edge from the company to the country it answers. An action is one ACTION edge
// from the acting country to each company it targets, or, when it targets none, to each
// counterpart country, or else to the acting country itself; every edge of one action carries
// the whole move (its move_id, option, products, counterparts and companies as attributes) and
// a weight of 1/n for its n edges, so a weighted degree counts each move once. in_reply_to lists
// the moves a move answers, so a tool can rebuild the causal chains.

type graphKey struct {
	id, scope, name, typ string
}

var graphKeys = []graphKey{
	{"n_type", "node", "type", "string"}, // Country, Company
	{"n_label", "node", "label", "string"},
	{"n_key", "node", "key", "string"}, // ISO code or slug
	{"n_region", "node", "region", "string"},
	{"n_supranational", "node", "supranational", "boolean"},
	{"n_home_country", "node", "home_country", "string"},
	{"n_sector", "node", "sector", "string"},
	{"e_type", "edge", "type", "string"}, // ACTION, RESPONSE
	{"e_move_id", "edge", "move_id", "string"},
	{"e_slug", "edge", "slug", "string"},
	{"e_option", "edge", "option", "string"},
	{"e_instrument", "edge", "instrument", "string"},
	{"e_date", "edge", "date", "string"},
	{"e_date_precision", "edge", "date_precision", "string"},
	{"e_date_start", "edge", "date_start", "string"},
	{"e_year", "edge", "year", "int"},
	{"e_title", "edge", "title", "string"},
	{"e_case", "edge", "case", "string"},
	{"e_concerns", "edge", "concerns", "string"},
	{"e_companies", "edge", "companies", "string"},
	{"e_products", "edge", "products", "string"},
	{"e_counterparts", "edge", "counterparts", "string"},
	{"e_confidence", "edge", "confidence", "string"},
	{"e_in_reply_to", "edge", "in_reply_to", "string"},
	{"e_weight", "edge", "weight", "double"},
}

type gmlWriter struct {
	b *bufio.Writer
}

func (w *gmlWriter) printf(format string, args ...any) { fmt.Fprintf(w.b, format, args...) }

// esc escapes text for XML content and attributes.
func esc(s string) string {
	var b bytes.Buffer
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

func (w *gmlWriter) data(key, value string) {
	if value != "" {
		w.printf("      <data key=\"%s\">%s</data>\n", key, esc(value))
	}
}

func (w *gmlWriter) node(id string, kv ...string) {
	w.printf("    <node id=\"%s\">\n", esc(id))
	for i := 0; i+1 < len(kv); i += 2 {
		w.data(kv[i], kv[i+1])
	}
	w.printf("    </node>\n")
}

func (w *gmlWriter) edge(id, source, target string, kv ...string) {
	w.printf("    <edge id=\"%s\" source=\"%s\" target=\"%s\">\n", esc(id), esc(source), esc(target))
	for i := 0; i+1 < len(kv); i += 2 {
		w.data(kv[i], kv[i+1])
	}
	w.printf("    </edge>\n")
}

func writeGraphML(out io.Writer, v *view) error {
	w := &gmlWriter{b: bufio.NewWriterSize(out, 64<<10)}
	w.printf("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
	w.printf("<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"\n")
	w.printf("    xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">\n")
	for _, k := range graphKeys {
		w.printf("  <key id=\"%s\" for=\"%s\" attr.name=\"%s\" attr.type=\"%s\"/>\n", k.id, k.scope, k.name, k.typ)
	}
	w.printf("  <graph id=\"cybertrade\" edgedefault=\"directed\">\n")
	taking := map[int64]bool{}
	for i := range v.Moves {
		taking[v.Moves[i].CountryID] = true
		for _, c := range v.MoveCounterparts[v.Moves[i].RowID] {
			taking[c] = true
		}
	}
	for _, c := range v.Countries {
		if taking[c.RowID] {
			w.node(c.ID(), "n_type", "Country", "n_label", c.Name, "n_key", c.Code, "n_region", c.Region,
				"n_supranational", strconv.FormatBool(c.Supranational))
		}
	}
	for _, c := range v.Companies {
		home, _ := v.countryOf(c.HomeCountryID)
		w.node(c.ID(), "n_type", "Company", "n_label", c.Name, "n_key", c.Slug, "n_home_country", home, "n_sector", c.Sector)
	}
	for i := range v.Moves {
		m := &v.Moves[i]
		attrs := []string{"e_move_id", moveID(m), "e_slug", m.Slug, "e_option", moveOption(m), "e_instrument", string(m.Instrument),
			"e_date", m.Date, "e_date_precision", string(m.DatePrecision), "e_date_start", m.DateStart,
			"e_year", m.Date[:4], "e_title", m.Title, "e_case", v.kase[m.CaseID].Slug, "e_confidence", string(m.Confidence),
			"e_products", joined(keys(v.MoveProducts[m.RowID], v.product, productSlug)),
			"e_in_reply_to", joined(keys(v.inReply[m.RowID], v.move, moveID))}
		country := v.country[m.CountryID].ID()
		if m.Kind == model.MoveKindResponse {
			w.edge(moveID(m), v.company[*m.CompanyID].ID(), country, append(append([]string{"e_type", "RESPONSE"}, attrs...), "e_weight", "1")...)
			continue
		}
		concerns := make([]string, len(v.Concerns[m.RowID]))
		for j, c := range v.Concerns[m.RowID] {
			concerns[j] = string(c)
		}
		cos, cps := v.MoveCompanies[m.RowID], v.MoveCounterparts[m.RowID]
		attrs = append([]string{"e_type", "ACTION", "e_concerns", joined(concerns),
			"e_companies", joined(keys(cos, v.company, companySlug)),
			"e_counterparts", joined(keys(cps, v.country, func(x *model.Country) string { return x.Code }))}, attrs...)
		targets := keys(cos, v.company, func(x *model.Company) string { return x.ID() })
		if len(targets) == 0 {
			targets = keys(cps, v.country, func(x *model.Country) string { return x.ID() })
		}
		if len(targets) == 0 {
			targets = []string{country}
		}
		weight := strconv.FormatFloat(1/float64(len(targets)), 'g', 6, 64)
		for n, t := range targets {
			w.edge(fmt.Sprintf("%s.%d", moveID(m), n), country, t, append(attrs, "e_weight", weight)...)
		}
	}
	w.printf("  </graph>\n</graphml>\n")
	return w.b.Flush()
}
