package export

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"io/fs"
	"net/http"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Releases: each dataset version's dataset.json and CSV files, kept as they were released in
// data/releases/{version}/ (written once by `cybertrade release`, never changed) beside a
// release.json that records the version and its date, and served byte for byte at
// /export/releases/{version}/{file}.

// ReleaseManifest is the name of the file that describes a release in its folder.
const ReleaseManifest = "release.json"

// Release is one published release.
type Release struct {
	Version string   `json:"version"`
	Date    string   `json:"date"` // YYYY-MM-DD
	Files   []string `json:"files"`
}

// URL is the release's folder under the API's root.
func (r Release) URL() string { return "/export/releases/" + r.Version + "/" }

var versionRE = regexp.MustCompile(`^[0-9]+\.[0-9]+\.[0-9]+$`)

// ValidVersion says whether s is a release version (MAJOR.MINOR.PATCH).
func ValidVersion(s string) bool { return versionRE.MatchString(s) }

// ListReleases reads the releases in fsys (one folder per version), newest first.
func ListReleases(fsys fs.FS) ([]Release, error) {
	if fsys == nil {
		return nil, nil
	}
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, err
	}
	var out []Release
	for _, e := range entries {
		if !e.IsDir() || !ValidVersion(e.Name()) {
			continue
		}
		raw, err := fs.ReadFile(fsys, path.Join(e.Name(), ReleaseManifest))
		if err != nil {
			return nil, err
		}
		var r Release
		if err := json.Unmarshal(raw, &r); err != nil {
			return nil, err
		}
		r.Version = e.Name()
		out = append(out, r)
	}
	slices.SortFunc(out, func(a, b Release) int { return slices.Compare(versionParts(b.Version), versionParts(a.Version)) })
	return out, nil
}

func (h *handler) releases(w http.ResponseWriter, _ *http.Request) {
	rs, err := ListReleases(h.opts.Releases)
	if err != nil {
		http.Error(w, "the releases cannot be listed", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	var b strings.Builder
	b.WriteString("cybertrade releases (version, date, folder), newest first:\n")
	for _, r := range rs {
		b.WriteString(r.Version + " " + r.Date + " " + r.URL() + "\n")
	}
	_, _ = w.Write([]byte(b.String()))
}

func (h *handler) release(w http.ResponseWriter, r *http.Request) {
	version, name := r.PathValue("version"), r.PathValue("file")
	if h.opts.Releases == nil || !ValidVersion(version) || name == ReleaseManifest || !fs.ValidPath(name) || strings.Contains(name, "/") {
		http.Error(w, "no such release file; see /export/releases/", http.StatusNotFound)
		return
	}
	rs, _ := ListReleases(h.opts.Releases)
	i := slices.IndexFunc(rs, func(x Release) bool { return x.Version == version })
	if i < 0 || !slices.Contains(rs[i].Files, name) {
		http.Error(w, "no such release file; see /export/releases/", http.StatusNotFound)
		return
	}
	p := path.Join(version, name)
	f, err := h.opts.Releases.Open(p)
	if err != nil {
		http.Error(w, "no such release file; see /export/releases/", http.StatusNotFound)
		return
	}
	sum := sha256.New()
	n, err := io.Copy(sum, f)
	f.Close()
	if err != nil {
		http.Error(w, "the release cannot be read", http.StatusInternalServerError)
		return
	}
	date, _ := time.Parse(time.DateOnly, rs[i].Date)
	contentType := "application/octet-stream"
	if ff, ok := file(name); ok {
		contentType = ff.ContentType
	}
	w.Header().Set("Cache-Control", "public, max-age=86400, immutable")
	h.serve(w, r, serveArgs{name: name, contentType: contentType, etag: `"` + hex.EncodeToString(sum.Sum(nil))[:32] + `"`, size: n, modTime: date,
		open: func() (fs.File, error) { return h.opts.Releases.Open(p) }})
}

func versionParts(v string) []int {
	var out []int
	for _, p := range strings.Split(v, ".") {
		n, _ := strconv.Atoi(p)
		out = append(out, n)
	}
	return out
}
