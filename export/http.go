package export

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/cybertrade/cybertrade/store/core"
)

// HandlerOptions configures Handler.
type HandlerOptions struct {
	Log *slog.Logger
	// Ready says whether the database is reachable; nil means always.
	Ready func() bool
	// Charge charges a download of n bytes to the client's rate budget (and may set headers
	// that report it); it returns 0 when the download may go ahead, or the seconds to wait
	// before retrying. nil means free.
	Charge func(w http.ResponseWriter, r *http.Request, n int64) (retryAfter int)
	// Releases holds the published releases, one folder per version (see releases.go); nil
	// means none.
	Releases fs.FS
}

// Handler serves the exports of the current data version from the cache, and the published
// releases as they were released:
//
//	GET /export/                          the list
//	GET /export/{file}                    countries.csv … links.csv, datapackage.json, dataset.json, graph.graphml
//	GET /export/releases/                 the releases, one line each
//	GET /export/releases/{version}/{file} a release's file, byte for byte
//
// Answers carry an ETag (of the content), Last-Modified (when the data version was
// committed, or the release date), honour If-None-Match, If-Modified-Since and Range, and the
// current exports come gzipped to a client that accepts it. The database being down gives 503
// with Retry-After; a download over the client's rate budget gives 429 with Retry-After.
func Handler(c *Cache, opts HandlerOptions) http.Handler {
	log := opts.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	h := &handler{c: c, opts: opts, log: log}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /export/{file}", h.current)
	mux.HandleFunc("GET /export/{$}", h.list)
	mux.HandleFunc("GET /export/releases/{$}", h.releases)
	mux.HandleFunc("GET /export/releases/{version}/{file}", h.release)
	return mux
}

type handler struct {
	c    *Cache
	opts HandlerOptions
	log  *slog.Logger
}

func unavailable(w http.ResponseWriter) {
	w.Header().Set("Retry-After", "5")
	http.Error(w, "the database is unavailable; the server reconnects by itself, retry in a few seconds", http.StatusServiceUnavailable)
}

func (h *handler) current(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("file")
	f, ok := file(name)
	if !ok {
		http.Error(w, "no such export; see /export/ for the list", http.StatusNotFound)
		return
	}
	if h.opts.Ready != nil && !h.opts.Ready() {
		unavailable(w)
		return
	}
	// A large file to a slow client outlasts the server's write timeout: give exports their own.
	_ = http.NewResponseController(w).SetWriteDeadline(time.Now().Add(30 * time.Minute))
	version, err := h.version(r.Context())
	var b *Build
	if err == nil {
		b, err = h.c.Get(r.Context(), version)
	}
	if err != nil {
		switch {
		case core.IsUnavailable(err):
			h.log.WarnContext(r.Context(), "export: database unavailable", "file", name, "err", err.Error())
			unavailable(w)
		case errors.Is(err, context.Canceled) && r.Context().Err() != nil:
			// the client left while waiting for the build
		default:
			h.log.ErrorContext(r.Context(), "export failed", "file", name, "err", err.Error())
			http.Error(w, "the export failed; try again later", http.StatusInternalServerError)
		}
		return
	}
	info := b.Files[name]
	gz := acceptsGzip(r)
	etag, size := `"`+info.SHA256[:32]+`"`, info.Size
	if gz {
		etag, size = `"`+info.SHA256[:32]+`-gz"`, info.GzipSize
	}
	w.Header().Set("Vary", "Accept-Encoding")
	h.serve(w, r, serveArgs{name: name, contentType: f.ContentType, etag: etag, size: size, modTime: b.ChangedAt, gzip: gz,
		open: func() (fs.File, error) { return os.Open(b.Path(name, gz)) }})
}

// version is the current data version: from memory when the store's watcher vouches for it,
// else read (one statement).
func (h *handler) version(ctx context.Context) (int64, error) {
	if k, ok := h.c.src.(interface{ KnownDataVersion() (int64, bool) }); ok {
		if v, ok := k.KnownDataVersion(); ok {
			return v, nil
		}
	}
	v, _, err := h.c.src.ReadDataVersion(ctx)
	return v, err
}

type serveArgs struct {
	name, contentType, etag string
	size                    int64
	modTime                 time.Time
	gzip                    bool
	open                    func() (fs.File, error)
}

// serve charges the download and writes it with http.ServeContent (conditional requests,
// ranges, HEAD).
func (h *handler) serve(w http.ResponseWriter, r *http.Request, a serveArgs) {
	hd := w.Header()
	hd.Set("ETag", a.etag)
	if hd.Get("Cache-Control") == "" {
		hd.Set("Cache-Control", "no-cache")
	}
	hd.Set("Content-Type", a.contentType)
	hd.Set("Content-Disposition", `inline; filename="`+a.name+`"`)
	hd.Set("X-Content-Type-Options", "nosniff")
	if a.gzip {
		hd.Set("Content-Encoding", "gzip")
	}
	notModified := strings.Contains(r.Header.Get("If-None-Match"), a.etag)
	if h.opts.Charge != nil && !notModified && r.Method != http.MethodHead {
		if retry := h.opts.Charge(w, r, rangeLength(r.Header.Get("Range"), a.size)); retry > 0 {
			for _, k := range []string{"ETag", "Content-Encoding", "Content-Disposition"} {
				hd.Del(k)
			}
			hd.Set("Retry-After", strconv.Itoa(retry))
			http.Error(w, fmt.Sprintf("this download is over your rate budget; retry after %d s (see the README's rate limits)", retry), http.StatusTooManyRequests)
			return
		}
	}
	f, err := a.open()
	if err != nil {
		h.log.ErrorContext(r.Context(), "export: open failed", "file", a.name, "err", err.Error())
		http.Error(w, "the export failed; try again later", http.StatusInternalServerError)
		return
	}
	defer f.Close()
	rs, ok := f.(interface {
		Read([]byte) (int, error)
		Seek(int64, int) (int64, error)
	})
	if !ok {
		http.Error(w, "the export failed; try again later", http.StatusInternalServerError)
		return
	}
	http.ServeContent(w, r, a.name, a.modTime, rs)
}

// rangeLength is how many bytes a request for a file of size bytes asks for: one range's
// length, or the whole file.
func rangeLength(header string, size int64) int64 {
	spec, ok := strings.CutPrefix(header, "bytes=")
	if !ok || strings.Contains(spec, ",") {
		return size
	}
	from, to, ok := strings.Cut(strings.TrimSpace(spec), "-")
	if !ok {
		return size
	}
	a, errA := strconv.ParseInt(from, 10, 64)
	b, errB := strconv.ParseInt(to, 10, 64)
	switch {
	case from == "" && errB == nil: // the last b bytes
		return min(b, size)
	case errA == nil && to == "":
		return max(0, size-a)
	case errA == nil && errB == nil && b >= a:
		return min(b, size-1) - a + 1
	}
	return size
}

// acceptsGzip says whether the request accepts gzip (and does not refuse it with q=0).
func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(coding), "gzip") {
			q := strings.ReplaceAll(params, " ", "")
			return q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000"
		}
	}
	return false
}

func (h *handler) list(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	var b strings.Builder
	b.WriteString("cybertrade bulk exports (the current data):\n")
	for _, format := range formats {
		for _, f := range Files[format] {
			b.WriteString("/export/" + f.Name + "\n")
		}
	}
	b.WriteString("releases, as they were published: /export/releases/\n")
	_, _ = w.Write([]byte(b.String()))
}
