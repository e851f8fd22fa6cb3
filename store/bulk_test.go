package store_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/cybertrade/cybertrade/dataset"
	"github.com/cybertrade/cybertrade/internal/testdb"
	"github.com/cybertrade/cybertrade/store"
	"github.com/cybertrade/cybertrade/store/load"
	"github.com/cybertrade/cybertrade/synth"
)

// bulkLoad streams a synthetic dataset into st in chunks of chunk cases through BulkLoad.
func bulkLoad(t *testing.T, st *store.Store, n int, seed uint64, chunk int, edit func(*dataset.Dataset)) load.BulkStats {
	t.Helper()
	var total load.BulkStats
	err := synth.Stream(n, seed, chunk, func(ds *dataset.Dataset) error {
		if edit != nil {
			edit(ds)
		}
		s, err := st.BulkLoad(context.Background(), ds)
		total = total.Add(s)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return total
}

func dump(t *testing.T, st *store.Store) string {
	t.Helper()
	d, err := st.DumpForTest(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestBulkLoadMatchesLoad: a dataset bulk-loaded in chunks (references crossing chunks) leaves
// exactly the rows that Load leaves, and bulk-loading it again writes nothing.
func TestBulkLoadMatchesLoad(t *testing.T) {
	for _, e := range testdb.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			ctx := context.Background()
			viaLoad, viaBulk := testdb.Open(t, e, store.Options{}), testdb.Open(t, e, store.Options{})
			if _, err := viaLoad.Load(ctx, synth.Generate(60, 11)); err != nil {
				t.Fatal(err)
			}
			first := bulkLoad(t, viaBulk, 60, 11, 7, nil)
			if first.Written != first.Rows || first.Rows == 0 || first.Links == 0 {
				t.Fatalf("first bulk load: %s", first)
			}
			want, got := dump(t, viaLoad), dump(t, viaBulk)
			if strings.Count(want, "\n") < 1000 {
				t.Fatalf("dump has %d lines; too few to compare", strings.Count(want, "\n"))
			}
			if got != want {
				t.Fatalf("bulk load differs from Load:\n%s", firstDiff(want, got))
			}
			c := counts(t, viaBulk)
			if c.Cases != 60 || c.Actions != 180 || c.Responses != 120 || c.Links != 120 || c.Countries < 249 || c.Companies != 30 {
				t.Fatalf("counts: %+v", c)
			}
			again := bulkLoad(t, viaBulk, 60, 11, 13, nil)
			if again.Written != 0 || again.Rows != first.Rows {
				t.Fatalf("second bulk load of the same data wrote %s", again)
			}
			if d := dump(t, viaBulk); d != want {
				t.Fatalf("second bulk load changed rows:\n%s", firstDiff(want, d))
			}
		})
	}
}

// TestBulkLoadUpdatesWhatChanged: loading an edited dataset rewrites only the records that
// changed and replaces the links of the chunk's moves.
func TestBulkLoadUpdatesWhatChanged(t *testing.T) {
	forEngine(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		bulkLoad(t, st, 20, 3, 20, nil)
		before := counts(t, st)
		edited := bulkLoad(t, st, 20, 3, 20, func(ds *dataset.Dataset) {
			ds.Cases[4].Moves[1].Title = "An edited title"
			ds.Cases[4].Moves[1].InReplyTo = nil
			p := &ds.Companies[2].Products[0]
			p.Category = map[bool]string{true: "VEHICLE", false: "DRONE"}[p.Category == "DRONE"]
		})
		if edited.Written != 2 {
			t.Fatalf("editing a move and a product wrote %s", edited)
		}
		if c := counts(t, st); c.Links != before.Links-1 || c.Actions+c.Responses != before.Actions+before.Responses {
			t.Fatalf("after the edit: %+v, before %+v", c, before)
		}
		recs, err := st.MovesBySlug(ctx, []string{"case-4-move-1", "case-5-move-1"})
		if err != nil || len(recs) != 2 {
			t.Fatal(err)
		}
		for _, r := range recs {
			changed := r.Slug == "case-4-move-1"
			if changed != r.UpdatedAt.After(r.CreatedAt) {
				t.Errorf("move %s: updatedAt %v createdAt %v", r.Slug, r.UpdatedAt, r.CreatedAt)
			}
			if changed && r.Title != "An edited title" {
				t.Errorf("title not updated: %q", r.Title)
			}
		}
	})
}

// TestBulkLoadChunkIsAtomic: a chunk the database refuses leaves nothing of itself behind,
// and the chunks before it stay.
func TestBulkLoadChunkIsAtomic(t *testing.T) {
	forEngine(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		chunks := 0
		err := synth.Stream(30, 5, 10, func(ds *dataset.Dataset) error {
			chunks++
			if chunks == 3 {
				ds.Cases[9].Bibliography[0].URL = "ftp://example.org/x" // refused by a CHECK
			}
			_, err := st.BulkLoad(ctx, ds)
			return err
		})
		if err == nil {
			t.Fatal("a chunk with a bad URL loaded")
		}
		if c := counts(t, st); c.Cases != 20 || c.Actions != 60 || c.Links != 40 {
			t.Fatalf("after a failed third chunk: %+v, want the first two chunks only", c)
		}
		missing := synth.Generate(1, 1)
		missing.Countries, missing.Companies = nil, nil
		missing.Cases[0].Moves[0].Companies = []string{"no-such-company"}
		_, err = st.BulkLoad(ctx, &dataset.Dataset{Cases: missing.Cases})
		if err == nil || !strings.Contains(err.Error(), "no-such-company") {
			t.Fatalf("unknown reference: %v", err)
		}
	})
}

// firstDiff shows the first differing line of two dumps.
func firstDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := range min(len(w), len(g)) {
		if w[i] != g[i] {
			return "line " + strconv.Itoa(i) + ":\nwant " + w[i] + "\ngot  " + g[i]
		}
	}
	return "lengths differ: " + strconv.Itoa(len(w)) + " vs " + strconv.Itoa(len(g))
}

// TestBulkLoadStatementsDoNotGrowWithRows: a chunk of BulkLoad writes each table with
// multi-row statements, the moves' sort keys included, so one chunk of 10 cases and one of 60
// (about 50 and 300 moves, most of them on dates of their own) issue the same number of
// statements. Writing the keys one UPDATE per distinct date made a bulk load of 100,000 cases
// issue about one statement per move.
func TestBulkLoadStatementsDoNotGrowWithRows(t *testing.T) {
	for _, e := range testdb.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			statements := func(n int) int64 {
				var count int64
				st := testdb.Open(t, e, store.Options{OnStatement: func() { count++ }})
				ds := synth.Generate(n, 5)
				count = 0
				if _, err := st.BulkLoad(context.Background(), ds); err != nil {
					t.Fatal(err)
				}
				return count
			}
			small, large := statements(10), statements(60)
			if small != large {
				t.Errorf("BulkLoad of 10 cases: %d statements, of 60 cases: %d; want the same", small, large)
			}
		})
	}
}
