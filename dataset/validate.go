package dataset

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
)

var slugForm = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// Move types in the files.
const (
	TypeAction   = "action"
	TypeResponse = "response"
)

// ValidURL reports whether s is an absolute http(s) URL with a host and no user name or
// password. The scheme is compared without case (`HTTPS://` is fine); it is stored
// lower-case (NormalizeURL). A host written with the root's trailing dot (`example.org.`) is
// refused: URI validators (the data package's `format: uri`) do not take it.
func ValidURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && u.User == nil &&
		!strings.HasSuffix(u.Hostname(), ".")
}

// NormalizeURL lower-cases the scheme of a URL, as the databases' checks expect; the rest is
// kept as written.
func NormalizeURL(s string) string {
	scheme, rest, ok := strings.Cut(s, ":")
	if !ok || strings.ContainsAny(scheme, "/?#") {
		return s
	}
	return strings.ToLower(scheme) + ":" + rest
}

// MaxSlug is the longest slug or source key: each names a file or a line of one, and stays
// well inside every file system's limit on a name (255 bytes).
const MaxSlug = 100

// ValidSlug reports whether s is lower-case kebab-case of at most MaxSlug characters.
func ValidSlug(s string) bool { return len(s) <= MaxSlug && slugForm.MatchString(s) }

type validator struct {
	problems Problems
}

func (v *validator) add(file string, line int, record, format string, args ...any) {
	v.problems = append(v.problems, Problem{File: file, Line: line, Record: record, Message: fmt.Sprintf(format, args...)})
}

// issues files the issues of one record as problems at its file and line.
func (v *validator) issues(file string, line int, record string, is []Issue) {
	for _, i := range is {
		v.problems = append(v.problems, Problem{File: file, Line: line, Record: record, Message: i.Message})
	}
}

// fileIndex is the Index of a parsed dataset: every code, slug and key its files define.
type fileIndex struct {
	countries, companies, products map[string]bool
	sources                        map[string]string // key -> file defining it
	moves                          map[string]MoveRef
}

func (x *fileIndex) HasCountry(code string) bool { return x.countries[code] }
func (x *fileIndex) HasCompany(slug string) bool { return x.companies[slug] }
func (x *fileIndex) HasProduct(slug string) bool { return x.products[slug] }
func (x *fileIndex) HasSource(key string) bool {
	_, ok := x.sources[key]
	return ok
}
func (x *fileIndex) Move(slug string) (MoveRef, bool) {
	m, ok := x.moves[slug]
	return m, ok
}

// Validate checks a parsed dataset: enum values, dates and their precision, replies that point
// to missing or later moves, moves and cases with no source, duplicate slugs and keys, source
// URLs that are not http(s), unknown country codes, companies and products. The checks of
// single records are CheckCompany, CheckProduct, CheckSource, CheckCase and CheckMove, which
// the API's mutations run too; Validate adds what only a whole dataset can tell (duplicates,
// file names, cases without moves).
func Validate(ds *Dataset) Problems {
	v := &validator{}
	const countriesFile = "countries.yaml"
	idx := &fileIndex{countries: map[string]bool{}, companies: map[string]bool{}, products: map[string]bool{},
		sources: map[string]string{}, moves: map[string]MoveRef{}}

	if ds.Meta.Version == "" || !regexp.MustCompile(`^\d+\.\d+\.\d+$`).MatchString(ds.Meta.Version) {
		v.add("dataset.yaml", 0, "", "version %q is not a semantic version (MAJOR.MINOR.PATCH)", ds.Meta.Version)
	}

	for _, c := range ds.Countries {
		rec := "country " + c.Code
		if !alpha2.MatchString(c.Code) {
			v.add(countriesFile, c.Line, rec, "code %q is not an ISO 3166-1 alpha-2 code", c.Code)
		}
		if idx.countries[c.Code] {
			v.add(countriesFile, c.Line, rec, "duplicate country code")
		}
		idx.countries[c.Code] = true
		if c.Alpha3 != "" && !alpha3.MatchString(c.Alpha3) {
			v.add(countriesFile, c.Line, rec, "alpha3 %q is not an ISO 3166-1 alpha-3 code", c.Alpha3)
		}
		if c.Name == "" || c.Region == "" {
			v.add(countriesFile, c.Line, rec, "name and region are required")
		}
		switch c.CodeStatus {
		case "":
			if c.Alpha3 == "" {
				v.add(countriesFile, c.Line, rec, "a code with no alpha3 is not officially assigned: give its codeStatus (EXCEPTIONALLY_RESERVED or USER_ASSIGNED)")
			}
		case "EXCEPTIONALLY_RESERVED", "USER_ASSIGNED":
		default:
			v.add(countriesFile, c.Line, rec, "unknown codeStatus %q (EXCEPTIONALLY_RESERVED or USER_ASSIGNED)", c.CodeStatus)
		}
	}

	for _, c := range ds.Companies {
		rec := "company " + c.Slug
		if idx.companies[c.Slug] {
			v.add(c.File, c.Line, rec, "duplicate company slug")
		}
		idx.companies[c.Slug] = true
		v.issues(c.File, c.Line, rec, CheckCompany(c, idx))
		for _, p := range c.Products {
			prec := "product " + p.Slug
			if idx.products[p.Slug] {
				v.add(c.File, c.Line, prec, "duplicate product slug")
			}
			idx.products[p.Slug] = true
			v.issues(c.File, c.Line, prec, CheckProduct(p))
		}
	}

	// Sources: defined once, anywhere.
	for _, c := range ds.Cases {
		for _, s := range c.Bibliography {
			rec := "source " + s.Key
			if where, dup := idx.sources[s.Key]; dup {
				v.add(c.File, s.Line, rec, "duplicate source key (also defined in %s)", where)
			}
			idx.sources[s.Key] = c.File
			v.issues(c.File, s.Line, rec, CheckSource(s))
		}
	}

	// Moves: first pass collects slugs and dates, each date parsed once (Dated) for every
	// check, and kept with the move for the loader.
	for _, c := range ds.Cases {
		for i := range c.Moves {
			m := &c.Moves[i]
			if _, dup := idx.moves[m.Slug]; dup {
				v.add(c.File, m.Line, "move "+m.Slug, "duplicate move slug")
			}
			idx.moves[m.Slug] = m.Dated()
		}
	}
	caseSlugs := map[string]bool{}
	for _, c := range ds.Cases {
		rec := "case " + c.Slug
		if strings.HasSuffix(c.File, ".yaml") && c.Slug != caseFileSlug(c.File) {
			v.add(c.File, 1, rec, "slug does not match the file name %s", c.File)
		}
		if caseSlugs[c.Slug] {
			v.add(c.File, 1, rec, "duplicate case slug")
		}
		caseSlugs[c.Slug] = true
		v.issues(c.File, 1, rec, CheckCase(c, idx))
		if len(c.Moves) == 0 {
			v.add(c.File, 1, rec, NoMoves)
		}
		for i := range c.Moves {
			m := &c.Moves[i]
			v.issues(c.File, m.Line, "move "+m.Slug, CheckMove(*m, m.Dated(), idx))
		}
	}
	for _, e := range ds.Excluded {
		if strings.TrimSpace(e.Candidate) == "" || strings.TrimSpace(e.Reason) == "" {
			v.add(e.File, 0, "excluded "+e.Candidate, "candidate and reason are required")
		}
	}
	return v.problems
}

// NoMoves is the problem of a case without moves.
const NoMoves = "has no moves"

// noAnswerNote is what a DEFY response's coding note says when the sources record no state
// answer: "No state answer found as of 2026-12." (coding rule 10).
var noAnswerNote = regexp.MustCompile(`(?i)no state answer (was )?found as of \d{4}-\d{2}`)

// Warnings reports what a dataset may hold for a while but should not keep: a DEFY response
// that no move answers and whose coding note does not say that no state answer was found, and
// as of when (coding rule 10; a new case may be waiting for the state's answer).
func Warnings(ds *Dataset) Problems {
	answered := map[string]bool{}
	for _, c := range ds.Cases {
		for _, m := range c.Moves {
			for _, t := range m.InReplyTo {
				answered[t] = true
			}
		}
	}
	var ws Problems
	for _, c := range ds.Cases {
		for _, m := range c.Moves {
			if m.Type == TypeResponse && m.Option == "DEFY" && !answered[m.Slug] && !noAnswerNote.MatchString(m.CodingNote) {
				ws = append(ws, Problem{File: c.File, Line: m.Line, Message: "move " + m.Slug +
					": a DEFY response with no reply linked and no note saying \"No state answer found as of YYYY-MM.\""})
			}
		}
	}
	return ws
}
