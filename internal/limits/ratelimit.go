package limits

import (
	"context"
	"sync"
	"time"
)

// Usage is a client's budget after a charge.
type Usage struct {
	Allowed   bool      // whether the charge fitted in the budget (nothing is charged when not)
	Limit     int       // the budget per window
	Used      int       // cost charged in the current window
	Remaining int       // Limit - Used
	Reset     time.Time // when the current window ends and the budget is whole again
}

// RateStore keeps the cost each client has spent in the current window. The in-memory
// MemoryRates serves one process; a shared store (e.g. Redis) can stand behind the same
// interface when several processes serve one API.
type RateStore interface {
	// Take charges cost to key's budget for the window that holds now, unless that would
	// exceed budget, and reports the usage either way.
	Take(ctx context.Context, key string, cost, budget int, window time.Duration, now time.Time) (Usage, error)
	// Peek reports key's usage without charging anything.
	Peek(ctx context.Context, key string, budget int, window time.Duration, now time.Time) (Usage, error)
}

// MemoryRates is a RateStore in process memory: a fixed window per client.
type MemoryRates struct {
	mu      sync.Mutex
	windows map[string]*window
	sweepAt int
}

type window struct {
	start time.Time
	used  int
}

// NewMemoryRates returns an empty in-memory store.
func NewMemoryRates() *MemoryRates {
	return &MemoryRates{windows: map[string]*window{}, sweepAt: 1024}
}

// Take implements RateStore.
func (m *MemoryRates) Take(_ context.Context, key string, cost, budget int, win time.Duration, now time.Time) (Usage, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	w := m.current(key, win, now)
	u := Usage{Limit: budget, Reset: w.start.Add(win)}
	if w.used+cost <= budget {
		w.used += cost
		u.Allowed = true
	}
	u.Used, u.Remaining = w.used, max(budget-w.used, 0)
	return u, nil
}

// Peek implements RateStore.
func (m *MemoryRates) Peek(_ context.Context, key string, budget int, win time.Duration, now time.Time) (Usage, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	start := now.Truncate(win)
	used := 0
	if w, ok := m.windows[key]; ok && w.start.Equal(start) {
		used = w.used
	}
	return Usage{Allowed: used <= budget, Limit: budget, Used: used, Remaining: max(budget-used, 0), Reset: start.Add(win)}, nil
}

// current returns key's window for now, starting a new one when the last has ended. m.mu is
// held. Ended windows are swept when the map has doubled since the last sweep, so memory stays
// bounded by the clients active in one window.
func (m *MemoryRates) current(key string, win time.Duration, now time.Time) *window {
	start := now.Truncate(win)
	w, ok := m.windows[key]
	if ok && w.start.Equal(start) {
		return w
	}
	if !ok && len(m.windows) >= m.sweepAt {
		for k, old := range m.windows {
			if old.start.Before(start) {
				delete(m.windows, k)
			}
		}
		m.sweepAt = max(1024, 2*len(m.windows))
	}
	if !ok {
		w = &window{}
		m.windows[key] = w
	}
	w.start, w.used = start, 0
	return w
}
