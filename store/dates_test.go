package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/cybertrade/cybertrade/dataset"
	"github.com/cybertrade/cybertrade/internal/globalid"
	"github.com/cybertrade/cybertrade/model"
	"github.com/cybertrade/cybertrade/store"
	"github.com/cybertrade/cybertrade/store/curate"
	"github.com/cybertrade/cybertrade/store/record"
	"github.com/cybertrade/cybertrade/synth"
)

// badDates are move dates of the right shape that name no period: each must be refused, not
// written with an empty period.
var badDates = []string{"2016-02-30", "2016-13", "2016-1-01"}

// TestLoadsRefuseABadMoveDate: a move's date is parsed once on the load paths, where its
// period is computed; a date that does not parse stops Load and BulkLoad (which do not
// validate first) with an error naming the move and the date, before any database constraint
// has to catch the empty period, and leaves the database as it was.
func TestLoadsRefuseABadMoveDate(t *testing.T) {
	forEngine(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		if _, err := st.Load(ctx, synth.Generate(3, 7)); err != nil {
			t.Fatal(err)
		}
		want := counts(t, st)
		for _, bad := range badDates {
			ds := synth.Generate(4, 7)
			ds.Cases[3].Moves[0].Date = bad
			slug := ds.Cases[3].Moves[0].Slug
			if _, err := st.Load(ctx, ds); err == nil || !strings.Contains(err.Error(), slug) || !strings.Contains(err.Error(), bad) {
				t.Errorf("Load of %s dated %q: %v, want an error naming both", slug, bad, err)
			}
			if _, err := st.BulkLoad(ctx, ds); err == nil || !strings.Contains(err.Error(), slug) || !strings.Contains(err.Error(), bad) {
				t.Errorf("BulkLoad of %s dated %q: %v, want an error naming both", slug, bad, err)
			}
			if got := counts(t, st); got != want {
				t.Errorf("a refused load of a move dated %q changed the counts: %+v, want %+v", bad, got, want)
			}
		}
	})
}

// TestWritesRefuseABadMoveDate: the API's write path checks the date it writes, whether the
// move is new or its date is changed, and names the field.
func TestWritesRefuseABadMoveDate(t *testing.T) {
	forEngine(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		ds := synth.Generate(2, 11)
		if _, err := st.Load(ctx, ds); err != nil {
			t.Fatal(err)
		}
		m := ds.Cases[0].Moves[0]
		typ := globalid.CountryAction
		if m.Type == dataset.TypeResponse {
			typ = globalid.CompanyResponse
		}
		ref := curate.Ref{Type: typ, Key: m.Slug}
		for _, bad := range badDates {
			rec, err := st.Record(ctx, ref)
			if err != nil {
				t.Fatal(err)
			}
			_, err = st.Update(ctx, "tester", ref, rec.(*model.MoveRecord).Version, func(v record.Values) error {
				v.(*record.MoveValues).Date = bad
				return nil
			})
			wantDateIssue(t, "update to "+bad, err)

			created := &record.MoveValues{Slug: "a-new-move", Type: m.Type, Option: m.Option, Instrument: m.Instrument, Case: ds.Cases[0].Slug,
				Country: m.Country, Company: m.Company, Date: bad, Title: "A new move", Concerns: m.Concerns, Sources: m.Sources}
			_, err = st.Create(ctx, "tester", created)
			wantDateIssue(t, "create dated "+bad, err)
		}
		after, err := st.MovesBySlug(ctx, []string{m.Slug, "a-new-move"})
		if err != nil {
			t.Fatal(err)
		}
		if len(after) != 1 || after[0].Date != m.Date {
			t.Fatalf("after refused writes: %+v, want only %s dated %s", after, m.Slug, m.Date)
		}
	})
}

func wantDateIssue(t *testing.T, what string, err error) {
	t.Helper()
	var ir *curate.InvalidRecord
	if !errors.As(err, &ir) {
		t.Fatalf("%s: %v, want an invalid record", what, err)
	}
	for _, is := range ir.Issues {
		if is.Field == "date" {
			return
		}
	}
	t.Fatalf("%s: issues %+v name no date", what, ir.Issues)
}
