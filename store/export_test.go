package store

import (
	"context"
)

// RawExecForTest runs a statement directly, so tests can check database constraints.
func (s *Store) RawExecForTest(ctx context.Context, sql string) error {
	return s.Primary(ctx).Exec(sql).Error
}
