package curate

import (
	"context"
	"strconv"
	"time"

	"gorm.io/gorm"

	"github.com/cybertrade/cybertrade/internal/apperr"
	"github.com/cybertrade/cybertrade/internal/globalid"
	"github.com/cybertrade/cybertrade/model"
	"github.com/cybertrade/cybertrade/store/core"
	"github.com/cybertrade/cybertrade/store/reads"
	"github.com/cybertrade/cybertrade/store/record"
)

// RevisionFilter narrows the revisions connection.
type RevisionFilter struct {
	NodeID string     // one record's history (its global id)
	Actor  string     // changes by this token name (or "loader")
	Type   string     // changes of records of this GraphQL type
	Since  *time.Time // changes at or after this time
}

func (f RevisionFilter) clauses() ([]core.Clause, error) {
	var out []core.Clause
	if f.NodeID != "" {
		out = append(out, core.Clause{SQL: "r.node_id = ?", Args: []any{f.NodeID}})
	}
	if f.Actor != "" {
		out = append(out, core.Clause{SQL: "r.actor = ?", Args: []any{f.Actor}})
	}
	if f.Type != "" {
		if record.TableOf[f.Type] == "" {
			return nil, apperr.InvalidField("filter.type", "%q is not a record type: Country, Company, Product, Case, Source, CountryAction or CompanyResponse", f.Type)
		}
		out = append(out, core.Clause{SQL: "r.record_type = ?", Args: []any{f.Type}})
	}
	if f.Since != nil {
		out = append(out, core.Clause{SQL: "r.at >= ?", Args: []any{core.TimeArg(*f.Since)}})
	}
	return out, nil
}

// Revisions returns a page of revisions, newest first.
func (s *Curator) Revisions(ctx context.Context, f RevisionFilter, p reads.PageArgs) (reads.Page[model.Revision], error) {
	cl, err := f.clauses()
	if err != nil {
		return reads.Page[model.Revision]{}, err
	}
	// Newest first: "after" a cursor means a smaller id.
	if p.After != nil {
		cl = append(cl, core.Clause{SQL: "r.id < ?", Args: []any{p.After.ID}})
	}
	if p.Before != nil {
		cl = append(cl, core.Clause{SQL: "r.id > ?", Args: []any{p.Before.ID}})
	}
	where, args := core.Where(cl...)
	dir := "DESC"
	if p.FromEnd {
		dir = "ASC"
	}
	var rows []model.Revision
	q := "SELECT r.* FROM revisions r" + where + " ORDER BY r.id " + dir + " LIMIT " + strconv.Itoa(p.Limit+1)
	if err := s.db.Primary(ctx).Raw(q, args...).Scan(&rows).Error; err != nil {
		return reads.Page[model.Revision]{}, core.Translate(err, "revisions")
	}
	return reads.Finish(rows, p, func(r *model.Revision) reads.Cursor { return reads.Cursor{ID: r.RowID} }), nil
}

// CountRevisions counts the revisions a filter keeps.
func (s *Curator) CountRevisions(ctx context.Context, f RevisionFilter) (int, error) {
	cl, err := f.clauses()
	if err != nil {
		return 0, err
	}
	where, args := core.Where(cl...)
	var n int64
	err = s.db.Primary(ctx).Raw("SELECT COUNT(*) FROM revisions r"+where, args...).Scan(&n).Error
	return int(n), core.Translate(err, "revisions")
}

// Record reads a record by ref, deleted or not: *model.Country, *model.Company,
// *model.Product, *model.Source, *model.Case or *model.MoveRecord.
func (s *Curator) Record(ctx context.Context, ref Ref) (any, error) {
	db := s.db.Primary(ctx).Unscoped()
	var out any
	var err error
	switch ref.Type {
	case globalid.Country:
		out, err = firstRow[model.Country](db.Where("code = ?", ref.Key))
	case globalid.Company:
		out, err = firstRow[model.Company](db.Where("slug = ?", ref.Key))
	case globalid.Product:
		out, err = firstRow[model.Product](db.Where("slug = ?", ref.Key))
	case globalid.Source:
		out, err = firstRow[model.Source](db.Where("key = ?", ref.Key))
	case globalid.Case:
		out, err = firstRow[model.Case](db.Where("slug = ?", ref.Key))
	default:
		out, err = firstRow[model.MoveRecord](db.Where("slug = ? AND kind = ?", ref.Key, kindOf(ref.Type)))
	}
	if err != nil {
		return nil, core.Translate(err, "record")
	}
	if out == nil {
		return nil, apperr.Errorf(apperr.NotFound, "no %s with id %s", ref.Type, ref.NodeID())
	}
	return out, nil
}

// firstRow runs q for one row of T: a *T, or an untyped nil when there is none.
func firstRow[T any](q *gorm.DB) (any, error) {
	var rows []T
	if err := q.Limit(1).Find(&rows).Error; err != nil || len(rows) == 0 {
		return nil, err
	}
	return &rows[0], nil
}
