package graph

import (
	"context"

	"github.com/cybertrade/cybertrade/store/reads"
)

// relatedRows loads the children of parent over rel, child rows included, in one batched
// statement per field path.
func relatedRows[T any](ctx context.Context, rel reads.Relation, parent int64) ([]*T, error) {
	rows, err := relatedRowsLoader[T](ctx, rel).Load(ctx, parent)
	out := make([]*T, len(rows))
	for i := range rows {
		out[i] = &rows[i]
	}
	return out, err
}
