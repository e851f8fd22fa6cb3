package version

import (
	"context"
	"sync"
	"time"
)

// sizeTTL is how long the data's size is kept before it is counted again.
const sizeTTL = time.Minute

// sizeCache keeps the number of records for the cost analysis (see DataRows).
type sizeCache struct {
	mu      sync.Mutex
	rows    int
	at      time.Time // when rows was counted
	retryAt time.Time // after a failed count, when to try again
}

// DataRows is the number of records (cases, moves, companies, products, sources, deleted
// ones included) that a whole-table read (a count, a search, an aggregation) may go through.
// The cost analysis prices such reads by it. It is counted at most once a minute; when the
// count fails (it is given a second), the last known size (0 at first) is returned, and the
// count is not tried again for 5 s, so pricing never fails nor holds up a request.
func (s *Tracker) DataRows(ctx context.Context) int {
	s.size.mu.Lock()
	defer s.size.mu.Unlock()
	if (!s.size.at.IsZero() && time.Since(s.size.at) < sizeTTL) || time.Now().Before(s.size.retryAt) {
		return s.size.rows
	}
	// Straight through database/sql, as the version watcher reads: the pricing's statement,
	// not the request's, so it is not counted in Statements.
	sqlDB, err := s.db.ReadPool()
	if err != nil {
		return s.size.rows
	}
	var n int
	cctx, cancel := context.WithTimeout(ctx, time.Second) // pricing must not hold a request up
	defer cancel()
	err = sqlDB.QueryRowContext(cctx, `SELECT (SELECT COUNT(*) FROM cases) + (SELECT COUNT(*) FROM moves) +
		(SELECT COUNT(*) FROM companies) + (SELECT COUNT(*) FROM products) + (SELECT COUNT(*) FROM sources)`).Scan(&n)
	if err != nil {
		s.size.retryAt = time.Now().Add(5 * time.Second)
		return s.size.rows
	}
	s.size.rows, s.size.at = n, time.Now()
	return n
}
