package httpapi_test

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/cybertrade/cybertrade/data"
	"github.com/cybertrade/cybertrade/dataset"
	"github.com/cybertrade/cybertrade/httpapi"
	"github.com/cybertrade/cybertrade/internal/testdb"
)

// TestReleases: every release in data/releases is served byte for byte at
// /export/releases/{version}/{file} and listed by `dataset { releases }`; 1.0.0 is there, its
// dataset.json still loads, and nothing outside a release's files is served.
func TestReleases(t *testing.T) {
	_, here, _, _ := runtime.Caller(0)
	dir := filepath.Join(filepath.Dir(here), "..", "data", "releases")
	forEngine(t, func(t *testing.T, e testdb.Engine) {
		env := newEnvOpts(t, e, httpapi.Options{Releases: data.Releases()})
		var got struct {
			Dataset struct {
				Releases []struct {
					Version, Date, URL string
					Files              []string
				}
			}
		}
		env.ok(t, `{ dataset { releases { version date url files } } }`, nil, &got)
		versions := map[string]bool{}
		for _, r := range got.Dataset.Releases {
			versions[r.Version] = true
			if r.URL != "/export/releases/"+r.Version+"/" || len(r.Date) != 10 || len(r.Files) == 0 {
				t.Errorf("release %+v", r)
			}
			for _, f := range r.Files {
				want, err := os.ReadFile(filepath.Join(dir, r.Version, f))
				if err != nil {
					t.Fatal(err)
				}
				resp, body := rawGet(t, env.srv.URL+r.URL+f)
				if resp.StatusCode != http.StatusOK || !bytes.Equal(body, want) || resp.Header.Get("ETag") == "" {
					t.Errorf("%s%s: %d, %d bytes, want the %d bytes of the file", r.URL, f, resp.StatusCode, len(body), len(want))
				}
				if resp, _ := rawGet(t, env.srv.URL+r.URL+f, "If-None-Match", resp.Header.Get("ETag")); resp.StatusCode != http.StatusNotModified {
					t.Errorf("%s%s revalidated: %d", r.URL, f, resp.StatusCode)
				}
			}
		}
		entries, _ := os.ReadDir(dir)
		for _, d := range entries {
			if d.IsDir() && !versions[d.Name()] {
				t.Errorf("data/releases/%s is not listed", d.Name())
			}
		}
		if len(got.Dataset.Releases) == 0 || !versions["1.0.0"] {
			t.Fatalf("releases %+v: want 1.0.0 among them", got.Dataset.Releases)
		}
		if got.Dataset.Releases[0].Version == "1.0.0" && len(got.Dataset.Releases) > 1 {
			t.Error("releases are not newest first")
		}
		raw, err := fs.ReadFile(data.Releases(), "1.0.0/dataset.json")
		if err != nil {
			t.Fatal(err)
		}
		// A release is kept as published, in the format of its day: 1.0.0 still carries
		// researchRefs, which the loader of later versions refuses; it loads with its own binary.
		var ds dataset.Dataset
		if err := json.Unmarshal(raw, &ds); err != nil || ds.Meta.Version != "1.0.0" || len(ds.Cases) == 0 {
			t.Errorf("release 1.0.0's dataset.json: %v, version %q", err, ds.Meta.Version)
		}
		for _, path := range []string{"/export/releases/1.0.0/release.json", "/export/releases/1.0.0/nothing.csv", "/export/releases/9.9.9/dataset.json",
			"/export/releases/..%2F..%2Fgo.mod/x", "/export/releases/1.0.0/..%2Frelease.json"} {
			if resp, _ := rawGet(t, env.srv.URL+path); resp.StatusCode != http.StatusNotFound {
				t.Errorf("%s: %d, want 404", path, resp.StatusCode)
			}
		}
		resp, body := rawGet(t, env.srv.URL+"/export/releases/")
		if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "1.0.0 ") {
			t.Errorf("/export/releases/: %d %s", resp.StatusCode, body)
		}
	})
}
