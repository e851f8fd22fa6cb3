// Package batch is a per-request data loader that collects keys and fetches them in one call.
//
// A batch is fetched as soon as a Ready function says every caller that will come has come
// (the GraphQL layer knows how many sibling resolutions a field has), so the number of SQL
// statements a request issues depends on the query's shape, not on scheduling. A loader
// without a readiness check fetches once no key has arrived for an idle time; with one, that
// timer is only a safety net of seconds (see SafetyIdle).
package batch

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"
)

// ErrNotFound is the error for a key the fetch function did not return.
var ErrNotFound = errors.New("not found")

// Defaults for the batching window of a loader without a readiness check.
const (
	DefaultIdle = 100 * time.Millisecond
	DefaultMax  = 500 * time.Millisecond
)

// Loader batches and caches loads of V by K for the life of one request.
type Loader[K comparable, V any] struct {
	fetch     func(ctx context.Context, keys []K) (map[K]V, error)
	idle, max time.Duration

	// ready, when set, is asked (with the number of calls waiting on the pending batch)
	// whether every call the batch will get has arrived.
	ready func(waiting int) bool

	// base, when set, is the context batches are fetched under: the request's, so that a
	// cancelled or timed-out request cancels its statements too.
	base context.Context

	mu      sync.Mutex
	results map[K]*result[V]
	pending *pending[K, V]
}

type result[V any] struct {
	done chan struct{}
	v    V
	err  error
}

type pending[K comparable, V any] struct {
	ctx     context.Context
	keys    []K
	calls   int
	start   time.Time
	timer   *time.Timer
	fetched bool
}

// New returns a loader over fetch, which returns the values it found keyed by key. A batch is
// fetched once no key has arrived for idle (DefaultIdle when 0), or DefaultMax after its first.
func New[K comparable, V any](idle time.Duration, fetch func(ctx context.Context, keys []K) (map[K]V, error)) *Loader[K, V] {
	if idle <= 0 {
		idle = DefaultIdle
	}
	return &Loader[K, V]{fetch: fetch, idle: idle, max: DefaultMax, results: map[K]*result[V]{}}
}

// SafetyIdle is the batching window of a loader with a readiness check: the check fetches a
// batch as soon as every caller has come, so the timer is only a safety net. With the short
// default window a busy server (goroutines of one request scheduled more than 100 ms apart)
// split batches, so a request's statement count grew with load.
const SafetyIdle = 2 * time.Second

// SetReady installs the readiness check; see Loader.ready. The idle window becomes SafetyIdle.
func (l *Loader[K, V]) SetReady(ready func(waiting int) bool) {
	l.mu.Lock()
	l.ready = ready
	l.idle, l.max = SafetyIdle, 2*SafetyIdle
	l.mu.Unlock()
}

// SetContext makes batches fetch under ctx (the request's context) instead of a context
// detached from the first caller's cancellation.
func (l *Loader[K, V]) SetContext(ctx context.Context) {
	l.mu.Lock()
	l.base = ctx
	l.mu.Unlock()
}

// Poke fetches the pending batch now if it is ready. Call it when something the readiness
// check depends on has changed.
func (l *Loader[K, V]) Poke() {
	l.mu.Lock()
	p := l.takeIfReady()
	l.mu.Unlock()
	if p != nil {
		go l.fetchBatch(p)
	}
}

// takeIfReady detaches the pending batch when the readiness check passes. l.mu is held.
func (l *Loader[K, V]) takeIfReady() *pending[K, V] {
	p := l.pending
	if p == nil || l.ready == nil || !l.ready(p.calls) {
		return nil
	}
	l.pending = nil
	p.fetched = true
	p.timer.Stop()
	return p
}

// enqueue registers keys not seen before and returns the result slots of all keys, and the
// batch to fetch right away when this call made it ready.
func (l *Loader[K, V]) enqueue(ctx context.Context, keys []K) ([]*result[V], *pending[K, V]) {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make([]*result[V], len(keys))
	waits := false
	for i, k := range keys {
		if r, ok := l.results[k]; ok {
			out[i] = r
			if l.pending != nil && slices.Contains(l.pending.keys, k) {
				waits = true
			}
			continue
		}
		r := &result[V]{done: make(chan struct{})}
		l.results[k] = r
		out[i] = r
		if l.pending == nil {
			pctx := context.WithoutCancel(ctx)
			if l.base != nil {
				pctx = l.base
			}
			p := &pending[K, V]{ctx: pctx, start: time.Now()}
			p.timer = time.AfterFunc(l.idle, func() { l.timeout(p) })
			l.pending = p
		}
		l.pending.keys = append(l.pending.keys, k)
		waits = true
	}
	if !waits {
		return out, nil
	}
	l.pending.calls++
	if time.Since(l.pending.start) < l.max {
		l.pending.timer.Reset(l.idle)
	}
	return out, l.takeIfReady()
}

// timeout fetches a batch whose readiness never came (or that has no readiness check).
func (l *Loader[K, V]) timeout(p *pending[K, V]) {
	l.mu.Lock()
	if p.fetched {
		l.mu.Unlock()
		return
	}
	p.fetched = true
	if l.pending == p {
		l.pending = nil
	}
	l.mu.Unlock()
	l.fetchBatch(p)
}

func (l *Loader[K, V]) fetchBatch(p *pending[K, V]) {
	l.mu.Lock()
	slots := make([]*result[V], len(p.keys))
	for i, k := range p.keys {
		slots[i] = l.results[k]
	}
	l.mu.Unlock()

	found, err := l.safeFetch(p.ctx, p.keys)
	for i, k := range p.keys {
		r := slots[i]
		if v, ok := found[k]; ok {
			r.v = v
		} else if err != nil {
			r.err = err
		} else {
			r.err = ErrNotFound
		}
		close(r.done)
	}
}

func (l *Loader[K, V]) safeFetch(ctx context.Context, keys []K) (found map[K]V, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic in batch fetch: %v", p)
		}
	}()
	return l.fetch(ctx, keys)
}

func wait[V any](ctx context.Context, r *result[V]) (V, error) {
	select {
	case <-r.done:
		return r.v, r.err
	case <-ctx.Done():
		var zero V
		return zero, ctx.Err()
	}
}

// Load returns the value for key, fetching it in a batch with the other keys of the burst.
func (l *Loader[K, V]) Load(ctx context.Context, key K) (V, error) {
	slots, now := l.enqueue(ctx, []K{key})
	if now != nil {
		go l.fetchBatch(now)
	}
	return wait(ctx, slots[0])
}

// LoadAll returns the values for keys, in the order of keys; any miss is an error.
func (l *Loader[K, V]) LoadAll(ctx context.Context, keys []K) ([]V, error) {
	slots, now := l.enqueue(ctx, keys)
	if now != nil {
		go l.fetchBatch(now)
	}
	out := make([]V, len(keys))
	for i, r := range slots {
		v, err := wait(ctx, r)
		if err != nil {
			return nil, err
		}
		out[i] = v
	}
	return out, nil
}
