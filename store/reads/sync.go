package reads

import (
	"context"
	"fmt"
	"time"

	"github.com/cybertrade/cybertrade/internal/apperr"
	"github.com/cybertrade/cybertrade/model"
	"github.com/cybertrade/cybertrade/store/core"
)

// tombstones lists every soft-deleted record with its GraphQL type name, natural key, deletion
// time and a sequence number (id * 8 + type ordinal) that orders ties.
const tombstones = `(
	SELECT 'Country' AS type, code AS key, deleted_at, id * 8 + 0 AS seq FROM countries WHERE deleted_at IS NOT NULL
	UNION ALL SELECT 'Company', slug, deleted_at, id * 8 + 1 FROM companies WHERE deleted_at IS NOT NULL
	UNION ALL SELECT 'Product', slug, deleted_at, id * 8 + 2 FROM products WHERE deleted_at IS NOT NULL
	UNION ALL SELECT 'Case', slug, deleted_at, id * 8 + 3 FROM cases WHERE deleted_at IS NOT NULL
	UNION ALL SELECT 'Source', key, deleted_at, id * 8 + 4 FROM sources WHERE deleted_at IS NOT NULL
	UNION ALL SELECT CASE kind WHEN 'ACTION' THEN 'CountryAction' ELSE 'CompanyResponse' END, slug, deleted_at, id * 8 + 5
		FROM moves WHERE deleted_at IS NOT NULL) d`

type deletionRow struct {
	Type      string
	Key       string
	DeletedAt core.Time
	Seq       int64
}

func deletionCursor(d *model.Deletion) Cursor {
	return Cursor{Key: d.DeletedAt.UTC().Format(time.RFC3339Nano), ID: d.Seq}
}

// deletionClauses restricts tombstones to since and the page's cursors.
func deletionClauses(since time.Time, p PageArgs) ([]core.Clause, error) {
	out := []core.Clause{{SQL: "d.deleted_at >= ?", Args: []any{core.TimeArg(since)}}}
	for _, c := range []struct {
		field string
		cur   *Cursor
		op    string
	}{{"after", p.After, ">"}, {"before", p.Before, "<"}} {
		if c.cur == nil {
			continue
		}
		t, err := time.Parse(time.RFC3339Nano, c.cur.Key)
		if err != nil {
			return nil, apperr.InvalidField(c.field, "malformed cursor; use a cursor returned by deletions")
		}
		out = append(out, core.Clause{SQL: fmt.Sprintf("d.deleted_at %s ? OR (d.deleted_at = ? AND d.seq %s ?)", c.op, c.op), Args: []any{core.TimeArg(t), core.TimeArg(t), c.cur.ID}})
	}
	return out, nil
}

// Deletions returns a page of tombstones deleted at or after since, oldest first.
func (s *Reader) Deletions(ctx context.Context, since time.Time, p PageArgs) (Page[model.Deletion], error) {
	cl, err := deletionClauses(since, p)
	if err != nil {
		return Page[model.Deletion]{}, err
	}
	where, args := listSpec{where: cl}.whereSQL()
	dir := "ASC"
	if p.FromEnd {
		dir = "DESC"
	}
	q := fmt.Sprintf("SELECT type, key, deleted_at, seq FROM %s%s ORDER BY d.deleted_at %s, d.seq %s LIMIT %d", tombstones, where, dir, dir, p.Limit+1)
	var rows []deletionRow
	if err := s.db.Read(ctx).Raw(q, args...).Scan(&rows).Error; err != nil {
		return Page[model.Deletion]{}, core.Translate(err, "deletions")
	}
	items := make([]model.Deletion, len(rows))
	for i, r := range rows {
		items[i] = model.Deletion{Type: r.Type, Key: r.Key, DeletedAt: r.DeletedAt.Time, Seq: r.Seq}
	}
	return Finish(items, p, deletionCursor), nil
}

// CountDeletions counts the tombstones deleted at or after since.
func (s *Reader) CountDeletions(ctx context.Context, since time.Time) (int, error) {
	var n int64
	err := s.db.Read(ctx).Raw("SELECT COUNT(*) FROM "+tombstones+" WHERE d.deleted_at >= ?", core.TimeArg(since)).Scan(&n).Error
	return int(n), core.Translate(err, "deletions")
}
