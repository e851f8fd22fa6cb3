package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/cybertrade/cybertrade/httpapi"
	"github.com/cybertrade/cybertrade/internal/respcache"
	"github.com/cybertrade/cybertrade/internal/shared"
	"github.com/cybertrade/cybertrade/store"
)

// scaleConfig is what lets several server processes serve one API (docs/deploy.md): the
// response cache, Redis for the state they share, and a read replica.
type scaleConfig struct {
	ReadURL      string        // DATABASE_READ_URL: a replica for the API's reads; empty: the primary
	RedisURL     string        // REDIS_URL: shared APQ, response cache and rate budgets; empty: in process
	RedisPrefix  string        // REDIS_PREFIX: starts every key; default "cybertrade:"
	Cache        bool          // RESPONSE_CACHE: on (default) or off
	CacheEntries int           // RESPONSE_CACHE_ENTRIES: answers kept in process; default 1,000
	CacheBytes   int64         // RESPONSE_CACHE_BYTES: bytes kept in process; default 32 MiB
	CacheTTL     time.Duration // RESPONSE_CACHE_TTL: how long Redis keeps an answer; default 10m
	APQTTL       time.Duration // how long Redis keeps a persisted query after its last use: 7 days
	// TRUSTED_PROXIES: load balancers (addresses or CIDRs) whose X-Forwarded-For names the client
	Proxies []netip.Prefix
}

func loadScaleConfig(getenv func(string) string) (scaleConfig, error) {
	c := scaleConfig{
		ReadURL:      getenv("DATABASE_READ_URL"),
		RedisURL:     getenv("REDIS_URL"),
		RedisPrefix:  or(getenv("REDIS_PREFIX"), "cybertrade:"),
		Cache:        true,
		CacheEntries: 1000,
		CacheBytes:   32 << 20,
		CacheTTL:     10 * time.Minute,
		APQTTL:       7 * 24 * time.Hour,
	}
	switch strings.ToLower(getenv("RESPONSE_CACHE")) {
	case "", "on", "true", "1":
	case "off", "false", "0":
		c.Cache = false
	default:
		return c, fmt.Errorf("RESPONSE_CACHE=%q: want on or off", getenv("RESPONSE_CACHE"))
	}
	if s := getenv("RESPONSE_CACHE_ENTRIES"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n <= 0 {
			return c, fmt.Errorf("RESPONSE_CACHE_ENTRIES=%q: want a whole number > 0 (RESPONSE_CACHE=off turns the cache off)", s)
		}
		c.CacheEntries = n
	}
	if s := getenv("RESPONSE_CACHE_BYTES"); s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n <= 0 {
			return c, fmt.Errorf("RESPONSE_CACHE_BYTES=%q: want a number of bytes > 0", s)
		}
		c.CacheBytes = n
	}
	if s := getenv("TRUSTED_PROXIES"); s != "" {
		p, err := httpapi.ParseTrustedProxies(s)
		if err != nil {
			return c, fmt.Errorf("TRUSTED_PROXIES=%q: want addresses or CIDR prefixes, comma separated: %w", s, err)
		}
		c.Proxies = p
	}
	if s := getenv("RESPONSE_CACHE_TTL"); s != "" {
		d, err := time.ParseDuration(s)
		if err != nil || d <= 0 {
			return c, fmt.Errorf("RESPONSE_CACHE_TTL=%q: want a duration such as 10m", s)
		}
		c.CacheTTL = d
	}
	return c, nil
}

// masked hides the password of a URL for logs.
func masked(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable URL)"
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}

// wireScale fills in opts' shared state (in process, or in Redis when REDIS_URL is set) and
// starts the store's data-version watcher, which the response cache and the aggregations key
// on. The returned function releases what it opened.
func wireScale(ctx context.Context, c scaleConfig, st *store.Store, opts *httpapi.Options, log *slog.Logger) (func(), error) {
	opts.TrustedProxies = c.Proxies
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
		log.Info("shared state in process", "response_cache", c.Cache)
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
	log.Info("shared state in Redis", "redis", masked(c.RedisURL), "prefix", c.RedisPrefix, "response_cache", c.Cache)
	return func() { cleanup(); _ = r.Close() }, nil
}
