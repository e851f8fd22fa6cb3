package export

import (
	"encoding/json"
	"io"
	"regexp"
	"strings"

	"github.com/cybertrade/cybertrade/model"
)

// The Frictionless Data Package (https://specs.frictionlessdata.io/data-package/) that
// describes the CSV files: each file's fields with types and descriptions, primary and foreign
// keys, how missing values are written, and the dataset's licence, version, citation and
// sources. CI validates it against the published tabular-data-package profile, and
// TestDataPackage checks that every CSV's header is the descriptor's field list.

type dpField struct {
	Name        string         `json:"name"`
	Type        string         `json:"type"`
	Format      string         `json:"format,omitempty"`
	Description string         `json:"description"`
	Constraints map[string]any `json:"constraints,omitempty"`
}

type dpForeignKey struct {
	Fields    string            `json:"fields"`
	Reference map[string]string `json:"reference"`
}

type dpSchema struct {
	Fields        []dpField      `json:"fields"`
	PrimaryKey    string         `json:"primaryKey"`
	ForeignKeys   []dpForeignKey `json:"foreignKeys,omitempty"`
	MissingValues []string       `json:"missingValues"`
}

type dpResource struct {
	Profile     string         `json:"profile"`
	Name        string         `json:"name"`
	Path        string         `json:"path"`
	Title       string         `json:"title"`
	Description string         `json:"description"`
	Format      string         `json:"format"`
	Mediatype   string         `json:"mediatype"`
	Encoding    string         `json:"encoding"`
	Dialect     map[string]any `json:"dialect"`
	Schema      dpSchema       `json:"schema"`
}

type dpPackage struct {
	Profile     string              `json:"profile"`
	Name        string              `json:"name"`
	Title       string              `json:"title"`
	Description string              `json:"description"`
	Version     string              `json:"version"`
	Licenses    []map[string]string `json:"licenses"`
	Citation    string              `json:"citation"`
	Sources     []map[string]string `json:"sources"`
	Keywords    []string            `json:"keywords"`
	// Reading says how to load the files without losing a value (a custom property).
	Reading   string       `json:"x_reading"`
	Resources []dpResource `json:"resources"`
}

// readingNote is the advice the descriptor and the README give to notebook users.
const readingNote = "An empty cell is a missing value, and nothing else is: read the files with " +
	"pandas.read_csv(path, keep_default_na=False, na_values=['']) so that Namibia's code NA stays a string, " +
	"or with R's read.csv(path, na.strings = ''). Lists in one cell are joined by ';', with '\\' and ';' inside " +
	"a value written as '\\\\' and '\\;'. A cell that would begin with =, +, -, @, a tab or a carriage return " +
	"begins with an added ' (OWASP's advice against formula injection); dataset.json keeps such values as they are. " +
	"Use date_start/date_end (the first and last day of the period) to sort or plot, not date, whose precision varies."

func enumOf[T ~string](xs []T) map[string]any {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = string(x)
	}
	return map[string]any{"enum": out}
}

func str(name, desc string) dpField { return dpField{Name: name, Type: "string", Description: desc} }

func required(f dpField) dpField {
	if f.Constraints == nil {
		f.Constraints = map[string]any{}
	}
	f.Constraints["required"] = true
	return f
}

func enum[T ~string](name, desc string, xs []T) dpField {
	f := str(name, desc)
	f.Constraints = enumOf(xs)
	return f
}

func list(name, desc string) dpField {
	return str(name, desc+" Several values are joined by ';' (see x_reading); empty when there are none.")
}

func id(desc string) dpField {
	f := required(str("id", "The record's global id, as the GraphQL API's node(id:) takes it: "+desc))
	f.Constraints["unique"] = true
	return f
}

func ref(name, desc string) dpField { return str(name, desc) }

func timestamps() []dpField {
	return []dpField{
		{Name: "created_at", Type: "datetime", Format: "any", Description: "When the record entered this database (RFC 3339, UTC); not a property of the data."},
		{Name: "updated_at", Type: "datetime", Format: "any", Description: "When the record last changed in this database (RFC 3339, UTC)."},
	}
}

var partialDate = map[string]any{"pattern": `[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?`}

func partial(name, desc string) dpField {
	f := str(name, desc+" An ISO 8601 date at its known precision: YYYY, YYYY-MM or YYYY-MM-DD.")
	f.Constraints = partialDate
	return f
}

// instrument is the field of every move's instrument (actions.csv, responses.csv, moves.csv).
var instrument = enum("instrument", "The kind of instrument the move used (the GraphQL schema's Instrument enum describes each value): a law, an order, a procurement decision, a court ruling, a lawsuit, lobbying, a business decision…", model.AllInstrument)

// moveFields are the fields of actions.csv or responses.csv: the move's id (typename is its
// GraphQL type), slug, option (the kind's enum) and instrument, then the kind's own fields,
// then those every move has (the actor's for actions).
func moveFields(typename string, option dpField, own []dpField, actor bool) []dpField {
	out := append([]dpField{id(typename + ":<slug>, base64url."), required(str("slug", "The move's key, unique across actions and responses.")), option, instrument},
		own...)
	if actor {
		out = append(out, str("actor", "The body that acted or spoke (a ministry, regulator, court), when the sources name one."))
	}
	out = append(out,
		partial("date", "When the move happened."),
		enum("date_precision", "The precision of date: YEAR, MONTH or DAY.", model.AllDatePrecision),
		dpField{Name: "date_start", Type: "date", Description: "The first day of the move's period (2016 gives 2016-01-01); use it to sort and plot."},
		dpField{Name: "date_end", Type: "date", Description: "The last day of the move's period (2016 gives 2016-12-31)."},
		required(str("title", "A one-line title in the coders' own words.")),
		str("summary", "A short neutral summary in the coders' own words."),
		list("in_reply_to", "Global ids of the moves this one answers (see links.csv for the same links with both ends' kind, option and date)."),
		ref("case", "The slug of the case (conflict) the move belongs to."),
		ref("case_id", "The global id of the case; see cases.csv."),
		list("source_ids", "Global ids of the sources that back the move; see sources.csv."),
		enum("confidence", "How sure the coding is: HIGH, MEDIUM or LOW (then coding_note says why).", model.AllConfidence),
		str("coding_note", "Why the coding is uncertain, or which fact is not verified."),
	)
	return append(out, timestamps()...)
}

func fk(field, resource string) dpForeignKey {
	return dpForeignKey{Fields: field, Reference: map[string]string{"resource": resource, "fields": "id"}}
}

// dataPackage builds the descriptor for the view's dataset.
func (v *view) dataPackage() dpPackage {
	resources := []dpResource{
		{Name: "countries", Title: "Countries", Description: "ISO 3166-1 countries and supranational bodies (the EU), whether or not a move involves them.",
			Schema: dpSchema{Fields: append([]dpField{id("Country:<code>, base64url."), required(str("code", "ISO 3166-1 alpha-2 code (or the code the dataset uses for a supranational body, e.g. EU). Namibia is NA: do not read it as missing.")),
				str("alpha3", "ISO 3166-1 alpha-3 code; empty for a body that has none (the EU)."), required(str("name", "English short name.")),
				str("region", "UN M49 region."), {Name: "supranational", Type: "boolean", Description: "Whether this is a supranational body rather than a country."},
				enum("code_status", "Whether the code is officially assigned in ISO 3166-1 or only reserved or user-assigned.", model.AllCountryCodeStatus)}, timestamps()...)}},
		{Name: "companies", Title: "Companies", Description: "Companies whose products or services a country restricted.",
			Schema: dpSchema{Fields: append([]dpField{id("Company:<slug>, base64url."), required(str("slug", "The company's key in the dataset.")), required(str("name", "The company's name.")),
				str("home_country", "ISO code of the company's home country."), ref("home_country_id", "Global id of the home country; see countries.csv."),
				str("sector", "The company's sector, in free text."), list("aliases", "Other names the company is known by."), str("description", "A short description.")}, timestamps()...),
				ForeignKeys: []dpForeignKey{fk("home_country_id", "countries")}}},
		{Name: "products", Title: "Products", Description: "Products and services named by moves, each made by one company.",
			Schema: dpSchema{Fields: append([]dpField{id("Product:<slug>, base64url."), required(str("slug", "The product's key in the dataset.")), required(str("name", "The product's name.")),
				enum("category", "The product category.", model.AllProductCategory), str("description", "A short description."),
				ref("company", "Slug of the company that makes it."), ref("company_id", "Global id of that company; see companies.csv.")}, timestamps()...),
				ForeignKeys: []dpForeignKey{fk("company_id", "companies")}}},
		{Name: "actions", Title: "Country actions", Description: "A country's moves: what it did about a foreign product or service (or another country), in causal order.",
			Schema: dpSchema{Fields: moveFields("CountryAction",
				enum("option", "The country's option (DESIGN.md): DO_NOTHING, IMPORT_BARRIER, PROCUREMENT_RESTRICTION, NORMS or AMPLIFY.", model.AllCountryOption), []dpField{
					ref("country", "ISO code of the acting country."), str("country_name", "The acting country's name, for display."),
					ref("country_id", "Global id of the acting country; see countries.csv."),
					list("concerns", "Why the country acted (Concern values)."), list("target_companies", "Slugs of the companies the action targets."),
					list("target_company_ids", "Global ids of those companies."), list("target_products", "Slugs of the products it targets."),
					list("target_product_ids", "Global ids of those products."), list("counterparts", "ISO codes of other countries involved (norms, escalations between states).")},
				true),
				ForeignKeys: []dpForeignKey{fk("country_id", "countries"), fk("case_id", "cases")}}},
		{Name: "responses", Title: "Company responses", Description: "A company's moves: how it answered a country, in causal order.",
			Schema: dpSchema{Fields: moveFields("CompanyResponse",
				enum("option", "The company's option (DESIGN.md): RECOMMEND, ACQUIESCE, COMPROMISE, AVOID, DEFY or COLLABORATE.", model.AllCompanyOption), []dpField{
					ref("company", "Slug of the company that answered."), str("company_name", "That company's name, for display."),
					ref("company_id", "Global id of that company; see companies.csv."),
					ref("country", "ISO code of the country it answers."), str("country_name", "That country's name, for display."),
					ref("country_id", "Global id of that country; see countries.csv."),
					list("products", "Slugs of the products the response concerns."), list("product_ids", "Global ids of those products.")},
				false),
				ForeignKeys: []dpForeignKey{fk("company_id", "companies"), fk("country_id", "countries"), fk("case_id", "cases")}}},
		{Name: "cases", Title: "Cases", Description: "Conflicts, each grouping a timeline of moves.",
			Schema: dpSchema{Fields: append([]dpField{id("Case:<slug>, base64url."), required(str("slug", "The case's key.")), required(str("title", "The case's title.")),
				str("summary", "A short neutral summary."), partial("start_date", "When the case's first move happened."),
				partial("end_date", "When the case's last move happened."), list("source_ids", "Global ids of the sources that cite the case as a whole.")}, timestamps()...)}},
		{Name: "sources", Title: "Sources", Description: "Citable documents that back the moves and cases.",
			Schema: dpSchema{Fields: append([]dpField{id("Source:<key>, base64url."), required(str("key", "The source's key in the dataset.")), required(str("title", "The document's title.")),
				str("publisher", "Who published it."), partial("date", "When it was published."), enum("date_precision", "The precision of date.", model.AllDatePrecision),
				{Name: "url", Type: "string", Format: "uri", Description: "Where to read it."}, str("note", "Provenance worth knowing.")}, timestamps()...)}},
		{Name: "moves", Title: "Moves", Description: "Every move, country actions and company responses together, in causal order (a reply never before the move it answers), with display names: one table for a notebook.",
			Schema: dpSchema{Fields: []dpField{id("CountryAction:<slug> or CompanyResponse:<slug>, base64url; the row of actions.csv or responses.csv."),
				required(str("slug", "The move's key.")), enum("kind", "ACTION (a country's action) or RESPONSE (a company's response).", model.AllMoveKind),
				str("option", "The move's option: a CountryOption for an action, a CompanyOption for a response."), instrument,
				ref("country", "ISO code of the acting country (an action) or of the country answered (a response)."), str("country_name", "That country's name."),
				str("company", "A response: slug of the company that answered; empty for an action (see target_companies)."), str("company_name", "That company's name."),
				list("target_companies", "An action: slugs of the companies it targets."),
				partial("date", "When the move happened."), enum("date_precision", "The precision of date.", model.AllDatePrecision),
				{Name: "date_start", Type: "date", Description: "The first day of the move's period; use it to sort and plot."},
				{Name: "date_end", Type: "date", Description: "The last day of the move's period."},
				required(str("title", "A one-line title.")), list("in_reply_to", "Global ids of the moves this one answers."),
				ref("case", "The slug of the case the move belongs to."),
				enum("confidence", "How sure the coding is.", model.AllConfidence)}}},
		{Name: "links", Title: "Causal links", Description: "One row per causal link: a reply and the move it answers, each with its kind, option and date.",
			Schema: dpSchema{Fields: []dpField{
				required(str("reply_id", "Global id of the answering move (in actions.csv or responses.csv, as reply_type says).")),
				enum("reply_type", "The answering move's kind.", []string{"CountryAction", "CompanyResponse"}), str("reply_slug", "The answering move's slug."),
				str("reply_option", "The answering move's option (a CountryOption for a CountryAction, a CompanyOption for a CompanyResponse)."),
				partial("reply_date", "When the answering move happened."), {Name: "reply_date_start", Type: "date", Description: "The first day of the answering move's period."},
				required(str("target_id", "Global id of the move answered.")),
				enum("target_type", "The answered move's kind.", []string{"CountryAction", "CompanyResponse"}), str("target_slug", "The answered move's slug."),
				str("target_option", "The answered move's option."), partial("target_date", "When the answered move happened."),
				{Name: "target_date_start", Type: "date", Description: "The first day of the answered move's period."}},
				PrimaryKey: "reply_id,target_id"}},
	}
	for i := range resources {
		r := &resources[i]
		r.Profile, r.Path, r.Format, r.Mediatype, r.Encoding = "tabular-data-resource", r.Name+".csv", "csv", "text/csv", "utf-8"
		r.Dialect = map[string]any{"delimiter": ",", "lineTerminator": "\r\n", "quoteChar": "\"", "doubleQuote": true, "header": true}
		r.Schema.MissingValues = []string{""}
		if r.Schema.PrimaryKey == "" {
			r.Schema.PrimaryKey = "id"
		}
	}
	lic := map[string]string{"name": v.Meta.License, "title": v.Meta.License}
	if v.Meta.LicenseURL != "" {
		lic["path"] = v.Meta.LicenseURL
	}
	return dpPackage{Profile: "tabular-data-package", Name: "cybertrade", Title: v.Meta.Title, Description: strings.TrimSpace(v.Meta.Description),
		Version: semver(v.Meta.Version), Licenses: []map[string]string{lic}, Citation: strings.TrimSpace(v.Meta.Citation),
		Sources: []map[string]string{{"title": "Coded with the framework of " + or(v.Meta.Framework, "Huang, Madnick and Johnson") +
			"; every move and case cites its own sources (sources.csv)"}},
		Keywords: []string{"cybersecurity", "international trade", "import restrictions", "trade conflicts"},
		Reading:  readingNote, Resources: resources}
}

var semverRE = regexp.MustCompile(`^[0-9]+\.[0-9]+\.[0-9]+`)

// semver is the dataset version, or 0.0.0 when it is not one (a synthetic database).
func semver(s string) string {
	if semverRE.MatchString(s) {
		return s
	}
	return "0.0.0"
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// writeDataPackage writes datapackage.json.
func writeDataPackage(out io.Writer, v *view) error {
	enc := json.NewEncoder(out)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v.dataPackage())
}
