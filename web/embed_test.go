package web

import (
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
)

func get(t *testing.T, srv *httptest.Server, path string) (*http.Response, string) {
	t.Helper()
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := c.Get(srv.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, string(b)
}

var refs = regexp.MustCompile(`(?:src|href)="([^"]+)"`)

// TestPagesAreSelfContained: both pages load only files the binary embeds (no CDN), each of
// them served with its type, a year's cache and well under 1 MB.
func TestPagesAreSelfContained(t *testing.T) {
	srv := httptest.NewServer(Handler())
	defer srv.Close()
	for path, want := range map[string]string{"/": "cybertrade GraphiQL", "/explore": "cybertrade explorer"} {
		res, body := get(t, srv, path)
		if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") || !strings.Contains(body, want) {
			t.Fatalf("GET %s: %d %s, want a page with %q", path, res.StatusCode, res.Header.Get("Content-Type"), want)
		}
		assets := 0
		for _, m := range refs.FindAllStringSubmatch(body, -1) {
			ref := m[1]
			if strings.HasPrefix(ref, "data:") || strings.HasPrefix(ref, "#") || ref == "/" || ref == "/explore" || ref == "/schema.graphql" || ref == "/graphql" {
				continue
			}
			if !strings.HasPrefix(ref, "/assets/") {
				t.Errorf("GET %s refers to %q, outside the embedded assets", path, ref)
				continue
			}
			assets++
			ares, abody := get(t, srv, ref)
			ctype := ares.Header.Get("Content-Type")
			if ares.StatusCode != http.StatusOK || !(strings.HasPrefix(ctype, "text/javascript") || strings.HasPrefix(ctype, "text/css")) {
				t.Errorf("GET %s: %d %s", ref, ares.StatusCode, ctype)
			}
			if len(abody) > 900<<10 {
				t.Errorf("%s is %d bytes, over the 900 KiB budget", ref, len(abody))
			}
			if !strings.Contains(ares.Header.Get("Cache-Control"), "immutable") {
				t.Errorf("GET %s: Cache-Control %q, want immutable", ref, ares.Header.Get("Cache-Control"))
			}
		}
		if assets < 2 {
			t.Errorf("GET %s: %d assets, want a script and a stylesheet", path, assets)
		}
	}
}

func TestRoutes(t *testing.T) {
	srv := httptest.NewServer(Handler())
	defer srv.Close()
	if res, _ := get(t, srv, "/explore/"); res.StatusCode != http.StatusMovedPermanently || res.Header.Get("Location") != "/explore" {
		t.Errorf("GET /explore/: %d to %q, want a redirect to /explore", res.StatusCode, res.Header.Get("Location"))
	}
	for _, path := range []string{"/assets/", "/assets/nothing.js", "/assets/../explore.html"} {
		if res, _ := get(t, srv, path); res.StatusCode == http.StatusOK {
			t.Errorf("GET %s: 200, want no file", path)
		}
	}
}
