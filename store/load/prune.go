package load

import (
	"fmt"

	"github.com/cybertrade/cybertrade/dataset"
	"github.com/cybertrade/cybertrade/model"
)

// isDeleted reports whether a row read by the fileLoad is soft-deleted.
func isDeleted(rec any) bool {
	switch r := rec.(type) {
	case *model.Country:
		return r.DeletedAt.Valid
	case *model.Company:
		return r.DeletedAt.Valid
	case *model.Product:
		return r.DeletedAt.Valid
	case *model.Case:
		return r.DeletedAt.Valid
	case *model.Source:
		return r.DeletedAt.Valid
	case *model.MoveRecord:
		return r.DeletedAt.Valid
	}
	return false
}

// pruneAll soft-deletes every live row whose natural key is not in the dataset. The maps are
// the fileLoad's indexes of every row by natural key.
func (l *fileLoad) pruneAll(ds *dataset.Dataset, countries map[string]*model.Country, companies map[string]*model.Company,
	products map[string]*model.Product, sources map[string]*model.Source, cases map[string]*model.Case, moves map[string]*model.MoveRecord) error {
	keep := map[string]map[string]bool{"countries": {}, "companies": {}, "products": {}, "sources": {}, "cases": {}, "moves": {}}
	for _, c := range ds.Countries {
		keep["countries"][c.Code] = true
	}
	for _, c := range ds.Companies {
		keep["companies"][c.Slug] = true
		for _, p := range c.Products {
			keep["products"][p.Slug] = true
		}
	}
	for _, c := range ds.Cases {
		keep["cases"][c.Slug] = true
		for _, s := range c.Bibliography {
			keep["sources"][s.Key] = true
		}
		for _, m := range c.Moves {
			keep["moves"][m.Slug] = true
		}
	}
	gone := map[string][]int64{}
	collect := func(table string, key string, id int64, deleted bool) {
		if !deleted && !keep[table][key] {
			gone[table] = append(gone[table], id)
		}
	}
	for k, r := range countries {
		collect("countries", k, r.RowID, r.DeletedAt.Valid)
	}
	for k, r := range companies {
		collect("companies", k, r.RowID, r.DeletedAt.Valid)
	}
	for k, r := range products {
		collect("products", k, r.RowID, r.DeletedAt.Valid)
	}
	for k, r := range sources {
		collect("sources", k, r.RowID, r.DeletedAt.Valid)
	}
	for k, r := range cases {
		collect("cases", k, r.RowID, r.DeletedAt.Valid)
	}
	for k, r := range moves {
		collect("moves", k, r.RowID, r.DeletedAt.Valid)
	}
	for _, table := range []string{"moves", "cases", "sources", "products", "companies", "countries"} {
		ids := gone[table]
		for start := 0; start < len(ids); start += 500 {
			chunk := ids[start:min(start+500, len(ids))]
			res := l.tx.Exec("UPDATE "+table+" SET deleted_at = ?, updated_at = ? WHERE id IN ? AND deleted_at IS NULL", l.now, l.now, chunk)
			if res.Error != nil {
				return fmt.Errorf("prune %s: %w", table, res.Error)
			}
			l.st.Deleted += int(res.RowsAffected)
		}
	}
	return nil
}
