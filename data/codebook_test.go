package data_test

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/cybertrade/cybertrade/dataset"
	"github.com/cybertrade/cybertrade/internal/isodate"
	"github.com/cybertrade/cybertrade/internal/testdb"
	"github.com/cybertrade/cybertrade/model"
)

// codebookRow matches a table row "| `VALUE` | definition | `example` |".
var codebookRow = regexp.MustCompile("^\\| `([A-Z_]+)` \\| (.+) \\| `([a-z0-9-]+)` \\|$")

// codebookTables reads docs/codebook.md into heading -> value -> example.
func codebookTables(t *testing.T) map[string]map[string]string {
	t.Helper()
	raw, err := os.ReadFile("../docs/codebook.md")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]map[string]string{}
	section := ""
	for _, line := range strings.Split(string(raw), "\n") {
		if h, ok := strings.CutPrefix(line, "## "); ok {
			if i := strings.Index(h, "(`"); i >= 0 {
				section = strings.SplitN(h[i+2:], "`", 2)[0]
			} else {
				section = ""
			}
			continue
		}
		if m := codebookRow.FindStringSubmatch(line); m != nil && section != "" {
			if out[section] == nil {
				out[section] = map[string]string{}
			}
			if _, dup := out[section][m[1]]; dup {
				t.Errorf("codebook: %s.%s defined twice", section, m[1])
			}
			out[section][m[1]] = m[3]
		}
	}
	return out
}

func names[T ~string](vals []T) []string {
	out := make([]string, len(vals))
	for i, v := range vals {
		out[i] = string(v)
	}
	return out
}

// TestCodebookDefinesEveryValueWithARealExample: the codebook has a row for every value of
// every enum, and each row's example is a record of the shipped data that carries the value.
func TestCodebookDefinesEveryValueWithARealExample(t *testing.T) {
	ds := testdb.Bundled(t)
	moves := ds.MovesBySlug()
	products := map[string]string{}
	for _, c := range ds.Companies {
		for _, p := range c.Products {
			products[p.Slug] = p.Category
		}
	}
	targeted := map[string]bool{}
	for _, m := range moves {
		for _, p := range m.Products {
			targeted[p] = true
		}
	}
	confidence := func(m dataset.Move) string {
		if m.Confidence == "" {
			return "HIGH"
		}
		return m.Confidence
	}
	checks := map[string]struct {
		values []string
		holds  func(value, example string) bool
	}{
		"CountryOption": {names(model.AllCountryOption), func(v, ex string) bool {
			m, ok := moves[ex]
			return ok && m.Type == dataset.TypeAction && m.Option == v
		}},
		"CompanyOption": {names(model.AllCompanyOption), func(v, ex string) bool {
			m, ok := moves[ex]
			return ok && m.Type == dataset.TypeResponse && m.Option == v
		}},
		"Concern": {names(model.AllConcern), func(v, ex string) bool {
			m, ok := moves[ex]
			return ok && strings.Contains(" "+strings.Join(m.Concerns, " ")+" ", " "+v+" ")
		}},
		"ProductCategory": {names(model.AllProductCategory), func(v, ex string) bool {
			return products[ex] == v && targeted[ex]
		}},
		"DatePrecision": {names(model.AllDatePrecision), func(v, ex string) bool {
			m, ok := moves[ex]
			d, err := isodate.Parse(m.Date)
			return ok && err == nil && string(d.Precision) == v
		}},
		"Instrument": {names(model.AllInstrument), func(v, ex string) bool {
			m, ok := moves[ex]
			return ok && m.Instrument == v
		}},
		"Confidence": {names(model.AllConfidence), func(v, ex string) bool {
			m, ok := moves[ex]
			return ok && confidence(m) == v
		}},
	}
	tables := codebookTables(t)
	for enum, c := range checks {
		rows := tables[enum]
		if len(rows) != len(c.values) {
			t.Errorf("codebook: %s has %d rows, the schema %d values", enum, len(rows), len(c.values))
		}
		for _, v := range c.values {
			ex, ok := rows[v]
			if !ok {
				t.Errorf("codebook: %s.%s is not defined", enum, v)
				continue
			}
			if !c.holds(v, ex) {
				t.Errorf("codebook: the example %q of %s.%s is not a record with that value", ex, enum, v)
			}
		}
	}
}

// ruleExample matches a move slug quoted in the codebook's rules.
var ruleExample = regexp.MustCompile("`([a-z0-9]+(?:-[a-z0-9]+)+)`")

// TestCodebookRulesHaveRealExamples: every move slug the "Coding rules" section quotes is a
// move of the shipped data, and every numbered rule quotes at least one.
func TestCodebookRulesHaveRealExamples(t *testing.T) {
	ds := testdb.Bundled(t)
	moves := map[string]bool{}
	for _, c := range ds.Cases {
		for _, m := range c.Moves {
			moves[m.Slug] = true
		}
	}
	raw, err := os.ReadFile("../docs/codebook.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rules, ok := strings.Cut(string(raw), "\n## Coding rules\n")
	if !ok {
		t.Fatal("docs/codebook.md has no Coding rules section")
	}
	rules, _, _ = strings.Cut(rules, "\n## ")
	items := regexp.MustCompile(`(?m)^\d+\. `).Split(rules, -1)[1:]
	if len(items) != 12 {
		t.Errorf("the Coding rules section has %d numbered rules, want the 12 of the coding rules", len(items))
	}
	for i, item := range items {
		examples := 0
		for _, m := range ruleExample.FindAllStringSubmatch(item, -1) {
			if strings.HasPrefix(m[1], "data/") || !strings.Contains(m[1], "-") {
				continue
			}
			examples++
			if !moves[m[1]] {
				t.Errorf("rule %d: the example %q is not a move of the data", i+1, m[1])
			}
		}
		if examples == 0 && i != 11 { // rule 12 points to data/excluded/, not to a move
			t.Errorf("rule %d quotes no example move", i+1)
		}
	}
}
