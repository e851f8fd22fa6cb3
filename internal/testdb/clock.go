package testdb

import (
	"sync"
	"time"
)

// Clock is a store clock (store.Options.Now) that moves only when a test advances it, so that
// two writes get different timestamps without sleeping, and the same one when nothing moved.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock returns a clock set to the present (whole seconds).
func NewClock() *Clock { return &Clock{t: time.Now().UTC().Truncate(time.Second)} }

// Now is the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}
