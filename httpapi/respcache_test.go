package httpapi_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cybertrade/cybertrade/httpapi"
	"github.com/cybertrade/cybertrade/internal/auth"
	"github.com/cybertrade/cybertrade/internal/limits"
	"github.com/cybertrade/cybertrade/internal/respcache"
	"github.com/cybertrade/cybertrade/internal/testdb"
	"github.com/cybertrade/cybertrade/store"
)

// newCachedCurator is newCurator with the response cache on and the store's data-version
// watcher running, as serve runs them.
func newCachedCurator(t *testing.T, e testdb.Engine, lim *limits.Config) (*curator, *httpapi.Metrics) {
	t.Helper()
	st := testdb.Open(t, e, store.Options{})
	if _, err := st.Load(context.Background(), researchFixture(t)); err != nil {
		t.Fatalf("load: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); st.WatchDataVersion(ctx, 0) }()
	t.Cleanup(func() { cancel(); <-done })
	m := httpapi.NewMetrics()
	srv := httptest.NewServer(httpapi.New(st, httpapi.Options{Logger: testLogger(), Metrics: m, Limits: lim,
		Cache: respcache.NewMemory(100, 1<<20)}))
	t.Cleanup(srv.Close)
	c := &curator{env: &env{st: st, srv: srv}, failLast: &atomic.Bool{}}
	c.editor = c.token(t, "ed", auth.Editor)
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(time.Millisecond) {
		if _, ok := st.KnownDataVersion(); ok {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the data-version watcher did not start")
		}
	}
	return c, m
}

// counted sends a request and returns the answer and the SQL statements it ran.
func (c *curator) counted(t *testing.T, token, query string, vars map[string]any) (httpResp, int64) {
	t.Helper()
	before := c.st.Statements()
	r := c.as(t, token, query, vars)
	return r, c.st.Statements() - before
}

func remaining(t *testing.T, r httpResp) int {
	t.Helper()
	n, err := strconv.Atoi(r.Header.Get("X-RateLimit-Remaining"))
	if err != nil {
		t.Fatalf("no X-RateLimit-Remaining: %v", r.Header)
	}
	return n
}

const cachedActions = `query Actions($first: Int) { actions(first: $first) { edges { node { slug title country { code } targetCompanies { slug } } } } }`

// TestResponseCacheServesRepeatsWithoutSQL: the second identical anonymous query gets the same
// bytes without a statement, costs the client's budget like the first, and layout does not
// matter; other variables are another answer.
func TestResponseCacheServesRepeatsWithoutSQL(t *testing.T) {
	forEngine(t, func(t *testing.T, e testdb.Engine) {
		c, m := newCachedCurator(t, e, nil)
		vars := map[string]any{"first": 20}
		first, n1 := c.counted(t, "", cachedActions, vars)
		expect(t, first, http.StatusOK, "")
		second, n2 := c.counted(t, "", cachedActions, vars)
		if n1 == 0 || n2 != 0 {
			t.Fatalf("statements: first %d, repeat %d; want >0 and 0", n1, n2)
		}
		if second.Body != first.Body {
			t.Fatalf("a cached answer differs:\n%s\n%s", first.Body, second.Body)
		}
		cost := int(first.Ext["cost"].(float64))
		if cost <= 1 || remaining(t, second) != remaining(t, first)-cost {
			t.Fatalf("budget: %d then %d remaining for a cost of %d; a cached answer must cost the same", remaining(t, first), remaining(t, second), cost)
		}
		relaid := "# the same query, laid out differently\n" + strings.ReplaceAll(cachedActions, " ", "\n  ")
		if r, n := c.counted(t, "", relaid, vars); n != 0 || r.Body != first.Body {
			t.Fatalf("the same query laid out differently: %d statements, same body %v", n, r.Body == first.Body)
		}
		if r, n := c.counted(t, "", cachedActions, map[string]any{"first": 2}); n == 0 || r.Body == first.Body {
			t.Fatalf("other variables: %d statements; want a fresh answer", n)
		}
		// GET: the cached answer carries the same ETag, and If-None-Match still gets 304.
		q := "query=" + url.QueryEscape(cachedActions) + "&variables=" + url.QueryEscape(`{"first":20}`)
		g1 := c.getGraphQL(t, q, nil)
		before := c.st.Statements()
		g2 := c.getGraphQL(t, q, nil)
		if c.st.Statements() != before || g2.Body != g1.Body || g2.Header.Get("ETag") == "" || g2.Header.Get("ETag") != g1.Header.Get("ETag") {
			t.Fatalf("GET repeat: %d statements, ETags %q %q", c.st.Statements()-before, g1.Header.Get("ETag"), g2.Header.Get("ETag"))
		}
		if g3 := c.getGraphQL(t, q, map[string]string{"If-None-Match": g1.Header.Get("ETag")}); g3.Status != http.StatusNotModified {
			t.Fatalf("If-None-Match on a cached answer: %d", g3.Status)
		}
		// Hits: the repeat, the relaid query, and the three GETs (the same operation as the first POST).
		if hits := metricValue(t, m, `cybertrade_response_cache_total{result="hit"}`); hits != 5 {
			t.Fatalf("cache hits counted: %v; want 5", hits)
		}
	})
}

// TestResponseCacheInvalidatedByAnEdit: a mutation changes what the next anonymous query gets,
// at once.
func TestResponseCacheInvalidatedByAnEdit(t *testing.T) {
	forEngine(t, func(t *testing.T, e testdb.Engine) {
		c, _ := newCachedCurator(t, e, nil)
		vars := map[string]any{"first": 20}
		before, _ := c.counted(t, "", cachedActions, vars)
		if _, n := c.counted(t, "", cachedActions, vars); n != 0 {
			t.Fatalf("repeat ran %d statements; not cached", n)
		}
		c.must(t, c.editor, updateActionMutation, map[string]any{"in": map[string]any{
			"id": actionID("ru-keeps-block"), "expectedVersion": 1, "title": "Edited while cached"}}, nil)
		after, n := c.counted(t, "", cachedActions, vars)
		if n == 0 || !strings.Contains(after.Body, "Edited while cached") || after.Body == before.Body {
			t.Fatalf("after the edit: %d statements; the answer must be fresh: %.300s", n, after.Body)
		}
		if again, n := c.counted(t, "", cachedActions, vars); n != 0 || again.Body != after.Body {
			t.Fatalf("the fresh answer is cached in turn: %d statements", n)
		}
	})
}

// TestResponseCacheLeavesTheRestAlone: requests with a token, errors and answers that depend on
// who asks are neither served from the cache nor kept in it; rate limits still refuse.
func TestResponseCacheLeavesTheRestAlone(t *testing.T) {
	forEngine(t, func(t *testing.T, e testdb.Engine) {
		c, _ := newCachedCurator(t, e, nil)
		vars := map[string]any{"first": 7}
		for i := range 2 {
			if r, n := c.counted(t, c.editor, cachedActions, vars); n <= 1 || len(r.Errors) > 0 {
				t.Fatalf("authenticated request %d: %d statements (the token lookup is one); it must run", i, n)
			}
		}
		if _, n := c.counted(t, "", cachedActions, vars); n == 0 {
			t.Fatal("an authenticated answer was kept for anonymous clients")
		}
		missing := `{ country(code: "ZZ") { name } }`
		for i := range 2 {
			r, n := c.counted(t, "", missing, nil)
			if r.Code() != "NOT_FOUND" || n == 0 {
				t.Fatalf("error request %d: %s with %d statements; errors must run every time", i, r.Code(), n)
			}
		}
		private := `{ rateLimit { remaining } countries(first: 2) { nodes { code } } }`
		a, _ := c.counted(t, "", private, nil)
		b, n := c.counted(t, "", private, nil)
		if n == 0 || a.Body == b.Body {
			t.Fatalf("rateLimit answers must not be cached: %d statements, same body %v", n, a.Body == b.Body)
		}
	})
	forEngine(t, func(t *testing.T, e testdb.Engine) {
		probe, _ := newCachedCurator(t, e, nil)
		cost := int(probe.as(t, "", cachedActions, map[string]any{"first": 20}).Ext["cost"].(float64))
		c, _ := newCachedCurator(t, e, withLimits(func(l *limits.Config) { l.RatePerMinute = 3 * cost }))
		for range 3 {
			expect(t, c.as(t, "", cachedActions, map[string]any{"first": 20}), http.StatusOK, "")
		}
		r, n := c.counted(t, "", cachedActions, map[string]any{"first": 20})
		if r.Status != http.StatusTooManyRequests || r.Code() != "RATE_LIMITED" || n != 0 {
			t.Fatalf("fourth request over a budget of three: %d %s (%d statements)", r.Status, r.Code(), n)
		}
	})
}

// metricValue reads one sample of the handler's metrics.
func metricValue(t *testing.T, m *httpapi.Metrics, series string) float64 {
	t.Helper()
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	body, _ := io.ReadAll(rec.Body)
	for line := range strings.SplitSeq(string(body), "\n") {
		if v, ok := strings.CutPrefix(line, series+" "); ok {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				t.Fatal(err)
			}
			return f
		}
	}
	return 0
}
