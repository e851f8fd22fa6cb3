package dataset_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"

	"github.com/cybertrade/cybertrade/data"
	"github.com/cybertrade/cybertrade/dataset"
	"github.com/cybertrade/cybertrade/internal/testdb"
)

// canonicalJSON renders a dataset without the positions Read records.
func canonicalJSON(t *testing.T, ds *dataset.Dataset) string {
	t.Helper()
	b, err := json.Marshal(ds)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestShippedFilesAreCanonical: the repository's data files are exactly what WriteFiles
// writes for them, so an export of the database after an API edit differs from the files only
// where the data changed.
func TestShippedFilesAreCanonical(t *testing.T) {
	ds := testdb.Bundled(t)
	dir := t.TempDir()
	if err := dataset.WriteFiles(dir, ds); err != nil {
		t.Fatal(err)
	}
	written, err := dataset.Read(os.DirFS(dir))
	if err != nil {
		t.Fatalf("the written files do not read back: %v", err)
	}
	written.Excluded = ds.Excluded // WriteFiles leaves excluded/ alone
	if canonicalJSON(t, written) != canonicalJSON(t, ds) {
		a, b := canonicalJSON(t, written), canonicalJSON(t, ds)
		i := 0
		for i < len(a) && i < len(b) && a[i] == b[i] {
			i++
		}
		t.Fatalf("the written files read back to another dataset, from byte %d:\n%s\n%s", i, a[max(0, i-200):min(len(a), i+200)], b[max(0, i-200):min(len(b), i+200)])
	}
	names, _ := filepath.Glob(filepath.Join(dir, "*.yaml"))
	cases, _ := filepath.Glob(filepath.Join(dir, "cases", "*.yaml"))
	for _, p := range append(names, cases...) {
		rel, _ := filepath.Rel(dir, p)
		want, _ := os.ReadFile(p)
		got, err := data.FS.ReadFile(filepath.ToSlash(rel))
		if err != nil || string(got) != string(want) {
			t.Errorf("data/%s is not in canonical form; run `go run . export -format files -out data` on a database loaded from it", rel)
		}
	}
}

// TestWriteFilesQuotesWhatYAMLWouldMisread: values that YAML would read as numbers, booleans,
// or syntax survive a write and a read.
func TestWriteFilesQuotesWhatYAMLWouldMisread(t *testing.T) {
	tricky := []string{"62", "true", "null", "2016", "a: b", "# not a comment", "- dash", "[x]", "it's", `say "hi"`, "x,y", "NÚKIB — Czech", "@at", "100%"}
	c := dataset.Case{Slug: "c", Title: "T", Summary: "S", Sources: []string{"s"}}
	for i, s := range tricky {
		c.Moves = append(c.Moves, dataset.Move{Slug: "m" + string(rune('a'+i)), Type: "action", Option: "IMPORT_BARRIER", Country: "RU",
			Actor: s, Date: "2016", Title: s, Summary: s, Concerns: []string{"ESPIONAGE"}, Sources: []string{"s"}, CodingNote: s})
	}
	c.Bibliography = []dataset.Source{{Key: "s", Title: "62", Publisher: "true", Date: "2016", URL: "https://x.org/a?b=c#d"}}
	raw := dataset.EncodeCase(c)
	fs := fstest.MapFS{"cases/c.yaml": {Data: raw}}
	var back dataset.Case
	if err := yamlRead(fs, &back); err != nil {
		t.Fatalf("%v\n%s", err, raw)
	}
	for i, m := range back.Moves {
		if m.Actor != tricky[i] || m.Title != tricky[i] || m.Summary != tricky[i] || m.CodingNote != tricky[i] {
			t.Errorf("%q came back as %q / %q / %q / %v", tricky[i], m.Actor, m.Title, m.Summary, m.CodingNote)
		}
	}
	if back.Bibliography[0].Title != "62" || back.Bibliography[0].Publisher != "true" {
		t.Errorf("source came back as %+v", back.Bibliography[0])
	}
}
