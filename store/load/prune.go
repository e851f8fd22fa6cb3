package load

import (
	"fmt"

	"github.com/cybertrade/cybertrade/dataset"
)

// kept lists, by table, the natural keys a dataset holds: a pruning load soft-deletes every
// live row whose key is not among them.
func kept(ds *dataset.Dataset) map[string]map[string]bool {
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
	return keep
}

// softDelete soft-deletes the rows gone lists by table, dependents first.
func (l *fileLoad) softDelete(gone map[string][]int64) error {
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
