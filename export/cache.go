package export

import (
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Versioned is what the cache reads from: snapshots, and the data version they were read at.
// *store.Store is one.
type Versioned interface {
	Source
	// ReadDataVersion reads the current data version, where Snapshot reads, and when it was
	// committed.
	ReadDataVersion(ctx context.Context) (int64, time.Time, error)
}

// Cache keeps every export of one data version as files in a folder, written once from one
// snapshot and streamed to disk (never whole in memory), each beside its gzip form, and serves
// them from there until the data version moves. One build runs at a time: requests that need
// a build while one runs wait for it and then use its files. A folder left by an earlier
// process (or by another process sharing the folder) for the current version is used as it is.
type Cache struct {
	src     Versioned
	dir     string
	log     *slog.Logger
	slot    chan struct{} // held by the one running build
	mu      sync.Mutex
	cur     *Build
	timeout time.Duration
	binary  string // fingerprint of the running executable: files by another build are not reused
	// builds counts the builds this cache ran (for tests).
	builds int
}

// Build is the exports of one data version, on disk.
type Build struct {
	Version   int64            `json:"version"`
	Binary    string           `json:"binary"`
	ChangedAt time.Time        `json:"changedAt"`
	Files     map[string]Built `json:"files"`
	dir       string
}

// Built is one export file of a build: its size and content hash, and its gzip form's.
type Built struct {
	Size     int64  `json:"size"`
	SHA256   string `json:"sha256"`
	GzipSize int64  `json:"gzipSize"`
}

// Path is where the file named name lives (gzipped: its gzip form).
func (b *Build) Path(name string, gzipped bool) string {
	p := filepath.Join(b.dir, name)
	if gzipped {
		p += ".gz"
	}
	return p
}

// NewCache returns a cache that keeps its files under dir (created when needed); an empty dir
// means a new temporary folder, made on the first build.
func NewCache(src Versioned, dir string, log *slog.Logger) *Cache {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Cache{src: src, dir: dir, log: log, slot: make(chan struct{}, 1), timeout: 15 * time.Minute, binary: executable()}
}

// executable identifies the running binary (its path, size and modification time), so that a
// new build of the server, whose writers may differ, never serves files an older one wrote.
func executable() string {
	p, err := os.Executable()
	if err != nil {
		return ""
	}
	st, err := os.Stat(p)
	if err != nil {
		return p
	}
	return fmt.Sprintf("%s %d %d", p, st.Size(), st.ModTime().UnixNano())
}

// Builds is how many builds this cache has run.
func (c *Cache) Builds() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.builds
}

func (c *Cache) current(version int64) *Build {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.cur != nil && c.cur.Version >= version {
		return c.cur
	}
	return nil
}

// Get returns the exports of data version version or a later one, building them if needed.
// A caller that gives up (ctx done) while waiting leaves the build running for the others.
func (c *Cache) Get(ctx context.Context, version int64) (*Build, error) {
	if b := c.current(version); b != nil {
		return b, nil
	}
	select {
	case c.slot <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() { <-c.slot }()
	if b := c.current(version); b != nil {
		return b, nil
	}
	if c.dir == "" {
		d, err := os.MkdirTemp("", "cybertrade-exports-")
		if err != nil {
			return nil, err
		}
		c.dir = d
	} else if err := os.MkdirAll(c.dir, 0o755); err != nil {
		return nil, err
	}
	b, err := c.adopt(version)
	if b == nil && err == nil {
		bctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), c.timeout)
		defer cancel()
		b, err = c.build(bctx)
	}
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	c.cur = b
	c.mu.Unlock()
	c.sweep(b.Version)
	return b, nil
}

func versionDir(v int64) string { return "v" + strconv.FormatInt(v, 10) }

const manifestName = "manifest.json"

// adopt uses a finished build of version (or a later one) found on disk.
func (c *Cache) adopt(version int64) (*Build, error) {
	entries, err := os.ReadDir(c.dir)
	if err != nil {
		return nil, err
	}
	var best *Build
	for _, e := range entries {
		n, err := strconv.ParseInt(strings.TrimPrefix(e.Name(), "v"), 10, 64)
		if !e.IsDir() || !strings.HasPrefix(e.Name(), "v") || err != nil || n < version || (best != nil && n <= best.Version) {
			continue
		}
		dir := filepath.Join(c.dir, e.Name())
		raw, err := os.ReadFile(filepath.Join(dir, manifestName))
		if err != nil {
			continue // not finished
		}
		var b Build
		if json.Unmarshal(raw, &b) != nil || b.Version != n || b.Binary != c.binary || len(b.Files) != countFiles() {
			continue
		}
		b.dir = dir
		best = &b
	}
	return best, nil
}

func countFiles() int {
	n := 0
	for _, f := range formats {
		n += len(Files[f])
	}
	return n
}

// build writes every export from one snapshot into a new folder, then renames it into place.
func (c *Cache) build(ctx context.Context) (*Build, error) {
	start := time.Now()
	snap, err := c.src.Snapshot(ctx)
	if err != nil {
		return nil, err
	}
	v := newView(snap)
	tmp, err := os.MkdirTemp(c.dir, "build-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp) // gone after the rename, or on failure
	b := &Build{Version: snap.Version, Binary: c.binary, ChangedAt: snap.ChangedAt.UTC(), Files: map[string]Built{}}
	for _, format := range formats {
		for _, f := range Files[format] {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			built, err := writeBoth(filepath.Join(tmp, f.Name), func(w io.Writer) error { return f.write(w, v) })
			if err != nil {
				return nil, fmt.Errorf("%s: %w", f.Name, err)
			}
			b.Files[f.Name] = built
		}
	}
	raw, _ := json.MarshalIndent(b, "", "  ")
	if err := os.WriteFile(filepath.Join(tmp, manifestName), raw, 0o644); err != nil {
		return nil, err
	}
	final := filepath.Join(c.dir, versionDir(b.Version))
	if err := os.Rename(tmp, final); err != nil {
		// Another process sharing the folder finished the same version first: use its files.
		if found, aerr := c.adopt(b.Version); aerr == nil && found != nil && found.Version == b.Version {
			return found, nil
		}
		// Files of this version by another binary (an earlier deployment): replace them.
		if rerr := os.RemoveAll(final); rerr != nil {
			return nil, rerr
		}
		if err := os.Rename(tmp, final); err != nil {
			return nil, err
		}
	}
	b.dir = final
	c.mu.Lock()
	c.builds++
	c.mu.Unlock()
	c.log.Info("exports built", "data_version", b.Version, "dir", final, "took", time.Since(start).Round(time.Millisecond).String())
	return b, nil
}

// writeBoth streams one export into path and path.gz at once, hashing it on the way.
func writeBoth(path string, write func(io.Writer) error) (Built, error) {
	var out Built
	f, err := os.Create(path)
	if err != nil {
		return out, err
	}
	defer f.Close()
	gf, err := os.Create(path + ".gz")
	if err != nil {
		return out, err
	}
	defer gf.Close()
	gz, _ := gzip.NewWriterLevel(gf, gzip.BestSpeed)
	h := sha256.New()
	cw := &counter{}
	if err := write(io.MultiWriter(f, gz, h, cw)); err != nil {
		return out, err
	}
	if err := errors.Join(gz.Close(), f.Close(), gf.Close()); err != nil {
		return out, err
	}
	st, err := os.Stat(path + ".gz")
	if err != nil {
		return out, err
	}
	return Built{Size: cw.n, SHA256: hexSum(h), GzipSize: st.Size()}, nil
}

func hexSum(h hash.Hash) string { return hex.EncodeToString(h.Sum(nil)) }

type counter struct{ n int64 }

func (c *counter) Write(p []byte) (int, error) { c.n += int64(len(p)); return len(p), nil }

// sweep removes the folders of older versions and abandoned builds. A download still reading
// a removed file keeps it open and finishes.
func (c *Cache) sweep(keep int64) {
	entries, err := os.ReadDir(c.dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		name := e.Name()
		if n, err := strconv.ParseInt(strings.TrimPrefix(name, "v"), 10, 64); err == nil && strings.HasPrefix(name, "v") && n < keep {
			_ = os.RemoveAll(filepath.Join(c.dir, name))
		}
		if info, err := e.Info(); err == nil && strings.HasPrefix(name, "build-") && time.Since(info.ModTime()) > 2*c.timeout {
			_ = os.RemoveAll(filepath.Join(c.dir, name))
		}
	}
}
