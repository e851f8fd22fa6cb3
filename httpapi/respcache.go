package httpapi

import (
	"context"
	"crypto/sha256"
	"encoding/hex"

	"github.com/99designs/gqlgen/graphql"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/cybertrade/cybertrade/internal/auth"
	"github.com/cybertrade/cybertrade/internal/limits"
	"github.com/cybertrade/cybertrade/internal/respcache"
)

// The response cache (Options.Cache): whole answers to anonymous queries, keyed by the
// normalized query, operation name and variables, the schema, and the data version the store
// keeps in memory (store.KnownDataVersion, no statement). Any write moves the version, so
// later requests use new keys at once. What stays as without the cache:
//   - the limits run first: a cached answer is analysed, costs the client its budget and
//     carries the same extensions.cost and X-RateLimit headers; a refusal is never served from
//     the cache;
//   - only answers with status 200 and no errors are kept; errors always run;
//   - requests with a bearer token, mutations, and answers that depend on who asks (the
//     rateLimit field) are neither served from the cache nor kept in it;
//   - the body keeps extensions.dataset.version (and its ETag covers it): the key's data
//     version and the release were read together;
//   - when the store cannot vouch for the version (the watcher is not running, the database
//     or its notifications are lost), the cache stands aside.

// versionSource tells the data version to key on; *store.Store is one.
type versionSource interface {
	KnownDataVersion() (int64, bool)
}

// cacher is the transport's view of the response cache.
type cacher struct {
	store   respcache.Store
	version versionSource
	schema  string // digest of the schema: answers of another build never match
	norm    *respcache.Normalized
	results *prometheus.CounterVec
}

func newCacher(st respcache.Store, v versionSource, sdl []byte, m *Metrics) *cacher {
	if st == nil {
		return nil
	}
	sum := sha256.Sum256(sdl)
	return &cacher{store: st, version: v, schema: hex.EncodeToString(sum[:]), norm: respcache.NewNormalized(1000), results: m.cacheResults}
}

// key returns the operation's cache key, or false when its answer must not come from the
// cache nor go in it. releaseAt is the data version the answer's dataset release was read at:
// unless it is the version keyed on, the answer could carry another release than the data it
// was computed from, so the cache stands aside (for the moment the watcher needs to read both).
func (c *cacher) key(ctx context.Context, rc *graphql.OperationContext, releaseAt int64) (string, bool) {
	if c == nil {
		return "", false
	}
	if rc.Operation == nil || rc.Operation.Operation != ast.Query || auth.From(ctx) != nil {
		c.results.WithLabelValues("bypass").Inc()
		return "", false
	}
	v, ok := c.version.KnownDataVersion()
	if !ok || v != releaseAt {
		c.results.WithLabelValues("bypass").Inc()
		return "", false
	}
	key, err := c.norm.Key(c.schema, v, rc.RawQuery, rc.OperationName, rc.Variables)
	if err != nil {
		c.results.WithLabelValues("bypass").Inc()
		return "", false
	}
	return key, true
}

// get returns the cached answer for key, if its cost is the one the limits just charged.
func (c *cacher) get(ctx context.Context, key string) (*respcache.Entry, bool) {
	e, ok := c.store.Get(ctx, key)
	if ok {
		if req := limits.RequestFrom(ctx); req != nil && req.Operation().Analyzed && req.Operation().Cost != e.Cost {
			ok = false
		}
	}
	if ok {
		c.results.WithLabelValues("hit").Inc()
	} else {
		c.results.WithLabelValues("miss").Inc()
	}
	return e, ok
}

// set keeps an answer unless it depends on who asked.
func (c *cacher) set(ctx context.Context, key string, body []byte, etag string) {
	req := limits.RequestFrom(ctx)
	if req != nil && req.Private() {
		return
	}
	e := &respcache.Entry{Body: body, ETag: etag}
	if req != nil {
		e.Cost = req.Operation().Cost
	}
	c.store.Set(ctx, key, e)
}
