package curate

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/cybertrade/cybertrade/dataset"
	"github.com/cybertrade/cybertrade/internal/apperr"
	"github.com/cybertrade/cybertrade/internal/globalid"
	"github.com/cybertrade/cybertrade/model"
	"github.com/cybertrade/cybertrade/store/core"
	"github.com/cybertrade/cybertrade/store/record"
)

// validate loads the index of what values refer to and runs the checks; isNew also refuses a
// key another live record has. move is the position reported in an InvalidRecord.
func (w *writer) validate(v record.Values, isNew bool, move int) (*record.Index, error) {
	idx, err := record.LoadIndex(w.tx, v.Refs())
	if err != nil {
		return nil, err
	}
	issues := v.Check(idx)
	if isNew {
		table, key := v.NaturalKey()
		if idx.Has(table, key) {
			issues = append([]dataset.Issue{v.Duplicate()}, issues...)
		}
	}
	if len(issues) > 0 {
		return nil, invalid(move, issues...)
	}
	return idx, nil
}

// Create adds a record: a *record.CompanyValues, *record.ProductValues,
// *record.SourceValues or *record.MoveValues (for a case with its moves, see CreateCase). It
// returns the revision recorded.
func (s *Curator) Create(ctx context.Context, actor string, values record.Values) (*model.Revision, error) {
	values.Normalize()
	return s.write(ctx, "create", actor, func(w *writer) error {
		idx, err := w.validate(values, true, -1)
		if err != nil {
			return err
		}
		st, err := w.putRow(nil, values, idx)
		if err != nil {
			return err
		}
		if err := w.putSets(st.ID, nil, values, idx); err != nil {
			return err
		}
		if m, ok := values.(*record.MoveValues); ok {
			w.touchCase(idx.ID("cases", m.Case))
		}
		return w.record(record.ActionCreate, st, nil, values, nil)
	})
}

// CreateCase adds a case with its moves (a case needs at least one). Moves may answer each
// other and any existing move.
func (s *Curator) CreateCase(ctx context.Context, actor string, c *record.CaseValues, moves []*record.MoveValues) (*model.Revision, error) {
	c.Normalize()
	return s.write(ctx, "createCase", actor, func(w *writer) error {
		all := c.Refs()
		for _, m := range moves {
			m.Case = c.Slug
			m.Normalize()
			all.AddMove(m)
			all.Moves = append(all.Moves, m.Slug)
		}
		idx, err := record.LoadIndex(w.tx, all)
		if err != nil {
			return err
		}
		// The checks see the new case and moves as existing, as Validate sees a whole file.
		issues := c.Check(idx)
		if idx.Has("cases", c.Slug) {
			issues = append([]dataset.Issue{c.Duplicate()}, issues...)
		}
		if len(moves) == 0 {
			issues = append(issues, dataset.Issue{Field: "moves", Message: dataset.NoMoves})
		}
		if len(issues) > 0 {
			return invalid(-1, issues...)
		}
		seen := map[string]bool{}
		for i, m := range moves {
			if idx.Has("moves", m.Slug) || seen[m.Slug] {
				return invalid(i, m.Duplicate())
			}
			seen[m.Slug] = true
		}
		idx.Add("cases", c.Slug, 0)
		for _, m := range moves {
			idx.Add("moves", m.Slug, 0)
			idx.AddDate(m.Slug, m.Dated())
		}
		for i, m := range moves {
			if is := m.Check(idx); len(is) > 0 {
				return invalid(i, is...)
			}
		}
		cs, err := w.putRow(nil, c, idx)
		if err != nil {
			return err
		}
		if err := w.putSets(cs.ID, nil, c, idx); err != nil {
			return err
		}
		if err := w.record(record.ActionCreate, cs, nil, c, nil); err != nil {
			return err
		}
		caseRev := w.last
		states := make([]*record.State, len(moves))
		for i, m := range moves {
			if states[i], err = w.putRow(nil, m, idx); err != nil {
				return err
			}
		}
		for i, m := range moves {
			if err := w.putSets(states[i].ID, nil, m, idx); err != nil {
				return err
			}
			if err := w.record(record.ActionCreate, states[i], nil, m, nil); err != nil {
				return err
			}
		}
		w.touchCase(cs.ID)
		w.last = caseRev
		return nil
	})
}

// Update changes a live record at the version the client read: patch edits a copy of its
// values (a *record.CompanyValues, …, as Create takes). A patch that changes nothing writes nothing.
func (s *Curator) Update(ctx context.Context, actor string, ref Ref, expected int, patch func(values record.Values) error) (*model.Revision, error) {
	return s.write(ctx, "update", actor, func(w *writer) error {
		st, err := w.loadLive(ref, &expected)
		if err != nil {
			return err
		}
		after := cloneValues(st.Values)
		if err := patch(after); err != nil {
			return err
		}
		return w.change(st, after, record.ActionUpdate, nil)
	})
}

// change writes new values over a live record and records the revision; no change is
// errNoChange.
func (w *writer) change(st *record.State, after record.Values, action string, reverts *int64) error {
	after.Normalize()
	if *record.JSON(after) == *record.JSON(st.Values) {
		return errNoChange
	}
	if _, key := after.NaturalKey(); key != st.Key {
		return apperr.Errorf(apperr.Invalid, "a record's key (slug, citation key) cannot change: it is its identity")
	}
	if after.RecordType() != st.Type {
		return apperr.Errorf(apperr.Invalid, "a move cannot change between action and response")
	}
	idx, err := w.validate(after, false, -1)
	if err != nil {
		return err
	}
	if m, ok := st.Values.(*record.MoveValues); ok {
		if err := w.checkReplies(st, after.(*record.MoveValues), idx); err != nil {
			return err
		}
		w.touchCase(idx.ID("cases", after.(*record.MoveValues).Case))
		if m.Case != after.(*record.MoveValues).Case {
			old, err := record.LoadIndex(w.tx, record.Refs{Cases: []string{m.Case}})
			if err != nil {
				return err
			}
			w.touchCase(old.ID("cases", m.Case))
		}
	}
	next, err := w.putRow(st, after, idx)
	if err != nil {
		return err
	}
	if err := w.putSets(st.ID, st.Values, after, idx); err != nil {
		return err
	}
	return w.record(action, next, st.Values, after, reverts)
}

// Link adds (or, with add false, removes) the link "reply answers target". The link is one of
// the reply's values: its version is checked (when expected is set) and bumped.
func (s *Curator) Link(ctx context.Context, actor string, reply, target Ref, expected *int, add bool) (*model.Revision, error) {
	return s.write(ctx, "link", actor, func(w *writer) error {
		st, err := w.loadLive(reply, expected)
		if err != nil {
			return err
		}
		if _, err := w.loadLive(target, nil); err != nil && add {
			return err
		}
		after := cloneValues(st.Values).(*record.MoveValues)
		has := false
		for _, t := range after.InReplyTo {
			has = has || t == target.Key
		}
		switch {
		case add && has:
			return apperr.Errorf(apperr.Conflict, "%s already answers %s", reply.Key, target.Key)
		case !add && !has:
			return apperr.Errorf(apperr.NotFound, "%s does not answer %s: there is no such link", reply.Key, target.Key)
		case add:
			after.InReplyTo = append(after.InReplyTo, target.Key)
		default:
			after.InReplyTo = without(after.InReplyTo, map[string]bool{target.Key: true})
		}
		return w.change(st, after, record.ActionUpdate, nil)
	})
}

func without(xs []string, drop map[string]bool) []string {
	out := []string{}
	for _, x := range xs {
		if !drop[x] {
			out = append(out, x)
		}
	}
	return out
}

// DeleteOptions changes what Delete does about records that depend on the one deleted.
type DeleteOptions struct {
	// UnlinkReplies removes the links of live moves that answer a deleted move (each such move
	// is changed, and recorded); without it such a delete is refused.
	UnlinkReplies bool
}

// Delete soft-deletes a live record (and a case's moves with it), refusing when live records
// still need it: a company's products and moves, a product's or source's citing moves and
// cases, the answers to a move (see DeleteOptions).
func (s *Curator) Delete(ctx context.Context, actor string, ref Ref, expected *int, opts DeleteOptions) (*model.Revision, error) {
	return s.write(ctx, "delete", actor, func(w *writer) error {
		st, err := w.loadLive(ref, expected)
		if err != nil {
			return err
		}
		return w.delete(st, opts, record.ActionDelete, nil)
	})
}

func (w *writer) delete(st *record.State, opts DeleteOptions, action string, reverts *int64) error {
	if err := w.refuseDelete(st); err != nil {
		return err
	}
	var moves []record.State
	if st.Type == globalid.Case {
		var err error
		if moves, err = record.ReadStates(w.tx, "moves", core.Clause{SQL: "t.case_id = ? AND t.deleted_at IS NULL", Args: []any{st.ID}}); err != nil {
			return err
		}
	}
	if m, ok := st.Values.(*record.MoveValues); ok {
		moves = []record.State{*st}
		idx, err := record.LoadIndex(w.tx, record.Refs{Cases: []string{m.Case}})
		if err != nil {
			return err
		}
		w.touchCase(idx.ID("cases", m.Case))
	}
	if err := w.unlinkReplies(moves, opts.UnlinkReplies); err != nil {
		return err
	}
	gone, err := w.setDeleted(st, true)
	if err != nil {
		return err
	}
	if err := w.record(action, gone, st.Values, nil, reverts); err != nil {
		return err
	}
	if st.Type != globalid.Case {
		return nil
	}
	last := w.last
	for i := range moves {
		gone, err := w.setDeleted(&moves[i], true)
		if err != nil {
			return err
		}
		if err := w.record(record.ActionDelete, gone, moves[i].Values, nil, nil); err != nil {
			return err
		}
	}
	w.last = last // the case's revision is the one to report
	return nil
}

// refuseDelete refuses to delete a record that live records still need.
func (w *writer) refuseDelete(st *record.State) error {
	var q string
	switch st.Type {
	case globalid.Company:
		q = `SELECT 'product' AS what, p.slug AS key FROM products p WHERE p.company_id = @id AND p.deleted_at IS NULL
			UNION ALL SELECT 'move', m.slug FROM moves m WHERE m.company_id = @id AND m.deleted_at IS NULL
			UNION ALL SELECT 'move', m.slug FROM move_companies x JOIN moves m ON m.id = x.move_id AND m.deleted_at IS NULL WHERE x.company_id = @id`
	case globalid.Product:
		q = `SELECT 'move' AS what, m.slug AS key FROM move_products x JOIN moves m ON m.id = x.move_id AND m.deleted_at IS NULL WHERE x.product_id = @id`
	case globalid.Source:
		q = `SELECT 'move' AS what, m.slug AS key FROM move_sources x JOIN moves m ON m.id = x.move_id AND m.deleted_at IS NULL WHERE x.source_id = @id
			UNION ALL SELECT 'case', k.slug FROM case_sources x JOIN cases k ON k.id = x.case_id AND k.deleted_at IS NULL WHERE x.source_id = @id`
	default:
		return nil
	}
	var rows []struct{ What, Key string }
	if err := w.tx.Raw(q, sql.Named("id", st.ID)).Scan(&rows).Error; err != nil {
		return err
	}
	if len(rows) == 0 {
		return nil
	}
	byWhat := map[string][]string{}
	for _, r := range rows {
		byWhat[r.What] = append(byWhat[r.What], r.Key)
	}
	var parts []string
	for _, what := range []string{"product", "case", "move"} {
		if keys := byWhat[what]; len(keys) > 0 {
			parts = append(parts, fmt.Sprintf("%d live %s(s) (%s)", len(keys), what, list(keys)))
		}
	}
	return apperr.Errorf(apperr.Conflict, "%s %s is still needed by %s: delete or change those first",
		strings.ToLower(st.Type), st.Key, strings.Join(parts, " and "))
}

// list names up to five keys.
func list(keys []string) string {
	if len(keys) > 5 {
		return strings.Join(keys[:5], ", ") + fmt.Sprintf(" and %d more", len(keys)-5)
	}
	return strings.Join(keys, ", ")
}

// unlinkReplies handles the live moves (outside those deleted) that answer the moves about to
// be deleted: refused unless unlink, else their links to them are removed.
func (w *writer) unlinkReplies(deleting []record.State, unlink bool) error {
	if len(deleting) == 0 {
		return nil
	}
	ids := make([]int64, len(deleting))
	gone := map[string]bool{}
	for i, m := range deleting {
		ids[i] = m.ID
		gone[m.Key] = true
	}
	replies, err := record.ReadStates(w.tx, "moves", core.Clause{SQL: "t.deleted_at IS NULL AND t.id NOT IN ? AND t.id IN (SELECT reply_id FROM move_links WHERE target_id IN ?)", Args: []any{ids, ids}})
	if err != nil || len(replies) == 0 {
		return err
	}
	if !unlink {
		keys := make([]string, len(replies))
		for i, r := range replies {
			keys[i] = r.Key
		}
		return apperr.Errorf(apperr.Conflict, "live moves answer what you are deleting: %s; change them first, or delete with unlinkReplies: true to remove those links too", list(keys))
	}
	for i := range replies {
		after := cloneValues(replies[i].Values).(*record.MoveValues)
		after.InReplyTo = without(after.InReplyTo, gone)
		if err := w.change(&replies[i], after, record.ActionUpdate, nil); err != nil {
			return err
		}
	}
	return nil
}

// Restore brings a deleted record back (a case with the moves deleted with it), once the
// shared checks pass on its values: what it refers to must be live again.
func (s *Curator) Restore(ctx context.Context, actor string, ref Ref) (*model.Revision, error) {
	if err := editable(ref.Type); err != nil {
		return nil, err
	}
	return s.write(ctx, "restore", actor, func(w *writer) error {
		st, err := w.load(ref)
		if err != nil {
			return err
		}
		return w.restore(st, record.ActionRestore, nil)
	})
}

func (w *writer) restore(st *record.State, action string, reverts *int64) error {
	if !st.Deleted() {
		return apperr.Errorf(apperr.Conflict, "%s %s is not deleted", st.Type, st.Key)
	}
	var moves []record.State
	if st.Type == globalid.Case {
		all, err := record.ReadStates(w.tx, "moves", core.Clause{SQL: "t.case_id = ? AND t.deleted_at IS NOT NULL", Args: []any{st.ID}})
		if err != nil {
			return err
		}
		for _, m := range all {
			if m.DeletedAt.Equal(st.DeletedAt) {
				moves = append(moves, m)
			}
		}
	}
	back, err := w.setDeleted(st, false)
	if err != nil {
		return err
	}
	idx, err := w.validate(st.Values, false, -1)
	if err != nil {
		return err
	}
	if err := w.record(action, back, nil, st.Values, reverts); err != nil {
		return err
	}
	if m, ok := st.Values.(*record.MoveValues); ok {
		w.touchCase(idx.ID("cases", m.Case))
	}
	if st.Type != globalid.Case {
		return nil
	}
	last := w.last
	restored := make([]*record.State, len(moves))
	for i := range moves {
		if restored[i], err = w.setDeleted(&moves[i], false); err != nil {
			return err
		}
	}
	for i, m := range moves {
		if _, err := w.validate(m.Values, false, -1); err != nil {
			return err
		}
		if err := w.record(record.ActionRestore, restored[i], nil, m.Values, nil); err != nil {
			return err
		}
	}
	w.touchCase(st.ID)
	w.last = last
	return nil
}

// Revision reads one revision (NOT_FOUND when there is none).
func (s *Curator) Revision(ctx context.Context, id int64) (*model.Revision, error) {
	var rows []model.Revision
	if err := s.db.Primary(ctx).Where("id = ?", id).Limit(1).Find(&rows).Error; err != nil {
		return nil, core.Translate(err, "revision")
	}
	if len(rows) == 0 {
		return nil, apperr.Errorf(apperr.NotFound, "no revision with id %s", model.RevisionID(id))
	}
	return &rows[0], nil
}

// Revert undoes one recorded change, provided the record has not changed since: a create or
// restore is undone by deleting, a delete by restoring, an update by writing the values before
// it back (checked like any write). The revert is recorded too, and returned.
func (s *Curator) Revert(ctx context.Context, actor string, id int64) (Ref, *model.Revision, error) {
	var ref Ref
	rev, err := s.write(ctx, "revert", actor, func(w *writer) error {
		var rows []model.Revision
		if err := w.tx.Where("id = ?", id).Limit(1).Find(&rows).Error; err != nil {
			return err
		}
		if len(rows) == 0 {
			return apperr.Errorf(apperr.NotFound, "no revision with id %s", model.RevisionID(id))
		}
		r := &rows[0]
		typ, key, err := globalid.Decode(r.NodeID)
		if err != nil {
			return err
		}
		ref = Ref{Type: typ, Key: key}
		if err := editable(typ); err != nil {
			return err
		}
		st, err := w.load(ref)
		if err != nil {
			return err
		}
		if st.Version != r.Version {
			return apperr.Errorf(apperr.Conflict, "%s %s changed after this revision (it is at version %d, the revision left it at %d): revert the later revisions first, newest first",
				st.Type, st.Key, st.Version, r.Version)
		}
		switch {
		case r.BeforeValues == nil: // a create or a restore
			if err := w.delete(st, DeleteOptions{}, record.ActionRevert, &r.RowID); err != nil {
				return err
			}
		case r.AfterValues == nil: // a delete
			if err := w.restore(st, record.ActionRevert, &r.RowID); err != nil {
				return err
			}
		default:
			before := newValues(typ)
			if err := json.Unmarshal([]byte(*r.BeforeValues), before); err != nil {
				return fmt.Errorf("revision %d: %w", r.RowID, err)
			}
			if err := w.change(st, before, record.ActionRevert, &r.RowID); err != nil {
				if err == errNoChange {
					return apperr.Errorf(apperr.Conflict, "revision %s changed nothing to revert", model.RevisionID(id))
				}
				return err
			}
		}
		return nil
	})
	return ref, rev, err
}

// checkReplies checks, when a move's date changes, that the live moves answering it still
// answer an earlier move: the check the files' validator makes on those moves.
func (w *writer) checkReplies(st *record.State, after *record.MoveValues, idx *record.Index) error {
	if st.Values.(*record.MoveValues).Date == after.Date {
		return nil
	}
	var replies []struct{ Slug, Date string }
	if err := w.tx.Raw("SELECT r.slug, r.date FROM move_links x JOIN moves r ON r.id = x.reply_id AND r.deleted_at IS NULL WHERE x.target_id = ? ORDER BY r.slug",
		st.ID).Scan(&replies).Error; err != nil {
		return err
	}
	idx.AddDate(after.Slug, after.Dated())
	var issues []dataset.Issue
	for _, r := range replies {
		if is := dataset.CheckReply(r.Slug, dataset.DateOf(r.Date), after.Slug, idx); is != nil {
			issues = append(issues, dataset.Issue{Field: "date", Message: "move " + r.Slug + ": " + is.Message})
		}
	}
	if len(issues) > 0 {
		return invalid(-1, issues...)
	}
	return nil
}

// editable refuses the records the API does not change: countries (countries.yaml is their
// source, kept in step with ISO 3166-1).
func editable(typ string) error {
	if typ == globalid.Country {
		return apperr.Errorf(apperr.Invalid, "countries change only through the data files (countries.yaml), not through the API")
	}
	return nil
}
