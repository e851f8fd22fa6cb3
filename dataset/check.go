package dataset

import (
	"fmt"
	"reflect"
	"regexp"
	"strings"

	"github.com/cybertrade/cybertrade/internal/isodate"
	"github.com/cybertrade/cybertrade/internal/textcheck"
	"github.com/cybertrade/cybertrade/model"
)

// The per-record checks below are the one validator of the dataset: Validate runs them over
// parsed files, with an Index built from those files, and the API's mutations run them over the
// record being written, with an Index read from the database. Both refuse the same records with
// the same messages.

// Issue is one problem with one record: the field at fault, as the data files name it
// (`date`, `inReplyTo`, `companies`…), and a message meant for a researcher.
type Issue struct {
	Field   string
	Message string
}

// Index tells the checks which other records exist: those a record may refer to.
type Index interface {
	// HasCountry reports whether a country (or supranational body) has this code.
	HasCountry(code string) bool
	// HasCompany reports whether a company has this slug.
	HasCompany(slug string) bool
	// HasProduct reports whether a product has this slug.
	HasProduct(slug string) bool
	// HasSource reports whether a source has this citation key.
	HasSource(key string) bool
	// Move returns the move with this slug: its date, and whether the date parsed.
	Move(slug string) (MoveRef, bool)
}

// MoveRef is what a check needs to know of a move: its date, parsed once (DateOf) and handed
// to every check that compares it.
type MoveRef struct {
	Date    isodate.Date
	DateOK  bool  // whether the move's date parsed (no time check against it otherwise)
	DateErr error // why it did not
}

// DateOf parses a move's date for the checks.
func DateOf(date string) MoveRef {
	d, err := isodate.Parse(date)
	if err != nil {
		d.Text = date
	}
	return MoveRef{Date: d, DateOK: err == nil, DateErr: err}
}

type issues []Issue

func (is *issues) add(field, format string, args ...any) {
	*is = append(*is, Issue{Field: field, Message: fmt.Sprintf(format, args...)})
}

// key checks a record's key (a slug, a source's key): lower-case kebab-case of at most
// MaxSlug characters.
func (is *issues) key(field, v string) {
	if !ValidSlug(v) {
		is.add(field, "%s %q is not lower-case kebab-case of at most %d characters", field, v, MaxSlug)
	}
}

// required checks that a text field is not empty.
func (is *issues) required(field, v string) {
	if v == "" {
		is.add(field, "%s is required", field)
	}
}

// texts checks every text field of a record (a struct of strings and lists of strings, named
// by their yaml tags): none may hold what the databases or the files cannot (textcheck).
func (is *issues) texts(record any) {
	rv := reflect.ValueOf(record)
	rt := rv.Type()
	for i := range rt.NumField() {
		name, _, _ := strings.Cut(rt.Field(i).Tag.Get("yaml"), ",")
		if name == "" || name == "-" {
			continue
		}
		switch v := rv.Field(i).Interface().(type) {
		case string:
			if p := textcheck.Problem(v); p != "" {
				is.add(name, "%s %s", name, p)
			}
		case []string:
			for _, s := range v {
				if p := textcheck.Problem(s); p != "" {
					is.add(name, "%s %s", name, p)
					break
				}
			}
		}
	}
}

var (
	alpha2 = regexp.MustCompile(`^[A-Z]{2}$`)
	alpha3 = regexp.MustCompile(`^[A-Z]{3}$`)
)

// checkCountryRef checks a reference to a country.
func (is *issues) countryRef(idx Index, field, label, code string) {
	if !idx.HasCountry(code) {
		is.add(field, "%s %q is not an ISO 3166-1 alpha-2 code in countries.yaml", label, code)
	}
}

// CheckCompany checks a company's own fields (not its products: see CheckProduct).
func CheckCompany(c Company, idx Index) []Issue {
	var is issues
	is.texts(c)
	is.key("slug", c.Slug)
	is.required("name", c.Name)
	if c.Country != "" {
		is.countryRef(idx, "country", "country", c.Country)
	}
	return is
}

// CheckProduct checks a product's fields.
func CheckProduct(p Product) []Issue {
	var is issues
	is.texts(p)
	is.key("slug", p.Slug)
	is.required("name", p.Name)
	if !model.ProductCategory(p.Category).IsValid() {
		is.add("category", "unknown category %q", p.Category)
	}
	return is
}

// CheckSource checks a source's fields.
func CheckSource(s Source) []Issue {
	var is issues
	is.texts(s)
	is.key("key", s.Key)
	if s.Title == "" || s.Publisher == "" {
		field := "title"
		if s.Title != "" {
			field = "publisher"
		}
		is.add(field, "title and publisher are required")
	}
	if _, err := isodate.Parse(s.Date); err != nil {
		is.add("date", "%v", err)
	}
	if !ValidURL(s.URL) {
		is.add("url", "url %q is not an http(s) URL with a host (and no user name or password)", s.URL)
	}
	return is
}

// sources checks the citations of a case or a move.
func (is *issues) sources(idx Index, keys []string) {
	if len(keys) == 0 {
		is.add("sources", "cites no source; at least one is required")
	}
	for _, k := range keys {
		if !idx.HasSource(k) {
			is.add("sources", "cites source %q, which no bibliography defines", k)
		}
	}
}

// CheckCase checks a case's own fields: slug, title and sources. Its moves are checked one by
// one with CheckMove; that a case has at least one move is for the caller to check.
func CheckCase(c Case, idx Index) []Issue {
	var is issues
	is.texts(c)
	is.key("slug", c.Slug)
	is.required("title", c.Title)
	is.sources(idx, c.Sources)
	return is
}

// CheckMove checks a move: its type and option, concerns, country, company and targets, date,
// title, confidence, sources, and the moves it answers (which must exist, not be the move
// itself and not come later). at is the move's date as DateOf parsed it.
func CheckMove(m Move, at MoveRef, idx Index) []Issue {
	var is issues
	is.texts(m)
	is.key("slug", m.Slug)
	switch m.Type {
	case TypeAction:
		if !model.CountryOption(m.Option).IsValid() {
			is.add("option", "unknown country option %q (one of %s)", m.Option, join(model.AllCountryOption))
		}
		if m.Company != "" {
			is.add("company", "an action has no `company`; list target companies under `companies`")
		}
		if len(m.Concerns) == 0 {
			is.add("concerns", "an action needs at least one concern")
		}
	case TypeResponse:
		if !model.CompanyOption(m.Option).IsValid() {
			is.add("option", "unknown company option %q (one of %s)", m.Option, join(model.AllCompanyOption))
		}
		if m.Company == "" {
			is.add("company", "a response needs the `company` that answered")
		} else if !idx.HasCompany(m.Company) {
			is.add("company", "unknown company %q", m.Company)
		}
		if len(m.Concerns) > 0 {
			is.add("concerns", "a response has no concerns of its own (they come from the actions it answers)")
		}
		if len(m.Companies) > 0 {
			is.add("companies", "a response has no target `companies`")
		}
	default:
		is.add("type", "unknown type %q (action or response)", m.Type)
	}
	switch {
	case m.Instrument == "":
		is.add("instrument", "a move needs an instrument (one of %s)", join(model.AllInstrument))
	case !model.Instrument(m.Instrument).IsValid():
		is.add("instrument", "unknown instrument %q (one of %s)", m.Instrument, join(model.AllInstrument))
	}
	for _, c := range m.Concerns {
		if !model.Concern(c).IsValid() {
			is.add("concerns", "unknown concern %q (one of %s)", c, join(model.AllConcern))
		}
	}
	is.countryRef(idx, "country", "country", m.Country)
	for _, c := range m.Counterparts {
		is.countryRef(idx, "counterparts", "counterpart", c)
	}
	for _, c := range m.Companies {
		if !idx.HasCompany(c) {
			is.add("companies", "unknown company %q", c)
		}
	}
	for _, p := range m.Products {
		if !idx.HasProduct(p) {
			is.add("products", "unknown product %q", p)
		}
	}
	if at.DateErr != nil {
		is.add("date", "%v", at.DateErr)
	}
	is.required("title", strings.TrimSpace(m.Title))
	conf := m.Confidence
	if conf == "" {
		conf = string(model.ConfidenceHigh)
	}
	if !model.Confidence(conf).IsValid() {
		is.add("confidence", "unknown confidence %q (HIGH, MEDIUM or LOW)", m.Confidence)
	} else if conf != string(model.ConfidenceHigh) && strings.TrimSpace(m.CodingNote) == "" {
		is.add("codingNote", "confidence %s needs a codingNote saying why", conf)
	}
	is.sources(idx, m.Sources)
	for _, t := range m.InReplyTo {
		if i := CheckReply(m.Slug, at, t, idx); i != nil {
			is = append(is, *i)
		}
	}
	return is
}

// CheckReply checks that the move slug, dated at, may answer the move target: it exists,
// is another move and is not later. A move whose date changes is checked with it against the
// moves that answer it.
func CheckReply(slug string, at MoveRef, target string, idx Index) *Issue {
	t, ok := idx.Move(target)
	d := at.Date
	switch {
	case target == slug:
		return &Issue{Field: "inReplyTo", Message: "inReplyTo itself"}
	case !ok:
		return &Issue{Field: "inReplyTo", Message: fmt.Sprintf("inReplyTo %q: no such move", target)}
	case at.DateOK && t.DateOK && d.End < t.Date.Start:
		return &Issue{Field: "inReplyTo", Message: fmt.Sprintf("inReplyTo %q points forward in time: this move (%s) is before the move it answers (%s)", target, d.Text, t.Date.Text)}
	}
	return nil
}

func join[T ~string](vals []T) string {
	s := make([]string, len(vals))
	for i, x := range vals {
		s[i] = string(x)
	}
	return strings.Join(s, ", ")
}
