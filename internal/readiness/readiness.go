// Package readiness tracks whether the server can answer from its database. The server
// starts serving before the database is reachable; a Gate says not ready until a prepare
// step (reach the database, migrate, load the bundled data when empty) succeeds, retries it in
// the background until it does, then keeps checking the database and goes back to not ready,
// and to preparing, when it is lost, with no restart.
package readiness

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"
)

// Gate is the server's readiness. The zero value is not usable; call New.
type Gate struct {
	ready  atomic.Bool
	mu     sync.Mutex
	reason string
	kick   chan struct{}
	log    *slog.Logger
	onFlip func(ready bool)
}

// New returns a gate that is not ready. onFlip, when set, is called on every change.
func New(log *slog.Logger, onFlip func(ready bool)) *Gate {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	g := &Gate{kick: make(chan struct{}, 1), log: log, onFlip: onFlip, reason: "starting"}
	return g
}

// Ready reports whether requests may use the database.
func (g *Gate) Ready() bool { return g.ready.Load() }

// Reason says why the gate is not ready ("" when it is).
func (g *Gate) Reason() string {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.reason
}

// Kick asks the gate to check the database now: a request saw it fail.
func (g *Gate) Kick() {
	select {
	case g.kick <- struct{}{}:
	default:
	}
}

func (g *Gate) set(ready bool, reason string) {
	g.mu.Lock()
	g.reason = reason
	g.mu.Unlock()
	if g.ready.Swap(ready) != ready && g.onFlip != nil {
		g.onFlip(ready)
	}
}

// Probe is what the gate runs.
type Probe struct {
	// Prepare makes the database usable: reach it, migrate, load data. Run until it succeeds,
	// and again after the database was lost. It must be idempotent.
	Prepare func(ctx context.Context) error
	// Check tells whether the database is still usable; it runs every Interval while ready,
	// and at once after Kick.
	Check func(ctx context.Context) error
	// Retry is the pause between failed Prepare attempts (default 1s); Interval the pause
	// between checks while ready (default 5s); Timeout bounds one attempt (default 30s).
	Retry, Interval, Timeout time.Duration
}

// Run drives the gate until ctx ends.
func (g *Gate) Run(ctx context.Context, p Probe) {
	if p.Retry <= 0 {
		p.Retry = time.Second
	}
	if p.Interval <= 0 {
		p.Interval = 5 * time.Second
	}
	if p.Timeout <= 0 {
		p.Timeout = 30 * time.Second
	}
	attempt := func(f func(context.Context) error) error {
		actx, cancel := context.WithTimeout(ctx, p.Timeout)
		defer cancel()
		return f(actx)
	}
	lastErr := ""
	for ctx.Err() == nil {
		if !g.Ready() {
			err := attempt(p.Prepare)
			if err == nil {
				g.set(true, "")
				g.log.Info("database ready")
				lastErr = ""
				continue
			}
			if ctx.Err() != nil {
				return
			}
			g.set(false, err.Error())
			if err.Error() != lastErr { // log each new failure once, not every retry
				g.log.Warn("database not ready; retrying", "err", err.Error(), "retry", p.Retry.String())
				lastErr = err.Error()
			}
			g.wait(ctx, p.Retry, false)
			continue
		}
		g.wait(ctx, p.Interval, true)
		if ctx.Err() != nil {
			return
		}
		if err := attempt(p.Check); err != nil && ctx.Err() == nil {
			g.set(false, err.Error())
			g.log.Warn("database lost; preparing again", "err", err.Error())
			lastErr = err.Error()
		}
	}
}

// wait pauses for d, or until the end of ctx, or (when kickable) a kick. Kicks are ignored
// while retrying, so failing requests cannot turn the retry into a busy loop.
func (g *Gate) wait(ctx context.Context, d time.Duration, kickable bool) {
	t := time.NewTimer(d)
	defer t.Stop()
	kick := g.kick
	if !kickable {
		kick = nil
	}
	select {
	case <-ctx.Done():
	case <-t.C:
	case <-kick:
	}
}
