package cli

import (
	"strings"
	"testing"
)

// TestSynthCommand runs `cybertrade synth` on each engine through run, as the shell would,
// then reads the counts back, and runs it again to show it changes nothing.
func TestSynthCommand(t *testing.T) {
	forCLI(t, func(t *testing.T, c *cli) {
		args := []string{"synth", "--cases", "40", "--seed", "3", "--chunk", "15", "--validate"}
		out := c.ok(args...)
		if !strings.Contains(out, "synthesised 40 cases") || !strings.Contains(out, "0 unchanged") {
			t.Fatalf("first run output: %s", out)
		}
		d := c.dataset()
		n := d.Counts
		if n.Cases != 40 || n.Actions != 120 || n.Responses != 80 || n.Links != 80 || n.Companies != 20 || n.Countries < 249 || n.Products < 40 || n.Sources < 40 {
			t.Fatalf("counts after synth: %+v", *n)
		}
		if d.Citation != "synthetic dataset n=40 seed=3" {
			t.Fatalf("citation %q", d.Citation)
		}
		if out := c.ok(args[:5]...); !strings.Contains(out, "(0 written,") {
			t.Fatalf("second run wrote something: %s", out)
		}
		if _, err := c.run("synth", "--cases", "0"); err == nil {
			t.Fatal("--cases 0 accepted")
		}
	})
}

// TestSynthRefusesCuratedData: synth into a database holding the curated dataset writes
// nothing, says how to use a separate file or database, and leaves dataset.version alone.
func TestSynthRefusesCuratedData(t *testing.T) {
	forCLI(t, func(t *testing.T, c *cli) {
		c.ok("load")
		before := c.dataset()
		if before.Version == "" || before.Version == "0.0.0" || before.Counts.Cases == 0 {
			t.Fatalf("the bundled dataset did not load: %q, %d cases", before.Version, before.Counts.Cases)
		}
		out, err := c.run("synth", "--cases", "10", "--seed", "1")
		if err == nil || !strings.Contains(err.Error(), "curated dataset "+before.Version) || !strings.Contains(err.Error(), "SQLITE_PATH=synth.db") ||
			!strings.Contains(err.Error(), "DATABASE_URL=") {
			t.Fatalf("synth into curated data: err %v, output %s", err, out)
		}
		if after := c.dataset(); after.Version != before.Version || after.Counts.Cases != before.Counts.Cases || after.Counts.Responses != before.Counts.Responses {
			t.Fatalf("synth changed the curated database: %q %d %d, was %q %d %d", after.Version, after.Counts.Cases, after.Counts.Responses,
				before.Version, before.Counts.Cases, before.Counts.Responses)
		}
	})
}

// TestSynthKeepsItsVersion: a second synth with other flags into a synthetic database adds
// cases but never changes dataset.version or its citation.
func TestSynthKeepsItsVersion(t *testing.T) {
	dsn := t.TempDir() + "/synth.db"
	c := &cli{t: t, dsn: dsn, env: map[string]string{"SQLITE_PATH": dsn}}
	for _, n := range []string{"5", "8"} {
		c.ok("synth", "--cases", n, "--seed", n)
	}
	if d := c.dataset(); d.Version != "0.0.0" || d.Citation != "synthetic dataset n=5 seed=5" {
		t.Fatalf("dataset after two synths: %q %q", d.Version, d.Citation)
	}
}
