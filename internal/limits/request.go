package limits

import (
	"context"
	"sync/atomic"
	"time"

	"github.com/cybertrade/cybertrade/internal/ctxkey"
)

// Request is the state of one request that the HTTP layer, the limits and the resolvers
// share. The HTTP layer puts one in the context (WithRequest) before the GraphQL handler runs.
// Its fields are unexported and each has one writer, through one method:
//
//   - the client (the rate-limit key): the HTTP layer, with NewRequest and SetClient (the
//     peer address, then a trusted proxy's forwarded address, then a token's name);
//   - the operation (name, cost, whether it was analysed, charged and admitted, the client's
//     budget after it): this package alone, by the Extension and by ChargeDownload;
//   - private (the answer depends on who asks): the resolvers, with MarkPrivate.
//
// Everyone else reads: Client, Operation, Private.
type Request struct {
	client  string
	op      Operation
	private atomic.Bool // set while resolvers run, possibly in goroutines of their own
}

// Operation is what the limits learned about the request's operation (or download).
type Operation struct {
	Name     string // the operation's name, when it has one
	Analyzed bool   // whether the operation was analysed (Cost is meaningful)
	Cost     int    // the operation's cost, or what a download was charged
	MaxCost  int    // the most one operation may cost
	Usage    *Usage // the client's budget after this request; nil when nothing was charged
	// Admitted is set when the operation passed every check and was charged: it runs. Only
	// the names of admitted operations take a metric label of their own.
	Admitted bool
}

// NewRequest returns the state of a request from the client at address client.
func NewRequest(client string) *Request { return &Request{client: client} }

// SetClient changes the rate-limit key: a trusted proxy's forwarded address, a token.
func (r *Request) SetClient(client string) { r.client = client }

// Client is the rate-limit key of the request.
func (r *Request) Client() string { return r.client }

// Operation is what the limits recorded about the request's operation.
func (r *Request) Operation() Operation { return r.op }

// MarkPrivate records that the answer depends on who asks (the `rateLimit` field), so that
// shared caches must not keep it.
func (r *Request) MarkPrivate() { r.private.Store(true) }

// Private reports whether MarkPrivate was called.
func (r *Request) Private() bool { return r.private.Load() }

func (r *Request) analyzed(name string, cost, maxCost int) {
	r.op.Name, r.op.Analyzed, r.op.Cost, r.op.MaxCost = name, true, cost, maxCost
}

func (r *Request) charged(cost int, u Usage) { r.op.Cost, r.op.Usage = cost, &u }

func (r *Request) admitted() { r.op.Admitted = true }

// WithRequest returns ctx carrying r.
func WithRequest(ctx context.Context, r *Request) context.Context { return ctxkey.With(ctx, r) }

// RequestFrom returns the request state in ctx, or nil.
func RequestFrom(ctx context.Context) *Request { return ctxkey.From[*Request](ctx) }

// ChargeDownload takes cost from the budget of the client of the request in ctx (an export
// download, priced by the HTTP layer) and records the charge on the request. It returns the
// client's budget after it, or nil when nothing was charged: no request state, rate limiting
// off, or a failing rate store (which lets the download through, as it does queries).
func ChargeDownload(ctx context.Context, cfg Config, rates RateStore, cost int, now time.Time) *Usage {
	req := RequestFrom(ctx)
	if cfg.RatePerMinute <= 0 || req == nil {
		return nil
	}
	u, err := rates.Take(ctx, req.client, cost, cfg.RatePerMinute, Window, now)
	if err != nil {
		return nil
	}
	req.charged(cost, u)
	return &u
}
