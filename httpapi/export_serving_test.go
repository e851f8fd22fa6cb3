package httpapi_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/cybertrade/cybertrade/httpapi"
	"github.com/cybertrade/cybertrade/internal/limits"
	"github.com/cybertrade/cybertrade/internal/readiness"
	"github.com/cybertrade/cybertrade/internal/testdb"
	"github.com/cybertrade/cybertrade/store"
)

// rawGet fetches a path without the client's transparent gzip, so the answer is as sent.
func rawGet(t testing.TB, url string, header ...string) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	req.Header.Set("Accept-Encoding", "identity")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := (&http.Transport{DisableCompression: true}).RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, body
}

// logCounter counts log records whose message is msg.
type logCounter struct {
	slog.Handler
	mu *sync.Mutex
	n  *map[string]int
}

func newLogCounter() (*slog.Logger, func(msg string) int) {
	mu, n := &sync.Mutex{}, map[string]int{}
	h := logCounter{Handler: slog.DiscardHandler, mu: mu, n: &n}
	return slog.New(h), func(msg string) int { mu.Lock(); defer mu.Unlock(); return n[msg] }
}

func (l logCounter) Enabled(context.Context, slog.Level) bool { return true }
func (l logCounter) Handle(_ context.Context, r slog.Record) error {
	l.mu.Lock()
	(*l.n)[r.Message]++
	l.mu.Unlock()
	return nil
}
func (l logCounter) WithAttrs([]slog.Attr) slog.Handler { return l }
func (l logCounter) WithGroup(string) slog.Handler      { return l }

// TestExportServing: an export is built once per data version, whatever the number of
// concurrent requests, and served from disk with an ETag, Last-Modified, conditional
// requests, ranges and gzip; a write makes the next request build the new version (F1, F5).
func TestExportServing(t *testing.T) {
	forEngine(t, func(t *testing.T, e testdb.Engine) {
		st := testdb.Open(t, e, store.Options{})
		ds := researchFixture(t)
		if _, err := st.Load(context.Background(), ds); err != nil {
			t.Fatal(err)
		}
		log, count := newLogCounter()
		dir := t.TempDir()
		srv := httptest.NewServer(httpapi.New(st, httpapi.Options{Logger: log, ExportDir: dir}))
		t.Cleanup(srv.Close)

		// Eight concurrent first requests share one build.
		var wg sync.WaitGroup
		bodies := make([][]byte, 8)
		for i := range bodies {
			wg.Go(func() {
				resp, body := rawGet(t, srv.URL+"/export/dataset.json")
				if resp.StatusCode != http.StatusOK {
					t.Errorf("request %d: %d %s", i, resp.StatusCode, body)
				}
				bodies[i] = body
			})
		}
		wg.Wait()
		if n := count("exports built"); n != 1 {
			t.Errorf("%d builds for 8 concurrent requests of one version, want 1", n)
		}
		for i := range bodies {
			if !bytes.Equal(bodies[i], bodies[0]) || len(bodies[0]) == 0 {
				t.Fatalf("concurrent answers differ (%d bytes vs %d)", len(bodies[i]), len(bodies[0]))
			}
		}
		full := bodies[0]

		resp, _ := rawGet(t, srv.URL+"/export/dataset.json")
		etag, lastMod := resp.Header.Get("ETag"), resp.Header.Get("Last-Modified")
		if etag == "" || lastMod == "" || resp.Header.Get("Accept-Ranges") != "bytes" || !strings.Contains(resp.Header.Get("Vary"), "Accept-Encoding") {
			t.Fatalf("headers: %v", resp.Header)
		}
		if resp, body := rawGet(t, srv.URL+"/export/dataset.json", "If-None-Match", etag); resp.StatusCode != http.StatusNotModified || len(body) != 0 {
			t.Errorf("If-None-Match: %d, %d bytes", resp.StatusCode, len(body))
		}
		if resp, _ := rawGet(t, srv.URL+"/export/dataset.json", "If-Modified-Since", lastMod); resp.StatusCode != http.StatusNotModified {
			t.Errorf("If-Modified-Since: %d", resp.StatusCode)
		}
		resp, part := rawGet(t, srv.URL+"/export/dataset.json", "Range", "bytes=100-199")
		if resp.StatusCode != http.StatusPartialContent || !bytes.Equal(part, full[100:200]) {
			t.Errorf("Range: %d, %d bytes", resp.StatusCode, len(part))
		}
		resp, zipped := rawGet(t, srv.URL+"/export/dataset.json", "Accept-Encoding", "gzip, br")
		zr, err := gzip.NewReader(bytes.NewReader(zipped))
		if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Encoding") != "gzip" || err != nil || resp.Header.Get("ETag") == etag {
			t.Fatalf("gzip: %d %v %v", resp.StatusCode, resp.Header, err)
		}
		if unzipped, _ := io.ReadAll(zr); !bytes.Equal(unzipped, full) || len(zipped) >= len(full)/2 {
			t.Errorf("gzip: %d bytes unzip to %d, want %d", len(zipped), len(unzipped), len(full))
		}
		if resp, _ := rawGet(t, srv.URL+"/export/dataset.json", "Accept-Encoding", "gzip;q=0"); resp.Header.Get("Content-Encoding") != "" {
			t.Errorf("gzip;q=0 refuses gzip, got %q", resp.Header.Get("Content-Encoding"))
		}
		for _, name := range []string{"actions.csv", "graph.graphml", "datapackage.json", "links.csv"} {
			if resp, _ := rawGet(t, srv.URL+"/export/"+name); resp.StatusCode != http.StatusOK {
				t.Errorf("%s: %d", name, resp.StatusCode)
			}
		}
		if n := count("exports built"); n != 1 {
			t.Errorf("%d builds for one data version, want 1", n)
		}

		// A write: the next request builds the new version, and the old folder goes.
		ds.Cases[0].Title = "A retitled case"
		if _, err := st.Load(context.Background(), ds); err != nil {
			t.Fatal(err)
		}
		resp, body := rawGet(t, srv.URL+"/export/dataset.json", "If-None-Match", etag)
		if resp.StatusCode != http.StatusOK || resp.Header.Get("ETag") == etag || !bytes.Contains(body, []byte("A retitled case")) {
			t.Errorf("after a write: %d, ETag %s (was %s)", resp.StatusCode, resp.Header.Get("ETag"), etag)
		}
		if n := count("exports built"); n != 2 {
			t.Errorf("%d builds after one write, want 2", n)
		}
		entries, _ := os.ReadDir(dir)
		if len(entries) != 1 || !strings.HasPrefix(entries[0].Name(), "v") {
			t.Errorf("the export folder holds %v, want the current version only", entries)
		}
		if _, err := os.Stat(filepath.Join(dir, entries[0].Name(), "dataset.json.gz")); err != nil {
			t.Errorf("no gzip form on disk: %v", err)
		}

		// A new server over the same folder (a restart) uses the files on disk.
		log2, count2 := newLogCounter()
		srv2 := httptest.NewServer(httpapi.New(st, httpapi.Options{Logger: log2, ExportDir: dir}))
		t.Cleanup(srv2.Close)
		if resp, b2 := rawGet(t, srv2.URL+"/export/dataset.json"); resp.StatusCode != http.StatusOK || !bytes.Equal(b2, body) || count2("exports built") != 0 {
			t.Errorf("after a restart: %d, same bytes %v, %d builds", resp.StatusCode, bytes.Equal(b2, body), count2("exports built"))
		}
	})
}

// TestExportRateBudget: a download is charged ExportCostPerMiB per started MiB; over the
// budget it gets 429 with Retry-After; a 304 is free (F1: exports were free and unmetered).
func TestExportRateBudget(t *testing.T) {
	forEngine(t, func(t *testing.T, e testdb.Engine) {
		env := newEnvOpts(t, e, httpapi.Options{Limits: withLimits(func(c *limits.Config) { c.RatePerMinute = httpapi.ExportCostPerMiB + 100 })})
		resp, _ := rawGet(t, env.srv.URL+"/export/countries.csv") // < 1 MiB whatever the curators add: one unit of ExportCostPerMiB
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("first download: %d", resp.StatusCode)
		}
		etag := resp.Header.Get("ETag")
		if got, want := resp.Header.Get("X-RateLimit-Remaining"), "100"; got != want {
			t.Errorf("X-RateLimit-Remaining after one download: %q, want %q", got, want)
		}
		if resp, _ := rawGet(t, env.srv.URL+"/export/countries.csv", "If-None-Match", etag); resp.StatusCode != http.StatusNotModified {
			t.Errorf("a revalidation: %d, want 304", resp.StatusCode)
		}
		resp, body := rawGet(t, env.srv.URL+"/export/countries.csv")
		if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" || !strings.Contains(string(body), "rate budget") {
			t.Errorf("second download over the budget: %d %v %s", resp.StatusCode, resp.Header, body)
		}
		// The budget is shared with GraphQL: what is left (100) cannot pay for a 101-cost query.
		r := env.postQuery(t, `{ actions(first: 100) { nodes { slug } } }`, nil)
		if r.Code() != "RATE_LIMITED" {
			t.Errorf("a query after the downloads: %d %s", r.Status, r.Code())
		}
	})
}

// TestExportUnavailable: while the database is not ready, exports answer 503 with
// Retry-After, like GraphQL (F13: they answered 500). TestDatabaseFaults stops a real
// PostgreSQL under a running server and checks the same.
func TestExportUnavailable(t *testing.T) {
	forEngine(t, func(t *testing.T, e testdb.Engine) {
		gate := readiness.New(nil, nil) // never run: not ready
		env := newEnvOpts(t, e, httpapi.Options{Ready: gate})
		resp, body := rawGet(t, env.srv.URL+"/export/countries.csv")
		if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" {
			t.Errorf("%d %v %s", resp.StatusCode, resp.Header, body)
		}
	})
}

// TestExportFilesOfAnotherBinary: files a different build of the server left for the current
// version (its writers may differ) are replaced, not served.
func TestExportFilesOfAnotherBinary(t *testing.T) {
	forEngine(t, func(t *testing.T, e testdb.Engine) {
		dir := t.TempDir()
		env := newEnvOpts(t, e, httpapi.Options{ExportDir: dir})
		_, body := rawGet(t, env.srv.URL+"/export/countries.csv")
		entries, _ := os.ReadDir(dir)
		if len(entries) != 1 {
			t.Fatalf("export folder: %v", entries)
		}
		vdir := filepath.Join(dir, entries[0].Name())
		manifest := filepath.Join(vdir, "manifest.json")
		raw, _ := os.ReadFile(manifest)
		raw = bytes.Replace(raw, []byte(`"binary": "`), []byte(`"binary": "an older build `), 1)
		_ = os.WriteFile(manifest, raw, 0o644)
		_ = os.WriteFile(filepath.Join(vdir, "countries.csv"), []byte("stale"), 0o644)

		srv2 := httptest.NewServer(httpapi.New(env.st, httpapi.Options{ExportDir: dir}))
		t.Cleanup(srv2.Close)
		if resp, b2 := rawGet(t, srv2.URL+"/export/countries.csv"); resp.StatusCode != http.StatusOK || !bytes.Equal(b2, body) {
			t.Errorf("files of another binary were served: %d %q", resp.StatusCode, b2[:min(len(b2), 20)])
		}
	})
}
