package graph

import (
	"context"

	"github.com/cybertrade/cybertrade/model"
	"github.com/cybertrade/cybertrade/store"
)

// relatedRows loads the children of parent over rel, child rows included, in one batched
// statement per field path.
func relatedRows[T any](ctx context.Context, rel store.Relation, parent int64) ([]*T, error) {
	rows, err := relatedRowsLoader[T](ctx, rel).Load(ctx, parent)
	out := make([]*T, len(rows))
	for i := range rows {
		out[i] = &rows[i]
	}
	return out, err
}

// linkedMoves loads the moves a move answers (MoveInReplyTo) or that answered it (MoveReplies).
func linkedMoves(ctx context.Context, rel store.Relation, m *model.MoveRecord) ([]model.Move, error) {
	recs, err := relatedRows[model.MoveRecord](ctx, rel, m.RowID)
	if err != nil {
		return nil, err
	}
	out := make([]model.Move, len(recs))
	for i, r := range recs {
		out[i] = r.AsMove()
	}
	return out, nil
}

func moveCase(ctx context.Context, m *model.MoveRecord) (*model.Case, error) {
	return caseLoader(ctx).Load(ctx, m.CaseID)
}

func moveCountry(ctx context.Context, m *model.MoveRecord) (*model.Country, error) {
	return countryLoader(ctx).Load(ctx, m.CountryID)
}
