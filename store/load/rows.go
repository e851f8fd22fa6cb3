package load

import (
	"fmt"
	"slices"
	"time"

	"gorm.io/gorm"

	"github.com/cybertrade/cybertrade/dataset"
	"github.com/cybertrade/cybertrade/model"
)

// kind is what a load needs to know of the rows of a model T: their natural key, where their
// bookkeeping columns are, and whether two rows hold the same curated values.
type kind[T any] struct {
	key  func(*T) string
	book func(*T) book
	same func(a, b *T) bool
}

// book points at a row's bookkeeping columns.
type book struct {
	id               *int64
	deleted          *gorm.DeletedAt
	created, updated *time.Time
}

var (
	countryKind = kind[model.Country]{
		key:  func(c *model.Country) string { return c.Code },
		book: func(c *model.Country) book { return book{&c.RowID, &c.DeletedAt, &c.CreatedAt, &c.UpdatedAt} },
		same: func(a, b *model.Country) bool {
			return eqPtr(a.Alpha3, b.Alpha3) && a.Name == b.Name && a.Region == b.Region && a.Supranational == b.Supranational && a.CodeStatus == b.CodeStatus
		},
	}
	companyKind = kind[model.Company]{
		key:  func(c *model.Company) string { return c.Slug },
		book: func(c *model.Company) book { return book{&c.RowID, &c.DeletedAt, &c.CreatedAt, &c.UpdatedAt} },
		same: func(a, b *model.Company) bool {
			return a.Name == b.Name && eqPtr(a.HomeCountryID, b.HomeCountryID) && a.Sector == b.Sector &&
				a.Description == b.Description && slices.Equal(a.Aliases, b.Aliases)
		},
	}
	productKind = kind[model.Product]{
		key:  func(p *model.Product) string { return p.Slug },
		book: func(p *model.Product) book { return book{&p.RowID, &p.DeletedAt, &p.CreatedAt, &p.UpdatedAt} },
		same: func(a, b *model.Product) bool {
			return a.Name == b.Name && a.Category == b.Category && a.Description == b.Description && a.CompanyID == b.CompanyID
		},
	}
	sourceKind = kind[model.Source]{
		key:  func(s *model.Source) string { return s.Key },
		book: func(s *model.Source) book { return book{&s.RowID, &s.DeletedAt, &s.CreatedAt, &s.UpdatedAt} },
		same: func(a, b *model.Source) bool {
			return a.Title == b.Title && a.Publisher == b.Publisher && a.Date == b.Date && a.URL == b.URL && eqPtr(a.Note, b.Note)
		},
	}
	caseKind = kind[model.Case]{
		key:  func(c *model.Case) string { return c.Slug },
		book: func(c *model.Case) book { return book{&c.RowID, &c.DeletedAt, &c.CreatedAt, &c.UpdatedAt} },
		same: func(a, b *model.Case) bool {
			return a.Title == b.Title && a.Summary == b.Summary && eqPtr(a.StartDate, b.StartDate) && eqPtr(a.EndDate, b.EndDate)
		},
	}
	moveKind = kind[model.MoveRecord]{
		key:  func(m *model.MoveRecord) string { return m.Slug },
		book: func(m *model.MoveRecord) book { return book{&m.RowID, &m.DeletedAt, &m.CreatedAt, &m.UpdatedAt} },
		same: func(a, b *model.MoveRecord) bool {
			return a.Kind == b.Kind && eqPtr(a.CountryOption, b.CountryOption) && eqPtr(a.CompanyOption, b.CompanyOption) &&
				a.CaseID == b.CaseID && a.CountryID == b.CountryID && eqPtr(a.CompanyID, b.CompanyID) && eqPtr(a.Actor, b.Actor) &&
				a.Date == b.Date && a.Title == b.Title && a.Summary == b.Summary && a.Confidence == b.Confidence && eqPtr(a.CodingNote, b.CodingNote) &&
				a.Instrument == b.Instrument
		},
	}
)

// rows are the rows of one model as a load found them (soft-deleted ones included) by
// natural key, with the rows it creates added.
type rows[T any] struct {
	kind[T]
	byKey map[string]*T
}

// readRows reads every row of T.
func readRows[T any](tx *gorm.DB, k kind[T]) (*rows[T], error) {
	var all []T
	if err := tx.Unscoped().Find(&all).Error; err != nil {
		return nil, err
	}
	r := &rows[T]{kind: k, byKey: make(map[string]*T, len(all))}
	for i := range all {
		r.byKey[k.key(&all[i])] = &all[i]
	}
	return r, nil
}

// ids maps every natural key to its row id.
func (r *rows[T]) ids() map[string]int64 {
	out := make(map[string]int64, len(r.byKey))
	for k, row := range r.byKey {
		out[k] = *r.book(row).id
	}
	return out
}

// gone lists the rows that were live before the load and whose keys keep lacks.
func (r *rows[T]) gone(keep map[string]bool) []int64 {
	var out []int64
	for k, row := range r.byKey {
		if b := r.book(row); !b.deleted.Valid && !keep[k] {
			out = append(out, *b.id)
		}
	}
	return out
}

// upsert creates rec when no row has its natural key, or updates the row when its values
// differ or it is soft-deleted (bringing it back). It returns the row id.
func upsert[T any](l *fileLoad, r *rows[T], rec *T) (int64, error) {
	key, b := r.key(rec), r.book(rec)
	old, ok := r.byKey[key]
	if !ok {
		*b.created, *b.updated = l.now, l.now
		if err := l.tx.Create(rec).Error; err != nil {
			return 0, fmt.Errorf("create %s: %w", key, err)
		}
		l.st.Created++
		r.byKey[key] = rec
		return *b.id, nil
	}
	ob := r.book(old)
	*b.id = *ob.id
	if r.same(old, rec) && !ob.deleted.Valid {
		l.st.Unchanged++
		return *b.id, nil
	}
	// Select("*") writes every column, deleted_at (NULL) included; the version is the
	// history's to bump (see loadHistory).
	*b.created, *b.updated = time.Time{}, l.now
	if err := l.tx.Unscoped().Model(old).Select("*").Omit("created_at", "version").Updates(rec).Error; err != nil {
		return 0, fmt.Errorf("update %s: %w", key, err)
	}
	l.st.Updated++
	return *b.id, nil
}

func eqPtr[T comparable](a, b *T) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

// moveLink is one link table of moves: its columns, the table its values refer to ("" for
// plain values: concerns) and what a move of the files lists in it. Load and BulkLoad both
// write them from this one list.
type moveLink struct {
	table, parentCol, col, refTable string
	keys                            func(m *dataset.Move) []string
}

var moveLinks = []moveLink{
	{"move_concerns", "move_id", "concern", "", func(m *dataset.Move) []string { return m.Concerns }},
	{"move_companies", "move_id", "company_id", "companies", func(m *dataset.Move) []string { return m.Companies }},
	{"move_products", "move_id", "product_id", "products", func(m *dataset.Move) []string { return m.Products }},
	{"move_counterparts", "move_id", "country_id", "countries", func(m *dataset.Move) []string { return m.Counterparts }},
	{"move_sources", "move_id", "source_id", "sources", func(m *dataset.Move) []string { return m.Sources }},
	{"move_links", "reply_id", "target_id", "moves", func(m *dataset.Move) []string { return m.InReplyTo }},
}

// value is the column value of key: its row id, from ids by table, or the key itself.
func (ml moveLink) value(key string, ids map[string]map[string]int64) any {
	if ml.refTable == "" {
		return key
	}
	return ids[ml.refTable][key]
}
