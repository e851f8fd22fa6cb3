// Package isodate handles the dataset's ISO 8601 dates at their precision: "2016",
// "2016-11" or "2016-11-17". A date never gains a month or day the facts do not give; for
// range filters it stands for the period from its first to its last day.
package isodate

import (
	"fmt"
	"regexp"
	"time"
)

// Precision is how much of a date is known.
type Precision string

// Precisions, named as the GraphQL DatePrecision enum.
const (
	Year  Precision = "YEAR"
	Month Precision = "MONTH"
	Day   Precision = "DAY"
)

var form = regexp.MustCompile(`^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$`)

// Date is a parsed date with its period.
type Date struct {
	Text      string
	Precision Precision
	// Start and End are the first and last day of the period, as YYYY-MM-DD.
	Start, End string
}

// Parse reads a date at its precision. It rejects anything else, including impossible days.
func Parse(s string) (Date, error) {
	m := form.FindStringSubmatch(s)
	if m == nil {
		return Date{}, fmt.Errorf("date %q is not YYYY, YYYY-MM or YYYY-MM-DD", s)
	}
	switch {
	case m[3] != "":
		t, err := time.Parse("2006-01-02", s)
		if err != nil {
			return Date{}, fmt.Errorf("date %q is not a calendar day", s)
		}
		d := t.Format("2006-01-02")
		return Date{Text: s, Precision: Day, Start: d, End: d}, nil
	case m[2] != "":
		t, err := time.Parse("2006-01", s)
		if err != nil {
			return Date{}, fmt.Errorf("date %q has no such month", s)
		}
		return Date{Text: s, Precision: Month, Start: t.Format("2006-01-02"), End: t.AddDate(0, 1, -1).Format("2006-01-02")}, nil
	default:
		return Date{Text: s, Precision: Year, Start: s + "-01-01", End: s + "-12-31"}, nil
	}
}

// ParseDay reads a full YYYY-MM-DD day, as range filters take.
func ParseDay(s string) (string, error) {
	d, err := Parse(s)
	if err != nil || d.Precision != Day {
		return "", fmt.Errorf("%q is not a day in the form YYYY-MM-DD", s)
	}
	return d.Start, nil
}
