// Package testdb gives tests fresh, migrated databases: always an SQLite file in a temporary
// folder, and also a PostgreSQL database when TEST_DATABASE_URL names a server. Each database
// is created for the caller and dropped afterwards.
package testdb

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver to create and drop test databases

	"github.com/cybertrade/cybertrade/data"
	"github.com/cybertrade/cybertrade/dataset"
	"github.com/cybertrade/cybertrade/store"
	"github.com/cybertrade/cybertrade/synth"
)

// Engine is a database engine to test against.
type Engine struct {
	Name string // "sqlite" or "postgres"
	// admin is the TEST_DATABASE_URL for postgres.
	admin string
}

// Engines lists the engines to run against: SQLite always, PostgreSQL when TEST_DATABASE_URL
// is set.
func Engines() []Engine {
	out := []Engine{{Name: store.SQLite}}
	if u := os.Getenv("TEST_DATABASE_URL"); u != "" {
		out = append(out, Engine{Name: store.Postgres, admin: u})
	}
	return out
}

// DSN creates a fresh, empty database on the engine and returns its DSN and a function that
// drops it. dir is a folder for SQLite files.
func (e Engine) DSN(dir string) (string, func() error, error) {
	var b [6]byte
	_, _ = rand.Read(b[:])
	name := "cybertrade_test_" + hex.EncodeToString(b[:])
	if e.Name == store.SQLite {
		return filepath.Join(dir, name+".db"), func() error { return nil }, nil
	}
	admin, err := sql.Open("pgx", e.admin)
	if err != nil {
		return "", nil, err
	}
	defer admin.Close()
	if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
		return "", nil, fmt.Errorf("create test database: %w", err)
	}
	u, err := url.Parse(e.admin)
	if err != nil {
		return "", nil, err
	}
	u.Path = "/" + name
	drop := func() error {
		db, err := sql.Open("pgx", e.admin)
		if err != nil {
			return err
		}
		defer db.Close()
		_, err = db.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
		return err
	}
	return u.String(), drop, nil
}

// Open returns a migrated store on a fresh database of the engine, closed and dropped when
// the test ends.
func Open(t testing.TB, e Engine, opts store.Options) *store.Store {
	t.Helper()
	dsn, drop, err := e.DSN(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	opts.LogSQL = opts.LogSQL || os.Getenv("TEST_LOG_SQL") != ""
	st, err := store.Open(context.Background(), dsn, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = st.Close()
		if err := drop(); err != nil {
			t.Errorf("drop test database: %v", err)
		}
	})
	if err := st.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return st
}

// Postgres returns the PostgreSQL engine, or skips the test, saying why it needs PostgreSQL,
// when TEST_DATABASE_URL is not set.
func Postgres(t testing.TB, why string) Engine {
	t.Helper()
	for _, e := range Engines() {
		if e.Name == store.Postgres {
			return e
		}
	}
	t.Skip(why + "; set TEST_DATABASE_URL to run it")
	return Engine{}
}

// Bundled reads the dataset shipped in data/ (a fresh copy, the caller's to change), failing
// the test when it does not validate.
func Bundled(t testing.TB) *dataset.Dataset {
	t.Helper()
	ds, err := dataset.Read(data.FS)
	if err != nil {
		t.Fatalf("the shipped dataset does not validate:\n%v", err)
	}
	return ds
}

// Synth bulk-loads n synthetic cases of the seed into st through the store's bulk path, in
// chunks of 500 cases, as `cybertrade synth` does.
func Synth(t testing.TB, st *store.Store, n int, seed uint64) {
	t.Helper()
	err := synth.Stream(n, seed, 500, func(ds *dataset.Dataset) error {
		_, err := st.BulkLoad(context.Background(), ds)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// Fresh creates a fresh database of the engine, migrates it, and returns its DSN, for tests
// that open several stores (or server processes) over one database. It is dropped when the
// test ends, after the cleanups registered later (which close those stores) have run.
func Fresh(t testing.TB, e Engine) string {
	t.Helper()
	dsn, drop, err := e.DSN(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := drop(); err != nil {
			t.Errorf("drop test database: %v", err)
		}
	})
	st, err := store.Open(context.Background(), dsn, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return dsn
}
