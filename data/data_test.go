package data_test

import (
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/cybertrade/cybertrade/data"
	"github.com/cybertrade/cybertrade/dataset"
)

// researchRows is the number of rows (C01..C83) in the case table of the research notes the
// dataset is coded from.
const researchRows = 83

func shipped(t *testing.T) *dataset.Dataset {
	t.Helper()
	ds, err := dataset.Read(data.FS)
	if err != nil {
		t.Fatalf("the shipped dataset does not validate:\n%v", err)
	}
	return ds
}

// TestEveryResearchRowIsCodedOrExcluded: each row of the research table is coded by at least
// one move (its researchRefs) or listed under excluded/ with a reason, never both, never lost.
func TestEveryResearchRowIsCodedOrExcluded(t *testing.T) {
	ds := shipped(t)
	coded := map[string]bool{}
	for _, c := range ds.Cases {
		for _, m := range c.Moves {
			for _, r := range m.ResearchRefs {
				coded[r] = true
			}
		}
	}
	excluded := map[string]bool{}
	for _, e := range ds.Excluded {
		excluded[e.ResearchRef] = true
	}
	var missing, both []string
	for i := 1; i <= researchRows; i++ {
		id := fmt.Sprintf("C%02d", i)
		switch {
		case coded[id] && excluded[id]:
			both = append(both, id)
		case !coded[id] && !excluded[id]:
			missing = append(missing, id)
		}
	}
	if len(missing) > 0 {
		t.Errorf("research rows neither coded nor excluded: %v", missing)
	}
	if len(both) > 0 {
		t.Errorf("research rows both coded and excluded: %v", both)
	}
	for r := range coded {
		if !regexp.MustCompile(`^C\d{2}$`).MatchString(r) {
			t.Errorf("researchRefs value %q is not a row id like C27", r)
		}
	}
}

// TestCitationMatchesTheDataset: CITATION.cff, the changelog and dataset.yaml name the same
// version, so a citation always points at what the API serves.
func TestCitationMatchesTheDataset(t *testing.T) {
	ds := shipped(t)
	cff, err := os.ReadFile("../CITATION.cff")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(cff), "\nversion: "+ds.Meta.Version+"\n") {
		t.Errorf("CITATION.cff does not name version %s", ds.Meta.Version)
	}
	if !strings.Contains(string(cff), "license: "+ds.Meta.License) {
		t.Errorf("CITATION.cff does not name licence %s", ds.Meta.License)
	}
	changelog, err := data.FS.ReadFile("CHANGELOG.md")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(changelog), "## "+ds.Meta.Version+" ") {
		t.Errorf("CHANGELOG.md has no entry for version %s", ds.Meta.Version)
	}
}

// TestUncertainRecordsSayWhy: every move whose facts or coding are not firm says so in the
// fields the API exposes.
func TestUncertainRecordsSayWhy(t *testing.T) {
	ds := shipped(t)
	uncertain := 0
	for _, c := range ds.Cases {
		for _, m := range c.Moves {
			if m.Confidence != "" && m.Confidence != "HIGH" {
				uncertain++
				if strings.TrimSpace(m.CodingNote) == "" {
					t.Errorf("%s: confidence %s without a codingNote", m.Slug, m.Confidence)
				}
			}
			if strings.Contains(strings.ToUpper(m.Summary), "NOT VERIFIED") && m.Confidence != "LOW" {
				t.Errorf("%s: the summary says NOT VERIFIED but confidence is %q", m.Slug, m.Confidence)
			}
		}
	}
	if uncertain == 0 {
		t.Error("no move is marked uncertain; the research notes mark several facts NOT VERIFIED")
	}
}

// TestOneFileOneCase: each case file's slug is its file name, and its moves and sources are
// unique across the dataset (validation checks it; this guards the files' layout).
func TestOneFileOneCase(t *testing.T) {
	ds := shipped(t)
	var files []string
	for _, c := range ds.Cases {
		files = append(files, c.File)
		if c.File != "cases/"+c.Slug+".yaml" {
			t.Errorf("case %s lives in %s", c.Slug, c.File)
		}
	}
	if len(slices.Compact(slices.Sorted(slices.Values(files)))) != len(ds.Cases) {
		t.Error("two cases share a file")
	}
}
