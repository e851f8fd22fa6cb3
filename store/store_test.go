package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/cybertrade/cybertrade/dataset"
	"github.com/cybertrade/cybertrade/internal/testdb"
	"github.com/cybertrade/cybertrade/model"
	"github.com/cybertrade/cybertrade/store"
	"github.com/cybertrade/cybertrade/synth"
)

func forEngine(t *testing.T, f func(t *testing.T, st *store.Store)) {
	for _, e := range testdb.Engines() {
		t.Run(e.Name, func(t *testing.T) { f(t, testdb.Open(t, e, store.Options{})) })
	}
}

func counts(t *testing.T, st *store.Store) model.DatasetCounts {
	t.Helper()
	d, err := st.Dataset(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return *d.Counts
}

// TestLoadIsIdempotent: loading the same files twice changes nothing the second time, not
// even updatedAt; changing one move updates only that move.
func TestLoadIsIdempotent(t *testing.T) {
	for _, e := range testdb.Engines() {
		t.Run(e.Name, func(t *testing.T) { testLoadIsIdempotent(t, e) })
	}
}

func testLoadIsIdempotent(t *testing.T, e testdb.Engine) {
	clock := testdb.NewClock()
	st := testdb.Open(t, e, store.Options{Now: clock.Now})
	ctx := context.Background()
	ds := synth.Generate(20, 3)
	first, err := st.Load(ctx, ds)
	if err != nil {
		t.Fatal(err)
	}
	if first.Created == 0 || first.Updated != 0 {
		t.Fatalf("first load: %s", first)
	}
	want := counts(t, st)
	if want.Cases != 20 || want.Actions != 60 || want.Responses != 40 || want.Links != 40 {
		t.Fatalf("counts after load: %+v", want)
	}
	d1, _ := st.Dataset(ctx)
	clock.Advance(time.Second) // a second load that wrote anything would stamp a later updatedAt

	second, err := st.Load(ctx, synth.Generate(20, 3))
	if err != nil {
		t.Fatal(err)
	}
	if second.Created != 0 || second.Updated != 0 || second.Unchanged != first.Created {
		t.Fatalf("second load of the same data changed something: %s (first: %s)", second, first)
	}
	d2, _ := st.Dataset(ctx)
	if counts(t, st) != want || !d1.UpdatedAt.Equal(*d2.UpdatedAt) {
		t.Fatalf("second load changed counts or updatedAt: %v -> %v", d1.UpdatedAt, d2.UpdatedAt)
	}

	edited := synth.Generate(20, 3)
	edited.Cases[4].Moves[1].Title = "An edited title"
	edited.Cases[4].Moves[1].InReplyTo = nil
	third, err := st.Load(ctx, edited)
	if err != nil {
		t.Fatal(err)
	}
	if third.Updated != 1 {
		t.Fatalf("editing one move: %s", third)
	}
	recs, err := st.MovesBySlug(ctx, []string{edited.Cases[4].Moves[1].Slug, edited.Cases[5].Moves[1].Slug})
	if err != nil || len(recs) != 2 {
		t.Fatal(err)
	}
	for _, r := range recs {
		changed := r.Slug == edited.Cases[4].Moves[1].Slug
		if changed != r.UpdatedAt.After(r.CreatedAt) {
			t.Errorf("move %s: updatedAt %v createdAt %v", r.Slug, r.UpdatedAt, r.CreatedAt)
		}
	}
	if c := counts(t, st); c.Links != want.Links-1 {
		t.Fatalf("removing a reply link: %d links, want %d", c.Links, want.Links-1)
	}
}

// TestFailedLoadLeavesNothing: a load that fails half-way (here: the database refuses a row)
// rolls back everything it wrote.
func TestFailedLoadLeavesNothing(t *testing.T) {
	forEngine(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		ds := synth.Generate(10, 5)
		// Bypass file validation: a source URL the database's CHECK constraint refuses.
		ds.Cases[9].Bibliography[0].URL = "ftp://example.org/x"
		if _, err := st.Load(ctx, ds); err == nil {
			t.Fatal("load with a bad URL succeeded")
		}
		if c := counts(t, st); c != (model.DatasetCounts{}) {
			t.Fatalf("a failed load left records behind: %+v", c)
		}
	})
}

// TestDatabaseEnforcesConstraints: the database itself refuses unknown enum values, broken
// references and duplicate slugs, whatever the Go code does.
func TestDatabaseEnforcesConstraints(t *testing.T) {
	forEngine(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		if _, err := st.Load(ctx, synth.Generate(2, 1)); err != nil {
			t.Fatal(err)
		}
		bad := []struct {
			name string
			ds   func(ds *dataset.Dataset)
		}{
			{"unknown country option", func(ds *dataset.Dataset) { ds.Cases[0].Moves[0].Option = "NUKE" }},
			{"unknown concern", func(ds *dataset.Dataset) { ds.Cases[0].Moves[0].Concerns = []string{"VIBES"} }},
			{"unknown category", func(ds *dataset.Dataset) { ds.Companies[0].Products[0].Category = "TOASTER" }},
			{"bad slug", func(ds *dataset.Dataset) { ds.Cases[0].Slug = "Not A Slug" }},
		}
		for _, b := range bad {
			t.Run(b.name, func(t *testing.T) {
				ds := synth.Generate(2, 1)
				b.ds(ds)
				if _, err := st.Load(ctx, ds); err == nil {
					t.Fatal("the database accepted it")
				}
			})
		}
		err := st.RawExecForTest(ctx, "INSERT INTO companies (slug, name) VALUES ('company-0', 'Dup')")
		if !errors.Is(err, gorm.ErrDuplicatedKey) {
			t.Fatalf("duplicate slug: %v", err)
		}
	})
}
