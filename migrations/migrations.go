// Package migrations embeds the versioned SQL migrations, one folder per database engine, and
// applies them with goose's provider API (no global state).
package migrations

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
)

//go:embed postgres/*.sql sqlite/*.sql
var files embed.FS

// Provider returns a goose provider for the engine ("postgres" or "sqlite") over db.
func Provider(db *sql.DB, engine string) (*goose.Provider, error) {
	var dialect goose.Dialect
	var opts []goose.ProviderOption
	switch engine {
	case "postgres":
		dialect = goose.DialectPostgres
		locker, err := lock.NewPostgresSessionLocker()
		if err != nil {
			return nil, err
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	case "sqlite":
		dialect = goose.DialectSQLite3
		opts = append(opts, goose.WithGoMigrations(sqliteCategories()))
	default:
		return nil, fmt.Errorf("unknown database engine %q", engine)
	}
	sub, err := fs.Sub(files, engine)
	if err != nil {
		return nil, err
	}
	return goose.NewProvider(dialect, db, sub, opts...)
}

// Up applies every pending migration.
func Up(ctx context.Context, db *sql.DB, engine string) error {
	p, err := Provider(db, engine)
	if err != nil {
		return err
	}
	_, err = p.Up(ctx)
	return err
}
