package data_test

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/cybertrade/cybertrade/data"
	"github.com/cybertrade/cybertrade/internal/testdb"
)

// researchNote matches the ways the dataset once pointed to research notes that are not in
// the repository: row ids (C27, N-A01, N-B16a) and source numbers ([62], [A45], [B1]).
var researchNote = regexp.MustCompile(`\bC\d{2}\b|\bN-[AB]\d{2}[ab]?\b|\[[AB]?\d{1,3}\]`)

// TestNothingPointsToResearchNotes: every fact cites its own sources and every note says in
// its own words why a coding was chosen; no text points to notes a reader cannot open.
func TestNothingPointsToResearchNotes(t *testing.T) {
	ds := testdb.Bundled(t)
	check := func(where, text string) {
		if m := researchNote.FindString(text); m != "" {
			t.Errorf("%s points to research notes that are not in the repository (%q)", where, m)
		}
	}
	for _, c := range ds.Cases {
		check(c.File+": summary", c.Summary)
		for _, m := range c.Moves {
			check(c.File+": "+m.Slug, m.Summary+" "+m.CodingNote+" "+m.Title)
		}
		for _, s := range c.Bibliography {
			check(c.File+": source "+s.Key, s.Note)
		}
	}
	for _, e := range ds.Excluded {
		check(e.File+": "+e.Candidate, e.Candidate+" "+e.Reason)
	}
}

// TestCitationMatchesTheDataset: CITATION.cff, the changelog and dataset.yaml name the same
// version, so a citation always points at what the API serves.
func TestCitationMatchesTheDataset(t *testing.T) {
	ds := testdb.Bundled(t)
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
	ds := testdb.Bundled(t)
	uncertain := 0
	for _, c := range ds.Cases {
		for _, m := range c.Moves {
			if m.Confidence != "" && m.Confidence != "HIGH" {
				uncertain++
				if strings.TrimSpace(m.CodingNote) == "" {
					t.Errorf("%s: confidence %s without a codingNote", m.Slug, m.Confidence)
				}
			}
			if strings.Contains(m.Summary, "NOT VERIFIED") && m.Confidence != "LOW" { // the curators' marker, in capitals
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
	ds := testdb.Bundled(t)
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
