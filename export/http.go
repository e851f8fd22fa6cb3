package export

import (
	"crypto/sha256"
	"encoding/hex"
	"log/slog"
	"net/http"
	"strings"
)

// Handler serves GET /export/{file}: countries.csv, companies.csv, products.csv, actions.csv,
// responses.csv, cases.csv, sources.csv, links.csv, dataset.json and graph.graphml. Each
// answer carries an ETag of its content; If-None-Match gets 304.
func Handler(src Source, log *slog.Logger) http.Handler {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /export/{file}", func(w http.ResponseWriter, r *http.Request) {
		name := r.PathValue("file")
		f, ok := file(name)
		if !ok {
			http.Error(w, "no such export; see /export/ for the list", http.StatusNotFound)
			return
		}
		body, err := Render(r.Context(), src, name)
		if err != nil {
			log.ErrorContext(r.Context(), "export failed", "file", name, "err", err.Error())
			http.Error(w, "the export failed; try again later", http.StatusInternalServerError)
			return
		}
		sum := sha256.Sum256(body)
		etag := `"` + hex.EncodeToString(sum[:16]) + `"`
		w.Header().Set("ETag", etag)
		w.Header().Set("Cache-Control", "no-cache")
		if match := r.Header.Get("If-None-Match"); match != "" && strings.Contains(match, etag) {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("Content-Type", f.ContentType)
		w.Header().Set("Content-Disposition", `inline; filename="`+name+`"`)
		_, _ = w.Write(body)
	})
	mux.HandleFunc("GET /export/{$}", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		var b strings.Builder
		b.WriteString("cybertrade bulk exports:\n")
		for _, format := range []string{FormatCSV, FormatJSON, FormatGraphML} {
			for _, f := range Files[format] {
				b.WriteString("/export/" + f.Name + "\n")
			}
		}
		_, _ = w.Write([]byte(b.String()))
	})
	return mux
}
