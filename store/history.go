package store

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"gorm.io/gorm"

	"github.com/cybertrade/cybertrade/internal/apperr"
	"github.com/cybertrade/cybertrade/internal/auth"
	"github.com/cybertrade/cybertrade/internal/globalid"
	"github.com/cybertrade/cybertrade/model"
)

// loadHistory gives a file load the same history as an API write: it reads every record's
// values before the load and after it, and for each record that changed it bumps the version
// and records a revision by the actor "loader" (create, update, delete for a pruned record,
// restore for one back in the files). Loads of the synthetic bulk path used by benchmarks may
// skip it.
type loadHistory struct {
	tx     *gorm.DB
	now    time.Time
	before map[string]state // by global id
	// version is the data version the load committed (0 when it changed nothing).
	version int64
}

var historyTables = []string{"countries", "companies", "products", "sources", "cases", "moves"}

// beginLoadHistory takes the write lock (the data_changes row, as every write does) and reads
// the values of every record, in a fixed number of statements.
func beginLoadHistory(tx *gorm.DB, now time.Time) (*loadHistory, error) {
	if err := tx.Exec("UPDATE data_changes SET version = version WHERE id = 1").Error; err != nil {
		return nil, err
	}
	h := &loadHistory{tx: tx, now: now, before: map[string]state{}}
	for _, t := range historyTables {
		sts, err := readStates(tx, t, clause{})
		if err != nil {
			return nil, fmt.Errorf("history: read %s: %w", t, err)
		}
		for _, st := range sts {
			h.before[st.nodeID()] = st
		}
	}
	return h, nil
}

// finish compares the records after the load with those before, bumps the versions of those
// that changed, records their revisions and counts the load in data_changes. changed tells
// whether the load wrote anything at all (rows, link sets, dataset metadata); when it did not,
// there is nothing to compare.
func (h *loadHistory) finish(changed bool) error {
	if !changed {
		return nil // nothing was written: no record can differ
	}
	var revs []model.Revision
	bump := map[string][]int64{}
	for _, t := range historyTables {
		after, err := readStates(h.tx, t, clause{})
		if err != nil {
			return fmt.Errorf("history: read %s: %w", t, err)
		}
		for _, a := range after {
			rev := model.Revision{At: h.now, Actor: auth.Loader, RecordType: a.Type, NodeID: a.nodeID(), Version: a.Version}
			b, existed := h.before[a.nodeID()]
			aJSON := valuesJSON(a.Values)
			switch {
			case !existed && !a.deleted():
				rev.Act, rev.AfterValues = ActionCreate, aJSON
			case !existed:
				continue
			case b.deleted() && a.deleted():
				continue
			case b.deleted():
				rev.Act, rev.AfterValues = ActionRestore, aJSON
			case a.deleted():
				rev.Act, rev.BeforeValues = ActionDelete, valuesJSON(b.Values)
			default:
				bJSON := valuesJSON(b.Values)
				if *aJSON == *bJSON {
					continue
				}
				rev.Act, rev.BeforeValues, rev.AfterValues = ActionUpdate, bJSON, aJSON
			}
			if existed {
				rev.Version = b.Version + 1
				bump[t] = append(bump[t], a.ID)
			}
			revs = append(revs, rev)
		}
	}
	for t, ids := range bump {
		for start := 0; start < len(ids); start += 500 {
			chunk := ids[start:min(start+500, len(ids))]
			if err := h.tx.Exec("UPDATE "+t+" SET version = version + 1 WHERE id IN ?", chunk).Error; err != nil {
				return fmt.Errorf("history: versions of %s: %w", t, err)
			}
		}
	}
	if len(revs) > 0 {
		if err := h.tx.CreateInBatches(revs, 500).Error; err != nil {
			return fmt.Errorf("history: revisions: %w", err)
		}
	}
	if err := reorder(h.tx); err != nil {
		return err
	}
	v, err := bumpDataVersion(h.tx, h.now)
	h.version = v
	return err
}

// RevisionFilter narrows the revisions connection.
type RevisionFilter struct {
	NodeID string     // one record's history (its global id)
	Actor  string     // changes by this token name (or "loader")
	Type   string     // changes of records of this GraphQL type
	Since  *time.Time // changes at or after this time
}

func (f RevisionFilter) clauses() ([]clause, error) {
	var out []clause
	if f.NodeID != "" {
		out = append(out, clause{"r.node_id = ?", []any{f.NodeID}})
	}
	if f.Actor != "" {
		out = append(out, clause{"r.actor = ?", []any{f.Actor}})
	}
	if f.Type != "" {
		if tableOf[f.Type] == "" {
			return nil, apperr.InvalidField("filter.type", "%q is not a record type: Country, Company, Product, Case, Source, CountryAction or CompanyResponse", f.Type)
		}
		out = append(out, clause{"r.record_type = ?", []any{f.Type}})
	}
	if f.Since != nil {
		out = append(out, clause{"r.at >= ?", []any{timeArg(*f.Since)}})
	}
	return out, nil
}

// Revisions returns a page of revisions, newest first.
func (s *Store) Revisions(ctx context.Context, f RevisionFilter, p PageArgs) (Page[model.Revision], error) {
	cl, err := f.clauses()
	if err != nil {
		return Page[model.Revision]{}, err
	}
	// Newest first: "after" a cursor means a smaller id.
	if p.After != nil {
		cl = append(cl, clause{"r.id < ?", []any{p.After.ID}})
	}
	if p.Before != nil {
		cl = append(cl, clause{"r.id > ?", []any{p.Before.ID}})
	}
	where, args := listSpec{where: cl}.whereSQL()
	dir := "DESC"
	if p.FromEnd {
		dir = "ASC"
	}
	var rows []model.Revision
	q := "SELECT r.* FROM revisions r" + where + " ORDER BY r.id " + dir + " LIMIT " + strconv.Itoa(p.Limit+1)
	if err := s.conn(ctx).Raw(q, args...).Scan(&rows).Error; err != nil {
		return Page[model.Revision]{}, translate(err, "revisions")
	}
	return finish(rows, p, func(r *model.Revision) Cursor { return Cursor{ID: r.RowID} }), nil
}

// CountRevisions counts the revisions a filter keeps.
func (s *Store) CountRevisions(ctx context.Context, f RevisionFilter) (int, error) {
	cl, err := f.clauses()
	if err != nil {
		return 0, err
	}
	where, args := listSpec{where: cl}.whereSQL()
	var n int64
	err = s.conn(ctx).Raw("SELECT COUNT(*) FROM revisions r"+where, args...).Scan(&n).Error
	return int(n), translate(err, "revisions")
}

// Record reads a record by ref, deleted or not: *model.Country, *model.Company,
// *model.Product, *model.Source, *model.Case or *model.MoveRecord.
func (s *Store) Record(ctx context.Context, ref Ref) (any, error) {
	db := s.conn(ctx).Unscoped()
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
		return nil, translate(err, "record")
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
