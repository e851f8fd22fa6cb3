package record

import "testing"

// TestDatedFollowsTheDate: a move's date is parsed once and kept for the whole write; a date
// changed after it was parsed (a patch, a revert) is parsed again, so a bad date cannot pass the
// checks on the strength of the good one it replaced, and the row's period is the new date's.
func TestDatedFollowsTheDate(t *testing.T) {
	m := &MoveValues{Date: "2016-02"}
	if at := m.Dated(); !at.DateOK || at.Date.Start != "2016-02-01" || at.Date.End != "2016-02-29" {
		t.Fatalf("2016-02: %+v", at)
	}
	m.Date = "2016-02-30"
	if at := m.Dated(); at.DateOK || at.DateErr == nil {
		t.Fatalf("2016-02-30 after 2016-02: %+v, want a date that does not parse", at)
	}
	m.Date = "2016-03-01"
	if at := m.Dated(); !at.DateOK || at.Date.Start != "2016-03-01" {
		t.Fatalf("2016-03-01 after a bad date: %+v", at)
	}
	cols := map[string]any{}
	for _, c := range m.Columns(&Index{ids: map[string]map[string]int64{"cases": {}, "countries": {}, "companies": {}}}) {
		cols[c.Name] = c.Value
	}
	if cols["date_start"] != "2016-03-01" || cols["date_end"] != "2016-03-01" || cols["date_precision"] != "DAY" {
		t.Fatalf("columns of 2016-03-01: %v", cols)
	}
}
