package readiness

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"
)

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting until %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestGateRetriesLosesAndRecovers drives the gate with a database that refuses twice, then
// answers, then is lost (seen by a request, which kicks the gate), then answers again.
func TestGateRetriesLosesAndRecovers(t *testing.T) {
	var prepares, checks atomic.Int32
	var down atomic.Bool
	var flips []bool
	g := New(nil, func(ready bool) { flips = append(flips, ready) })
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		g.Run(ctx, Probe{
			Prepare: func(context.Context) error {
				if prepares.Add(1) <= 2 || down.Load() {
					return errors.New("connection refused")
				}
				return nil
			},
			Check: func(context.Context) error {
				checks.Add(1)
				if down.Load() {
					return errors.New("connection reset")
				}
				return nil
			},
			Retry:    10 * time.Millisecond,
			Interval: time.Hour, // only a kick makes it check
		})
	}()
	if g.Ready() || g.Reason() == "" {
		t.Fatal("a new gate is not ready and says why")
	}
	waitFor(t, "ready after two refusals", g.Ready)
	if n := prepares.Load(); n != 3 {
		t.Fatalf("%d prepares, want 3", n)
	}
	down.Store(true)
	g.Kick()
	waitFor(t, "not ready after the loss", func() bool { return !g.Ready() })
	if r := g.Reason(); r != "connection reset" && r != "connection refused" {
		t.Fatalf("reason %q: want the last failure", r)
	}
	down.Store(false)
	waitFor(t, "ready again", g.Ready)
	cancel()
	<-done
	if len(flips) != 3 || !flips[0] || flips[1] || !flips[2] {
		t.Fatalf("flips %v, want ready, not ready, ready", flips)
	}
}
