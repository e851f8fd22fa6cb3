package graph

import (
	"context"
	"time"

	"github.com/cybertrade/cybertrade/internal/limits"
	"github.com/cybertrade/cybertrade/model"
)

// rateLimit reports the request's cost and the client's budget, as the limits extension
// recorded them before the operation ran.
func rateLimit(ctx context.Context) *model.RateLimit {
	out := &model.RateLimit{ResetAt: time.Now().UTC().Truncate(limits.Window).Add(limits.Window)}
	req := limits.RequestFrom(ctx)
	if req == nil {
		return out
	}
	req.MarkPrivate() // the answer depends on who asks: shared caches must not keep it
	op := req.Operation()
	out.Cost, out.MaxCost = op.Cost, op.MaxCost
	if u := op.Usage; u != nil {
		out.Enabled = true
		out.Limit, out.Used, out.Remaining, out.ResetAt = u.Limit, u.Used, u.Remaining, u.Reset.UTC()
	}
	return out
}
