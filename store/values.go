package store

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
}

// File returns the move as the data files hold it (for the shared checks).
func (m *MoveValues) File() dataset.Move {
	return dataset.Move{Slug: m.Slug, Type: m.Type, Option: m.Option, Instrument: m.Instrument, Country: m.Country, Actor: m.Actor, Company: m.Company,
		Date: m.Date, Title: m.Title, Summary: m.Summary, Concerns: m.Concerns, Companies: m.Companies, Products: m.Products,
		Counterparts: m.Counterparts, InReplyTo: m.InReplyTo, Sources: m.Sources, Confidence: m.Confidence, CodingNote: m.CodingNote}
}

// recordType is the GraphQL type name of a move's values.
func (m *MoveValues) recordType() string {
	if m.Type == dataset.TypeResponse {
		return globalid.CompanyResponse
	}
	return globalid.CountryAction
}

// normalize sorts the link sets and makes empty lists non-nil, so that equal values encode
// to equal JSON.
func (m *MoveValues) normalize() {
	for _, xs := range []*[]string{&m.Concerns, &m.Companies, &m.Products, &m.Counterparts, &m.InReplyTo, &m.Sources} {
		*xs = sortedSet(*xs)
	}
	if m.Confidence == "" {
		m.Confidence = "HIGH"
	}
}

func (c *CaseValues) normalize()    { c.Sources = sortedSet(c.Sources) }
func (c *CompanyValues) normalize() { c.Aliases = nonNil(c.Aliases) }

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

// state is one record as stored: its type, key and row, its version, whether it is deleted,
// and its values (*CountryValues, *CompanyValues, …).
type state struct {
	Type      string
	Key       string
	ID        int64
	Version   int
	DeletedAt time.Time // zero when live
	Values    Values
}

func (s *state) deleted() bool { return !s.DeletedAt.IsZero() }

// nodeID is the record's global id.
func (s *state) nodeID() string { return globalid.Encode(s.Type, s.Key) }

// valuesJSON encodes values (nil for none).
func valuesJSON(v any) *string {
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

// tables of the record types.
var tableOf = map[string]string{
	globalid.Country: "countries", globalid.Company: "companies", globalid.Product: "products", globalid.Source: "sources",
	globalid.Case: "cases", globalid.CountryAction: "moves", globalid.CompanyResponse: "moves",
}

// keyColumn of each table.
var keyColumn = map[string]string{"countries": "code", "companies": "slug", "products": "slug", "sources": "key", "cases": "slug", "moves": "slug"}

// readStates reads the records of one table, deleted ones included: all of them when where
// is empty, else those it selects (a condition on the table's alias t). Moves and cases take
// two statements (rows, then link sets), other tables one.
func readStates(tx *gorm.DB, table string, where clause) ([]state, error) {
	cond, args := "", where.args
	if where.sql != "" {
		cond = " WHERE " + where.sql
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
			DeletedAt          dbTime
		}
		if err := tx.Raw("SELECT t.id, t.code, t.alpha3, t.name, t.region, t.supranational, t.code_status, t.version, t.deleted_at FROM countries t"+cond, args...).Scan(&rows).Error; err != nil {
			return nil, err
		}
		out := make([]state, len(rows))
		for i, r := range rows {
			out[i] = state{Type: globalid.Country, Key: r.Code, ID: r.ID, Version: r.Version, DeletedAt: r.DeletedAt.Time,
				Values: &CountryValues{Code: r.Code, Alpha3: deref(r.Alpha3), Name: r.Name, Region: r.Region, Supranational: r.Supranational, CodeStatus: r.CodeStatus}}
		}
		return out, nil
	case "companies":
		var rows []struct {
			ID                                       int64
			Slug, Name, Sector, Description, Aliases string
			Country                                  *string
			Version                                  int
			DeletedAt                                dbTime
		}
		if err := tx.Raw("SELECT t.id, t.slug, t.name, h.code AS country, t.sector, t.description, t.aliases, t.version, t.deleted_at"+
			" FROM companies t LEFT JOIN countries h ON h.id = t.home_country_id"+cond, args...).Scan(&rows).Error; err != nil {
			return nil, err
		}
		out := make([]state, len(rows))
		for i, r := range rows {
			v := &CompanyValues{Slug: r.Slug, Name: r.Name, Country: deref(r.Country), Sector: r.Sector, Description: r.Description}
			if err := json.Unmarshal([]byte(r.Aliases), &v.Aliases); err != nil {
				return nil, fmt.Errorf("company %s: aliases: %w", r.Slug, err)
			}
			v.normalize()
			out[i] = state{Type: globalid.Company, Key: r.Slug, ID: r.ID, Version: r.Version, DeletedAt: r.DeletedAt.Time, Values: v}
		}
		return out, nil
	case "products":
		var rows []struct {
			ID                                         int64
			Slug, Name, Category, Description, Company string
			Version                                    int
			DeletedAt                                  dbTime
		}
		if err := tx.Raw("SELECT t.id, t.slug, t.name, t.category, t.description, c.slug AS company, t.version, t.deleted_at"+
			" FROM products t JOIN companies c ON c.id = t.company_id"+cond, args...).Scan(&rows).Error; err != nil {
			return nil, err
		}
		out := make([]state, len(rows))
		for i, r := range rows {
			out[i] = state{Type: globalid.Product, Key: r.Slug, ID: r.ID, Version: r.Version, DeletedAt: r.DeletedAt.Time,
				Values: &ProductValues{Slug: r.Slug, Name: r.Name, Category: r.Category, Description: r.Description, Company: r.Company}}
		}
		return out, nil
	case "sources":
		var rows []struct {
			ID                               int64
			Key, Title, Publisher, Date, URL string
			Note                             *string
			Version                          int
			DeletedAt                        dbTime
		}
		if err := tx.Raw("SELECT t.id, t.key, t.title, t.publisher, t.date, t.url, t.note, t.version, t.deleted_at FROM sources t"+cond, args...).
			Scan(&rows).Error; err != nil {
			return nil, err
		}
		out := make([]state, len(rows))
		for i, r := range rows {
			out[i] = state{Type: globalid.Source, Key: r.Key, ID: r.ID, Version: r.Version, DeletedAt: r.DeletedAt.Time,
				Values: &SourceValues{Key: r.Key, Title: r.Title, Publisher: r.Publisher, Date: r.Date, URL: r.URL, Note: deref(r.Note)}}
		}
		return out, nil
	case "cases":
		var rows []struct {
			ID                   int64
			Slug, Title, Summary string
			Version              int
			DeletedAt            dbTime
		}
		if err := tx.Raw("SELECT t.id, t.slug, t.title, t.summary, t.version, t.deleted_at FROM cases t"+cond, args...).Scan(&rows).Error; err != nil {
			return nil, err
		}
		parents := make([]int64, len(rows))
		for i, r := range rows {
			parents[i] = r.ID
		}
		sets, err := readSets(tx, "SELECT 'sources' AS rel, x.case_id AS parent, s.key AS child FROM case_sources x JOIN sources s ON s.id = x.source_id", "x.case_id", parents, where.sql == "")
		if err != nil {
			return nil, err
		}
		out := make([]state, len(rows))
		for i, r := range rows {
			v := &CaseValues{Slug: r.Slug, Title: r.Title, Summary: r.Summary, Sources: sets[r.ID]["sources"]}
			v.normalize()
			out[i] = state{Type: globalid.Case, Key: r.Slug, ID: r.ID, Version: r.Version, DeletedAt: r.DeletedAt.Time, Values: v}
		}
		return out, nil
	case "moves":
		var rows []struct {
			ID                                                       int64
			Slug, Kind, CaseSlug, Country, Date, Title, Summary      string
			CountryOption, CompanyOption, Company, Actor, CodingNote *string
			Confidence, Instrument                                   string
			Version                                                  int
			DeletedAt                                                dbTime
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
		sets, err := readSets(tx, moveSetsSQL, "x.move_id", parents, where.sql == "")
		if err != nil {
			return nil, err
		}
		out := make([]state, len(rows))
		for i, r := range rows {
			v := &MoveValues{Slug: r.Slug, Case: r.CaseSlug, Country: r.Country, Actor: deref(r.Actor), Company: deref(r.Company),
				Date: r.Date, Title: r.Title, Summary: r.Summary, Confidence: r.Confidence, CodingNote: deref(r.CodingNote), Instrument: r.Instrument}
			if r.Kind == "RESPONSE" {
				v.Type, v.Option = dataset.TypeResponse, deref(r.CompanyOption)
			} else {
				v.Type, v.Option = dataset.TypeAction, deref(r.CountryOption)
			}
			s := sets[r.ID]
			v.Concerns, v.Companies, v.Products, v.Counterparts, v.InReplyTo, v.Sources =
				s["concerns"], s["companies"], s["products"], s["counterparts"], s["inReplyTo"], s["sources"]
			v.normalize()
			out[i] = state{Type: v.recordType(), Key: r.Slug, ID: r.ID, Version: r.Version, DeletedAt: r.DeletedAt.Time, Values: v}
		}
		return out, nil
	}
	return nil, fmt.Errorf("no table %q", table)
}

// moveSetsSQL reads every link set of moves as (set name, move id, natural key) rows. Each
// part has the alias x for its link table, so a condition on x.move_id applies to all.
const moveSetsSQL = `SELECT 'concerns' AS rel, x.move_id AS parent, x.concern AS child FROM move_concerns x WHERE 1=1 /**/
	UNION ALL SELECT 'companies', x.move_id, c.slug FROM move_companies x JOIN companies c ON c.id = x.company_id WHERE 1=1 /**/
	UNION ALL SELECT 'products', x.move_id, p.slug FROM move_products x JOIN products p ON p.id = x.product_id WHERE 1=1 /**/
	UNION ALL SELECT 'counterparts', x.move_id, c.code FROM move_counterparts x JOIN countries c ON c.id = x.country_id WHERE 1=1 /**/
	UNION ALL SELECT 'inReplyTo', x.reply_id, t.slug FROM move_links x JOIN moves t ON t.id = x.target_id WHERE 1=1 /*reply*/
	UNION ALL SELECT 'sources', x.move_id, s.key FROM move_sources x JOIN sources s ON s.id = x.source_id WHERE 1=1 /**/`

// readSets runs a link-set query, restricted to the parents (unless all), and groups the
// natural keys by parent and set name.
func readSets(tx *gorm.DB, q, parentCol string, parents []int64, all bool) (map[int64]map[string][]string, error) {
	out := map[int64]map[string][]string{}
	if !all && len(parents) == 0 {
		return out, nil
	}
	var args []any
	if !all {
		n := strings.Count(q, "/**/") + strings.Count(q, "/*reply*/")
		q = strings.ReplaceAll(q, "/**/", "AND "+parentCol+" IN ?")
		q = strings.ReplaceAll(q, "/*reply*/", "AND x.reply_id IN ?")
		if !strings.Contains(q, "IN ?") {
			q += " WHERE " + parentCol + " IN ?"
			n = 1
		}
		for range n {
			args = append(args, parents)
		}
	}
	var rows []struct {
		Rel    string
		Parent int64
		Child  string
	}
	if err := tx.Raw(q, args...).Scan(&rows).Error; err != nil {
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

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
