package reads

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/cybertrade/cybertrade/store/core"
)

// relationChild is the table of a relation's children and the order they are listed in.
var relationChild = map[Relation]struct{ table, order string }{
	MoveTargetCompanies: {"companies", "c.name, c.id"},
	MoveProducts:        {"products", "c.name, c.id"},
	MoveCounterparts:    {"countries", "c.code, c.id"},
	MoveSources:         {"sources", "c.date, c.id"},
	MoveInReplyTo:       {"moves", "c.sort_key, c.id"},
	MoveReplies:         {"moves", "c.sort_key, c.id"},
	CaseSources:         {"sources", "c.date, c.id"},
	CaseCountries:       {"countries", "c.code, c.id"},
	CaseCompanies:       {"companies", "c.name, c.id"},
}

// RelatedRows reads the children of many parents over one relation, the child rows
// themselves, in one statement (Related followed by a lookup of the ids takes two). Each
// parent's children come in the relation's order: moves by date, sources by publication date,
// countries by code, companies and products by name. T must be the child table's model.
func RelatedRows[T any](ctx context.Context, s *Reader, rel Relation, parents []int64) (map[int64][]T, error) {
	out := make(map[int64][]T, len(parents))
	if len(parents) == 0 {
		return out, nil
	}
	child, ok := relationChild[rel]
	if !ok {
		return nil, fmt.Errorf("relation %d has no child table", rel)
	}
	pairs := relationSQL[rel]
	args := []any{sql.Named("parents", parents)}
	f, err := fieldsOf[T]()
	if err != nil {
		return nil, err
	}
	q := fmt.Sprintf("SELECT %s, p.parent AS parent_key FROM (%s) p JOIN %s c ON c.id = p.child AND c.deleted_at IS NULL ORDER BY p.parent, %s",
		f.selectList("c"), pairs, child.table, child.order)
	items, keys, err := queryRows(ctx, s, f, true, q, args...)
	if err != nil {
		return nil, core.Translate(err, "relation")
	}
	groupRuns(out, items, keys)
	return out, nil
}

// groupRuns puts items into out by their parent keys. Rows come ordered by parent, so each
// parent's rows are one run, handed out as a sub-slice rather than copied (a parent whose rows
// were not contiguous gets them appended).
func groupRuns[T any](out map[int64][]T, items []T, keys []int64) {
	for start := 0; start < len(items); {
		end := start + 1
		for end < len(items) && keys[end] == keys[start] {
			end++
		}
		if prev, ok := out[keys[start]]; ok {
			out[keys[start]] = append(prev, items[start:end]...)
		} else {
			out[keys[start]] = items[start:end:end]
		}
		start = end
	}
}
