package httpapi_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/cybertrade/cybertrade/internal/testdb"
	"github.com/cybertrade/cybertrade/model"
)

// Coverage the shipped dataset promises (issue "The curated dataset"). The research notes name
// 18 acting countries and bodies; every one of them acts in the data.
const (
	minCases           = 40
	minActions         = 80
	minResponses       = 50
	minActingCountries = 18
	minSources         = 100
	minLinks           = 30
)

// TestBundledDatasetThroughTheAPI reads the dataset's metadata and counts through GraphQL and
// checks the coverage the dataset promises: its size, every country and company option in
// use, every ISO country askable, and when each record was added and changed.
func TestBundledDatasetThroughTheAPI(t *testing.T) {
	ds := bundledData(t)
	forEngine(t, func(t *testing.T, e testdb.Engine) {
		env := newEnv(t, e, ds)
		var out struct {
			Dataset struct {
				Version, Title, License, LicenseURL, Citation string
				UpdatedAt                                     time.Time
				Counts                                        struct {
					Cases, Actions, Responses, ActingCountries, Countries, Companies, Products, Sources, Links int
				}
			}
		}
		env.ok(t, `{ dataset { version title license licenseUrl citation updatedAt
			counts { cases actions responses actingCountries countries companies products sources links } } }`, nil, &out)
		d := out.Dataset
		if d.Version != ds.Meta.Version || d.License != "CC-BY-4.0" || !strings.Contains(d.Citation, d.Version) || d.UpdatedAt.IsZero() {
			t.Fatalf("dataset metadata: %+v", d)
		}
		c := d.Counts
		for _, chk := range []struct {
			name     string
			got, min int
		}{
			{"cases", c.Cases, minCases}, {"actions", c.Actions, minActions}, {"responses", c.Responses, minResponses},
			{"acting countries", c.ActingCountries, minActingCountries}, {"sources", c.Sources, minSources},
			{"links", c.Links, minLinks}, {"countries", c.Countries, 250},
		} {
			if chk.got < chk.min {
				t.Errorf("%s: %d, want at least %d", chk.name, chk.got, chk.min)
			}
		}

		// Every option is in use, counted through the lists a researcher would filter (one
		// request per kind: eleven root fields would be over the limit of ten).
		var actions, responses strings.Builder
		for _, o := range model.AllCountryOption {
			fmt.Fprintf(&actions, " %s: actions(filter: {options: [%s]}) { totalCount }", o, o)
		}
		for _, o := range model.AllCompanyOption {
			fmt.Fprintf(&responses, " %s: responses(filter: {options: [%s]}) { totalCount }", o, o)
		}
		byOption := map[string]struct{ TotalCount int }{}
		env.ok(t, "{"+actions.String()+" }", nil, &byOption)
		env.ok(t, "{"+responses.String()+" }", nil, &byOption)
		sumA, sumR := 0, 0
		for _, o := range model.AllCountryOption {
			n := byOption[string(o)].TotalCount
			sumA += n
			if n == 0 {
				t.Errorf("no action with option %s", o)
			}
		}
		for _, o := range model.AllCompanyOption {
			n := byOption[string(o)].TotalCount
			sumR += n
			if n == 0 {
				t.Errorf("no response with option %s", o)
			}
		}
		if sumA != c.Actions || sumR != c.Responses {
			t.Errorf("options do not partition the moves: %d+%d vs %d+%d", sumA, sumR, c.Actions, c.Responses)
		}

		// Any ISO country can be asked for, even one with no moves; records say when they were
		// added and changed, and moves their sources.
		var iso struct {
			Country struct {
				Name, Alpha3 string
				CreatedAt    time.Time
				Actions      struct{ TotalCount int }
			}
			Moves struct {
				Nodes []struct {
					CreatedAt, UpdatedAt time.Time
					Sources              []struct{ Title, Publisher, Date, URL string }
				}
			}
		}
		env.ok(t, `{ country(code: "TV") { name alpha3 createdAt actions { totalCount } }
			moves(first: 100) { nodes { createdAt updatedAt sources { title publisher date url } } } }`, nil, &iso)
		if iso.Country.Name != "Tuvalu" || iso.Country.Alpha3 != "TUV" || iso.Country.Actions.TotalCount != 0 || iso.Country.CreatedAt.IsZero() {
			t.Fatalf("Tuvalu: %+v", iso.Country)
		}
		for _, m := range iso.Moves.Nodes {
			if m.CreatedAt.IsZero() || m.UpdatedAt.Before(m.CreatedAt) || len(m.Sources) == 0 {
				t.Fatalf("a move without timestamps or sources: %+v", m)
			}
			for _, s := range m.Sources {
				if s.Title == "" || s.Publisher == "" || s.Date == "" || !strings.HasPrefix(s.URL, "http") {
					t.Fatalf("an incomplete source: %+v", s)
				}
			}
		}
	})
}
