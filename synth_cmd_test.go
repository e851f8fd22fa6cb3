package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/cybertrade/cybertrade/internal/testdb"
	"github.com/cybertrade/cybertrade/store"
)

// TestSynthCommand runs `cybertrade synth` on each engine through run, as the shell would,
// then reads the counts back, and runs it again to show it changes nothing.
func TestSynthCommand(t *testing.T) {
	for _, e := range testdb.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			ctx := context.Background()
			dsn, drop, err := e.DSN(t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = drop() })
			env := map[string]string{"SQLITE_PATH": dsn}
			if e.Name == store.Postgres {
				env = map[string]string{"DATABASE_URL": dsn}
			}
			args := []string{"synth", "--cases", "40", "--seed", "3", "--chunk", "15", "--validate"}
			var out bytes.Buffer
			if err := run(ctx, args, func(k string) string { return env[k] }, &out); err != nil {
				t.Fatalf("synth: %v\n%s", err, out.String())
			}
			if !strings.Contains(out.String(), "synthesised 40 cases") || !strings.Contains(out.String(), "0 unchanged") {
				t.Fatalf("first run output: %s", out.String())
			}
			st, err := store.Open(ctx, dsn, store.Options{})
			if err != nil {
				t.Fatal(err)
			}
			d, err := st.Dataset(ctx)
			_ = st.Close()
			if err != nil {
				t.Fatal(err)
			}
			c := d.Counts
			if c.Cases != 40 || c.Actions != 120 || c.Responses != 80 || c.Links != 80 || c.Companies != 20 || c.Countries < 249 || c.Products < 40 || c.Sources < 40 {
				t.Fatalf("counts after synth: %+v", *c)
			}
			if d.Citation != "synthetic dataset n=40 seed=3" {
				t.Fatalf("citation %q", d.Citation)
			}
			out.Reset()
			if err := run(ctx, args[:5], func(k string) string { return env[k] }, &out); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(out.String(), "(0 written,") {
				t.Fatalf("second run wrote something: %s", out.String())
			}
			if err := run(ctx, []string{"synth", "--cases", "0"}, func(k string) string { return env[k] }, &out); err == nil {
				t.Fatal("--cases 0 accepted")
			}
		})
	}
}
