// Package core is the store's connection to the database, which every other store package
// builds on: opening PostgreSQL or the embedded SQLite file (and a read replica), counting
// statements, the clock records are stamped with, choosing the pool a read goes to, and
// mapping database errors to API errors.
package core

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
	// ReadDSN, when set, is a second database (a read replica of the first, same engine) that
	// the API's read statements go to; writes, migrations, readiness, tokens and history stay
	// on the primary (DATABASE_READ_URL).
	ReadDSN string
	// Now, when set, is the store's clock: the time it stamps records, revisions, tokens and
	// data versions with (tests advance it instead of sleeping); nil: time.Now.
	Now func() time.Time
}

// DB is the store's connection: the primary pool, the read pool, and what every statement
// shares (the engine, the statement counts, the clock). It is safe for concurrent use.
type DB struct {
	db           *gorm.DB
	read         *gorm.DB // the read pool: db itself unless Options.ReadDSN is set
	dsn          string   // the primary's DSN (the data-version listener connects to it)
	engine       string
	statements   atomic.Int64
	readStmts    atomic.Int64 // statements run on a separate read pool
	beforeCommit func(ctx context.Context, op string) error
	clock        func() time.Time
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
func Open(dsn string, opts Options) (*DB, error) {
	engine := EngineFor(dsn)
	s := &DB{engine: engine, dsn: dsn, beforeCommit: opts.BeforeCommit, clock: opts.Now}
	if s.clock == nil {
		s.clock = time.Now
	}
	db, err := s.openPool(dsn, opts, nil)
	if err != nil {
		return nil, err
	}
	s.db, s.read = db, db
	if opts.ReadDSN != "" {
		if EngineFor(opts.ReadDSN) != engine {
			return nil, fmt.Errorf("the read database (%s) must be of the same engine as the primary (%s)", EngineFor(opts.ReadDSN), engine)
		}
		read, err := s.openPool(opts.ReadDSN, opts, &s.readStmts)
		if err != nil {
			return nil, err
		}
		s.read = read
	}
	return s, nil
}

// openPool opens one connection pool whose statements are counted (and also in also, when
// set).
func (s *DB) openPool(dsn string, opts Options, also *atomic.Int64) (*gorm.DB, error) {
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
		NowFunc:                s.Now,
	})
	if err != nil {
		return nil, fmt.Errorf("open %s database: %w", engine, err)
	}
	count := func(*gorm.DB) {
		s.statements.Add(1)
		if also != nil {
			also.Add(1)
		}
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
	return db, nil
}

// Now is the store's clock in UTC, to the microsecond both engines keep.
func (s *DB) Now() time.Time { return s.clock().UTC().Truncate(time.Microsecond) }

// Engine is "postgres" or "sqlite".
func (s *DB) Engine() string { return s.engine }

// Statements is the number of SQL statements the store has run so far.
func (s *DB) Statements() int64 { return s.statements.Load() }

// ReadStatements is how many of Statements ran on the separate read pool (0 without one).
func (s *DB) ReadStatements() int64 { return s.readStmts.Load() }

// SQLDB is the underlying pool, for migrations and health checks.
func (s *DB) SQLDB() (*sql.DB, error) { return s.db.DB() }

// Ping checks that the database answers.
func (s *DB) Ping(ctx context.Context) error {
	sqlDB, err := s.db.DB()
	if err != nil {
		return err
	}
	return sqlDB.PingContext(ctx)
}

// HasReplica reports whether reads go to a separate read replica (DATABASE_READ_URL).
func (s *DB) HasReplica() bool { return s.read != s.db }

// PingReplica checks that the read replica answers (the primary's Ping when there is none).
func (s *DB) PingReplica(ctx context.Context) error {
	sqlDB, err := s.read.DB()
	if err != nil {
		return err
	}
	return sqlDB.PingContext(ctx)
}

// Close closes the pools.
func (s *DB) Close() error {
	if s.read != s.db {
		if sqlDB, err := s.read.DB(); err == nil {
			_ = sqlDB.Close()
		}
	}
	sqlDB, err := s.db.DB()
	if err != nil {
		return err
	}
	return sqlDB.Close()
}

// Primary is the primary: every write, and the reads a write or a curator depends on.
func (s *DB) Primary(ctx context.Context) *gorm.DB { return s.db.WithContext(ctx) }

// Read is the read pool (the primary when there is no replica): the API's public reads,
// unless the request asked for the primary (PreferPrimary).
func (s *DB) Read(ctx context.Context) *gorm.DB {
	if ctx.Value(primaryKey{}) != nil {
		return s.db.WithContext(ctx)
	}
	return s.read.WithContext(ctx)
}

type primaryKey struct{}

// PreferPrimary returns ctx asking every read to go to the primary: requests of curators (with
// a token), so that what they read after their own writes never lags behind on a replica.
func PreferPrimary(ctx context.Context) context.Context {
	return context.WithValue(ctx, primaryKey{}, true)
}

// Translate maps database errors to API errors at the store boundary; what names the
// records concerned.
func Translate(err error, what string) error {
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

// DSN is the primary's DSN (the data-version listener connects to it).
func (s *DB) DSN() string { return s.dsn }

// ReadPool is the read pool itself, for the statements that must not be counted as a
// request's (the data-version watcher's, the pricing's size count).
func (s *DB) ReadPool() (*sql.DB, error) { return s.read.DB() }

// BeforeCommit runs the test hook of Options.BeforeCommit, if any, at the end of a write's
// transaction.
func (s *DB) BeforeCommit(ctx context.Context, op string) error {
	if s.beforeCommit == nil {
		return nil
	}
	return s.beforeCommit(ctx, op)
}
