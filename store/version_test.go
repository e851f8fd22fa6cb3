package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/cybertrade/cybertrade/internal/testdb"
	"github.com/cybertrade/cybertrade/model"
	"github.com/cybertrade/cybertrade/store"
	"github.com/cybertrade/cybertrade/store/reads"
	"github.com/cybertrade/cybertrade/synth"
)

// watch runs st's data-version watcher for the rest of the test and waits until it vouches for
// a version.
func watch(t *testing.T, st *store.Store) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); st.WatchDataVersion(ctx, 0) }()
	t.Cleanup(func() { cancel(); <-done })
	waitVersion(t, st, func(int64) bool { return true })
}

// waitVersion waits until the watcher vouches for a version that satisfies ok.
func waitVersion(t *testing.T, st *store.Store, ok func(int64) bool) int64 {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		v, known := st.KnownDataVersion()
		if known && ok(v) {
			return v
		}
		if time.Now().After(deadline) {
			t.Fatalf("data version: known=%v %d; not the one expected", known, v)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestBulkLoadCountsAsAWrite: synth's bulk path bumps the data version once per chunk, so
// caches keyed on it drop what they hold; the version this process knows moves in the same
// call, before BulkLoad returns.
func TestBulkLoadCountsAsAWrite(t *testing.T) {
	forEngine(t, func(t *testing.T, st *store.Store) {
		watch(t, st)
		v0 := dataVersion(t, st)
		bulkLoad(t, st, 20, 3, 10, nil) // two chunks
		v1 := dataVersion(t, st)
		if v1 != v0+2 {
			t.Fatalf("data version %d → %d after two bulk chunks; want +2", v0, v1)
		}
		if v, ok := st.KnownDataVersion(); !ok || v != v1 {
			t.Fatalf("known version right after the load: %d (%v); want %d", v, ok, v1)
		}
		if before := dataVersion(t, st); bulkLoad(t, st, 20, 3, 20, nil).Written != 0 || dataVersion(t, st) != before+1 {
			t.Fatalf("a bulk load that rewrites the same rows still replaces link rows: it must count once")
		}
	})
}

// TestWatcherSeesOtherProcessesWrites: a write made through another handle on the same
// database (as another server process or the CLI would) reaches the watcher by itself: by
// LISTEN/NOTIFY on PostgreSQL, by polling on SQLite.
func TestWatcherSeesOtherProcessesWrites(t *testing.T) {
	for _, e := range testdb.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			dsn := testdb.Fresh(t, e)
			a, err := store.Open(context.Background(), dsn, store.Options{})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = a.Close() })
			b, err := store.Open(context.Background(), dsn, store.Options{})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = b.Close() })
			watch(t, a)
			v0, _ := a.KnownDataVersion()
			if _, err := b.BulkLoad(context.Background(), synth.Generate(3, 1)); err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			waitVersion(t, a, func(v int64) bool { return v == v0+1 })
			t.Logf("%s: the other handle's write was seen after %s", e.Name, time.Since(start))
		})
	}
}

// TestWholeTableAggregationsCachedPerVersion: a top-level aggregation runs its statement once
// per data version; the next write makes it read again, and the answer follows the data.
func TestWholeTableAggregationsCachedPerVersion(t *testing.T) {
	forEngine(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		bulkLoad(t, st, 30, 5, 30, nil)
		q := reads.MoveQuery{Kinds: []model.MoveKind{model.MoveKindAction}}
		count := func() (int, int64) {
			t.Helper()
			before := st.Statements()
			res, err := st.GroupMoves(ctx, reads.ScopeNone, nil, q, reads.ByYear)
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for _, b := range res[0] {
				n += b.Count
			}
			return n, st.Statements() - before
		}
		// Without the watcher there is no version to key on: every call reads.
		n0, s := count()
		if _, s2 := count(); s != 1 || s2 != 1 {
			t.Fatalf("statements without the watcher: %d, %d; want 1, 1", s, s2)
		}
		watch(t, st)
		if n, s := count(); n != n0 || s != 1 {
			t.Fatalf("first call with the watcher: %d actions, %d statements; want %d, 1", n, s, n0)
		}
		if n, s := count(); n != n0 || s != 0 {
			t.Fatalf("second call: %d actions, %d statements; want %d, 0 (cached)", n, s, n0)
		}
		bulkLoad(t, st, 40, 5, 40, nil) // ten more cases, with their actions
		n1, s := count()
		if s != 1 || n1 <= n0 {
			t.Fatalf("after a write: %d actions (before %d), %d statements; want more actions, 1 statement", n1, n0, s)
		}
		var direct int
		res, err := st.GroupMoves(ctx, reads.ScopeNone, nil, reads.MoveQuery{Kinds: q.Kinds, Desc: true}, reads.ByYear) // another key: read
		if err != nil {
			t.Fatal(err)
		}
		for _, b := range res[0] {
			direct += b.Count
		}
		if direct != n1 {
			t.Fatalf("cached count %d, read count %d", n1, direct)
		}
	})
}

// BenchmarkDataVersion compares what the response cache would pay to learn the data version on
// every request by reading the row (one statement, one pooled connection) with reading it from
// memory as the watcher keeps it.
//
//	go test ./store -run '^$' -bench DataVersion
func BenchmarkDataVersion(b *testing.B) {
	for _, e := range testdb.Engines() {
		b.Run(e.Name, func(b *testing.B) {
			st := testdb.Open(b, e, store.Options{})
			b.Run("statement", func(b *testing.B) {
				for b.Loop() {
					if _, _, err := st.DataVersion(context.Background()); err != nil {
						b.Fatal(err)
					}
				}
			})
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan struct{})
			go func() { defer close(done); st.WatchDataVersion(ctx, 0) }()
			defer func() { cancel(); <-done }()
			for _, ok := st.KnownDataVersion(); !ok; _, ok = st.KnownDataVersion() {
				time.Sleep(time.Millisecond)
			}
			b.Run("in memory", func(b *testing.B) {
				for b.Loop() {
					if _, ok := st.KnownDataVersion(); !ok {
						b.Fatal("not known")
					}
				}
			})
		})
	}
}

// TestStalledReplicaIsPolledLessAndLess (F14): when the read replica never catches up with a
// known write, the watcher looks again soon, then backs off to its normal poll interval instead
// of reading the replica every 10 ms for ever.
func TestStalledReplicaIsPolledLessAndLess(t *testing.T) {
	for _, e := range testdb.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			primary, stalled := testdb.Fresh(t, e), testdb.Fresh(t, e) // a "replica" that never receives a write
			st, err := store.Open(context.Background(), primary, store.Options{ReadDSN: stalled})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = st.Close() })
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan struct{})
			const poll = 200 * time.Millisecond
			go func() { defer close(done); st.WatchDataVersion(ctx, poll) }()
			t.Cleanup(func() { cancel(); <-done })
			if _, err := st.BulkLoad(context.Background(), synth.Generate(3, 1)); err != nil {
				t.Fatal(err)
			}
			time.Sleep(time.Second) // the back-off reaches the poll interval: 10+20+…+160 ms
			before := st.VersionReads()
			time.Sleep(time.Second)
			reads := st.VersionReads() - before
			if reads > int64(time.Second/poll)+2 {
				t.Fatalf("%d reads of a stalled replica in one second; want about one per %s", reads, poll)
			}
			if reads == 0 {
				t.Fatal("the watcher stopped reading the replica")
			}
		})
	}
}
