// Package store holds all database code: opening PostgreSQL or the embedded SQLite file,
// migrating, and the queries behind the API (lists with keyset pagination and batched lookups
// for the per-request loaders). Nothing outside this package builds SQL.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync/atomic"
	"time"

	"github.com/glebarez/sqlite"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/cybertrade/cybertrade/internal/apperr"
	"github.com/cybertrade/cybertrade/migrations"
)

// Engine names.
const (
	Postgres = "postgres"
	SQLite   = "sqlite"
)

// Options configures Open.
type Options struct {
	// OnStatement, when set, is called once for every SQL statement the store runs.
	OnStatement func()
	// Logger receives slow-statement warnings; nil discards them.
	Logger *slog.Logger
	// MaxOpenConns bounds the connection pool (0: a default for the engine).
	MaxOpenConns int
	// LogSQL prints every statement to stderr (for debugging).
	LogSQL bool
	// BeforeCommit, when set, runs at the end of every API write's transaction, just before
	// it commits; an error it returns rolls the write back. Only tests set it, to prove that
	// a write failing in its last step leaves nothing behind.
	BeforeCommit func(ctx context.Context, op string) error
}

// Store is the data layer. It is safe for concurrent use.
type Store struct {
	db           *gorm.DB
	engine       string
	statements   atomic.Int64
	beforeCommit func(ctx context.Context, op string) error
}

// EngineFor tells which engine a DSN selects: postgres:// or postgresql:// URLs select
// PostgreSQL; anything else is a path to an SQLite file.
func EngineFor(dsn string) string {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		return Postgres
	}
	return SQLite
}

// Open connects to the database named by dsn (see EngineFor). It does not migrate.
func Open(ctx context.Context, dsn string, opts Options) (*Store, error) {
	engine := EngineFor(dsn)
	var dial gorm.Dialector
	switch engine {
	case Postgres:
		dial = postgres.Open(dsn)
	default:
		sep := "?"
		if strings.Contains(dsn, "?") {
			sep = "&"
		}
		dial = sqlite.Open(dsn + sep + "_pragma=foreign_keys(1)&_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)")
	}
	lg := logger.Discard
	if opts.LogSQL {
		lg = logger.Default.LogMode(logger.Info)
	}
	db, err := gorm.Open(dial, &gorm.Config{
		Logger:                 lg,
		TranslateError:         true,
		SkipDefaultTransaction: true,
		DisableAutomaticPing:   true, // the server starts when the database is down; readiness pings it
		NowFunc:                func() time.Time { return time.Now().UTC().Truncate(time.Microsecond) },
	})
	if err != nil {
		return nil, fmt.Errorf("open %s database: %w", engine, err)
	}
	s := &Store{db: db, engine: engine, beforeCommit: opts.BeforeCommit}
	count := func(*gorm.DB) {
		s.statements.Add(1)
		if opts.OnStatement != nil {
			opts.OnStatement()
		}
	}
	cb := db.Callback()
	for _, reg := range []func() error{
		func() error { return cb.Create().After("gorm:create").Register("cybertrade:count", count) },
		func() error { return cb.Query().After("gorm:query").Register("cybertrade:count", count) },
		func() error { return cb.Update().After("gorm:update").Register("cybertrade:count", count) },
		func() error { return cb.Delete().After("gorm:delete").Register("cybertrade:count", count) },
		func() error { return cb.Row().After("gorm:row").Register("cybertrade:count", count) },
		func() error { return cb.Raw().After("gorm:raw").Register("cybertrade:count", count) },
	} {
		if err := reg(); err != nil {
			return nil, err
		}
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, err
	}
	maxOpen := opts.MaxOpenConns
	if maxOpen == 0 {
		maxOpen = 16
		if engine == SQLite {
			maxOpen = 1
		}
	}
	sqlDB.SetMaxOpenConns(maxOpen)
	sqlDB.SetMaxIdleConns(maxOpen)
	sqlDB.SetConnMaxIdleTime(5 * time.Minute)
	return s, nil
}

// Engine is "postgres" or "sqlite".
func (s *Store) Engine() string { return s.engine }

// Statements is the number of SQL statements the store has run so far.
func (s *Store) Statements() int64 { return s.statements.Load() }

// SQLDB is the underlying pool, for migrations and health checks.
func (s *Store) SQLDB() (*sql.DB, error) { return s.db.DB() }

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error {
	sqlDB, err := s.db.DB()
	if err != nil {
		return err
	}
	return sqlDB.PingContext(ctx)
}

// Migrate applies every pending migration.
func (s *Store) Migrate(ctx context.Context) error {
	sqlDB, err := s.db.DB()
	if err != nil {
		return err
	}
	return migrations.Up(ctx, sqlDB, s.engine)
}

// Close closes the pool.
func (s *Store) Close() error {
	sqlDB, err := s.db.DB()
	if err != nil {
		return err
	}
	return sqlDB.Close()
}

// conn is the handle every query starts from.
func (s *Store) conn(ctx context.Context) *gorm.DB { return s.db.WithContext(ctx) }

// translate maps database errors to API errors at the store boundary.
func translate(err error, what string) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, gorm.ErrRecordNotFound):
		return apperr.Errorf(apperr.NotFound, "%s not found", what)
	case errors.Is(err, gorm.ErrDuplicatedKey):
		return apperr.Errorf(apperr.Conflict, "%s already exists", what)
	case errors.Is(err, gorm.ErrForeignKeyViolated):
		return apperr.Errorf(apperr.Invalid, "%s refers to a record that does not exist", what)
	case errors.Is(err, context.DeadlineExceeded):
		return apperr.Errorf(apperr.Timeout, "the request took too long and was cancelled")
	}
	return err
}
