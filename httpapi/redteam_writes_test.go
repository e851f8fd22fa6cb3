package httpapi_test

import (
	"context"
	"math/rand/v2"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cybertrade/cybertrade/dataset"
	"github.com/cybertrade/cybertrade/export"
)

// The findings of the red-team review (F1–F19) about what writes may hold: text the store
// cannot keep is refused, and whatever is accepted reads back the same.

// TestAcceptedWritesRoundTrip is the property the files depend on (F9): after any write the
// API accepts, `export -format files` then `validate` passes. Random company and source
// writes are drawn from an alphabet of the characters that broke it.
func TestAcceptedWritesRoundTrip(t *testing.T) {
	good := []string{"a", "Z", "0", "-", " ", "\t", "\n", "\r", "\u00a0", "\ufeff", "é", "中", "🙂", "%", "_", `\`, ";", ",", `"`, "'", "=", "+", "@", ":", "/", "#", "<", "&"}
	bad := []string{"\x00", "\x01", "\x1b", "\x7f", "\u0085", "\ufffe", "\uffff", "\ufdd0", "\U0001fffe"}
	forCurator(t, researchFixture, func(t *testing.T, c *curator) {
		seed := uint64(time.Now().UnixNano())
		if s, err := strconv.ParseUint(os.Getenv("ROUNDTRIP_SEED"), 10, 64); err == nil {
			seed = s // to replay a failure
		}
		rng := rand.New(rand.NewPCG(seed, 7))
		text := func(n int) string { // one text in twenty holds a character the files cannot
			var b strings.Builder
			b.WriteString("x")
			for range rng.IntN(n) {
				b.WriteString(good[rng.IntN(len(good))])
			}
			if rng.IntN(20) == 0 {
				b.WriteString(bad[rng.IntN(len(bad))])
			}
			return b.String()
		}
		slug := func() string {
			switch rng.IntN(4) {
			case 0:
				return text(12)
			case 1:
				return "p" + strconv.Itoa(rng.IntN(1e6)) + strings.Repeat("x", rng.IntN(140))
			default:
				return "p" + strconv.Itoa(rng.IntN(1e9))
			}
		}
		accepted := 0
		for i := range 60 {
			var q string
			var in map[string]any
			if i%2 == 0 {
				q = `mutation($in: CreateCompanyInput!) { createCompany(input: $in) { company { id } } }`
				in = map[string]any{"slug": slug(), "name": text(20), "sector": text(10), "aliases": []string{text(8), text(8)}, "description": text(60)}
			} else {
				q = createSourceMutation
				scheme := []string{"https", "HTTP", "HtTpS", "ftp", "javascript"}[rng.IntN(5)]
				in = map[string]any{"key": slug(), "title": text(20), "publisher": text(10), "date": "2021-05",
					"url": scheme + "://example.org/" + url.PathEscape(text(10)), "note": text(30)}
			}
			r := c.as(t, c.editor, q, map[string]any{"in": in})
			switch {
			case len(r.Errors) == 0:
				accepted++
			case r.Code() != "INVALID_ARGUMENT":
				t.Fatalf("seed %d: write %d refused with %s (want INVALID_ARGUMENT): %.300s", seed, i, r.Code(), r.Body)
			}
		}
		dir := t.TempDir()
		if _, err := export.WriteDir(context.Background(), c.st, export.FormatFiles, dir); err != nil {
			t.Fatalf("seed %d: export after %d accepted writes: %v", seed, accepted, err)
		}
		if _, err := dataset.Read(os.DirFS(dir)); err != nil {
			t.Fatalf("seed %d (replay with ROUNDTRIP_SEED): validate after %d accepted writes: %v", seed, accepted, err)
		}
		if accepted == 0 {
			t.Fatalf("seed %d: no write was accepted; the property was not exercised", seed)
		}
	})
}

// TestTextTheStoreCannotHold (F9, F10, F11, F12, F19): NUL, other control characters and
// non-characters are refused with INVALID_ARGUMENT in every text input on both engines, slugs
// are bounded, the text filter matches % and _ as written, URL schemes are case-free.
func TestTextTheStoreCannotHold(t *testing.T) {
	forCurator(t, researchFixture, func(t *testing.T, c *curator) {
		for _, tc := range []struct {
			name, query string
			vars        map[string]any
		}{
			{"NUL in a lookup", `{ country(code: "RU\u0000") { name } }`, nil},
			{"NUL in a variable", `query($c: String!) { country(code: $c) { name } }`, map[string]any{"c": "RU\x00"}},
			{"NUL in a list filter", `{ actions(filter: {countries: ["RU\u0000"]}) { totalCount } }`, nil},
			{"NUL in a company filter", `{ companies(filter: {homeCountries: ["\u0000"], text: "a"}) { totalCount } }`, nil},
			{"NUL in the text filter", `{ companies(filter: {text: "a\u0000"}) { totalCount } }`, nil},
			{"NUL in a slug", `{ company(slug: "x\u0000") { name } }`, nil},
			{"NUL in an id", `{ node(id: "U291cmNlOgA\u0000") { id } }`, nil},
			{"NUL in ids", `query($i: [ID!]!) { nodes(ids: $i) { id } }`, map[string]any{"i": []string{"\x00"}}},
			{"NUL in a revision filter", `{ revisions(filter: {actor: "\u0000"}) { totalCount } }`, nil},
			{"U+FFFE in search", `{ search(text: "a\ufffeb") { totalCount } }`, nil},
			{"escape sequence in a cursor", `{ moves(first: 1, after: "\u001b[31m") { totalCount } }`, nil},
			{"text filter over 200 characters", `{ companies(filter: {text: "` + strings.Repeat("%_", 101) + `"}) { totalCount } }`, nil},
		} {
			t.Run(tc.name, func(t *testing.T) {
				r := c.as(t, "", tc.query, tc.vars)
				expect(t, r, 200, "INVALID_ARGUMENT")
			})
		}
		t.Run("writes", func(t *testing.T) {
			createCompany := `mutation($in: CreateCompanyInput!) { createCompany(input: $in) { company { slug name } } }`
			for name, in := range map[string]map[string]any{
				"NUL in a name":        {"slug": "rt-nul", "name": "a\x00b"},
				"U+FFFE in a name":     {"slug": "rt-fffe", "name": "a\ufffeb\uffffc"},
				"U+FFFF in an alias":   {"slug": "rt-ffff", "name": "ok", "aliases": []string{"x\uffff"}},
				"a bell in the sector": {"slug": "rt-bell", "name": "ok", "sector": "\a"},
				"a 101-character slug": {"slug": strings.Repeat("a", 101), "name": "Long"},
				"a 300-character slug": {"slug": "rt-long-" + strings.Repeat("x", 292), "name": "Long"},
			} {
				t.Run(name, func(t *testing.T) {
					c.refused(t, c.editor, createCompany, map[string]any{"in": in}, "INVALID_ARGUMENT")
				})
			}
			var ok struct {
				CreateCompany struct{ Company struct{ Slug, Name string } }
			}
			c.must(t, c.editor, createCompany, map[string]any{"in": map[string]any{"slug": strings.Repeat("b", 100), "name": "tab\there\r\nand lines"}}, &ok)
			src := func(key, u string) map[string]any {
				return map[string]any{"in": map[string]any{"key": key, "title": "T", "publisher": "P", "date": "2020-01-01", "url": u}}
			}
			var made struct {
				CreateSource struct{ Source struct{ Key string } }
			}
			c.must(t, c.editor, createSourceMutation, src("rt-upper-scheme", "HTTPS://EXAMPLE.ORG/x"), &made)
			var got struct{ Source struct{ URL string } }
			c.must(t, "", `{ source(key: "rt-upper-scheme") { url } }`, nil, &got)
			if got.Source.URL != "https://EXAMPLE.ORG/x" {
				t.Fatalf("the scheme is stored lower-case, the rest as written: %q", got.Source.URL)
			}
			c.refused(t, c.editor, createSourceMutation, src("rt-userinfo", "https://user:pw@example.org/"), "INVALID_ARGUMENT")
			c.refused(t, c.editor, createSourceMutation, src("rt-nul-url", "https://example.org/\x00"), "INVALID_ARGUMENT")
			dir := t.TempDir()
			if _, err := export.WriteDir(context.Background(), c.st, export.FormatFiles, dir); err != nil {
				t.Fatal(err)
			}
			if _, err := dataset.Read(os.DirFS(dir)); err != nil {
				t.Fatalf("validate refuses what the API accepted: %v", err)
			}
		})
		t.Run("the text filter matches wildcards as written", func(t *testing.T) {
			var out struct{ Companies struct{ TotalCount int } }
			for _, text := range []string{"%", "_", `\`, "%_"} {
				c.must(t, "", `query($t: String) { companies(filter: {text: $t}) { totalCount } }`, map[string]any{"t": text}, &out)
				if out.Companies.TotalCount != 0 {
					t.Fatalf("text %q matched %d companies; no name holds it", text, out.Companies.TotalCount)
				}
			}
		})
		t.Run("F19 messages", func(t *testing.T) {
			g := c.refused(t, "", `{ actions(filter: {countries: ["QQ"]}) { totalCount } }`, nil, "INVALID_ARGUMENT")
			if !strings.Contains(g.Message, "unknown country: QQ") {
				t.Fatalf("message: %q", g.Message)
			}
			g = c.refused(t, "", `{ responses(filter: {companies: ["nope"]}) { totalCount } }`, nil, "INVALID_ARGUMENT")
			if !strings.Contains(g.Message, "unknown company: nope") {
				t.Fatalf("message: %q", g.Message)
			}
			g = c.refused(t, "", `query($a: String) { moves(first: 1, after: $a) { totalCount } }`, map[string]any{"a": strings.Repeat("Z", 20000)}, "INVALID_ARGUMENT")
			if len(g.Message) > 400 {
				t.Fatalf("a bad cursor is echoed in full: %d bytes", len(g.Message))
			}
		})
	})
}
