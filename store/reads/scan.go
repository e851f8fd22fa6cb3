package reads

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/cybertrade/cybertrade/model"
)

// Hand-written column lists and scan targets for the models the API reads on every request.
// gorm's Scan fills structs by reflection, allocating per field and row; under the benchmark
// it was 16% of the CPU and 23% of the bytes allocated by a request of the DEFY question. The
// lists name every column the models map but deleted_at (reads only see live rows), in the
// models' order; TestHandWrittenColumnsMatchTheModels keeps them in step.

// fields gives a model's columns and the scan targets of one value.
type fields[T any] struct {
	table string
	cols  []string
	ptrs  func(dst []any, v *T) []any // appends the scan targets of v's columns to dst
}

// selectList lists the columns, each prefixed with alias ("m" gives "m.id, m.slug, ...").
func (f fields[T]) selectList(alias string) string {
	parts := make([]string, len(f.cols))
	for i, c := range f.cols {
		parts[i] = alias + "." + c
	}
	return strings.Join(parts, ", ")
}

// jsonStrings scans a JSON array of strings kept in a text column (companies.aliases).
type jsonStrings struct{ dst *[]string }

func (j jsonStrings) Scan(src any) error {
	var raw []byte
	switch v := src.(type) {
	case nil:
		*j.dst = nil
		return nil
	case string:
		raw = []byte(v)
	case []byte:
		raw = v
	default:
		return fmt.Errorf("JSON list column: unexpected %T", src)
	}
	return json.Unmarshal(raw, j.dst)
}

var (
	countryFields = fields[model.Country]{
		table: "countries",
		cols:  []string{"id", "code", "alpha3", "name", "region", "supranational", "code_status", "version", "created_at", "updated_at"},
		ptrs: func(dst []any, c *model.Country) []any {
			return append(dst, &c.RowID, &c.Code, &c.Alpha3, &c.Name, &c.Region, &c.Supranational, &c.CodeStatus, &c.Version, &c.CreatedAt, &c.UpdatedAt)
		},
	}
	companyFields = fields[model.Company]{
		table: "companies",
		cols:  []string{"id", "slug", "name", "home_country_id", "sector", "description", "aliases", "version", "created_at", "updated_at"},
		ptrs: func(dst []any, c *model.Company) []any {
			return append(dst, &c.RowID, &c.Slug, &c.Name, &c.HomeCountryID, &c.Sector, &c.Description, jsonStrings{&c.Aliases}, &c.Version, &c.CreatedAt, &c.UpdatedAt)
		},
	}
	productFields = fields[model.Product]{
		table: "products",
		cols:  []string{"id", "slug", "name", "category", "description", "company_id", "version", "created_at", "updated_at"},
		ptrs: func(dst []any, p *model.Product) []any {
			return append(dst, &p.RowID, &p.Slug, &p.Name, &p.Category, &p.Description, &p.CompanyID, &p.Version, &p.CreatedAt, &p.UpdatedAt)
		},
	}
	caseFields = fields[model.Case]{
		table: "cases",
		cols:  []string{"id", "slug", "title", "summary", "start_date", "end_date", "version", "created_at", "updated_at"},
		ptrs: func(dst []any, c *model.Case) []any {
			return append(dst, &c.RowID, &c.Slug, &c.Title, &c.Summary, &c.StartDate, &c.EndDate, &c.Version, &c.CreatedAt, &c.UpdatedAt)
		},
	}
	sourceFields = fields[model.Source]{
		table: "sources",
		cols:  []string{"id", "key", "title", "publisher", "date", "date_precision", "url", "note", "version", "created_at", "updated_at"},
		ptrs: func(dst []any, s *model.Source) []any {
			return append(dst, &s.RowID, &s.Key, &s.Title, &s.Publisher, &s.Date, &s.DatePrecision, &s.URL, &s.Note, &s.Version, &s.CreatedAt, &s.UpdatedAt)
		},
	}
	moveFields = fields[model.MoveRecord]{
		table: "moves",
		cols: []string{"id", "slug", "kind", "country_option", "company_option", "instrument", "case_id", "country_id", "company_id", "actor",
			"date", "date_precision", "date_start", "date_end", "title", "summary", "confidence", "coding_note", "sort_key", "version", "created_at", "updated_at"},
		ptrs: func(dst []any, m *model.MoveRecord) []any {
			return append(dst, &m.RowID, &m.Slug, &m.Kind, &m.CountryOption, &m.CompanyOption, &m.Instrument, &m.CaseID, &m.CountryID, &m.CompanyID, &m.Actor,
				&m.Date, &m.DatePrecision, &m.DateStart, &m.DateEnd, &m.Title, &m.Summary, &m.Confidence, &m.CodingNote, &m.SortKey, &m.Version, &m.CreatedAt, &m.UpdatedAt)
		},
	}
)

// fieldsOf returns the hand-written fields of T: every model the reads return has them, so
// there is no other way to read one (an error names a type that has none).
func fieldsOf[T any]() (fields[T], error) {
	var f any
	switch any((*T)(nil)).(type) {
	case *model.Country:
		f = countryFields
	case *model.Company:
		f = companyFields
	case *model.Product:
		f = productFields
	case *model.Case:
		f = caseFields
	case *model.Source:
		f = sourceFields
	case *model.MoveRecord:
		f = moveFields
	default:
		return fields[T]{}, fmt.Errorf("reads: %T has no hand-written columns", (*T)(nil))
	}
	return f.(fields[T]), nil
}

// queryRows runs a statement through the store's handle (so it is counted) and scans each
// row into a new T; with parents, the last column is the row's parent key.
func queryRows[T any](ctx context.Context, s *Reader, f fields[T], withParent bool, q string, args ...any) ([]T, []int64, error) {
	rows, err := s.db.Read(ctx).Raw(q, args...).Rows()
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	return collect(rows, f, withParent)
}

// collect scans every row straight into the slice it returns (no value per row to copy) with
// one slice of scan targets for all rows.
func collect[T any](rows *sql.Rows, f fields[T], withParent bool) ([]T, []int64, error) {
	var out []T
	var parents []int64
	var parent int64
	dest := make([]any, 0, len(f.cols)+1)
	for rows.Next() {
		var zero T
		out = append(out, zero)
		dest = f.ptrs(dest[:0], &out[len(out)-1])
		if withParent {
			dest = append(dest, &parent)
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, nil, err
		}
		if withParent {
			parents = append(parents, parent)
		}
	}
	return out, parents, rows.Err()
}
