package dataset_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/cybertrade/cybertrade/dataset"
	"github.com/cybertrade/cybertrade/internal/testdb"
)

// TestReadJSONMatchesTheFiles: the bundled files, written as one JSON document, read back to
// the same dataset; broken documents are refused with the problem and its line.
func TestReadJSONMatchesTheFiles(t *testing.T) {
	files := testdb.Bundled(t)
	doc, err := json.MarshalIndent(files, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	back, err := dataset.ReadJSON(bytes.NewReader(doc), "dataset.json")
	if err != nil {
		t.Fatal(err)
	}
	again, _ := json.MarshalIndent(back, "", "  ")
	if !bytes.Equal(doc, again) {
		t.Fatal("the JSON document does not read back to the same dataset")
	}
	if len(back.Cases) == 0 || back.Cases[0].Slug != files.Cases[0].Slug || back.Meta.Version != files.Meta.Version {
		t.Fatalf("read back: %d cases, version %q", len(back.Cases), back.Meta.Version)
	}

	bad := []struct {
		name, doc, want string
		line            int
	}{
		{"syntax", "{\n\"meta\": {\n\"version\": \"1.0.0\",,\n}}", "invalid character", 3},
		{"unknown field", `{"meta": {"version": "1.0.0"}, "colour": 1}`, "unknown field", 0},
		{"wrong type", "{\"meta\": {\n\"version\": 1}}", "cannot unmarshal", 2},
		{"invalid data", strings.Replace(string(doc), `"option": "DEFY"`, `"option": "SULK"`, 1), `unknown company option "SULK"`, 0},
	}
	for _, b := range bad {
		t.Run(b.name, func(t *testing.T) {
			_, err := dataset.ReadJSON(strings.NewReader(b.doc), "x.json")
			var ps dataset.Problems
			if !errors.As(err, &ps) || !strings.Contains(err.Error(), b.want) {
				t.Fatalf("want a problem containing %q, got %v", b.want, err)
			}
			if ps[0].File != "x.json" || (b.line > 0 && ps[0].Line != b.line) {
				t.Fatalf("problem at %s:%d, want x.json:%d", ps[0].File, ps[0].Line, b.line)
			}
		})
	}
}
