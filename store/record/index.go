package record

import (
	"gorm.io/gorm"

	"github.com/cybertrade/cybertrade/dataset"
)

// Refs are the natural keys a record refers to, by table.
type Refs struct {
	Countries, Companies, Products, Sources, Moves, Cases []string
}

// AddMove adds what a move refers to.
func (r *Refs) AddMove(m *MoveValues) {
	r.Countries = append(append(r.Countries, m.Country), m.Counterparts...)
	if m.Company != "" {
		r.Companies = append(r.Companies, m.Company)
	}
	r.Companies = append(r.Companies, m.Companies...)
	r.Products = append(r.Products, m.Products...)
	r.Sources = append(r.Sources, m.Sources...)
	r.Moves = append(r.Moves, m.InReplyTo...)
	r.Cases = append(r.Cases, m.Case)
}

// Index is a dataset.Index read from the database: the live records a record refers to, with
// their row ids (to write the links) and, for moves, their dates. Records the write itself
// adds (the moves of a new case) are put in with Add.
type Index struct {
	ids   map[string]map[string]int64 // table -> natural key -> row id
	dates map[string]dataset.MoveRef  // move slug -> date
}

var _ dataset.Index = (*Index)(nil)

// LoadIndex reads the live records among refs in one statement.
func LoadIndex(tx *gorm.DB, r Refs) (*Index, error) {
	x := &Index{ids: map[string]map[string]int64{}, dates: map[string]dataset.MoveRef{}}
	for _, t := range []string{"countries", "companies", "products", "sources", "moves", "cases"} {
		x.ids[t] = map[string]int64{}
	}
	nonEmpty := func(xs []string) []string {
		if len(xs) == 0 {
			return []string{""} // matches nothing: no key is empty
		}
		return xs
	}
	var rows []struct {
		T    string
		Key  string
		ID   int64
		Date string
	}
	err := tx.Raw(`SELECT 'countries' AS t, code AS key, id, '' AS date FROM countries WHERE code IN ? AND deleted_at IS NULL
		UNION ALL SELECT 'companies', slug, id, '' FROM companies WHERE slug IN ? AND deleted_at IS NULL
		UNION ALL SELECT 'products', slug, id, '' FROM products WHERE slug IN ? AND deleted_at IS NULL
		UNION ALL SELECT 'sources', key, id, '' FROM sources WHERE key IN ? AND deleted_at IS NULL
		UNION ALL SELECT 'moves', slug, id, date FROM moves WHERE slug IN ? AND deleted_at IS NULL
		UNION ALL SELECT 'cases', slug, id, '' FROM cases WHERE slug IN ? AND deleted_at IS NULL`,
		nonEmpty(r.Countries), nonEmpty(r.Companies), nonEmpty(r.Products), nonEmpty(r.Sources), nonEmpty(r.Moves), nonEmpty(r.Cases)).
		Scan(&rows).Error
	if err != nil {
		return nil, err
	}
	for _, row := range rows {
		x.ids[row.T][row.Key] = row.ID
		if row.T == "moves" {
			x.AddDate(row.Key, dataset.DateOf(row.Date))
		}
	}
	return x, nil
}

// AddDate puts a move's parsed date into the index (the new or changed move of a write,
// whose date the checks of other moves compare with).
func (x *Index) AddDate(slug string, at dataset.MoveRef) { x.dates[slug] = at }

// Add puts a record the write itself creates into the index (id 0 until it is inserted).
func (x *Index) Add(table, key string, id int64) { x.ids[table][key] = id }

func (x *Index) Has(table, key string) bool {
	_, ok := x.ids[table][key]
	return ok
}

// HasCountry implements dataset.Index.
func (x *Index) HasCountry(code string) bool { return x.Has("countries", code) }

// HasCompany implements dataset.Index.
func (x *Index) HasCompany(slug string) bool { return x.Has("companies", slug) }

// HasProduct implements dataset.Index.
func (x *Index) HasProduct(slug string) bool { return x.Has("products", slug) }

// HasSource implements dataset.Index.
func (x *Index) HasSource(key string) bool { return x.Has("sources", key) }

// Move implements dataset.Index.
func (x *Index) Move(slug string) (dataset.MoveRef, bool) {
	if !x.Has("moves", slug) {
		return dataset.MoveRef{}, false
	}
	return x.dates[slug], true
}

// ID is the row id of a live record the index holds.
func (x *Index) ID(table, key string) int64 { return x.ids[table][key] }
