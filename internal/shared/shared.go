// Package shared keeps the state that several server processes behind one load balancer must
// share in Redis (REDIS_URL), behind the interfaces the single-process versions implement:
// automatic persisted queries (graphql.Cache), rate-limit budgets (limits.RateStore) and
// cached responses (respcache.Store). Every key starts with a prefix (REDIS_PREFIX), so several
// deployments, or tests, can share one Redis.
package shared

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/redis/go-redis/v9"

	"github.com/cybertrade/cybertrade/internal/limits"
	"github.com/cybertrade/cybertrade/internal/respcache"
)

// Redis is a connection to the shared Redis. Every call is bounded by CallTimeout and goes
// through a circuit breaker: the first failure opens it for BreakerCooldown, during which
// calls fail at once (the API then serves as without Redis: unmetered, with local caches), so
// a hung or lost Redis adds at most one CallTimeout to a request.
type Redis struct {
	client  *redis.Client
	prefix  string
	breaker breaker
}

// CallTimeout bounds one Redis call; BreakerCooldown is how long the breaker stays open after
// a failure before Redis is tried again.
const (
	CallTimeout     = 80 * time.Millisecond
	BreakerCooldown = 5 * time.Second
)

// ErrBreakerOpen is what a call returns while the breaker is open.
var ErrBreakerOpen = errors.New("redis: circuit breaker open after a recent failure")

// breaker is a circuit breaker: open for a cooldown after a failure, closed otherwise. Not
// sony/gobreaker: one cooldown after any failure is all a hung Redis needs (no half-open counts).
type breaker struct {
	mu        sync.Mutex
	openUntil time.Time
	now       func() time.Time
}

func (b *breaker) allow() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return !b.now().Before(b.openUntil)
}

func (b *breaker) record(err error) {
	if err == nil || errors.Is(err, redis.Nil) {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.openUntil = b.now().Add(BreakerCooldown)
}

// do runs one Redis call under the call timeout and the breaker.
func (r *Redis) do(ctx context.Context, call func(ctx context.Context) error) error {
	if !r.breaker.allow() {
		return ErrBreakerOpen
	}
	cctx, cancel := context.WithTimeout(ctx, CallTimeout)
	defer cancel()
	err := call(cctx)
	if ctx.Err() == nil { // the request's own cancellation says nothing about Redis
		r.breaker.record(err)
	}
	return err
}

// Open connects to the Redis that url names (redis://[:password@]host:port/db, or rediss://
// for TLS) and checks it answers. prefix starts every key.
func Open(ctx context.Context, url, prefix string) (*Redis, error) {
	opts, err := redis.ParseURL(url)
	if err != nil {
		return nil, fmt.Errorf("REDIS_URL: %w", err)
	}
	opts.DialTimeout = 2 * time.Second // the first connection; later calls are bounded by CallTimeout
	opts.ReadTimeout = CallTimeout
	opts.WriteTimeout = CallTimeout
	opts.PoolTimeout = CallTimeout
	opts.ContextTimeoutEnabled = true
	opts.MaxRetries = -1 // a retry would double the wait on a hung Redis; the breaker decides
	c := redis.NewClient(opts)
	pctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	if err := c.Ping(pctx).Err(); err != nil {
		_ = c.Close()
		return nil, fmt.Errorf("redis at %s: %w", opts.Addr, err)
	}
	return &Redis{client: c, prefix: prefix, breaker: breaker{now: time.Now}}, nil
}

// Close closes the connection pool.
func (r *Redis) Close() error { return r.client.Close() }

// Client is the underlying client (for tests that clean up their prefix).
func (r *Redis) Client() *redis.Client { return r.client }

func (r *Redis) key(parts ...string) string { return r.prefix + strings.Join(parts, ":") }

// APQ returns the persisted-query cache: queries by SHA-256, kept for ttl after their last
// registration, with a local LRU of near entries in front (a hash always names the same query,
// so a local copy never goes stale).
func (r *Redis) APQ(ttl time.Duration, near int) graphql.Cache[string] {
	return &apq{r: r, ttl: ttl, near: lru.New[string](near)}
}

type apq struct {
	r    *Redis
	ttl  time.Duration
	near *lru.LRU[string]
}

func (a *apq) Get(ctx context.Context, hash string) (string, bool) {
	if q, ok := a.near.Get(ctx, hash); ok {
		return q, true
	}
	var q string
	err := a.r.do(ctx, func(ctx context.Context) (err error) {
		q, err = a.r.client.Get(ctx, a.r.key("apq", hash)).Result()
		return err
	})
	if err != nil {
		return "", false // redis.Nil or a failure: the client sends the query again
	}
	a.near.Add(ctx, hash, q)
	return q, true
}

func (a *apq) Add(ctx context.Context, hash string, query string) {
	a.near.Add(ctx, hash, query)
	_ = a.r.do(ctx, func(ctx context.Context) error {
		return a.r.client.Set(ctx, a.r.key("apq", hash), query, a.ttl).Err()
	})
}

// Rates returns the rate-limit store: one counter per client and window, charged by a Lua
// script so that the check and the charge are one atomic step across all processes, and
// expiring with its window.
func (r *Redis) Rates() limits.RateStore { return rates{r: r} }

// Not go-redis/redis_rate: it meters requests (GCRA), while a budget here is a cost charged
// whole or refused, in the same fixed windows as the in-process store (one Reset for clients).
type rates struct{ r *Redis }

// take charges ARGV[1] to KEYS[1] unless the sum would pass ARGV[2]; the key expires at
// ARGV[3] (milliseconds since the epoch). It returns {allowed, used}.
var take = redis.NewScript(`
local used = tonumber(redis.call('GET', KEYS[1]) or '0')
local cost = tonumber(ARGV[1])
if used + cost > tonumber(ARGV[2]) then
  return {0, used}
end
used = redis.call('INCRBY', KEYS[1], cost)
redis.call('PEXPIREAT', KEYS[1], ARGV[3])
return {1, used}
`)

func (s rates) windowKey(key string, start time.Time) string {
	return s.r.key("rate", strconv.FormatInt(start.Unix(), 10), key)
}

// Take implements limits.RateStore.
func (s rates) Take(ctx context.Context, key string, cost, budget int, win time.Duration, now time.Time) (limits.Usage, error) {
	start := now.Truncate(win)
	reset := start.Add(win)
	var res []int64
	err := s.r.do(ctx, func(ctx context.Context) (err error) {
		res, err = take.Run(ctx, s.r.client, []string{s.windowKey(key, start)}, cost, budget, reset.UnixMilli()).Int64Slice()
		return err
	})
	if err != nil {
		return limits.Usage{}, err
	}
	if len(res) != 2 {
		return limits.Usage{}, errors.New("rate script: unexpected reply")
	}
	used := int(res[1])
	return limits.Usage{Allowed: res[0] == 1, Limit: budget, Used: used, Remaining: max(budget-used, 0), Reset: reset}, nil
}

// Peek implements limits.RateStore.
func (s rates) Peek(ctx context.Context, key string, budget int, win time.Duration, now time.Time) (limits.Usage, error) {
	start := now.Truncate(win)
	var used int
	err := s.r.do(ctx, func(ctx context.Context) (err error) {
		used, err = s.r.client.Get(ctx, s.windowKey(key, start)).Int()
		return err
	})
	if err != nil && !errors.Is(err, redis.Nil) {
		return limits.Usage{}, err
	}
	return limits.Usage{Allowed: used <= budget, Limit: budget, Used: used, Remaining: max(budget-used, 0), Reset: start.Add(win)}, nil
}

// Responses returns the shared response cache: entries kept for ttl (older data versions are
// never asked for again and expire by themselves; bound the memory with Redis's maxmemory and
// an allkeys-lru policy), none larger than maxEntry bytes.
func (r *Redis) Responses(ttl time.Duration, maxEntry int) respcache.Store {
	return responses{r: r, ttl: ttl, maxEntry: maxEntry}
}

type responses struct {
	r        *Redis
	ttl      time.Duration
	maxEntry int
}

// An entry is stored as "<cost> <etag>\n<body>".
func (s responses) Get(ctx context.Context, key string) (*respcache.Entry, bool) {
	var raw []byte
	err := s.r.do(ctx, func(ctx context.Context) (err error) {
		raw, err = s.r.client.Get(ctx, s.r.key("resp", key)).Bytes()
		return err
	})
	if err != nil {
		return nil, false
	}
	head, body, ok := strings.Cut(string(raw), "\n")
	if !ok {
		return nil, false
	}
	costStr, etag, _ := strings.Cut(head, " ")
	cost, err := strconv.Atoi(costStr)
	if err != nil {
		return nil, false
	}
	return &respcache.Entry{Body: []byte(body), Cost: cost, ETag: etag}, true
}

func (s responses) Set(ctx context.Context, key string, e *respcache.Entry) {
	if len(e.Body) > s.maxEntry {
		return
	}
	v := make([]byte, 0, len(e.Body)+len(e.ETag)+16)
	v = strconv.AppendInt(v, int64(e.Cost), 10)
	v = append(v, ' ')
	v = append(v, e.ETag...)
	v = append(v, '\n')
	v = append(v, e.Body...)
	_ = s.r.do(ctx, func(ctx context.Context) error {
		return s.r.client.Set(ctx, s.r.key("resp", key), v, s.ttl).Err()
	})
}
