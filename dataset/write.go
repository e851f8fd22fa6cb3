package dataset

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// WriteFiles writes ds into dir in the layout Read reads (dataset.yaml, countries.yaml,
// companies.yaml, cases/<slug>.yaml) and in one canonical style, so that the files of the
// repository, the export of a database loaded from them, and an export after an edit differ
// only where the data differs. Case files of cases no longer in ds are removed, as are the
// per-family company files (every company goes to companies.yaml); excluded/ and any other
// file are left alone.
func WriteFiles(dir string, ds *Dataset) error {
	if err := os.MkdirAll(filepath.Join(dir, "cases"), 0o755); err != nil {
		return err
	}
	files := map[string][]byte{
		"dataset.yaml":   EncodeMeta(ds.Meta),
		"countries.yaml": EncodeCountries(ds.Countries),
		"companies.yaml": EncodeCompanies(ds.Companies),
	}
	keep := map[string]bool{}
	for _, c := range ds.Cases {
		name := filepath.Join("cases", c.Slug+".yaml")
		files[name] = EncodeCase(c)
		keep[name] = true
	}
	stale, _ := filepath.Glob(filepath.Join(dir, "cases", "*.yaml"))
	families, _ := filepath.Glob(filepath.Join(dir, "companies", "*.yaml"))
	for _, p := range append(stale, families...) {
		rel, _ := filepath.Rel(dir, p)
		if !keep[rel] {
			if err := os.Remove(p); err != nil {
				return err
			}
		}
	}
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if err := os.WriteFile(filepath.Join(dir, n), files[n], 0o644); err != nil {
			return err
		}
	}
	return nil
}

// lineWidth is where folded text is wrapped.
const lineWidth = 96

// w writes the canonical YAML of the dataset files.
type w struct{ b bytes.Buffer }

func (e *w) line(indent int, s string) {
	e.b.WriteString(strings.Repeat(" ", indent))
	e.b.WriteString(s)
	e.b.WriteByte('\n')
}

// scalar renders s plain when YAML reads it back as the same string, double-quoted otherwise.
func scalar(s string) string {
	if plainSafe(s, false) {
		return s
	}
	return quote(s)
}

// plainSafe reports whether s, written plain as a mapping value (or a flow-sequence item),
// reads back as the string s.
func plainSafe(s string, flow bool) bool {
	if s == "" || strings.ContainsAny(s, "\n\t\r") || strings.IndexFunc(s, escaped) >= 0 || strings.TrimSpace(s) != s {
		return false
	}
	doc := "v: " + s
	if flow {
		doc = "v: [" + s + "]"
	}
	var back map[string]any
	if yaml.Unmarshal([]byte(doc), &back) != nil {
		return false
	}
	if flow {
		items, ok := back["v"].([]any)
		return ok && len(items) == 1 && items[0] == s
	}
	return back["v"] == s
}

// escaped tells the characters that are written escaped, never as they are: YAML reads
// U+0085, U+2028 and U+2029 as line breaks and drops a byte-order mark, so written raw (found
// by TestAcceptedWritesRoundTrip: a plain U+FEFF merged two companies into one) they would
// not read back as written.
func escaped(r rune) bool {
	return r == 0xfeff || r == 0x2028 || r == 0x2029 || (r >= 0x80 && r <= 0x9f)
}

// quote is a YAML double-quoted scalar; non-ASCII text stays as it is, but for the
// characters escaped() names.
func quote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\x%02x`, r)
		case escaped(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// field writes "key: value" when value is set.
func (e *w) field(indent int, key, value string) {
	if value != "" {
		e.line(indent, key+": "+scalar(value))
	}
}

// quoted writes "key: "value"" (dates and numbers-as-text, kept visibly strings).
func (e *w) quoted(indent int, key, value string) {
	if value != "" {
		e.line(indent, key+": "+quote(value))
	}
}

// text writes a long free text as a folded block wrapped at lineWidth, or plain when short.
func (e *w) text(indent int, key, value string) {
	if value == "" {
		return
	}
	if len(key)+2+indent+utf8.RuneCountInString(value) <= lineWidth || strings.ContainsAny(value, "\n\r\t") || strings.IndexFunc(value, escaped) >= 0 ||
		strings.Contains(value, "  ") || strings.HasPrefix(value, " ") || strings.HasSuffix(value, " ") {
		e.field(indent, key, value)
		return
	}
	e.line(indent, key+": >-")
	width := lineWidth - indent - 2
	var cur []string
	n := 0
	flush := func() {
		e.line(indent+2, strings.Join(cur, " "))
		cur, n = nil, 0
	}
	for _, word := range strings.Split(value, " ") {
		l := utf8.RuneCountInString(word)
		if len(cur) > 0 && n+1+l > width {
			flush()
		}
		if len(cur) > 0 {
			n++
		}
		cur = append(cur, word)
		n += l
	}
	flush()
}

// list writes "key: [a, b]" when xs is not empty.
func (e *w) list(indent int, key string, xs []string) {
	if len(xs) == 0 {
		return
	}
	items := make([]string, len(xs))
	for i, x := range xs {
		items[i] = x
		if !plainSafe(x, true) {
			items[i] = quote(x)
		}
	}
	e.line(indent, key+": ["+strings.Join(items, ", ")+"]")
}

// EncodeMeta renders dataset.yaml.
func EncodeMeta(m Meta) []byte {
	e := &w{}
	e.line(0, "# The dataset as a citable whole. Bump `version` (semantic versioning) with every release and")
	e.line(0, "# record the change in CHANGELOG.md beside this file. Written by `cybertrade export -format files`.")
	e.field(0, "version", m.Version)
	e.field(0, "title", m.Title)
	e.field(0, "license", m.License)
	e.field(0, "licenseUrl", m.LicenseURL)
	e.text(0, "citation", m.Citation)
	e.text(0, "description", m.Description)
	e.text(0, "framework", m.Framework)
	return e.b.Bytes()
}

// EncodeCountries renders countries.yaml: one flow mapping per line.
func EncodeCountries(cs []Country) []byte {
	e := &w{}
	e.line(0, "# ISO 3166-1: every officially assigned alpha-2 code, with its alpha-3 code, English short")
	e.line(0, "# name (from Debian's iso-codes 4.15.0) and UN M49 region (from CLDR region containment),")
	e.line(0, "# plus the supranational bodies that act in the dataset (EU, an exceptionally reserved code)")
	e.line(0, "# and Kosovo (XK, a user-assigned code). See docs/data-format.md.")
	for _, c := range cs {
		parts := []string{"code: " + scalar(c.Code)}
		if c.Alpha3 != "" {
			parts = append(parts, "alpha3: "+scalar(c.Alpha3))
		}
		parts = append(parts, "name: "+quote(c.Name), "region: "+scalar(c.Region))
		if c.Supranational {
			parts = append(parts, "supranational: true")
		}
		if c.CodeStatus != "" {
			parts = append(parts, "codeStatus: "+scalar(c.CodeStatus))
		}
		e.line(0, "- {"+strings.Join(parts, ", ")+"}")
	}
	return e.b.Bytes()
}

// EncodeCompanies renders companies.yaml.
func EncodeCompanies(cs []Company) []byte {
	e := &w{}
	e.line(0, "# Every company with its products. Format: docs/data-format.md.")
	if len(cs) == 0 {
		e.line(0, "[]")
	}
	for _, c := range cs {
		e.line(0, "- slug: "+scalar(c.Slug))
		e.field(2, "name", c.Name)
		e.field(2, "country", c.Country)
		e.field(2, "sector", c.Sector)
		e.list(2, "aliases", c.Aliases)
		e.text(2, "description", c.Description)
		if len(c.Products) > 0 {
			e.line(2, "products:")
			for _, p := range c.Products {
				e.line(4, "- slug: "+scalar(p.Slug))
				e.field(6, "name", p.Name)
				e.field(6, "category", p.Category)
				e.text(6, "description", p.Description)
			}
		}
	}
	return e.b.Bytes()
}

// EncodeCase renders one case file.
func EncodeCase(c Case) []byte {
	e := &w{}
	e.field(0, "slug", c.Slug)
	e.field(0, "title", c.Title)
	e.text(0, "summary", c.Summary)
	e.list(0, "sources", c.Sources)
	e.line(0, "moves:")
	for _, m := range c.Moves {
		e.line(2, "- slug: "+scalar(m.Slug))
		e.field(4, "type", m.Type)
		e.field(4, "option", m.Option)
		e.field(4, "instrument", m.Instrument)
		e.field(4, "country", m.Country)
		e.field(4, "actor", m.Actor)
		e.field(4, "company", m.Company)
		e.quoted(4, "date", m.Date)
		e.field(4, "title", m.Title)
		e.text(4, "summary", m.Summary)
		e.list(4, "concerns", m.Concerns)
		e.list(4, "companies", m.Companies)
		e.list(4, "products", m.Products)
		e.list(4, "counterparts", m.Counterparts)
		e.list(4, "inReplyTo", m.InReplyTo)
		e.list(4, "sources", m.Sources)
		e.field(4, "confidence", m.Confidence)
		e.text(4, "codingNote", m.CodingNote)
	}
	if len(c.Bibliography) > 0 {
		e.line(0, "bibliography:")
		for _, s := range c.Bibliography {
			e.line(2, "- key: "+scalar(s.Key))
			e.field(4, "title", s.Title)
			e.field(4, "publisher", s.Publisher)
			e.quoted(4, "date", s.Date)
			e.field(4, "url", s.URL)
			e.text(4, "note", s.Note)
		}
	}
	return e.b.Bytes()
}
