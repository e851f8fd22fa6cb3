package cli

import (
	"context"
	"log/slog"

	"github.com/cybertrade/cybertrade/httpapi"
	"github.com/cybertrade/cybertrade/internal/config"
	"github.com/cybertrade/cybertrade/internal/respcache"
	"github.com/cybertrade/cybertrade/internal/shared"
	"github.com/cybertrade/cybertrade/store"
)

// wireScale fills in opts' shared state (in process, or in Redis when REDIS_URL is set) and
// starts the store's data-version watcher, which the response cache and the aggregations key
// on. The returned function releases what it opened.
func wireScale(ctx context.Context, c config.Config, st *store.Store, opts *httpapi.Options, log *slog.Logger) (func(), error) {
	opts.TrustedProxies = c.TrustedProxies
	wctx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { defer close(done); st.WatchDataVersion(wctx, 0) }()
	cleanup := func() { stop(); <-done }

	var near *respcache.Memory
	if c.Cache {
		near = respcache.NewMemory(c.CacheEntries, c.CacheBytes)
		opts.Cache = near
	}
	if c.RedisURL == "" {
		log.Info("shared state in process", "response_cache", bool(c.Cache))
		return cleanup, nil
	}
	r, err := shared.Open(ctx, c.RedisURL, c.RedisPrefix)
	if err != nil {
		cleanup()
		return nil, err
	}
	opts.APQ = r.APQ(c.APQTTL, 1000)
	opts.Rates = r.Rates()
	if c.Cache {
		opts.Cache = respcache.Tiered{Near: near, Far: r.Responses(c.CacheTTL, int(c.CacheBytes/8))}
	}
	log.Info("shared state in Redis", "redis", config.Masked(c.RedisURL), "prefix", c.RedisPrefix, "response_cache", bool(c.Cache))
	return func() { cleanup(); _ = r.Close() }, nil
}
