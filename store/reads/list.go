// Package reads is every read the API serves: keyset-paginated lists and the pages nested
// under many parents in one statement, lookups by key, relations, search, the aggregations of
// stats, causal chains, deletions for sync, the dataset's counts and the snapshot exports are
// built from. Nothing here writes.
package reads

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/cybertrade/cybertrade/store/core"
	"github.com/cybertrade/cybertrade/store/version"
)

// Reader runs the API's reads. It is safe for concurrent use.
type Reader struct {
	db  *core.DB
	ver *version.Tracker
}

// New makes the reader of db; ver keeps the aggregations it caches per data version.
func New(db *core.DB, ver *version.Tracker) *Reader { return &Reader{db: db, ver: ver} }

// listSpec describes a keyset-ordered list: what to select, from where, under which
// conditions, and the sort key (a text expression, ties broken by id).
type listSpec struct {
	alias    string // of the listed table, e.g. "m": its rows are read with their hand-written fields
	from     string // e.g. "moves m"
	where    []core.Clause
	sortExpr string // e.g. "m.date"
	idExpr   string // e.g. "m.id"
	desc     bool
}

// Page is one page of a list.
type Page[T any] struct {
	Items   []T
	Cursors []Cursor
	HasNext bool
	HasPrev bool
}

func (l listSpec) whereSQL(extra ...core.Clause) (string, []any) {
	return core.Where(append(slices.Clone(l.where), extra...)...)
}

// scanOrder is the order rows are read in: the list's order, reversed for `last`.
func (l listSpec) scanDesc(p PageArgs) bool { return l.desc != p.FromEnd }

func (l listSpec) orderSQL(desc bool) string {
	dir := "ASC"
	if desc {
		dir = "DESC"
	}
	return fmt.Sprintf("%s %s, %s %s", l.sortExpr, dir, l.idExpr, dir)
}

// cursorClauses restricts rows to those strictly after `After` and before `Before` in the
// list's order.
func (l listSpec) cursorClauses(p PageArgs) []core.Clause {
	var out []core.Clause
	gt, lt := ">", "<"
	if l.desc {
		gt, lt = "<", ">"
	}
	if p.After != nil {
		out = append(out, core.Clause{SQL: fmt.Sprintf("(%s, %s) %s (?, ?)", l.sortExpr, l.idExpr, gt), Args: []any{p.After.Key, p.After.ID}})
	}
	if p.Before != nil {
		out = append(out, core.Clause{SQL: fmt.Sprintf("(%s, %s) %s (?, ?)", l.sortExpr, l.idExpr, lt), Args: []any{p.Before.Key, p.Before.ID}})
	}
	return out
}

// Finish trims the extra row, restores the list's order and sets the page flags. A page of
// size 0 (`first: 0`, `last: 0`) has no cursor to go on from, so it says there is no next
// (previous) page: a client looping `while hasNextPage: after = endCursor` stops instead of
// starting over forever (totalCount still counts the list).
func Finish[T any](items []T, p PageArgs, key func(*T) Cursor) Page[T] {
	more := len(items) > p.Limit && p.Limit > 0
	if len(items) > p.Limit {
		items = items[:p.Limit]
	}
	if p.FromEnd {
		slices.Reverse(items)
	}
	pg := Page[T]{Items: items, Cursors: make([]Cursor, len(items))}
	for i := range items {
		pg.Cursors[i] = key(&items[i])
	}
	if p.FromEnd {
		pg.HasPrev, pg.HasNext = more, p.Before != nil
	} else {
		pg.HasNext, pg.HasPrev = more, p.After != nil
	}
	return pg
}

// page runs one keyset-paginated query.
func page[T any](ctx context.Context, s *Reader, l listSpec, p PageArgs, key func(*T) Cursor) (Page[T], error) {
	where, args := l.whereSQL(l.cursorClauses(p)...)
	f, err := fieldsOf[T]()
	if err != nil {
		return Page[T]{}, err
	}
	q := fmt.Sprintf("SELECT %s FROM %s%s ORDER BY %s LIMIT %d", f.selectList(l.alias), l.from, where, l.orderSQL(l.scanDesc(p)), p.Limit+1)
	items, _, err := queryRows(ctx, s, f, false, q, args...)
	if err != nil {
		return Page[T]{}, core.Translate(err, "list")
	}
	return Finish(items, p, key), nil
}

// count counts the rows of a list (cursors do not apply).
func count(ctx context.Context, s *Reader, l listSpec) (int, error) {
	where, args := l.whereSQL()
	var n int64
	err := s.db.Read(ctx).Raw(fmt.Sprintf("SELECT COUNT(*) FROM %s%s", l.from, where), args...).Scan(&n).Error
	return int(n), core.Translate(err, "count")
}

// pageByParent runs one query that returns a page for every parent: rows are ranked per
// parent with ROW_NUMBER() and cut at the page size, so the statement count does not depend on
// how many parents there are.
func pageByParent[T any](ctx context.Context, s *Reader, l listSpec, parentExpr string, parents []int64, p PageArgs,
	key func(*T) Cursor) (map[int64]Page[T], error) {
	out := make(map[int64]Page[T], len(parents))
	if len(parents) == 0 {
		return out, nil
	}
	f, err := fieldsOf[T]()
	if err != nil {
		return nil, err
	}
	// The inner query names its columns and the outer one picks them (and the parent key) by
	// name.
	cols, outer := f.selectList(l.alias), f.selectList("ranked")+", ranked.parent_key"
	var q string
	var args []any
	if s.db.Engine() == core.Postgres {
		q, args = lateralPages(l, cols, parentExpr, parents, p, outer)
	} else {
		extra := append(l.cursorClauses(p), core.Clause{SQL: parentExpr + " IN ?", Args: []any{parents}})
		var where string
		where, args = l.whereSQL(extra...)
		q = fmt.Sprintf(`SELECT %s FROM (SELECT %s, %s AS parent_key, ROW_NUMBER() OVER (PARTITION BY %s ORDER BY %s) AS row_num FROM %s%s) ranked WHERE row_num <= %d ORDER BY parent_key, row_num`,
			outer, cols, parentExpr, parentExpr, l.orderSQL(l.scanDesc(p)), l.from, where, p.Limit+1)
	}
	grouped := make(map[int64][]T, len(parents))
	items, keys, err := queryRows(ctx, s, f, true, q, args...)
	if err != nil {
		return nil, core.Translate(err, "list")
	}
	groupRuns(grouped, items, keys)
	for _, id := range parents {
		out[id] = Finish(grouped[id], p, key)
	}
	return out, nil
}

// lateralPages is pageByParent's statement on PostgreSQL: one LIMITed, index-ordered scan per
// parent (CROSS JOIN LATERAL), so a page costs what the page holds. Ranking every row of every
// parent with ROW_NUMBER() and cutting afterwards read all of a parent's rows: a country page
// at 100,000 cases ranked 57,000 actions (sorted on disk) to keep 51.
func lateralPages(l listSpec, cols, parentExpr string, parents []int64, p PageArgs, outer string) (string, []any) {
	values := make([]string, len(parents))
	args := make([]any, 0, len(parents)+4)
	for i, id := range parents {
		values[i] = "(CAST(? AS BIGINT))"
		args = append(args, id)
	}
	extra := append(l.cursorClauses(p), core.Clause{SQL: parentExpr + " = parents.parent_key", Args: nil})
	where, wargs := l.whereSQL(extra...)
	args = append(args, wargs...)
	order := l.orderSQL(l.scanDesc(p))
	q := fmt.Sprintf(`SELECT %s FROM (VALUES %s) AS parents(parent_key) CROSS JOIN LATERAL (SELECT %s, parents.parent_key AS parent_key, ROW_NUMBER() OVER (ORDER BY %s) AS row_num FROM %s%s ORDER BY %s LIMIT %d) ranked ORDER BY ranked.parent_key, ranked.row_num`,
		outer, strings.Join(values, ", "), cols, order, l.from, where, order, p.Limit+1)
	return q, args
}

// countByParent counts a list's rows per parent in one statement.
func countByParent(ctx context.Context, s *Reader, l listSpec, parentExpr string, parents []int64) (map[int64]int, error) {
	out := make(map[int64]int, len(parents))
	if len(parents) == 0 {
		return out, nil
	}
	where, args := l.whereSQL(core.Clause{SQL: parentExpr + " IN ?", Args: []any{parents}})
	var rows []struct {
		ParentKey int64
		N         int64
	}
	q := fmt.Sprintf("SELECT %s AS parent_key, COUNT(*) AS n FROM %s%s GROUP BY %s", parentExpr, l.from, where, parentExpr)
	if err := s.db.Read(ctx).Raw(q, args...).Scan(&rows).Error; err != nil {
		return nil, core.Translate(err, "count")
	}
	for _, r := range rows {
		out[r.ParentKey] = int(r.N)
	}
	return out, nil
}
