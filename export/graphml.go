package export

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"strconv"

	"github.com/cybertrade/cybertrade/model"
)

// The graph: countries, companies and products are nodes (ids are the API's global ids); every
// move is one or more typed edges. An action runs from the acting country to each company,
// product and counterpart country it targets (to the country itself when it targets none); a
// response runs from the company to the country it answers; PRODUCT_OF edges tie each product to
// its company. Edges of one move share its move_id, and in_reply_to lists the moves it answers,
// so a tool can rebuild the causal chains.

type graphKey struct {
	id, scope, name, typ string
}

var graphKeys = []graphKey{
	{"n_type", "node", "type", "string"}, // Country, Company, Product
	{"n_label", "node", "label", "string"},
	{"n_key", "node", "key", "string"}, // ISO code or slug
	{"n_region", "node", "region", "string"},
	{"n_supranational", "node", "supranational", "boolean"},
	{"n_home_country", "node", "home_country", "string"},
	{"n_sector", "node", "sector", "string"},
	{"n_category", "node", "category", "string"},
	{"e_type", "edge", "type", "string"}, // ACTION, RESPONSE, PRODUCT_OF
	{"e_move_id", "edge", "move_id", "string"},
	{"e_slug", "edge", "slug", "string"},
	{"e_option", "edge", "option", "string"},
	{"e_instrument", "edge", "instrument", "string"},
	{"e_date", "edge", "date", "string"},
	{"e_date_precision", "edge", "date_precision", "string"},
	{"e_year", "edge", "year", "int"},
	{"e_title", "edge", "title", "string"},
	{"e_case", "edge", "case", "string"},
	{"e_concerns", "edge", "concerns", "string"},
	{"e_confidence", "edge", "confidence", "string"},
	{"e_in_reply_to", "edge", "in_reply_to", "string"},
}

type gmlWriter struct {
	b   *bytes.Buffer
	err error
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

func writeGraphML(b *bytes.Buffer, v *view) error {
	w := &gmlWriter{b: b}
	w.printf("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
	w.printf("<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"\n")
	w.printf("    xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">\n")
	for _, k := range graphKeys {
		w.printf("  <key id=\"%s\" for=\"%s\" attr.name=\"%s\" attr.type=\"%s\"/>\n", k.id, k.scope, k.name, k.typ)
	}
	w.printf("  <graph id=\"cybertrade\" edgedefault=\"directed\">\n")
	for _, c := range v.Countries {
		w.node(c.ID(), "n_type", "Country", "n_label", c.Name, "n_key", c.Code, "n_region", c.Region,
			"n_supranational", strconv.FormatBool(c.Supranational))
	}
	for _, c := range v.Companies {
		home, _ := v.countryOf(c.HomeCountryID)
		w.node(c.ID(), "n_type", "Company", "n_label", c.Name, "n_key", c.Slug, "n_home_country", home, "n_sector", c.Sector)
	}
	for _, p := range v.Products {
		w.node(p.ID(), "n_type", "Product", "n_label", p.Name, "n_key", p.Slug, "n_category", string(p.Category))
	}
	for _, p := range v.Products {
		w.edge(p.ID()+".product-of", p.ID(), v.company[p.CompanyID].ID(), "e_type", "PRODUCT_OF")
	}
	for i := range v.Moves {
		m := &v.Moves[i]
		attrs := []string{"e_move_id", moveID(m), "e_slug", m.Slug, "e_instrument", string(m.Instrument), "e_date", m.Date, "e_date_precision", string(m.DatePrecision),
			"e_year", m.Date[:4], "e_title", m.Title, "e_case", v.kase[m.CaseID].Slug, "e_confidence", string(m.Confidence),
			"e_in_reply_to", joined(keys(v.inReply[m.RowID], v.move, moveID))}
		country := v.country[m.CountryID].ID()
		if m.Kind == model.MoveKindResponse {
			w.edge(moveID(m), v.company[*m.CompanyID].ID(), country, append([]string{"e_type", "RESPONSE", "e_option", string(*m.CompanyOption)}, attrs...)...)
			continue
		}
		concerns := make([]string, len(v.Concerns[m.RowID]))
		for j, c := range v.Concerns[m.RowID] {
			concerns[j] = string(c)
		}
		attrs = append([]string{"e_type", "ACTION", "e_option", string(*m.CountryOption), "e_concerns", joined(concerns)}, attrs...)
		targets := append(append(keys(v.MoveCompanies[m.RowID], v.company, func(x *model.Company) string { return x.ID() }),
			keys(v.MoveProducts[m.RowID], v.product, func(x *model.Product) string { return x.ID() })...),
			keys(v.MoveCounterparts[m.RowID], v.country, func(x *model.Country) string { return x.ID() })...)
		if len(targets) == 0 {
			targets = []string{country}
		}
		for n, t := range targets {
			w.edge(fmt.Sprintf("%s.%d", moveID(m), n), country, t, attrs...)
		}
	}
	w.printf("  </graph>\n</graphml>\n")
	return w.err
}
