package graph

import (
	"context"

	"github.com/cybertrade/cybertrade/internal/apperr"
	"github.com/cybertrade/cybertrade/internal/globalid"
	"github.com/cybertrade/cybertrade/model"
	"github.com/cybertrade/cybertrade/store"
)

// chain resolves the start move of a chain by its global id and follows its links.
func (r *Resolver) chain(ctx context.Context, id string, direction *model.ChainDirection, maxDepth *int) ([]*model.ChainEntry, error) {
	typ, _, err := globalid.Decode(id)
	if err != nil {
		return nil, apperr.InvalidField("id", "%q is not a valid id; use an `id` returned by this API", id)
	}
	if typ != globalid.CountryAction && typ != globalid.CompanyResponse {
		return nil, apperr.InvalidField("id", "a chain starts from a move (CountryAction or CompanyResponse), not a %s", typ)
	}
	depth := 5
	if maxDepth != nil {
		depth = *maxDepth
	}
	dir := model.ChainDirectionBoth
	if direction != nil {
		dir = *direction
	}
	n, err := r.node(ctx, id)
	if err != nil {
		return nil, err
	}
	start := moveRecord(n.(model.Move))
	steps, err := r.Store.Chain(ctx, start.RowID, dir != model.ChainDirectionBackward, dir != model.ChainDirectionForward, depth)
	if err != nil {
		return nil, err
	}
	recs := []*model.MoveRecord{start}
	for i := range steps {
		recs = append(recs, &steps[i].MoveRecord)
	}
	link(ctx, r.Store, recs...)
	out := make([]*model.ChainEntry, 0, len(steps)+1)
	placed := false
	for i := range steps {
		if !placed && steps[i].Depth > 0 {
			out, placed = append(out, &model.ChainEntry{Move: start.AsMove()}), true
		}
		out = append(out, &model.ChainEntry{Depth: steps[i].Depth, Move: steps[i].MoveRecord.AsMove(), ViaID: steps[i].Via})
	}
	if !placed {
		out = append(out, &model.ChainEntry{Move: start.AsMove()})
	}
	register(ctx, r.Store, out, noID[model.ChainEntry]) // their via loads once for all
	return out, nil
}

// moveRecord is the record behind a Move.
func moveRecord(m model.Move) *model.MoveRecord {
	switch x := m.(type) {
	case *model.CountryAction:
		return x.MoveRecord
	case *model.CompanyResponse:
		return x.MoveRecord
	}
	return nil
}

// chainVia loads the move a chain entry was reached from: for every entry of the chain at once.
func chainVia(ctx context.Context, st *store.Store, e *model.ChainEntry) (model.Move, error) {
	if e.ViaID == nil {
		return nil, nil
	}
	g := groupOf(ctx, st, e, noID[model.ChainEntry])
	m, err := one(g, "move", func(e *model.ChainEntry) int64 {
		if e.ViaID == nil {
			return 0
		}
		return *e.ViaID
	}, func(ctx context.Context, ids []int64) ([]model.MoveRecord, error) {
		rows, err := st.MovesByID(ctx, ids)
		linkItems(ctx, st, rows)
		return rows, err
	}, func(m *model.MoveRecord) int64 { return m.RowID }, *e.ViaID)
	if err != nil {
		return nil, err
	}
	return m.AsMove(), nil
}

// noID is the id of objects that are not rows (chain entries): they are grouped, never
// looked up by id.
func noID[T any](*T) int64 { return 0 }
