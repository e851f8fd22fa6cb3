package store_test

import (
	"context"
	"encoding/json"
	"slices"
	"testing"

	"github.com/cybertrade/cybertrade/internal/globalid"
	"github.com/cybertrade/cybertrade/model"
	"github.com/cybertrade/cybertrade/store"
	"github.com/cybertrade/cybertrade/store/curate"
	"github.com/cybertrade/cybertrade/store/load"
	"github.com/cybertrade/cybertrade/store/reads"
	"github.com/cybertrade/cybertrade/store/record"
	"github.com/cybertrade/cybertrade/synth"
)

// revisionsOf returns every revision of a filter, newest first.
func revisionsOf(t *testing.T, st *store.Store, f curate.RevisionFilter) []model.Revision {
	t.Helper()
	var out []model.Revision
	p := reads.PageArgs{Limit: 100}
	for {
		pg, err := st.Revisions(context.Background(), f, p)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, pg.Items...)
		if !pg.HasNext {
			return out
		}
		c := pg.Cursors[len(pg.Cursors)-1]
		p.After = &c
	}
}

func dataVersion(t *testing.T, st *store.Store) int64 {
	t.Helper()
	v, _, err := st.DataVersion(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestLoaderRecordsHistory: the loader records a revision (actor "loader") for every record it
// creates, updates or prunes, bumps the version of each changed record once, and counts a load
// in the data version only when it changed something.
func TestLoaderRecordsHistory(t *testing.T) {
	forEngine(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		v0 := dataVersion(t, st)
		ds := synth.Generate(4, 9)
		if _, err := st.Load(ctx, ds); err != nil {
			t.Fatal(err)
		}
		created := revisionsOf(t, st, curate.RevisionFilter{Actor: "loader"})
		// One revision per record of every kind the loader writes.
		want := len(ds.Countries) + len(ds.Companies)
		for _, c := range ds.Companies {
			want += len(c.Products)
		}
		for _, c := range ds.Cases {
			want += 1 + len(c.Moves) + len(c.Bibliography)
		}
		if len(created) != want || want < 40 {
			t.Fatalf("first load: %d revisions, want %d", len(created), want)
		}
		for _, r := range created {
			if r.Act != "create" || r.BeforeValues != nil || r.AfterValues == nil || r.Version != 1 {
				t.Fatalf("first load revision: %+v", r)
			}
		}
		if v := dataVersion(t, st); v != v0+1 {
			t.Fatalf("data version after the first load: %d, want %d", v, v0+1)
		}

		// The same files again: nothing changes, nothing is recorded, the data version stays.
		if _, err := st.Load(ctx, synth.Generate(4, 9)); err != nil {
			t.Fatal(err)
		}
		if n := len(revisionsOf(t, st, curate.RevisionFilter{})); n != want {
			t.Fatalf("a load changing nothing recorded %d revisions", n-want)
		}
		if v := dataVersion(t, st); v != v0+1 {
			t.Fatalf("a load changing nothing bumped the data version to %d", v)
		}

		// One move edited (a field and a link), one case pruned with its moves and source.
		edited := synth.Generate(4, 9)
		m := &edited.Cases[0].Moves[2]
		m.Title = "Edited by the files"
		m.InReplyTo = nil
		pruned := edited.Cases[3]
		edited.Cases = edited.Cases[:3]
		if _, err := st.LoadWith(ctx, edited, load.Options{Prune: true}); err != nil {
			t.Fatal(err)
		}
		moveID := globalid.Encode(globalid.CountryAction, m.Slug)
		hist := revisionsOf(t, st, curate.RevisionFilter{NodeID: moveID})
		if len(hist) != 2 || hist[0].Act != "update" || hist[0].Version != 2 || hist[1].Act != "create" {
			t.Fatalf("history of the edited move: %+v", hist)
		}
		var before, after record.MoveValues
		if json.Unmarshal([]byte(*hist[0].BeforeValues), &before) != nil || json.Unmarshal([]byte(*hist[0].AfterValues), &after) != nil {
			t.Fatal("revision values are not JSON")
		}
		if before.Title == after.Title || after.Title != "Edited by the files" || len(before.InReplyTo) != 1 || len(after.InReplyTo) != 0 {
			t.Fatalf("before %+v\nafter %+v", before, after)
		}
		recs, err := st.MovesBySlug(ctx, []string{m.Slug, edited.Cases[0].Moves[3].Slug})
		if err != nil || len(recs) != 2 {
			t.Fatal(err)
		}
		for _, r := range recs {
			want := 1
			if r.Slug == m.Slug {
				want = 2
			}
			if r.Version != want {
				t.Errorf("move %s at version %d, want %d", r.Slug, r.Version, want)
			}
		}
		deletes := 0
		for _, r := range revisionsOf(t, st, curate.RevisionFilter{Since: &hist[0].At}) {
			if r.Act == "delete" {
				deletes++
				if r.AfterValues != nil || r.BeforeValues == nil {
					t.Errorf("delete revision with values after: %+v", r)
				}
			}
		}
		if want := 1 + len(pruned.Moves) + len(pruned.Bibliography); deletes != want { // the case, its moves, its sources
			t.Fatalf("pruning recorded %d deletes, want %d", deletes, want)
		}
		if v := dataVersion(t, st); v != v0+2 {
			t.Fatalf("data version after the editing load: %d, want %d", v, v0+2)
		}

		// Back in the files: restored.
		if _, err := st.Load(ctx, synth.Generate(4, 9)); err != nil {
			t.Fatal(err)
		}
		caseHist := revisionsOf(t, st, curate.RevisionFilter{NodeID: globalid.Encode(globalid.Case, pruned.Slug)})
		actions := []string{}
		for _, r := range caseHist {
			actions = append(actions, r.Act)
		}
		if !slices.Equal(actions, []string{"restore", "delete", "create"}) {
			t.Fatalf("history of a case pruned and put back: %v", actions)
		}
	})
}
