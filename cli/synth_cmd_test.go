package cli

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
			dsn, env := freshDatabase(t, e)
			args := []string{"synth", "--cases", "40", "--seed", "3", "--chunk", "15", "--validate"}
			var out bytes.Buffer
			if err := Run(ctx, args, func(k string) string { return env[k] }, &out); err != nil {
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
			if err := Run(ctx, args[:5], func(k string) string { return env[k] }, &out); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(out.String(), "(0 written,") {
				t.Fatalf("second run wrote something: %s", out.String())
			}
			if err := Run(ctx, []string{"synth", "--cases", "0"}, func(k string) string { return env[k] }, &out); err == nil {
				t.Fatal("--cases 0 accepted")
			}
		})
	}
}

// TestSynthRefusesCuratedData: synth into a database holding the curated dataset writes
// nothing, says how to use a separate file or database, and leaves dataset.version alone.
func TestSynthRefusesCuratedData(t *testing.T) {
	for _, e := range testdb.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			ctx := context.Background()
			dsn, env := freshDatabase(t, e)
			getenv := func(k string) string { return env[k] }
			var out bytes.Buffer
			if err := Run(ctx, []string{"load"}, getenv, &out); err != nil {
				t.Fatalf("load: %v\n%s", err, out.String())
			}
			counts := func() (string, int, int) {
				st, err := store.Open(ctx, dsn, store.Options{})
				if err != nil {
					t.Fatal(err)
				}
				defer st.Close()
				d, err := st.Dataset(ctx)
				if err != nil {
					t.Fatal(err)
				}
				return d.Version, d.Counts.Cases, d.Counts.Responses
			}
			v0, c0, r0 := counts()
			if v0 == "" || v0 == "0.0.0" || c0 == 0 {
				t.Fatalf("the bundled dataset did not load: %q, %d cases", v0, c0)
			}
			out.Reset()
			err := Run(ctx, []string{"synth", "--cases", "10", "--seed", "1"}, getenv, &out)
			if err == nil || !strings.Contains(err.Error(), "curated dataset "+v0) || !strings.Contains(err.Error(), "SQLITE_PATH=synth.db") ||
				!strings.Contains(err.Error(), "DATABASE_URL=") {
				t.Fatalf("synth into curated data: err %v, output %s", err, out.String())
			}
			if v, c, r := counts(); v != v0 || c != c0 || r != r0 {
				t.Fatalf("synth changed the curated database: %q %d %d, was %q %d %d", v, c, r, v0, c0, r0)
			}
		})
	}
}

// TestSynthKeepsItsVersion: a second synth with other flags into a synthetic database adds
// cases but never changes dataset.version or its citation.
func TestSynthKeepsItsVersion(t *testing.T) {
	ctx := context.Background()
	dsn := t.TempDir() + "/synth.db"
	getenv := func(k string) string { return map[string]string{"SQLITE_PATH": dsn}[k] }
	var out bytes.Buffer
	for _, n := range []string{"5", "8"} {
		if err := Run(ctx, []string{"synth", "--cases", n, "--seed", n}, getenv, &out); err != nil {
			t.Fatalf("synth %s: %v\n%s", n, err, out.String())
		}
	}
	st, err := store.Open(ctx, dsn, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	d, err := st.Dataset(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if d.Version != "0.0.0" || d.Citation != "synthetic dataset n=5 seed=5" {
		t.Fatalf("dataset after two synths: %q %q", d.Version, d.Citation)
	}
}
