// Package dataset reads and validates the curated dataset's YAML files (see
// docs/data-format.md). The files are the source of truth; the store loads a validated Dataset.
package dataset

// Meta describes the dataset as a whole (data/dataset.yaml).
type Meta struct {
	Version     string `yaml:"version" json:"version"`
	Title       string `yaml:"title" json:"title"`
	License     string `yaml:"license" json:"license"`
	LicenseURL  string `yaml:"licenseUrl" json:"licenseUrl"`
	Citation    string `yaml:"citation" json:"citation"`
	Description string `yaml:"description" json:"description,omitempty"`
	Framework   string `yaml:"framework" json:"framework,omitempty"`
}

// Country is one entry of data/countries.yaml.
type Country struct {
	Code          string `yaml:"code" json:"code"`
	Alpha3        string `yaml:"alpha3,omitempty" json:"alpha3,omitempty"`
	Name          string `yaml:"name" json:"name"`
	Region        string `yaml:"region" json:"region"`
	Supranational bool   `yaml:"supranational" json:"supranational"`
	// CodeStatus is empty for an officially assigned ISO 3166-1 code; otherwise
	// EXCEPTIONALLY_RESERVED (EU) or USER_ASSIGNED (XK for Kosovo).
	CodeStatus string `yaml:"codeStatus,omitempty" json:"codeStatus,omitempty"`
	Line       int    `yaml:"-" json:"-"`
}

// Company is one entry of data/companies.yaml or data/companies/*.yaml.
type Company struct {
	Slug        string    `yaml:"slug" json:"slug"`
	Name        string    `yaml:"name" json:"name"`
	Country     string    `yaml:"country,omitempty" json:"country,omitempty"`
	Sector      string    `yaml:"sector,omitempty" json:"sector,omitempty"`
	Aliases     []string  `yaml:"aliases,omitempty" json:"aliases,omitempty"`
	Description string    `yaml:"description,omitempty" json:"description,omitempty"`
	Products    []Product `yaml:"products,omitempty" json:"products,omitempty"`
	File        string    `yaml:"-" json:"-"`
	Line        int       `yaml:"-" json:"-"`
}

// Product is a company's product.
type Product struct {
	Slug        string `yaml:"slug" json:"slug"`
	Name        string `yaml:"name" json:"name"`
	Category    string `yaml:"category" json:"category"`
	Description string `yaml:"description,omitempty" json:"description,omitempty"`
}

// Case is one file of data/cases.
type Case struct {
	Slug         string   `yaml:"slug" json:"slug"`
	Title        string   `yaml:"title" json:"title"`
	Summary      string   `yaml:"summary" json:"summary"`
	Sources      []string `yaml:"sources" json:"sources"`
	Moves        []Move   `yaml:"moves" json:"moves"`
	Bibliography []Source `yaml:"bibliography,omitempty" json:"bibliography,omitempty"`
	File         string   `yaml:"-" json:"-"`
}

// Move is a country action or a company response.
type Move struct {
	Slug         string   `yaml:"slug" json:"slug"`
	Type         string   `yaml:"type" json:"type"`
	Option       string   `yaml:"option" json:"option"`
	Instrument   string   `yaml:"instrument" json:"instrument"`
	Country      string   `yaml:"country" json:"country"`
	Actor        string   `yaml:"actor,omitempty" json:"actor,omitempty"`
	Company      string   `yaml:"company,omitempty" json:"company,omitempty"`
	Date         string   `yaml:"date" json:"date"`
	Title        string   `yaml:"title" json:"title"`
	Summary      string   `yaml:"summary" json:"summary"`
	Concerns     []string `yaml:"concerns,omitempty" json:"concerns,omitempty"`
	Companies    []string `yaml:"companies,omitempty" json:"companies,omitempty"`
	Products     []string `yaml:"products,omitempty" json:"products,omitempty"`
	Counterparts []string `yaml:"counterparts,omitempty" json:"counterparts,omitempty"`
	InReplyTo    []string `yaml:"inReplyTo,omitempty" json:"inReplyTo,omitempty"`
	Sources      []string `yaml:"sources" json:"sources"`
	Confidence   string   `yaml:"confidence,omitempty" json:"confidence,omitempty"`
	CodingNote   string   `yaml:"codingNote,omitempty" json:"codingNote,omitempty"`
	Line         int      `yaml:"-" json:"-"`

	date *MoveRef // Date parsed (see Dated)
}

// Dated is the move's date, parsed on first use and kept with the move, so that validating a
// dataset and loading it parse each date once: Validate parses it, the loader reads the
// period from the same value. It is parsed again only if Date changed since.
func (m *Move) Dated() MoveRef {
	if m.date == nil || m.date.Date.Text != m.Date {
		at := DateOf(m.Date)
		m.date = &at
	}
	return *m.date
}

// Source is a citable document defined in a case file's bibliography.
type Source struct {
	Key       string `yaml:"key" json:"key"`
	Title     string `yaml:"title" json:"title"`
	Publisher string `yaml:"publisher" json:"publisher"`
	Date      string `yaml:"date" json:"date"`
	URL       string `yaml:"url" json:"url"`
	Note      string `yaml:"note,omitempty" json:"note,omitempty"`
	Line      int    `yaml:"-" json:"-"`
}

// Excluded is a candidate case or move left out of the dataset, with the reason and, where
// the candidate was found in the sources, the URLs read.
type Excluded struct {
	Candidate string   `yaml:"candidate" json:"candidate"`
	Reason    string   `yaml:"reason" json:"reason"`
	URLs      []string `yaml:"urls,omitempty" json:"urls,omitempty"`
	File      string   `yaml:"-" json:"-"`
}

// Dataset is the whole curated dataset. As one JSON document (ReadJSON, and the API's
// /export/dataset.json) it has the same structure as the files: meta is data/dataset.yaml,
// countries and companies are the lists of countries.yaml and companies.yaml, and each case is
// a file of data/cases.
type Dataset struct {
	Meta      Meta       `json:"meta"`
	Countries []Country  `json:"countries"`
	Companies []Company  `json:"companies"`
	Cases     []Case     `json:"cases"`
	Excluded  []Excluded `json:"excluded,omitempty"`
}

// MovesBySlug returns every move of every case by its slug.
func (d *Dataset) MovesBySlug() map[string]Move {
	out := map[string]Move{}
	for _, c := range d.Cases {
		for _, m := range c.Moves {
			out[m.Slug] = m
		}
	}
	return out
}

// SourcesByKey returns every source of the cases' bibliographies by its key.
func (d *Dataset) SourcesByKey() map[string]Source {
	out := map[string]Source{}
	for _, c := range d.Cases {
		for _, s := range c.Bibliography {
			out[s.Key] = s
		}
	}
	return out
}
