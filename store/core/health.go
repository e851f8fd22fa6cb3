package core

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"io"
	"net"
	"strings"
	"syscall"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/cybertrade/cybertrade/migrations"
)

// MigrationsPending reports whether any migration is not applied yet.
func (s *DB) MigrationsPending(ctx context.Context) (bool, error) {
	sqlDB, err := s.db.DB()
	if err != nil {
		return false, err
	}
	p, err := migrations.Provider(sqlDB, s.engine)
	if err != nil {
		return false, err
	}
	return p.HasPending(ctx)
}

// DropIdle closes the pool's idle connections, so that connections to a database that went
// away and came back are not reused.
func (s *DB) DropIdle() {
	sqlDB, err := s.db.DB()
	if err != nil {
		return
	}
	n := sqlDB.Stats().MaxOpenConnections
	sqlDB.SetMaxIdleConns(-1)
	sqlDB.SetMaxIdleConns(max(n, 1))
}

// IsUnavailable tells whether err means the database cannot be reached (refused or lost
// connection, server shutting down or starting up), as opposed to a bad query or a timeout.
func IsUnavailable(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return false
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		// Class 08: connection exception; 57P01-57P03: admin shutdown, crash shutdown,
		// cannot connect now; 53300: too many connections; 55000 "not currently accepting
		// connections" (a database being dropped or a replica being restored). Any other code
		// may still come with a failed connection (a FATAL at connect): the checks below see it.
		if strings.HasPrefix(pgErr.Code, "08") || strings.HasPrefix(pgErr.Code, "57P") || pgErr.Code == "53300" || pgErr.Severity == "FATAL" ||
			(pgErr.Code == "55000" && strings.Contains(pgErr.Message, "accepting connections")) {
			return true
		}
	}
	var connErr *pgconn.ConnectError
	var netErr *net.OpError
	switch {
	case errors.As(err, &connErr), errors.As(err, &netErr),
		errors.Is(err, driver.ErrBadConn), errors.Is(err, sql.ErrConnDone),
		errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF),
		errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE):
		return true
	}
	msg := err.Error()
	return strings.Contains(msg, "conn closed") || strings.Contains(msg, "connection refused") ||
		strings.Contains(msg, "failed to connect") || strings.Contains(msg, "unexpected EOF")
}
