package record

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/cybertrade/cybertrade/dataset"
	"github.com/cybertrade/cybertrade/internal/globalid"
	"github.com/cybertrade/cybertrade/store/core"
)

// The values of a curated record as its history keeps them: every field the data files hold,
// references by natural key (codes, slugs, citation keys), link sets sorted. They are what a
// revision's before/after JSON holds, what the API's mutations validate (as dataset records)
// and what a revert writes back.

// CountryValues are a country's values.
type CountryValues struct {
	Code          string `json:"code"`
	Alpha3        string `json:"alpha3"`
	Name          string `json:"name"`
	Region        string `json:"region"`
	Supranational bool   `json:"supranational"`
	CodeStatus    string `json:"codeStatus"`
}

// CompanyValues are a company's values (its products are records of their own).
type CompanyValues struct {
	Slug        string   `json:"slug"`
	Name        string   `json:"name"`
	Country     string   `json:"country"` // home country code, "" when unknown
	Sector      string   `json:"sector"`
	Aliases     []string `json:"aliases"`
	Description string   `json:"description"`
}

// ProductValues are a product's values.
type ProductValues struct {
	Slug        string `json:"slug"`
	Name        string `json:"name"`
	Category    string `json:"category"`
	Description string `json:"description"`
	Company     string `json:"company"`
}

// SourceValues are a source's values.
type SourceValues struct {
	Key       string `json:"key"`
	Title     string `json:"title"`
	Publisher string `json:"publisher"`
	Date      string `json:"date"`
	URL       string `json:"url"`
	Note      string `json:"note"`
}

// CaseValues are a case's own values (its moves are records of their own; its start and end
// dates follow from them).
type CaseValues struct {
	Slug    string   `json:"slug"`
	Title   string   `json:"title"`
	Summary string   `json:"summary"`
	Sources []string `json:"sources"`
}

// MoveValues are a move's values, its link sets included: what it answers (inReplyTo), its
// concerns, targets, counterparts and sources. The moves that answered it are theirs.
type MoveValues struct {
	Slug         string   `json:"slug"`
	Type         string   `json:"type"` // dataset.TypeAction or dataset.TypeResponse
	Option       string   `json:"option"`
	Instrument   string   `json:"instrument"`
	Case         string   `json:"case"`
	Country      string   `json:"country"`
	Actor        string   `json:"actor"`
	Company      string   `json:"company"`
	Date         string   `json:"date"`
	Title        string   `json:"title"`
	Summary      string   `json:"summary"`
	Concerns     []string `json:"concerns"`
	Companies    []string `json:"companies"`
	Products     []string `json:"products"`
	Counterparts []string `json:"counterparts"`
	InReplyTo    []string `json:"inReplyTo"`
	Sources      []string `json:"sources"`
	Confidence   string   `json:"confidence"`
	CodingNote   string   `json:"codingNote"`

	// date is Date parsed, once for the whole write (see Dated).
	date *dataset.MoveRef
}

// Dated is the move's date, parsed on first use and kept: the checks, the index entry other
// moves are checked against and the row's date columns all read this one value. It is parsed
// again only if Date changed since.
func (m *MoveValues) Dated() dataset.MoveRef {
	if m.date == nil || m.date.Date.Text != m.Date {
		at := dataset.DateOf(m.Date)
		m.date = &at
	}
	return *m.date
}

// File returns the move as the data files hold it (for the shared checks).
func (m *MoveValues) File() dataset.Move {
	return dataset.Move{Slug: m.Slug, Type: m.Type, Option: m.Option, Instrument: m.Instrument, Country: m.Country, Actor: m.Actor, Company: m.Company,
		Date: m.Date, Title: m.Title, Summary: m.Summary, Concerns: m.Concerns, Companies: m.Companies, Products: m.Products,
		Counterparts: m.Counterparts, InReplyTo: m.InReplyTo, Sources: m.Sources, Confidence: m.Confidence, CodingNote: m.CodingNote}
}

// RecordType is the GraphQL type name of a move's values.
func (m *MoveValues) RecordType() string {
	if m.Type == dataset.TypeResponse {
		return globalid.CompanyResponse
	}
	return globalid.CountryAction
}

// Normalize sorts the link sets and makes empty lists non-nil, so that equal values encode
// to equal JSON.
func (m *MoveValues) Normalize() {
	for _, xs := range []*[]string{&m.Concerns, &m.Companies, &m.Products, &m.Counterparts, &m.InReplyTo, &m.Sources} {
		*xs = sortedSet(*xs)
	}
	if m.Confidence == "" {
		m.Confidence = "HIGH"
	}
}

func (c *CaseValues) Normalize()    { c.Sources = sortedSet(c.Sources) }
func (c *CompanyValues) Normalize() { c.Aliases = nonNil(c.Aliases) }

func nonNil(xs []string) []string {
	if xs == nil {
		return []string{}
	}
	return xs
}

// sortedSet is xs sorted, without duplicates, never nil.
func sortedSet(xs []string) []string {
	out := slices.Clone(nonNil(xs))
	sort.Strings(out)
	return slices.Compact(out)
}

// State is one record as stored: its type, key and row, its version, whether it is deleted,
// and its values (*CountryValues, *CompanyValues, …).
type State struct {
	Type      string
	Key       string
	ID        int64
	Version   int
	DeletedAt time.Time // zero when live
	Values    Values
}

func (s *State) Deleted() bool { return !s.DeletedAt.IsZero() }

// nodeID is the record's global id.
func (s *State) NodeID() string { return globalid.Encode(s.Type, s.Key) }

// JSON encodes values (nil for none).
func JSON(v Values) *string {
	if v == nil {
		return nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("encode record values: %v", err)) // plain structs of strings always encode
	}
	s := string(b)
	return &s
}

// TableOf is the table of each record type.
var TableOf = map[string]string{
	globalid.Country: "countries", globalid.Company: "companies", globalid.Product: "products", globalid.Source: "sources",
	globalid.Case: "cases", globalid.CountryAction: "moves", globalid.CompanyResponse: "moves",
}

// KeyColumn of each table.
var KeyColumn = map[string]string{"countries": "code", "companies": "slug", "products": "slug", "sources": "key", "cases": "slug", "moves": "slug"}

// ReadStates reads the records of one table, deleted ones included: all of them when where
// is empty, else those it selects (a condition on the table's alias t). Moves and cases take
// two statements (rows, then link sets), other tables one.
func ReadStates(tx *gorm.DB, table string, where core.Clause) ([]State, error) {
	cond, args := "", where.Args
	if where.SQL != "" {
		cond = " WHERE " + where.SQL
	}
	switch table {
	case "countries":
		var rows []struct {
			ID                 int64
			Code, Name, Region string
			Alpha3             *string
			Supranational      bool
			CodeStatus         string
			Version            int
			DeletedAt          core.Time
		}
		if err := tx.Raw("SELECT t.id, t.code, t.alpha3, t.name, t.region, t.supranational, t.code_status, t.version, t.deleted_at FROM countries t"+cond, args...).Scan(&rows).Error; err != nil {
			return nil, err
		}
		out := make([]State, len(rows))
		for i, r := range rows {
			out[i] = State{Type: globalid.Country, Key: r.Code, ID: r.ID, Version: r.Version, DeletedAt: r.DeletedAt.Time,
				Values: &CountryValues{Code: r.Code, Alpha3: core.Deref(r.Alpha3), Name: r.Name, Region: r.Region, Supranational: r.Supranational, CodeStatus: r.CodeStatus}}
		}
		return out, nil
	case "companies":
		var rows []struct {
			ID                                       int64
			Slug, Name, Sector, Description, Aliases string
			Country                                  *string
			Version                                  int
			DeletedAt                                core.Time
		}
		if err := tx.Raw("SELECT t.id, t.slug, t.name, h.code AS country, t.sector, t.description, t.aliases, t.version, t.deleted_at"+
			" FROM companies t LEFT JOIN countries h ON h.id = t.home_country_id"+cond, args...).Scan(&rows).Error; err != nil {
			return nil, err
		}
		out := make([]State, len(rows))
		for i, r := range rows {
			v := &CompanyValues{Slug: r.Slug, Name: r.Name, Country: core.Deref(r.Country), Sector: r.Sector, Description: r.Description}
			if err := json.Unmarshal([]byte(r.Aliases), &v.Aliases); err != nil {
				return nil, fmt.Errorf("company %s: aliases: %w", r.Slug, err)
			}
			v.Normalize()
			out[i] = State{Type: globalid.Company, Key: r.Slug, ID: r.ID, Version: r.Version, DeletedAt: r.DeletedAt.Time, Values: v}
		}
		return out, nil
	case "products":
		var rows []struct {
			ID                                         int64
			Slug, Name, Category, Description, Company string
			Version                                    int
			DeletedAt                                  core.Time
		}
		if err := tx.Raw("SELECT t.id, t.slug, t.name, t.category, t.description, c.slug AS company, t.version, t.deleted_at"+
			" FROM products t JOIN companies c ON c.id = t.company_id"+cond, args...).Scan(&rows).Error; err != nil {
			return nil, err
		}
		out := make([]State, len(rows))
		for i, r := range rows {
			out[i] = State{Type: globalid.Product, Key: r.Slug, ID: r.ID, Version: r.Version, DeletedAt: r.DeletedAt.Time,
				Values: &ProductValues{Slug: r.Slug, Name: r.Name, Category: r.Category, Description: r.Description, Company: r.Company}}
		}
		return out, nil
	case "sources":
		var rows []struct {
			ID                               int64
			Key, Title, Publisher, Date, URL string
			Note                             *string
			Version                          int
			DeletedAt                        core.Time
		}
		if err := tx.Raw("SELECT t.id, t.key, t.title, t.publisher, t.date, t.url, t.note, t.version, t.deleted_at FROM sources t"+cond, args...).
			Scan(&rows).Error; err != nil {
			return nil, err
		}
		out := make([]State, len(rows))
		for i, r := range rows {
			out[i] = State{Type: globalid.Source, Key: r.Key, ID: r.ID, Version: r.Version, DeletedAt: r.DeletedAt.Time,
				Values: &SourceValues{Key: r.Key, Title: r.Title, Publisher: r.Publisher, Date: r.Date, URL: r.URL, Note: core.Deref(r.Note)}}
		}
		return out, nil
	case "cases":
		var rows []struct {
			ID                   int64
			Slug, Title, Summary string
			Version              int
			DeletedAt            core.Time
		}
		if err := tx.Raw("SELECT t.id, t.slug, t.title, t.summary, t.version, t.deleted_at FROM cases t"+cond, args...).Scan(&rows).Error; err != nil {
			return nil, err
		}
		parents := make([]int64, len(rows))
		for i, r := range rows {
			parents[i] = r.ID
		}
		sets, err := readSets(tx, caseSetParts, parents, where.SQL == "")
		if err != nil {
			return nil, err
		}
		out := make([]State, len(rows))
		for i, r := range rows {
			v := &CaseValues{Slug: r.Slug, Title: r.Title, Summary: r.Summary, Sources: sets[r.ID]["sources"]}
			v.Normalize()
			out[i] = State{Type: globalid.Case, Key: r.Slug, ID: r.ID, Version: r.Version, DeletedAt: r.DeletedAt.Time, Values: v}
		}
		return out, nil
	case "moves":
		var rows []struct {
			ID                                                       int64
			Slug, Kind, CaseSlug, Country, Date, Title, Summary      string
			CountryOption, CompanyOption, Company, Actor, CodingNote *string
			Confidence, Instrument                                   string
			Version                                                  int
			DeletedAt                                                core.Time
		}
		if err := tx.Raw("SELECT t.id, t.slug, t.kind, t.country_option, t.company_option, k.slug AS case_slug, c.code AS country, co.slug AS company,"+
			" t.actor, t.date, t.title, t.summary, t.confidence, t.coding_note, t.instrument, t.version, t.deleted_at"+
			" FROM moves t JOIN cases k ON k.id = t.case_id JOIN countries c ON c.id = t.country_id LEFT JOIN companies co ON co.id = t.company_id"+cond, args...).
			Scan(&rows).Error; err != nil {
			return nil, err
		}
		parents := make([]int64, len(rows))
		for i, r := range rows {
			parents[i] = r.ID
		}
		sets, err := readSets(tx, moveSetParts, parents, where.SQL == "")
		if err != nil {
			return nil, err
		}
		out := make([]State, len(rows))
		for i, r := range rows {
			v := &MoveValues{Slug: r.Slug, Case: r.CaseSlug, Country: r.Country, Actor: core.Deref(r.Actor), Company: core.Deref(r.Company),
				Date: r.Date, Title: r.Title, Summary: r.Summary, Confidence: r.Confidence, CodingNote: core.Deref(r.CodingNote), Instrument: r.Instrument}
			if r.Kind == "RESPONSE" {
				v.Type, v.Option = dataset.TypeResponse, core.Deref(r.CompanyOption)
			} else {
				v.Type, v.Option = dataset.TypeAction, core.Deref(r.CountryOption)
			}
			s := sets[r.ID]
			v.Concerns, v.Companies, v.Products, v.Counterparts, v.InReplyTo, v.Sources =
				s["concerns"], s["companies"], s["products"], s["counterparts"], s["inReplyTo"], s["sources"]
			v.Normalize()
			out[i] = State{Type: v.RecordType(), Key: r.Slug, ID: r.ID, Version: r.Version, DeletedAt: r.DeletedAt.Time, Values: v}
		}
		return out, nil
	}
	return nil, fmt.Errorf("no table %q", table)
}

// setPart is one link table read as (set name, parent id, natural key) rows; parentCol is
// its parent column, which a read of some parents only restricts.
type setPart struct{ sql, parentCol string }

// moveSetParts read every link set of moves; caseSetParts the sources of cases.
var (
	moveSetParts = []setPart{
		{"SELECT 'concerns' AS rel, x.move_id AS parent, x.concern AS child FROM move_concerns x", "x.move_id"},
		{"SELECT 'companies', x.move_id, c.slug FROM move_companies x JOIN companies c ON c.id = x.company_id", "x.move_id"},
		{"SELECT 'products', x.move_id, p.slug FROM move_products x JOIN products p ON p.id = x.product_id", "x.move_id"},
		{"SELECT 'counterparts', x.move_id, c.code FROM move_counterparts x JOIN countries c ON c.id = x.country_id", "x.move_id"},
		{"SELECT 'inReplyTo', x.reply_id, t.slug FROM move_links x JOIN moves t ON t.id = x.target_id", "x.reply_id"},
		{"SELECT 'sources', x.move_id, s.key FROM move_sources x JOIN sources s ON s.id = x.source_id", "x.move_id"},
	}
	caseSetParts = []setPart{
		{"SELECT 'sources' AS rel, x.case_id AS parent, s.key AS child FROM case_sources x JOIN sources s ON s.id = x.source_id", "x.case_id"},
	}
)

// readSets reads link sets, of the parents only (unless all), in one statement, and groups
// the natural keys by parent and set name.
func readSets(tx *gorm.DB, parts []setPart, parents []int64, all bool) (map[int64]map[string][]string, error) {
	out := map[int64]map[string][]string{}
	if !all && len(parents) == 0 {
		return out, nil
	}
	selects := make([]string, len(parts))
	var args []any
	for i, p := range parts {
		selects[i] = p.sql
		if !all {
			selects[i] += " WHERE " + p.parentCol + " IN ?"
			args = append(args, parents)
		}
	}
	var rows []struct {
		Rel    string
		Parent int64
		Child  string
	}
	if err := tx.Raw(strings.Join(selects, " UNION ALL "), args...).Scan(&rows).Error; err != nil {
		return nil, err
	}
	for _, r := range rows {
		if out[r.Parent] == nil {
			out[r.Parent] = map[string][]string{}
		}
		out[r.Parent][r.Rel] = append(out[r.Parent][r.Rel], r.Child)
	}
	return out, nil
}

// Revision actions, as stored.
const (
	ActionCreate  = "create"
	ActionUpdate  = "update"
	ActionDelete  = "delete"
	ActionRestore = "restore"
	ActionRevert  = "revert"
)
