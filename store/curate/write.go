// Package curate is the API's curated writes and their history: each mutation (create,
// update, link, delete, restore, revert) is one checked, versioned transaction that records a
// revision, and the revisions and records are read back from here.
package curate

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/cybertrade/cybertrade/dataset"
	"github.com/cybertrade/cybertrade/internal/apperr"
	"github.com/cybertrade/cybertrade/internal/globalid"
	"github.com/cybertrade/cybertrade/model"
	"github.com/cybertrade/cybertrade/store/core"
	"github.com/cybertrade/cybertrade/store/order"
	"github.com/cybertrade/cybertrade/store/record"
	"github.com/cybertrade/cybertrade/store/version"
)

// Curator makes the API's curated writes and reads their history. It is safe for concurrent
// use.
type Curator struct {
	db  *core.DB
	ver *version.Tracker
}

// New makes the curator of db, whose writes bump the data version ver tracks.
func New(db *core.DB, ver *version.Tracker) *Curator { return &Curator{db: db, ver: ver} }

// How the API's writes work. Each mutation is one transaction (Store.write) that
//  1. bumps the data_changes row first: its row lock serializes writers, so the checks a write
//     makes against other records (does the source it cites exist? does a live move still cite
//     the source being deleted?) cannot race another write;
//  2. reads the record's values (record.ReadStates), checks the version the client read, applies the
//     change and runs the shared checks (dataset.Check*) over the result, with an index of
//     what it refers to read in one statement (record.LoadIndex);
//  3. writes the row with UPDATE … WHERE id = ? AND version = ? (bumping the version), then the
//     link sets that changed, then the dates of the cases whose moves changed;
//  4. records a revision with the values before and after;
//  5. runs the test hook (Options.BeforeCommit) and commits. Any error rolls all of it back.

// Ref names a record by its GraphQL type and natural key, as a global id does.
type Ref struct {
	Type string
	Key  string
}

// RefOf decodes a global id into a Ref; field names the argument for the error.
func RefOf(field, id string) (Ref, error) {
	typ, key, err := globalid.Decode(id)
	if err != nil || record.TableOf[typ] == "" {
		return Ref{}, apperr.InvalidField(field, "%q is not the id of a record; use an `id` returned by this API", id)
	}
	return Ref{Type: typ, Key: key}, nil
}

// NodeID is the record's global id.
func (r Ref) NodeID() string { return globalid.Encode(r.Type, r.Key) }

// InvalidRecord is the error of a write that the shared checks refuse (what `cybertrade
// validate` refuses of the same record in the files, with the same messages).
type InvalidRecord struct {
	// Move is -1 when the issues are the record's own, else the position of the new case's
	// move they belong to.
	Move   int
	Issues []dataset.Issue
}

func (e *InvalidRecord) Error() string { return e.Issues[0].Message }

func invalid(move int, is ...dataset.Issue) error { return &InvalidRecord{Move: move, Issues: is} }

// errNoChange rolls back a write that would change nothing; the caller gets no error.
var errNoChange = errors.New("nothing to change")

// writer is one write transaction.
type writer struct {
	tx    *gorm.DB
	now   time.Time
	actor string
	// cases whose moves changed: their dates (and that they keep a move) are settled at the end.
	cases map[int64]bool
	// last is the last revision recorded.
	last *model.Revision
}

// write runs f as one transaction of actor; op names it for the test hook. It returns the
// last revision f recorded (nil when the write changed nothing).
func (s *Curator) write(ctx context.Context, op, actor string, f func(w *writer) error) (*model.Revision, error) {
	var last *model.Revision
	var n int64
	err := s.db.Primary(ctx).Transaction(func(tx *gorm.DB) error {
		w := &writer{tx: tx, now: s.db.Now(), actor: actor, cases: map[int64]bool{}}
		var err error
		if n, err = version.Bump(tx, w.now); err != nil {
			return err
		}
		if err := f(w); err != nil {
			return err
		}
		if err := w.settleCases(); err != nil {
			return err
		}
		if err := order.All(tx); err != nil {
			return err
		}
		if err := s.db.BeforeCommit(ctx, op); err != nil {
			return err
		}
		last = w.last
		return nil
	})
	switch {
	case err == nil:
		s.ver.CarryRelease(n) // an API write never changes dataset_meta
		s.ver.Announce(n)     // before the answer goes out: caches see the edit at once
		return last, nil
	case errors.Is(err, errNoChange):
		return nil, nil
	case errors.Is(err, gorm.ErrDuplicatedKey):
		return nil, apperr.Errorf(apperr.Conflict, "a record with this key exists already (it may be deleted: an admin can restore it)")
	}
	var ir *InvalidRecord
	if errors.As(err, &ir) {
		return nil, err
	}
	return nil, core.Translate(err, "record")
}

// load reads one record by its ref, deleted or not.
func (w *writer) load(ref Ref) (*record.State, error) {
	table := record.TableOf[ref.Type]
	if table == "" {
		return nil, apperr.Errorf(apperr.Invalid, "%s records cannot be changed through the API", ref.Type)
	}
	where := core.Clause{SQL: "t." + record.KeyColumn[table] + " = ?", Args: []any{ref.Key}}
	if table == "moves" {
		where = core.Clause{SQL: "t.slug = ? AND t.kind = ?", Args: []any{ref.Key, kindOf(ref.Type)}}
	}
	sts, err := record.ReadStates(w.tx, table, where)
	if err != nil {
		return nil, err
	}
	if len(sts) == 0 {
		return nil, apperr.Errorf(apperr.NotFound, "no %s with id %s", ref.Type, ref.NodeID())
	}
	return &sts[0], nil
}

// loadLive is load for a record that must be live, at the version the client read (when
// expected is set).
func (w *writer) loadLive(ref Ref, expected *int) (*record.State, error) {
	st, err := w.load(ref)
	if err != nil {
		return nil, err
	}
	if st.Deleted() {
		return nil, apperr.Errorf(apperr.NotFound, "%s %s is deleted (an admin can restore it)", ref.Type, ref.Key)
	}
	if expected != nil && *expected != st.Version {
		return nil, staleVersion(st, *expected)
	}
	return st, nil
}

func staleVersion(st *record.State, expected int) error {
	return apperr.Errorf(apperr.Conflict, "%s %s is at version %d, not %d: someone changed it since you read it; read it again and reapply your change",
		st.Type, st.Key, st.Version, expected)
}

func kindOf(typ string) string {
	if typ == globalid.CompanyResponse {
		return string(model.MoveKindResponse)
	}
	return string(model.MoveKindAction)
}

// newValues is an empty values struct of a type, to decode a revision into.
func newValues(typ string) record.Values {
	switch typ {
	case globalid.Country:
		return &record.CountryValues{}
	case globalid.Company:
		return &record.CompanyValues{}
	case globalid.Product:
		return &record.ProductValues{}
	case globalid.Source:
		return &record.SourceValues{}
	case globalid.Case:
		return &record.CaseValues{}
	}
	return &record.MoveValues{}
}

// cloneValues deep-copies values (through JSON: they are plain data).
func cloneValues(v record.Values) record.Values {
	out := newValues(v.RecordType())
	if err := json.Unmarshal([]byte(*record.JSON(v)), out); err != nil {
		panic(fmt.Sprintf("clone record values: %v", err))
	}
	return out
}

// putRow inserts (old nil) or updates the row of values, bumping the version; an update
// whose version moved since it was read writes nothing and is a CONFLICT. It returns the
// record's new state.
func (w *writer) putRow(old *record.State, v record.Values, idx *record.Index) (*record.State, error) {
	table, key := v.NaturalKey()
	cols := v.Columns(idx)
	names := make([]string, len(cols))
	args := make([]any, len(cols))
	for i, c := range cols {
		names[i], args[i] = c.Name, c.Value
	}
	st := &record.State{Type: v.RecordType(), Key: key, Values: v}
	if old == nil {
		var id int64
		q := fmt.Sprintf("INSERT INTO %s (%s, version, created_at, updated_at) VALUES (%s, 1, ?, ?) RETURNING id",
			table, strings.Join(names, ", "), strings.Repeat("?, ", len(cols)-1)+"?")
		if err := w.tx.Raw(q, append(args, w.now, w.now)...).Scan(&id).Error; err != nil {
			return nil, err
		}
		st.ID, st.Version = id, 1
		idx.Add(table, key, id)
		return st, nil
	}
	sets := make([]string, len(cols))
	for i, n := range names {
		sets[i] = n + " = ?"
	}
	q := fmt.Sprintf("UPDATE %s SET %s, version = version + 1, updated_at = ? WHERE id = ? AND version = ?", table, strings.Join(sets, ", "))
	res := w.tx.Exec(q, append(args, w.now, old.ID, old.Version)...)
	if res.Error != nil {
		return nil, res.Error
	}
	if res.RowsAffected != 1 {
		return nil, staleVersion(old, old.Version)
	}
	st.ID, st.Version, st.DeletedAt = old.ID, old.Version+1, old.DeletedAt
	return st, nil
}

// putSets rewrites the link sets of a record that differ from before (nil: a new record).
func (w *writer) putSets(id int64, before, after record.Values, idx *record.Index) error {
	for _, ls := range after.Sets() {
		want := ls.Get(after)
		if before != nil && slices.Equal(ls.Get(before), want) {
			continue
		}
		if before != nil {
			if err := w.tx.Exec("DELETE FROM "+ls.Table+" WHERE "+ls.ParentCol+" = ?", id).Error; err != nil {
				return err
			}
		}
		if len(want) == 0 {
			continue
		}
		rows := make([]map[string]any, len(want))
		for i, k := range want {
			var val any = k
			if ls.RefTable != "" {
				val = idx.ID(ls.RefTable, k)
			}
			rows[i] = map[string]any{ls.ParentCol: id, ls.Col: val}
		}
		if err := w.tx.Table(ls.Table).Create(rows).Error; err != nil {
			return fmt.Errorf("%s: %w", ls.Table, err)
		}
	}
	return nil
}

// setDeleted soft-deletes or restores a record, bumping its version.
func (w *writer) setDeleted(st *record.State, deleted bool) (*record.State, error) {
	var at any
	if deleted {
		at = w.now
	}
	res := w.tx.Exec("UPDATE "+record.TableOf[st.Type]+" SET deleted_at = ?, updated_at = ?, version = version + 1 WHERE id = ? AND version = ?",
		at, w.now, st.ID, st.Version)
	if res.Error != nil {
		return nil, res.Error
	}
	if res.RowsAffected != 1 {
		return nil, staleVersion(st, st.Version)
	}
	out := *st
	out.Version++
	out.DeletedAt = time.Time{}
	if deleted {
		out.DeletedAt = w.now
	}
	return &out, nil
}

// record adds a revision: before and after are the values (nil when the record is not live
// on that side).
func (w *writer) record(action string, after *record.State, before, afterValues record.Values, reverts *int64) error {
	rev := &model.Revision{At: w.now, Actor: w.actor, Act: action, RecordType: after.Type, NodeID: after.NodeID(),
		Version: after.Version, BeforeValues: record.JSON(before), AfterValues: record.JSON(afterValues), RevertsID: reverts}
	if err := w.tx.Create(rev).Error; err != nil {
		return err
	}
	w.last = rev
	return nil
}

// touchCase notes a case whose moves changed (dates, liveness, membership).
func (w *writer) touchCase(id int64) { w.cases[id] = true }

// settleCases refreshes the start and end dates of the cases whose moves changed and refuses
// to leave a live case without a live move (the files cannot hold one).
func (w *writer) settleCases() error {
	if len(w.cases) == 0 {
		return nil
	}
	ids := make([]int64, 0, len(w.cases))
	for id := range w.cases {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	var cases []struct {
		ID                 int64
		Slug               string
		StartDate, EndDate *string
		DeletedAt          core.Time
	}
	if err := w.tx.Raw("SELECT id, slug, start_date, end_date, deleted_at FROM cases WHERE id IN ?", ids).Scan(&cases).Error; err != nil {
		return err
	}
	var moves []struct {
		CaseID int64
		Date   string
	}
	if err := w.tx.Raw("SELECT case_id, date FROM moves WHERE case_id IN ? AND deleted_at IS NULL", ids).Scan(&moves).Error; err != nil {
		return err
	}
	type span struct{ start, end string }
	spans := map[int64]span{}
	for _, m := range moves {
		s, ok := spans[m.CaseID]
		if !ok || m.Date < s.start {
			s.start = m.Date
		}
		if !ok || m.Date > s.end {
			s.end = m.Date
		}
		spans[m.CaseID] = s
	}
	for _, c := range cases {
		s, ok := spans[c.ID]
		if !ok {
			if c.DeletedAt.IsZero() {
				return apperr.Errorf(apperr.Conflict, "case %s would have no moves left, and a case needs at least one (%s); delete the case instead", c.Slug, dataset.NoMoves)
			}
			continue
		}
		if core.Deref(c.StartDate) == s.start && core.Deref(c.EndDate) == s.end {
			continue
		}
		if err := w.tx.Exec("UPDATE cases SET start_date = ?, end_date = ?, updated_at = ? WHERE id = ?", s.start, s.end, w.now, c.ID).Error; err != nil {
			return err
		}
	}
	return nil
}
