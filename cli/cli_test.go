package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/cybertrade/cybertrade/dataset"
	"github.com/cybertrade/cybertrade/internal/testdb"
	"github.com/cybertrade/cybertrade/model"
	"github.com/cybertrade/cybertrade/store"
)

// cli runs the command line against one database.
type cli struct {
	t   *testing.T
	dsn string
	env map[string]string
}

// newCLI points the command line at a fresh, empty database of engine e.
func newCLI(t *testing.T, e testdb.Engine) *cli {
	t.Helper()
	dsn, env := freshDatabase(t, e)
	env["LOG_LEVEL"] = "error"
	return &cli{t: t, dsn: dsn, env: env}
}

// forCLI runs f as a subtest on every engine, each with the command line on a fresh database.
func forCLI(t *testing.T, f func(t *testing.T, c *cli)) {
	for _, e := range testdb.Engines() {
		t.Run(e.Name, func(t *testing.T) { f(t, newCLI(t, e)) })
	}
}

// store opens the cli's database for the test; it is closed when the test ends.
func (c *cli) store() *store.Store {
	c.t.Helper()
	st, err := store.Open(context.Background(), c.dsn, store.Options{})
	if err != nil {
		c.t.Fatal(err)
	}
	c.t.Cleanup(func() { _ = st.Close() })
	return st
}

// dataset reads the dataset record (version, citation, counts) of the cli's database.
func (c *cli) dataset() *model.Dataset {
	c.t.Helper()
	st, err := store.Open(context.Background(), c.dsn, store.Options{})
	if err != nil {
		c.t.Fatal(err)
	}
	defer st.Close()
	d, err := st.Dataset(context.Background())
	if err != nil {
		c.t.Fatal(err)
	}
	return d
}

// freshDatabase makes an empty database of engine e for the test and returns its DSN and the
// environment that points the commands at it (SQLITE_PATH or DATABASE_URL).
func freshDatabase(t *testing.T, e testdb.Engine) (string, map[string]string) {
	t.Helper()
	dsn, drop, err := e.DSN(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = drop() })
	if e.Name == store.Postgres {
		return dsn, map[string]string{"DATABASE_URL": dsn}
	}
	return dsn, map[string]string{"SQLITE_PATH": dsn}
}

func (c *cli) run(args ...string) (string, error) {
	var out bytes.Buffer
	err := Run(context.Background(), args, func(k string) string { return c.env[k] }, &out)
	return out.String(), err
}

func (c *cli) ok(args ...string) string {
	c.t.Helper()
	out, err := c.run(args...)
	if err != nil {
		c.t.Fatalf("cybertrade %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return out
}

// TestExportAndLoadCommands: `export` writes every format from the database; `load -file`
// reads dataset.json back (export → load → export is byte-identical); a plain load never
// deletes and `load -prune` soft-deletes what left the file.
func TestExportAndLoadCommands(t *testing.T) {
	for _, e := range testdb.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			first := newCLI(t, e)
			first.ok("load")
			dir1 := t.TempDir()
			for _, format := range []string{"csv", "json", "graphml"} {
				first.ok("export", "-format", format, "-out", dir1)
			}
			var names []string
			entries, _ := os.ReadDir(dir1)
			for _, en := range entries {
				names = append(names, en.Name())
			}
			want := []string{"actions.csv", "cases.csv", "companies.csv", "countries.csv", "datapackage.json", "dataset.json", "graph.graphml", "links.csv", "moves.csv",
				"products.csv", "responses.csv", "sources.csv"}
			if !slices.Equal(names, want) {
				t.Fatalf("export wrote %v", names)
			}
			actions, _ := os.ReadFile(filepath.Join(dir1, "actions.csv"))
			if !strings.Contains(string(actions), "ru-blocks-linkedin") {
				t.Errorf("actions.csv lacks the LinkedIn case's block")
			}
			responses, _ := os.ReadFile(filepath.Join(dir1, "responses.csv"))
			if !strings.Contains(string(responses), "linkedin-refuses-data-localisation,DEFY,") {
				t.Errorf("responses.csv lacks LinkedIn's DEFY: %s", responses)
			}

			second := newCLI(t, e)
			if out := second.ok("load", "-file", filepath.Join(dir1, "dataset.json")); !strings.Contains(out, "created") {
				t.Fatalf("load -file: %s", out)
			}
			dir2 := t.TempDir()
			second.ok("export", "-format", "json", "-out", dir2)
			a, _ := os.ReadFile(filepath.Join(dir1, "dataset.json"))
			b, _ := os.ReadFile(filepath.Join(dir2, "dataset.json"))
			if !bytes.Equal(a, b) {
				t.Fatal("dataset.json differs after export → load -file → export")
			}

			// Drop the last move of the LinkedIn case from the document.
			var ds dataset.Dataset
			if err := json.Unmarshal(a, &ds); err != nil {
				t.Fatal(err)
			}
			c := &ds.Cases[slices.IndexFunc(ds.Cases, func(c dataset.Case) bool { return c.Slug == "linkedin-in-russia" })]
			c.Moves = slices.DeleteFunc(c.Moves, func(m dataset.Move) bool { return m.Slug == "ru-keeps-linkedin-block" })
			edited := filepath.Join(t.TempDir(), "edited.json")
			raw, _ := json.Marshal(ds)
			_ = os.WriteFile(edited, raw, 0o644)
			if out := second.ok("load", "-file", edited); strings.Contains(out, "deleted") {
				t.Errorf("a plain load deleted: %s", out)
			}
			if out := second.ok("load", "-file", edited, "-prune"); !strings.Contains(out, ", 1 deleted") {
				t.Errorf("load -prune: %s", out)
			}
			dir3 := t.TempDir()
			second.ok("export", "-format", "csv", "-out", dir3)
			actions, _ = os.ReadFile(filepath.Join(dir3, "actions.csv"))
			if strings.Contains(string(actions), "ru-keeps-linkedin-block") || !strings.Contains(string(actions), "ru-blocks-linkedin") {
				t.Errorf("after the prune actions.csv is wrong:\n%s", actions)
			}

			for _, bad := range [][]string{{"export", "-format", "xlsx"}, {"load", "-file", "x.json", "-dir", "."}, {"load", "-file", filepath.Join(dir1, "actions.csv")}} {
				if _, err := second.run(bad...); err == nil {
					t.Errorf("cybertrade %v succeeded", bad)
				}
			}
		})
	}
}
