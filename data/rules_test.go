package data_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/cybertrade/cybertrade/dataset"
	"github.com/cybertrade/cybertrade/internal/testdb"
)

// The coding rules of docs/codebook.md that a program can check, each over the whole shipped
// dataset. The rules that need judgement (what counts as a demand, an audience, a rejection)
// are the curators' and the codebook's.

// moves calls f for every move of the shipped dataset.
func moves(t *testing.T, f func(c dataset.Case, m dataset.Move)) {
	for _, c := range testdb.Bundled(t).Cases {
		for _, m := range c.Moves {
			f(c, m)
		}
	}
}

// TestRuleInstrumentFitsTheMove (codebook, Instruments): a state's instruments are actions',
// a company's are responses'; a lawsuit is DEFY, lobbying RECOMMEND, verification COLLABORATE
// and COLLABORATE is verification (rule 1: opening code or products to joint verification,
// whoever asked for it), and guidance is a barrier or a procurement restriction coded by its
// audience (rule 3).
func TestRuleInstrumentFitsTheMove(t *testing.T) {
	states := map[string]bool{"LEGISLATION": true, "REGULATORY_ORDER": true, "PROCUREMENT_DECISION": true, "GUIDANCE": true,
		"COURT_RULING": true, "ENFORCEMENT": true, "AGREEMENT": true}
	companies := map[string]bool{"LAWSUIT": true, "LOBBYING": true, "BUSINESS_DECISION": true, "VERIFICATION": true}
	only := map[string][]string{"LAWSUIT": {"DEFY"}, "LOBBYING": {"RECOMMEND"}, "VERIFICATION": {"COLLABORATE"},
		"GUIDANCE": {"IMPORT_BARRIER", "PROCUREMENT_RESTRICTION"}}
	moves(t, func(c dataset.Case, m dataset.Move) {
		if states[m.Instrument] && m.Type != dataset.TypeAction {
			t.Errorf("%s: %s is a state's instrument, but %s is a company's response", c.File, m.Instrument, m.Slug)
		}
		if companies[m.Instrument] && m.Type != dataset.TypeResponse {
			t.Errorf("%s: %s is a company's instrument, but %s is a country's action", c.File, m.Instrument, m.Slug)
		}
		if opts, ok := only[m.Instrument]; ok && !contains(opts, m.Option) {
			t.Errorf("%s: %s is %s with instrument %s (want option %v)", c.File, m.Slug, m.Option, m.Instrument, opts)
		}
		if m.Option == "COLLABORATE" && m.Instrument != "VERIFICATION" {
			t.Errorf("%s: %s is COLLABORATE with instrument %s (rule 1: VERIFICATION)", c.File, m.Slug, m.Instrument)
		}
	})
}

var protest = regexp.MustCompile(`(?i)\bprotests?\b`)

// TestRuleProtestsAreAmplifyStatements (rule 4): a state's diplomatic protest is AMPLIFY with
// instrument STATEMENT, so a researcher can keep or drop protests by instrument.
func TestRuleProtestsAreAmplifyStatements(t *testing.T) {
	moves(t, func(c dataset.Case, m dataset.Move) {
		if m.Type == dataset.TypeAction && protest.MatchString(m.Title) && (m.Option != "AMPLIFY" || m.Instrument != "STATEMENT") {
			t.Errorf("%s: %s (%q) is %s/%s, want AMPLIFY/STATEMENT", c.File, m.Slug, m.Title, m.Option, m.Instrument)
		}
	})
}

var sourceCodeReview = regexp.MustCompile(`(?i)\b(opens|submits|allows|lets|agrees to|undergoes|passes)\b.*\b(source[- ]code|review|audit|inspection)|transparency cent(er|re)`)

// TestRuleReviewsAreCollaborate (rule 1): a company that opens its source code or products to a
// state's review is coded COLLABORATE, instrument VERIFICATION, whoever asked for the review.
func TestRuleReviewsAreCollaborate(t *testing.T) {
	moves(t, func(c dataset.Case, m dataset.Move) {
		if m.Type == dataset.TypeResponse && sourceCodeReview.MatchString(m.Title) && (m.Option != "COLLABORATE" || m.Instrument != "VERIFICATION") {
			t.Errorf("%s: %s (%q) is %s/%s, want COLLABORATE/VERIFICATION", c.File, m.Slug, m.Title, m.Option, m.Instrument)
		}
	})
}

// TestRuleAcquiesceMeetsADemand (rule 6): ACQUIESCE needs a demand, so an ACQUIESCE response
// answers at least one move.
func TestRuleAcquiesceMeetsADemand(t *testing.T) {
	moves(t, func(c dataset.Case, m dataset.Move) {
		if m.Option == "ACQUIESCE" && len(m.InReplyTo) == 0 {
			t.Errorf("%s: %s is ACQUIESCE but answers no move (no demand)", c.File, m.Slug)
		}
	})
}

var reportedOn = regexp.MustCompile(`(?i)reported on \d{4}-\d{2}-\d{2}`)

// TestRuleReportDatesAreNotHigh (rule 8): a move dated by the report that gave it is never
// HIGH confidence.
func TestRuleReportDatesAreNotHigh(t *testing.T) {
	moves(t, func(c dataset.Case, m dataset.Move) {
		if reportedOn.MatchString(m.CodingNote) && (m.Confidence == "" || m.Confidence == "HIGH") {
			t.Errorf("%s: %s is dated by a report (%q) but has confidence HIGH", c.File, m.Slug, reportedOn.FindString(m.CodingNote))
		}
	})
}

// TestRuleEveryDefyIsAnswered (rule 10): every DEFY response has a reply linked, or a coding
// note saying that no state answer was found and as of when.
func TestRuleEveryDefyIsAnswered(t *testing.T) {
	for _, w := range dataset.Warnings(testdb.Bundled(t)) {
		t.Error(w)
	}
}

// TestRuleJurisdictionCodes (rule 11): every acting jurisdiction is an ISO 3166-1 code, EU or XK,
// and the two that are not officially assigned say so.
func TestRuleJurisdictionCodes(t *testing.T) {
	ds := testdb.Bundled(t)
	status := map[string]string{}
	for _, c := range ds.Countries {
		status[c.Code] = c.CodeStatus
	}
	if status["EU"] != "EXCEPTIONALLY_RESERVED" || status["XK"] != "USER_ASSIGNED" {
		t.Errorf("EU is %q and XK %q; want EXCEPTIONALLY_RESERVED and USER_ASSIGNED", status["EU"], status["XK"])
	}
	for code, s := range status {
		if s != "" && code != "EU" && code != "XK" {
			t.Errorf("%s has code status %s; only EU and XK are not officially assigned", code, s)
		}
	}
}

// TestRuleExclusionsSayWhy (rule 12): every candidate left out names itself and gives a
// reason in its own words.
func TestRuleExclusionsSayWhy(t *testing.T) {
	for _, e := range testdb.Bundled(t).Excluded {
		if len(strings.Fields(e.Reason)) < 5 {
			t.Errorf("%s: %q is excluded with too short a reason: %q", e.File, e.Candidate, e.Reason)
		}
	}
}

// TestEveryMoveHasADatedSourceWithAURL: every move cites at least one source that has a date
// and an http(s) URL.
func TestEveryMoveHasADatedSourceWithAURL(t *testing.T) {
	ds := testdb.Bundled(t)
	sources := ds.SourcesByKey()
	for _, c := range ds.Cases {
		for _, m := range c.Moves {
			ok := false
			for _, k := range m.Sources {
				s := sources[k]
				ok = ok || (s.Date != "" && dataset.ValidURL(s.URL))
			}
			if !ok {
				t.Errorf("%s: %s cites no dated source with a URL", c.File, m.Slug)
			}
		}
	}
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if x == y {
			return true
		}
	}
	return false
}
