// Package version keeps the data version in memory, and the caches keyed on it: the version
// every write bumps (data_changes), the dataset's release, the watcher and PostgreSQL listener
// that keep them fresh, the whole-table aggregations kept per version, and the data's size
// for the cost analysis.
package version

import (
	"context"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"gorm.io/gorm"

	"github.com/cybertrade/cybertrade/store/core"
)

// The data version in memory. Every write to the data bumps data_changes.version in its own
// transaction (API mutations, `cybertrade load`, `synth`'s bulk path), so an answer computed
// at version v stays right until the version moves. Caches (the response cache, the
// aggregations below) key on the version, and must learn of a write at once without reading
// the row on every request. Three sources keep it fresh:
//
//   - this process's own writes announce the version their transaction returned, right after
//     it commits (before the mutation's answer is written), so an edit invalidates at once;
//   - on PostgreSQL, a LISTEN connection receives the version every other process commits
//     (migration 00004's trigger on data_changes calls pg_notify): replicas and the CLI;
//   - a poll of the row (every second on PostgreSQL as a safety net, every 100 ms on SQLite,
//     which has no notifications), outside the request path and not counted as a request's
//     statement.
//
// The version is servable only while the watcher runs and its last read succeeded, and, on
// PostgreSQL, while the listener is connected (a notification missed while it was down would
// leave a stale version); otherwise KnownDataVersion says so and caches stand aside. With a
// separate read pool (a replica that may lag), a version is published only once it has been
// read from that pool, so an answer computed from the replica is never keyed with a version
// the replica has not reached yet.

// Tracker is the data version as this process knows it, with the caches keyed on it.
type Tracker struct {
	db   *core.DB
	ver  versionState
	aggs aggCache
	size sizeCache
}

// New tracks the data version of db; WatchDataVersion keeps it fresh.
func New(db *core.DB) *Tracker {
	t := &Tracker{db: db}
	t.ver.kick = make(chan struct{}, 1)
	t.ver.servable.Store(-1)
	t.ver.separateReads = db.HasReplica()
	return t
}

// Announce records that this process committed the write that took the data version to n:
// caches see it at once, before the write's answer goes out.
func (t *Tracker) Announce(n int64) { t.ver.announce(n) }

// CarryRelease records that write n (of this process) left the dataset's release as it was.
func (t *Tracker) CarryRelease(n int64) { t.ver.carryRelease(n) }

// SetRelease records the dataset's release that a load of this process committed at data
// version at.
func (t *Tracker) SetRelease(release string, at int64) { t.ver.setRelease(release, at) }

// Bump counts one write in data_changes, inside the write's transaction, and returns the new
// version; it takes the row's lock until commit, which serializes writers.
func Bump(tx *gorm.DB, now time.Time) (int64, error) {
	var v int64
	err := tx.Raw("UPDATE data_changes SET version = version + 1, changed_at = ? WHERE id = 1 RETURNING version", now).Scan(&v).Error
	return v, err
}

// DataVersion is the number of writes to the data so far (file loads that changed something,
// and every API mutation), and when the last one happened, read from the primary. It changes
// whenever any answer of the API may have changed, so a response cache can key on it.
func (t *Tracker) DataVersion(ctx context.Context) (int64, time.Time, error) {
	return readDataVersion(t.db.Primary(ctx))
}

// ReadDataVersion is DataVersion read from the read pool, where Snapshot reads: what an export
// of the current data would be built from (one statement).
func (t *Tracker) ReadDataVersion(ctx context.Context) (int64, time.Time, error) {
	return readDataVersion(t.db.Read(ctx))
}

// ReadDataVersionIn reads the data version and when it was committed in a transaction (a
// snapshot's).
func ReadDataVersionIn(tx *gorm.DB) (int64, time.Time, error) { return readDataVersion(tx) }

func readDataVersion(db *gorm.DB) (int64, time.Time, error) {
	var row struct {
		Version   int64
		ChangedAt core.Time
	}
	err := db.Raw("SELECT version, changed_at FROM data_changes WHERE id = 1").Scan(&row).Error
	return row.Version, row.ChangedAt.Time, core.Translate(err, "data version")
}

// versionState is the data version as this process knows it.
type versionState struct {
	mu            sync.Mutex
	known         int64 // the highest version read (or announced, without a separate read pool)
	target        int64 // the highest version known to be committed
	running       bool  // WatchDataVersion runs
	healthy       bool  // its last read succeeded
	listening     bool  // PostgreSQL: the LISTEN connection is up
	separateReads bool  // reads go to a replica: publish only versions read from it
	needListen    bool  // the engine has notifications, so serving needs the listener
	servable      atomic.Int64
	kick          chan struct{}
	reads         atomic.Int64
	release       atomic.Pointer[releaseState]
}

// publish recomputes what KnownDataVersion returns; v.mu is held.
func (v *versionState) publish() {
	ok := v.running && v.healthy && (!v.needListen || v.listening) && v.known >= v.target
	if ok {
		v.servable.Store(v.known)
	} else {
		v.servable.Store(-1)
	}
}

func (v *versionState) wake() {
	select {
	case v.kick <- struct{}{}:
	default:
	}
}

// announce records that version n is committed (a write of this process, or a notification).
func (v *versionState) announce(n int64) {
	v.mu.Lock()
	v.target = max(v.target, n)
	if !v.separateReads {
		v.known = max(v.known, n)
	}
	v.publish()
	v.mu.Unlock()
	// Read the row even when this announcement moved known: the read also brings the
	// dataset's release version (a load in another process may have changed it).
	v.wake()
}

// observe records the outcome of reading the version (and the release it was read with) from
// the read pool.
func (v *versionState) observe(n int64, release string, err error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.healthy = err == nil
	if err == nil {
		v.known = max(v.known, n)
		v.setRelease(release, n)
	}
	v.publish()
}

// releaseState is the dataset's release version (dataset_meta.version) with the data version
// it was read or written at (-1: read once without knowing the data version).
type releaseState struct {
	version string
	at      int64
}

// setRelease records the release seen at data version at, unless a later one is known.
func (v *versionState) setRelease(version string, at int64) {
	for {
		cur := v.release.Load()
		if cur != nil && cur.at > at {
			return
		}
		if v.release.CompareAndSwap(cur, &releaseState{version: version, at: at}) {
			return
		}
	}
}

// carryRelease records that write n (of this process) left the release as it was: when the
// release is known at n-1, so that no other write came between, it holds at n too, and a
// cached answer need not wait for the watcher to read it again.
func (v *versionState) carryRelease(n int64) {
	if cur := v.release.Load(); cur != nil && cur.at == n-1 {
		v.release.CompareAndSwap(cur, &releaseState{version: cur.version, at: n})
	}
}

// Release is the dataset's release version (dataset_meta.version, e.g. "1.0.0") as this
// process knows it, from memory, with the data version it was read at: the watcher reads it
// with the data version in one statement and a load in this process sets it, so a request
// pays nothing for it. Only before either has happened (no watcher, no load yet) is it read
// from the database, once. It is "" when no dataset is loaded. at equals KnownDataVersion's
// version when the two are consistent: a cached answer may carry the release only then.
func (s *Tracker) Release(ctx context.Context) (version string, at int64) {
	if r := s.ver.release.Load(); r != nil {
		return r.version, r.at
	}
	var v []string
	if err := s.db.Read(ctx).Raw("SELECT version FROM dataset_meta WHERE id = 1").Scan(&v).Error; err != nil || len(v) == 0 || v[0] == "" {
		return "", -1
	}
	s.ver.setRelease(v[0], -1)
	return v[0], -1
}

func (v *versionState) set(f func()) {
	v.mu.Lock()
	f()
	v.publish()
	v.mu.Unlock()
}

// KnownDataVersion is the data version this process may key caches on, read from memory (no
// statement): ok is false while WatchDataVersion is not running or cannot vouch for it.
func (s *Tracker) KnownDataVersion() (version int64, ok bool) {
	n := s.ver.servable.Load()
	return n, n >= 0
}

// VersionReads is how many times the watcher has read the version row (outside requests).
func (s *Tracker) VersionReads() int64 { return s.ver.reads.Load() }

// WatchDataVersion keeps the data version in memory until ctx ends (see above); poll is the
// interval between reads of the row (0: 1 s on PostgreSQL, 100 ms on SQLite). It returns when
// ctx is done.
func (s *Tracker) WatchDataVersion(ctx context.Context, poll time.Duration) {
	if poll <= 0 {
		poll = time.Second
		if s.db.Engine() == core.SQLite {
			poll = 100 * time.Millisecond
		}
	}
	s.ver.set(func() { s.ver.running, s.ver.needListen = true, s.db.Engine() == core.Postgres })
	defer s.ver.set(func() { s.ver.running = false })
	var wg sync.WaitGroup
	defer wg.Wait()
	if s.db.Engine() == core.Postgres {
		wg.Add(1)
		go func() { defer wg.Done(); s.listen(ctx) }()
	}
	timer := time.NewTimer(0)
	defer timer.Stop()
	catchUp := time.Duration(0) // the wait while a replica catches up with a known write
	for {
		select {
		case <-ctx.Done():
			return
		case <-s.ver.kick:
		case <-timer.C:
		}
		n, release, err := s.readVersion(ctx)
		if ctx.Err() != nil {
			return
		}
		s.ver.observe(n, release, err)
		s.ver.mu.Lock()
		wait := poll
		if err == nil && s.ver.known < s.ver.target {
			// A replica catching up with a known write: look again soon, then less and less
			// often (10 ms doubling up to the poll interval), so that a replica that has
			// stalled is not polled a hundred times a second for ever.
			catchUp = min(max(2*catchUp, 10*time.Millisecond), poll)
			wait = catchUp
		} else {
			catchUp = 0
		}
		s.ver.mu.Unlock()
		if !timer.Stop() {
			select {
			case <-timer.C:
			default:
			}
		}
		timer.Reset(wait)
	}
}

// readVersion reads data_changes.version, and the dataset's release version with it (one
// statement, one snapshot), from the read pool, straight through database/sql: it is the
// watcher's statement, not a request's, so it is not counted in Statements.
func (s *Tracker) readVersion(ctx context.Context) (int64, string, error) {
	sqlDB, err := s.db.ReadPool()
	if err != nil {
		return 0, "", err
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	s.ver.reads.Add(1)
	var n int64
	var release string
	err = sqlDB.QueryRowContext(ctx, `SELECT d.version, COALESCE(m.version, '') FROM data_changes d
		LEFT JOIN dataset_meta m ON m.id = 1 WHERE d.id = 1`).Scan(&n, &release)
	return n, release, err
}

// listenChannel is the channel migration 00004's trigger notifies.
const listenChannel = "cybertrade_data_changes"

// listen holds a LISTEN connection to the primary until ctx ends, reconnecting after a
// failure; each notification carries the version just committed.
func (s *Tracker) listen(ctx context.Context) {
	for ctx.Err() == nil {
		err := s.listenOnce(ctx)
		s.ver.set(func() { s.ver.listening = false })
		if ctx.Err() != nil {
			return
		}
		_ = err // the cache stands aside until the listener is back; the log would only repeat this
		select {
		case <-ctx.Done():
			return
		case <-time.After(time.Second):
		}
	}
}

func (s *Tracker) listenOnce(ctx context.Context) error {
	cctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	conn, err := pgx.Connect(cctx, s.db.DSN())
	cancel()
	if err != nil {
		return err
	}
	defer func() {
		cctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		_ = conn.Close(cctx)
	}()
	if _, err := conn.Exec(ctx, "LISTEN "+listenChannel); err != nil {
		return err
	}
	// Writes committed before LISTEN took effect sent no notification to this connection:
	// read the version again before serving from it.
	s.ver.set(func() { s.ver.listening, s.ver.healthy = true, false })
	s.ver.wake()
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		if v, err := strconv.ParseInt(n.Payload, 10, 64); err == nil {
			s.ver.announce(v)
		} else {
			s.ver.wake()
		}
	}
}
