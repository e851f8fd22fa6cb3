package dataset

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"

	"github.com/cybertrade/cybertrade/internal/isodate"
	"github.com/cybertrade/cybertrade/model"
)

var slugForm = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// Move types in the files.
const (
	TypeAction   = "action"
	TypeResponse = "response"
)

// ValidURL reports whether s is an absolute http(s) URL with a host.
func ValidURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// ValidSlug reports whether s is lower-case kebab-case.
func ValidSlug(s string) bool { return slugForm.MatchString(s) }

type validator struct {
	problems Problems
}

func (v *validator) add(file string, line int, record, format string, args ...any) {
	v.problems = append(v.problems, Problem{File: file, Line: line, Record: record, Message: fmt.Sprintf(format, args...)})
}

// Validate checks a parsed dataset: enum values, dates and their precision, replies that point
// to missing or later moves, moves and cases with no source, duplicate slugs and keys, source
// URLs that are not http(s), unknown country codes, companies and products.
func Validate(ds *Dataset) Problems {
	v := &validator{}
	const countriesFile = "countries.yaml"

	if ds.Meta.Version == "" || !regexp.MustCompile(`^\d+\.\d+\.\d+$`).MatchString(ds.Meta.Version) {
		v.add("dataset.yaml", 0, "", "version %q is not a semantic version (MAJOR.MINOR.PATCH)", ds.Meta.Version)
	}

	countries := map[string]bool{}
	for _, c := range ds.Countries {
		rec := "country " + c.Code
		if !regexp.MustCompile(`^[A-Z]{2}$`).MatchString(c.Code) {
			v.add(countriesFile, c.Line, rec, "code %q is not an ISO 3166-1 alpha-2 code", c.Code)
		}
		if countries[c.Code] {
			v.add(countriesFile, c.Line, rec, "duplicate country code")
		}
		countries[c.Code] = true
		if c.Alpha3 != "" && !regexp.MustCompile(`^[A-Z]{3}$`).MatchString(c.Alpha3) {
			v.add(countriesFile, c.Line, rec, "alpha3 %q is not an ISO 3166-1 alpha-3 code", c.Alpha3)
		}
		if c.Name == "" || c.Region == "" {
			v.add(countriesFile, c.Line, rec, "name and region are required")
		}
	}
	checkCountry := func(file string, line int, rec, field, code string) {
		if !countries[code] {
			v.add(file, line, rec, "%s %q is not an ISO 3166-1 alpha-2 code in countries.yaml", field, code)
		}
	}

	companies := map[string]bool{}
	products := map[string]bool{}
	for _, c := range ds.Companies {
		companiesFile := c.File
		rec := "company " + c.Slug
		if !ValidSlug(c.Slug) {
			v.add(companiesFile, c.Line, rec, "slug %q is not lower-case kebab-case", c.Slug)
		}
		if companies[c.Slug] {
			v.add(companiesFile, c.Line, rec, "duplicate company slug")
		}
		companies[c.Slug] = true
		if c.Name == "" {
			v.add(companiesFile, c.Line, rec, "name is required")
		}
		if c.Country != "" {
			checkCountry(companiesFile, c.Line, rec, "country", c.Country)
		}
		for _, p := range c.Products {
			prec := "product " + p.Slug
			if !ValidSlug(p.Slug) {
				v.add(companiesFile, c.Line, prec, "slug %q is not lower-case kebab-case", p.Slug)
			}
			if products[p.Slug] {
				v.add(companiesFile, c.Line, prec, "duplicate product slug")
			}
			products[p.Slug] = true
			if p.Name == "" {
				v.add(companiesFile, c.Line, prec, "name is required")
			}
			if !model.ProductCategory(p.Category).IsValid() {
				v.add(companiesFile, c.Line, prec, "unknown category %q", p.Category)
			}
		}
	}

	// Sources: defined once, anywhere.
	sources := map[string]string{}
	for _, c := range ds.Cases {
		for _, s := range c.Bibliography {
			rec := "source " + s.Key
			if !ValidSlug(s.Key) {
				v.add(c.File, s.Line, rec, "key %q is not lower-case kebab-case", s.Key)
			}
			if where, dup := sources[s.Key]; dup {
				v.add(c.File, s.Line, rec, "duplicate source key (also defined in %s)", where)
			}
			sources[s.Key] = c.File
			if s.Title == "" || s.Publisher == "" {
				v.add(c.File, s.Line, rec, "title and publisher are required")
			}
			if _, err := isodate.Parse(s.Date); err != nil {
				v.add(c.File, s.Line, rec, "%v", err)
			}
			if !ValidURL(s.URL) {
				v.add(c.File, s.Line, rec, "url %q is not an http(s) URL", s.URL)
			}
		}
	}
	checkSources := func(file string, line int, rec string, keys []string) {
		if len(keys) == 0 {
			v.add(file, line, rec, "cites no source; at least one is required")
		}
		for _, k := range keys {
			if _, ok := sources[k]; !ok {
				v.add(file, line, rec, "cites source %q, which no bibliography defines", k)
			}
		}
	}

	// Moves: first pass collects slugs and dates.
	type moveAt struct {
		date isodate.Date
		ok   bool
	}
	moves := map[string]moveAt{}
	caseSlugs := map[string]bool{}
	for _, c := range ds.Cases {
		for _, m := range c.Moves {
			if _, dup := moves[m.Slug]; dup {
				v.add(c.File, m.Line, "move "+m.Slug, "duplicate move slug")
			}
			d, err := isodate.Parse(m.Date)
			moves[m.Slug] = moveAt{date: d, ok: err == nil}
		}
	}
	for _, c := range ds.Cases {
		rec := "case " + c.Slug
		if !ValidSlug(c.Slug) {
			v.add(c.File, 1, rec, "slug %q is not lower-case kebab-case", c.Slug)
		}
		if strings.HasSuffix(c.File, ".yaml") && c.Slug != caseFileSlug(c.File) {
			v.add(c.File, 1, rec, "slug does not match the file name %s", c.File)
		}
		if caseSlugs[c.Slug] {
			v.add(c.File, 1, rec, "duplicate case slug")
		}
		caseSlugs[c.Slug] = true
		if c.Title == "" {
			v.add(c.File, 1, rec, "title is required")
		}
		checkSources(c.File, 1, rec, c.Sources)
		if len(c.Moves) == 0 {
			v.add(c.File, 1, rec, "has no moves")
		}
		for _, m := range c.Moves {
			v.move(c.File, m, countries, companies, products, checkCountry, checkSources)
			at := moves[m.Slug]
			for _, t := range m.InReplyTo {
				target, ok := moves[t]
				switch {
				case !ok:
					v.add(c.File, m.Line, "move "+m.Slug, "inReplyTo %q: no such move", t)
				case t == m.Slug:
					v.add(c.File, m.Line, "move "+m.Slug, "inReplyTo itself")
				case at.ok && target.ok && at.date.End < target.date.Start:
					v.add(c.File, m.Line, "move "+m.Slug, "inReplyTo %q points forward in time: this move (%s) is before the move it answers (%s)", t, m.Date, target.date.Text)
				}
			}
		}
	}
	for _, e := range ds.Excluded {
		if e.ResearchRef == "" || strings.TrimSpace(e.Reason) == "" {
			v.add(e.File, 0, "excluded "+e.ResearchRef, "researchRef and reason are required")
		}
	}
	return v.problems
}

func (v *validator) move(file string, m Move, countries, companies, products map[string]bool,
	checkCountry func(file string, line int, rec, field, code string),
	checkSources func(file string, line int, rec string, keys []string)) {
	rec := "move " + m.Slug
	if !ValidSlug(m.Slug) {
		v.add(file, m.Line, rec, "slug %q is not lower-case kebab-case", m.Slug)
	}
	switch m.Type {
	case TypeAction:
		if !model.CountryOption(m.Option).IsValid() {
			v.add(file, m.Line, rec, "unknown country option %q (one of %s)", m.Option, join(model.AllCountryOption))
		}
		if m.Company != "" {
			v.add(file, m.Line, rec, "an action has no `company`; list target companies under `companies`")
		}
		if len(m.Concerns) == 0 {
			v.add(file, m.Line, rec, "an action needs at least one concern")
		}
	case TypeResponse:
		if !model.CompanyOption(m.Option).IsValid() {
			v.add(file, m.Line, rec, "unknown company option %q (one of %s)", m.Option, join(model.AllCompanyOption))
		}
		if m.Company == "" {
			v.add(file, m.Line, rec, "a response needs the `company` that answered")
		} else if !companies[m.Company] {
			v.add(file, m.Line, rec, "unknown company %q", m.Company)
		}
		if len(m.Concerns) > 0 {
			v.add(file, m.Line, rec, "a response has no concerns of its own (they come from the actions it answers)")
		}
		if len(m.Companies) > 0 {
			v.add(file, m.Line, rec, "a response has no target `companies`")
		}
	default:
		v.add(file, m.Line, rec, "unknown type %q (action or response)", m.Type)
	}
	for _, c := range m.Concerns {
		if !model.Concern(c).IsValid() {
			v.add(file, m.Line, rec, "unknown concern %q (one of %s)", c, join(model.AllConcern))
		}
	}
	checkCountry(file, m.Line, rec, "country", m.Country)
	for _, c := range m.Counterparts {
		checkCountry(file, m.Line, rec, "counterpart", c)
	}
	for _, c := range m.Companies {
		if !companies[c] {
			v.add(file, m.Line, rec, "unknown company %q", c)
		}
	}
	for _, p := range m.Products {
		if !products[p] {
			v.add(file, m.Line, rec, "unknown product %q", p)
		}
	}
	if _, err := isodate.Parse(m.Date); err != nil {
		v.add(file, m.Line, rec, "%v", err)
	}
	if strings.TrimSpace(m.Title) == "" {
		v.add(file, m.Line, rec, "title is required")
	}
	conf := m.Confidence
	if conf == "" {
		conf = string(model.ConfidenceHigh)
	}
	if !model.Confidence(conf).IsValid() {
		v.add(file, m.Line, rec, "unknown confidence %q (HIGH, MEDIUM or LOW)", m.Confidence)
	} else if conf != string(model.ConfidenceHigh) && strings.TrimSpace(m.CodingNote) == "" {
		v.add(file, m.Line, rec, "confidence %s needs a codingNote saying why", conf)
	}
	checkSources(file, m.Line, rec, m.Sources)
}

func join[T ~string](vals []T) string {
	s := make([]string, len(vals))
	for i, x := range vals {
		s[i] = string(x)
	}
	return strings.Join(s, ", ")
}
