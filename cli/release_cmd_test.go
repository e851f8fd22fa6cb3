package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/cybertrade/cybertrade/dataset"
	"github.com/cybertrade/cybertrade/export"
	"github.com/cybertrade/cybertrade/internal/testdb"
)

// TestReleaseCommand: `release` writes data/releases/{version}/ from the data files (a
// dataset.json the loader reads back as the same dataset, the CSV files and
// datapackage.json, and release.json with the version and the changelog's date), and refuses
// to write a version that exists, leaving it as it was.
func TestReleaseCommand(t *testing.T) {
	ds := testdb.Bundled(t)
	ds.Meta.Version = "7.8.9"
	dir, out := filepath.Join(t.TempDir(), "data"), filepath.Join(t.TempDir(), "releases")
	if err := dataset.WriteFiles(dir, ds); err != nil {
		t.Fatal(err)
	}
	_ = os.WriteFile(filepath.Join(dir, "CHANGELOG.md"), []byte("# Changelog\n\n## 7.8.9 — 2031-02-03\n\nA test release.\n"), 0o644)
	c := &cli{t: t, env: map[string]string{"LOG_LEVEL": "error"}}
	msg := c.ok("release", "-dir", dir, "-out", out)
	if !strings.Contains(msg, "released 7.8.9 (2031-02-03)") {
		t.Errorf("release said %q", msg)
	}
	rels, err := export.ListReleases(os.DirFS(out))
	if err != nil || len(rels) != 1 {
		t.Fatalf("releases %v %v", rels, err)
	}
	want := []string{"actions.csv", "cases.csv", "companies.csv", "countries.csv", "datapackage.json", "dataset.json", "links.csv", "moves.csv",
		"products.csv", "responses.csv", "sources.csv"}
	if r := rels[0]; r.Version != "7.8.9" || r.Date != "2031-02-03" || !slices.Equal(r.Files, want) {
		t.Errorf("release.json: %+v", r)
	}
	raw, _ := os.ReadFile(filepath.Join(out, "7.8.9", "dataset.json"))
	back, err := dataset.ReadJSON(bytes.NewReader(raw), "dataset.json")
	if err != nil {
		t.Fatal(err)
	}
	a, _ := json.Marshal(back.Cases)
	b, _ := json.Marshal(ds.Cases)
	if back.Meta.Version != "7.8.9" || len(back.Cases) != len(ds.Cases) || len(a) != len(b) {
		t.Errorf("the released dataset.json is not the data files' dataset: %d cases, %d vs %d bytes", len(back.Cases), len(a), len(b))
	}

	before, _ := os.ReadFile(filepath.Join(out, "7.8.9", "actions.csv"))
	if _, err := c.run("release", "-dir", dir, "-out", out); err == nil || !strings.Contains(err.Error(), "never changes") {
		t.Errorf("a second release of 7.8.9: %v", err)
	}
	after, _ := os.ReadFile(filepath.Join(out, "7.8.9", "actions.csv"))
	if !bytes.Equal(before, after) {
		t.Error("the refused release changed the files")
	}
	entries, _ := os.ReadDir(out)
	if len(entries) != 1 {
		t.Errorf("the releases folder holds %d entries, want the one release (no staging left)", len(entries))
	}
}
