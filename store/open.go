// Package store opens the database and composes the store's packages into one Store, the
// value the server, the CLI and the tests hold. Each job lives in a package of its own, which
// callers may also name directly for its types:
//
//   - core: the connection (primary and read pools, engines, statement counts, the clock);
//   - version: the data version and the caches keyed on it;
//   - reads: every read the API serves (lists, pages, relations, search, stats, snapshots);
//   - record and order: the typed records of the write path, and the moves' sort keys;
//   - curate: the API's curated writes and their history;
//   - load: file loads, bulk loads and pruning;
//   - tokens: the curators' API tokens.
//
// Imports run one way: store imports them all; every job package builds on core; reads also
// on version; load on record, order and version; curate on those and on reads (whose paging
// lists the history); none imports store. Nothing outside these packages builds SQL.
package store

import (
	"context"

	"github.com/cybertrade/cybertrade/migrations"
	"github.com/cybertrade/cybertrade/store/core"
	"github.com/cybertrade/cybertrade/store/curate"
	"github.com/cybertrade/cybertrade/store/load"
	"github.com/cybertrade/cybertrade/store/order"
	"github.com/cybertrade/cybertrade/store/reads"
	"github.com/cybertrade/cybertrade/store/tokens"
	"github.com/cybertrade/cybertrade/store/version"
)

// Engine names, as core names them.
const (
	Postgres = core.Postgres
	SQLite   = core.SQLite
)

// Options configures Open. It is core's: an alias, so that opening the store takes one import.
type Options = core.Options

// Store is the data layer: the connection and every job's methods, promoted from the packages
// it composes. It is safe for concurrent use.
type Store struct {
	*core.DB
	*version.Tracker
	*reads.Reader
	*curate.Curator
	*load.Loader
	*tokens.Tokens
}

// EngineFor tells which engine a DSN selects: postgres:// or postgresql:// URLs select
// PostgreSQL; anything else is a path to an SQLite file.
func EngineFor(dsn string) string { return core.EngineFor(dsn) }

// Open connects to the database named by dsn (see EngineFor). It does not migrate.
func Open(_ context.Context, dsn string, opts Options) (*Store, error) {
	db, err := core.Open(dsn, opts)
	if err != nil {
		return nil, err
	}
	ver := version.New(db)
	return &Store{DB: db, Tracker: ver, Reader: reads.New(db, ver), Curator: curate.New(db, ver), Loader: load.New(db, ver), Tokens: tokens.New(db)}, nil
}

// Migrate applies every pending migration, then computes what a migration leaves to the
// store (the sort keys of moves older than migration 00005).
func (s *Store) Migrate(ctx context.Context) error {
	sqlDB, err := s.SQLDB()
	if err != nil {
		return err
	}
	if err := migrations.Up(ctx, sqlDB, s.Engine()); err != nil {
		return err
	}
	return order.Settle(s.Primary(ctx))
}
