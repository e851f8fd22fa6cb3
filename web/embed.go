// Package web holds the browser pages the binary serves: the /explore data explorer and an
// offline GraphiQL. Their sources are in web/src (JavaScript, built with esbuild by
// web/build.mjs); the built files in web/dist are committed and embedded here, so serving them
// needs neither Node nor the network.
package web

import (
	"embed"
	"io/fs"
	"net/http"
	"strings"
)

//go:embed dist
var dist embed.FS

// Handler serves the pages: GraphiQL at /, the explorer at /explore, and their scripts and
// styles under /assets/ (content-hashed names, cached for a year).
func Handler() http.Handler {
	files, err := fs.Sub(dist, "dist")
	if err != nil {
		panic(err) // the embedded tree always has dist/
	}
	page := func(name string) http.HandlerFunc {
		body, err := fs.ReadFile(files, name)
		if err != nil {
			panic(err) // build.mjs always writes both pages
		}
		return func(w http.ResponseWriter, _ *http.Request) {
			h := w.Header()
			h.Set("Content-Type", "text/html; charset=utf-8")
			h.Set("Cache-Control", "no-cache")
			h.Set("X-Content-Type-Options", "nosniff")
			_, _ = w.Write(body)
		}
	}
	assets := http.FileServerFS(files)
	mux := http.NewServeMux()
	mux.Handle("GET /{$}", page("graphiql.html"))
	mux.Handle("GET /explore", page("explore.html"))
	mux.Handle("GET /explore/", http.RedirectHandler("/explore", http.StatusMovedPermanently))
	mux.Handle("GET /assets/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/") {
			http.NotFound(w, r) // no directory listings
			return
		}
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		assets.ServeHTTP(w, r)
	}))
	return mux
}
