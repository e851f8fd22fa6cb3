package dataset

import (
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// TestWrittenTextReadsBack: every text the API accepts reads back from the canonical YAML as
// written, whatever it holds: line breaks YAML knows (CR, NEL, U+2028, U+2029), a byte-order
// mark, tabs, quotes, flow punctuation, long texts that are folded.
func TestWrittenTextReadsBack(t *testing.T) {
	long := strings.Repeat("word ", 30)
	for _, s := range []string{"x=\ufeff\"+", "\ufeffstart", "a\rb", "a\u2028b", "a\u2029b", "tab\tin", "x&\", y", "[a]", "{b}", "#c", "- d", "e: f",
		long + "\r" + long, long + "\ufeff" + long, long + "\u2028" + long, "x'中, x", `back\slash`} {
		in := []Company{{Slug: "a", Name: s, Sector: s, Aliases: []string{s, "b"}, Description: s}, {Slug: "b", Name: "B"}}
		var out []Company
		b := EncodeCompanies(in)
		if err := yaml.Unmarshal(b, &out); err != nil {
			t.Fatalf("%q: %v\n%s", s, err, b)
		}
		if len(out) != 2 || out[0].Name != s || out[0].Sector != s || out[0].Description != s || out[0].Aliases[0] != s || out[1].Slug != "b" {
			t.Fatalf("%q does not read back:\n%s", s, b)
		}
	}
}
