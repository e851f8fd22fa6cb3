package store

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
)

// How the API's writes work. Each mutation is one transaction (Store.write) that
//  1. bumps the data_changes row first: its row lock serializes writers, so the checks a write
//     makes against other records (does the source it cites exist? does a live move still cite
//     the source being deleted?) cannot race another write;
//  2. reads the record's values (readStates), checks the version the client read, applies the
//     change and runs the shared checks (dataset.Check*) over the result, with an index of
//     what it refers to read in one statement (loadIndex);
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
	if err != nil || tableOf[typ] == "" {
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
func (s *Store) write(ctx context.Context, op, actor string, f func(w *writer) error) (*model.Revision, error) {
	var last *model.Revision
	var version int64
	err := s.conn(ctx).Transaction(func(tx *gorm.DB) error {
		w := &writer{tx: tx, now: s.now(), actor: actor, cases: map[int64]bool{}}
		var err error
		if version, err = bumpDataVersion(tx, w.now); err != nil {
			return err
		}
		if err := f(w); err != nil {
			return err
		}
		if err := w.settleCases(); err != nil {
			return err
		}
		if err := reorder(tx); err != nil {
			return err
		}
		if s.beforeCommit != nil {
			if err := s.beforeCommit(ctx, op); err != nil {
				return err
			}
		}
		last = w.last
		return nil
	})
	switch {
	case err == nil:
		s.ver.carryRelease(version) // an API write never changes dataset_meta
		s.ver.announce(version)     // before the answer goes out: caches see the edit at once
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
	return nil, translate(err, "record")
}

// bumpDataVersion counts one write in data_changes and returns the new version; it takes the
// row's lock until commit.
func bumpDataVersion(tx *gorm.DB, now time.Time) (int64, error) {
	var v int64
	err := tx.Raw("UPDATE data_changes SET version = version + 1, changed_at = ? WHERE id = 1 RETURNING version", now).Scan(&v).Error
	return v, err
}

// DataVersion is the number of writes to the data so far (file loads that changed something,
// and every API mutation), and when the last one happened. It changes whenever any answer of
// the API may have changed, so a response cache can key on it.
func (s *Store) DataVersion(ctx context.Context) (int64, time.Time, error) {
	var row struct {
		Version   int64
		ChangedAt dbTime
	}
	err := s.conn(ctx).Raw("SELECT version, changed_at FROM data_changes WHERE id = 1").Scan(&row).Error
	return row.Version, row.ChangedAt.Time, translate(err, "data version")
}

// load reads one record by its ref, deleted or not.
func (w *writer) load(ref Ref) (*state, error) {
	table := tableOf[ref.Type]
	if table == "" {
		return nil, apperr.Errorf(apperr.Invalid, "%s records cannot be changed through the API", ref.Type)
	}
	where := clause{"t." + keyColumn[table] + " = ?", []any{ref.Key}}
	if table == "moves" {
		where = clause{"t.slug = ? AND t.kind = ?", []any{ref.Key, kindOf(ref.Type)}}
	}
	sts, err := readStates(w.tx, table, where)
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
func (w *writer) loadLive(ref Ref, expected *int) (*state, error) {
	st, err := w.load(ref)
	if err != nil {
		return nil, err
	}
	if st.deleted() {
		return nil, apperr.Errorf(apperr.NotFound, "%s %s is deleted (an admin can restore it)", ref.Type, ref.Key)
	}
	if expected != nil && *expected != st.Version {
		return nil, staleVersion(st, *expected)
	}
	return st, nil
}

func staleVersion(st *state, expected int) error {
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
func newValues(typ string) Values {
	switch typ {
	case globalid.Country:
		return &CountryValues{}
	case globalid.Company:
		return &CompanyValues{}
	case globalid.Product:
		return &ProductValues{}
	case globalid.Source:
		return &SourceValues{}
	case globalid.Case:
		return &CaseValues{}
	}
	return &MoveValues{}
}

// cloneValues deep-copies values (through JSON: they are plain data).
func cloneValues(v Values) Values {
	out := newValues(v.recordType())
	if err := json.Unmarshal([]byte(*valuesJSON(v)), out); err != nil {
		panic(fmt.Sprintf("clone record values: %v", err))
	}
	return out
}

// column is one column of a row write.
type column struct {
	name  string
	value any
}

func null(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// putRow inserts (old nil) or updates the row of values, bumping the version; an update
// whose version moved since it was read writes nothing and is a CONFLICT. It returns the
// record's new state.
func (w *writer) putRow(old *state, v Values, idx *dbIndex) (*state, error) {
	table, key := v.key()
	cols := v.columns(idx)
	names := make([]string, len(cols))
	args := make([]any, len(cols))
	for i, c := range cols {
		names[i], args[i] = c.name, c.value
	}
	st := &state{Type: v.recordType(), Key: key, Values: v}
	if old == nil {
		var id int64
		q := fmt.Sprintf("INSERT INTO %s (%s, version, created_at, updated_at) VALUES (%s, 1, ?, ?) RETURNING id",
			table, strings.Join(names, ", "), strings.Repeat("?, ", len(cols)-1)+"?")
		if err := w.tx.Raw(q, append(args, w.now, w.now)...).Scan(&id).Error; err != nil {
			return nil, err
		}
		st.ID, st.Version = id, 1
		idx.add(table, key, id)
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

// linkSet is one many-to-many table of a record's values.
type linkSet struct {
	table, parentCol, col string
	refTable              string // the table col refers to ("" for plain values: concerns)
	get                   func(v Values) []string
}

var (
	caseSets = []linkSet{{"case_sources", "case_id", "source_id", "sources", func(v Values) []string { return v.(*CaseValues).Sources }}}
	moveSets = []linkSet{
		{"move_concerns", "move_id", "concern", "", func(v Values) []string { return v.(*MoveValues).Concerns }},
		{"move_companies", "move_id", "company_id", "companies", func(v Values) []string { return v.(*MoveValues).Companies }},
		{"move_products", "move_id", "product_id", "products", func(v Values) []string { return v.(*MoveValues).Products }},
		{"move_counterparts", "move_id", "country_id", "countries", func(v Values) []string { return v.(*MoveValues).Counterparts }},
		{"move_links", "reply_id", "target_id", "moves", func(v Values) []string { return v.(*MoveValues).InReplyTo }},
		{"move_sources", "move_id", "source_id", "sources", func(v Values) []string { return v.(*MoveValues).Sources }},
	}
)

// putSets rewrites the link sets of a record that differ from before (nil: a new record).
func (w *writer) putSets(id int64, before, after Values, idx *dbIndex) error {
	for _, ls := range after.sets() {
		want := ls.get(after)
		if before != nil && slices.Equal(ls.get(before), want) {
			continue
		}
		if before != nil {
			if err := w.tx.Exec("DELETE FROM "+ls.table+" WHERE "+ls.parentCol+" = ?", id).Error; err != nil {
				return err
			}
		}
		if len(want) == 0 {
			continue
		}
		rows := make([]map[string]any, len(want))
		for i, k := range want {
			var val any = k
			if ls.refTable != "" {
				val = idx.id(ls.refTable, k)
			}
			rows[i] = map[string]any{ls.parentCol: id, ls.col: val}
		}
		if err := w.tx.Table(ls.table).Create(rows).Error; err != nil {
			return fmt.Errorf("%s: %w", ls.table, err)
		}
	}
	return nil
}

// setDeleted soft-deletes or restores a record, bumping its version.
func (w *writer) setDeleted(st *state, deleted bool) (*state, error) {
	var at any
	if deleted {
		at = w.now
	}
	res := w.tx.Exec("UPDATE "+tableOf[st.Type]+" SET deleted_at = ?, updated_at = ?, version = version + 1 WHERE id = ? AND version = ?",
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
func (w *writer) record(action string, after *state, before, afterValues Values, reverts *int64) error {
	rev := &model.Revision{At: w.now, Actor: w.actor, Act: action, RecordType: after.Type, NodeID: after.nodeID(),
		Version: after.Version, BeforeValues: valuesJSON(before), AfterValues: valuesJSON(afterValues), RevertsID: reverts}
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
		DeletedAt          dbTime
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
		if deref(c.StartDate) == s.start && deref(c.EndDate) == s.end {
			continue
		}
		if err := w.tx.Exec("UPDATE cases SET start_date = ?, end_date = ?, updated_at = ? WHERE id = ?", s.start, s.end, w.now, c.ID).Error; err != nil {
			return err
		}
	}
	return nil
}
