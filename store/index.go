package store

import (
	"gorm.io/gorm"

	"github.com/cybertrade/cybertrade/dataset"
	"github.com/cybertrade/cybertrade/internal/isodate"
)

// refs are the natural keys a record refers to, by table.
type refs struct {
	countries, companies, products, sources, moves, cases []string
}

func (r *refs) addMove(m *MoveValues) {
	r.countries = append(append(r.countries, m.Country), m.Counterparts...)
	if m.Company != "" {
		r.companies = append(r.companies, m.Company)
	}
	r.companies = append(r.companies, m.Companies...)
	r.products = append(r.products, m.Products...)
	r.sources = append(r.sources, m.Sources...)
	r.moves = append(r.moves, m.InReplyTo...)
	r.cases = append(r.cases, m.Case)
}

// dbIndex is a dataset.Index read from the database: the live records a record refers to, with
// their row ids (to write the links) and, for moves, their dates. Records the write itself
// adds (the moves of a new case) are put in with add.
type dbIndex struct {
	ids   map[string]map[string]int64 // table -> natural key -> row id
	dates map[string]dataset.MoveRef  // move slug -> date
}

var _ dataset.Index = (*dbIndex)(nil)

// loadIndex reads the live records among refs in one statement.
func loadIndex(tx *gorm.DB, r refs) (*dbIndex, error) {
	x := &dbIndex{ids: map[string]map[string]int64{}, dates: map[string]dataset.MoveRef{}}
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
		nonEmpty(r.countries), nonEmpty(r.companies), nonEmpty(r.products), nonEmpty(r.sources), nonEmpty(r.moves), nonEmpty(r.cases)).
		Scan(&rows).Error
	if err != nil {
		return nil, err
	}
	for _, row := range rows {
		x.ids[row.T][row.Key] = row.ID
		if row.T == "moves" {
			x.addDate(row.Key, row.Date)
		}
	}
	return x, nil
}

func (x *dbIndex) addDate(slug, date string) {
	d, err := isodate.Parse(date)
	x.dates[slug] = dataset.MoveRef{Date: d, DateOK: err == nil}
}

// add puts a record the write itself creates into the index (id 0 until it is inserted).
func (x *dbIndex) add(table, key string, id int64) { x.ids[table][key] = id }

func (x *dbIndex) has(table, key string) bool {
	_, ok := x.ids[table][key]
	return ok
}

// HasCountry implements dataset.Index.
func (x *dbIndex) HasCountry(code string) bool { return x.has("countries", code) }

// HasCompany implements dataset.Index.
func (x *dbIndex) HasCompany(slug string) bool { return x.has("companies", slug) }

// HasProduct implements dataset.Index.
func (x *dbIndex) HasProduct(slug string) bool { return x.has("products", slug) }

// HasSource implements dataset.Index.
func (x *dbIndex) HasSource(key string) bool { return x.has("sources", key) }

// Move implements dataset.Index.
func (x *dbIndex) Move(slug string) (dataset.MoveRef, bool) {
	if !x.has("moves", slug) {
		return dataset.MoveRef{}, false
	}
	return x.dates[slug], true
}

// id is the row id of a live record the index holds.
func (x *dbIndex) id(table, key string) int64 { return x.ids[table][key] }
