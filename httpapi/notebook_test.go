package httpapi_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/cybertrade/cybertrade/httpapi"
	"github.com/cybertrade/cybertrade/internal/respcache"
	"github.com/cybertrade/cybertrade/internal/testdb"
	"github.com/cybertrade/cybertrade/model"
	"github.com/cybertrade/cybertrade/store"
)

// TestMoveWithoutFragments reads kind, moveOption and the machine dates on Move itself, over
// a mixed list (actions and responses) and a nested one (replies), with no fragment or alias:
// what a notebook or a typed front-end selects.
func TestMoveWithoutFragments(t *testing.T) {
	forEnv(t, researchFixture, func(t *testing.T, env *env) {
		type mv struct {
			Slug, Kind, MoveOption, Date, DatePrecision, DateStart, DateEnd string
		}
		var d struct {
			Moves struct {
				Nodes []struct {
					mv
					Replies []mv `json:"replies"`
				} `json:"nodes"`
			} `json:"moves"`
		}
		env.ok(t, `{ moves(filter: {cases: ["linkedin-in-russia"]}, first: 20) { nodes {
			slug kind moveOption date datePrecision dateStart dateEnd
			replies { slug kind moveOption date datePrecision dateStart dateEnd } } } }`, nil, &d)
		got := map[string]mv{}
		for _, n := range d.Moves.Nodes {
			got[n.Slug] = n.mv
			for _, r := range n.Replies {
				if r != got[r.Slug] && got[r.Slug].Slug != "" {
					t.Errorf("reply %s differs from its own row: %+v vs %+v", r.Slug, r, got[r.Slug])
				}
			}
		}
		want := []mv{
			{"ru-blocks-linkedin", "ACTION", "IMPORT_BARRIER", "2016-11-17", "DAY", "2016-11-17", "2016-11-17"},
			{"linkedin-refuses", "RESPONSE", "DEFY", "2017-03", "MONTH", "2017-03-01", "2017-03-31"},
			{"linkedin-stays-out", "RESPONSE", "AVOID", "2018", "YEAR", "2018-01-01", "2018-12-31"},
			{"ru-fines-linkedin", "ACTION", "AMPLIFY", "2019-05-23", "DAY", "2019-05-23", "2019-05-23"},
		}
		for _, w := range want {
			if got[w.Slug] != w {
				t.Errorf("%s: got %+v, want %+v", w.Slug, got[w.Slug], w)
			}
		}
		// The DEFY replies of the product's question, without fragments.
		var q struct {
			Responses struct {
				Nodes []struct {
					Slug    string
					Replies []mv
				}
			}
		}
		env.ok(t, `{ responses(filter: {options: [DEFY], cases: ["linkedin-in-russia"]}) { nodes { slug replies { slug kind moveOption dateStart } } } }`, nil, &q)
		if len(q.Responses.Nodes) != 1 || len(q.Responses.Nodes[0].Replies) != 1 ||
			q.Responses.Nodes[0].Replies[0] != (mv{Slug: "ru-keeps-block", Kind: "ACTION", MoveOption: "IMPORT_BARRIER", DateStart: "2017-03-01"}) {
			t.Errorf("DEFY replies: %+v", q.Responses.Nodes)
		}
	})
}

// TestMoveOptionCoversBothEnums: MoveOption holds every country and company option, and
// nothing else, so Move.moveOption can never be an unknown value.
func TestMoveOptionCoversBothEnums(t *testing.T) {
	want := map[model.MoveOption]bool{}
	for _, o := range model.AllCountryOption {
		want[model.MoveOption(o)] = true
	}
	for _, o := range model.AllCompanyOption {
		if want[model.MoveOption(o)] {
			t.Errorf("%s is both a country and a company option", o)
		}
		want[model.MoveOption(o)] = true
	}
	if len(model.AllMoveOption) != len(want) {
		t.Errorf("MoveOption has %d values, the two option enums %d", len(model.AllMoveOption), len(want))
	}
	for _, o := range model.AllMoveOption {
		if !want[o] {
			t.Errorf("MoveOption %s is no country or company option", o)
		}
	}
}

// releaseOf returns extensions.dataset.version of an answer ("" when absent).
func releaseOf(r httpResp) string {
	d, _ := r.Ext["dataset"].(map[string]any)
	v, _ := d["version"].(string)
	return v
}

// TestEveryAnswerCarriesTheRelease: answers (data, field errors, request errors, GET and
// POST) carry extensions.dataset.version. With the response cache and the watcher on, a new
// release loaded by another process (a second store over the same database, as `cybertrade
// load` would) reaches the next answer, its ETag changes, and the cached answer then carries
// the new release too, with no statement run.
func TestEveryAnswerCarriesTheRelease(t *testing.T) {
	forEngine(t, func(t *testing.T, e testdb.Engine) {
		ctx := context.Background()
		dsn := testdb.Fresh(t, e)
		st, err := store.Open(ctx, dsn, store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = st.Close() })
		if _, err := st.Load(ctx, researchFixture(t)); err != nil {
			t.Fatal(err)
		}
		wctx, cancel := context.WithCancel(ctx)
		done := make(chan struct{})
		go func() { defer close(done); st.WatchDataVersion(wctx, 0) }()
		t.Cleanup(func() { cancel(); <-done })
		srv := httptest.NewServer(httpapi.New(st, httpapi.Options{Logger: testLogger(), Cache: respcache.NewMemory(100, 1<<20)}))
		t.Cleanup(srv.Close)
		env := &env{st: st, srv: srv}
		waitFor(t, func() bool { _, ok := st.KnownDataVersion(); return ok })

		for name, r := range map[string]httpResp{
			"data":             env.postQuery(t, `{ responses(filter: {options: [DEFY]}) { totalCount } }`, nil),
			"field error":      env.postQuery(t, `{ company(slug: "nope") { name } }`, nil),
			"validation error": env.postQuery(t, `{ nope }`, nil),
			"GET":              env.getGraphQL(t, "query="+url.QueryEscape(`{ dataset { version } }`), nil),
		} {
			if got := releaseOf(r); got != "0.1.0" {
				t.Errorf("%s: extensions.dataset.version %q in %s", name, got, r.Body)
			}
		}
		get := func() (httpResp, int64) {
			before := st.Statements()
			r := env.getGraphQL(t, "query="+url.QueryEscape(`{ dataset { version } responses { totalCount } }`), nil)
			return r, st.Statements() - before
		}
		g1, _ := get()
		if g2, n := get(); n != 0 || g2.Header.Get("ETag") != g1.Header.Get("ETag") || releaseOf(g2) != "0.1.0" {
			t.Fatalf("repeat not served from the cache: %d statements, %s", n, g2.Body)
		}

		other, err := store.Open(ctx, dsn, store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		ds := researchFixture(t)
		ds.Meta.Version = "0.2.0"
		if _, err := other.Load(ctx, ds); err != nil {
			t.Fatal(err)
		}
		_ = other.Close()
		waitFor(t, func() bool {
			v, at := st.Release(ctx)
			n, ok := st.KnownDataVersion()
			return v == "0.2.0" && ok && at == n
		})
		g3, _ := get()
		if releaseOf(g3) != "0.2.0" || !strings.Contains(g3.Body, `"version":"0.2.0"`) || g3.Header.Get("ETag") == g1.Header.Get("ETag") {
			t.Fatalf("after the new release: ETag %s (was %s): %s", g3.Header.Get("ETag"), g1.Header.Get("ETag"), g3.Body)
		}
		if g4, n := get(); n != 0 || g4.Body != g3.Body {
			t.Fatalf("new release not cached: %d statements, %s", n, g4.Body)
		}
	})
}

// waitFor polls cond for up to ten seconds.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("condition not reached in 10 s")
		}
	}
}

// TestTrialDefects covers the defects a newcomer's trial found in the API: the messages name
// a country or company correctly, an unknown enum value is one request error however it is
// spelled, and a page of size 0 never says "more" without a cursor to go on.
func TestTrialDefects(t *testing.T) {
	forEnv(t, researchFixture, func(t *testing.T, env *env) {
		for q, want := range map[string]string{
			`{ actions(filter: {countries: ["XX"]}) { totalCount } }`:       "unknown country: XX",
			`{ actions(filter: {companies: ["nope"]}) { totalCount } }`:     "unknown company: nope",
			`{ companies(filter: {homeCountries: ["XX"]}) { totalCount } }`: "unknown country: XX",
			`{ moves(filter: {cases: ["nope"]}) { totalCount } }`:           "unknown case: nope",
		} {
			if ge := env.fails(t, q, nil, "INVALID_ARGUMENT"); !strings.Contains(ge.Message, want) {
				t.Errorf("%s: message %q, want %q", q, ge.Message, want)
			}
		}

		for _, c := range []struct {
			q    string
			vars map[string]any
		}{
			{`query($f: ResponseFilter) { responses(filter: $f) { totalCount } }`, map[string]any{"f": map[string]any{"options": []string{"defy"}}}},
			{`query($f: ResponseFilter) { responses(filter: $f) { totalCount } }`, map[string]any{"f": map[string]any{"options": []string{"dEFY"}}}},
			{`query($f: ResponseFilter) { responses(filter: $f) { totalCount } }`, map[string]any{"f": map[string]any{"options": []string{"NOPE"}}}},
			{`query($f: MoveFilter) { moves(filter: $f) { totalCount } }`, map[string]any{"f": map[string]any{"countryOptions": []string{"dEFY"}}}},
			{`query($f: MoveFilter) { moves(filter: $f) { totalCount } }`, map[string]any{"f": map[string]any{"kinds": "action"}}},
			{`query($o: MoveOrder) { moves(orderBy: $o) { totalCount } }`, map[string]any{"o": map[string]any{"direction": "desc"}}},
			{`{ responses(filter: {options: [defy]}) { totalCount } }`, nil},
			{`{ responses(filter: {options: [NOPE]}) { totalCount } }`, nil},
		} {
			r := env.postQuery(t, c.q, c.vars)
			if r.Status != http.StatusBadRequest || r.HasData || r.Code() != "GRAPHQL_VALIDATION_FAILED" {
				t.Errorf("%s %v: %d %s, want a request error GRAPHQL_VALIDATION_FAILED", c.q, c.vars, r.Status, r.Body)
			}
		}
		// The exact spelling still works.
		var ok struct{ Responses struct{ TotalCount int } }
		env.ok(t, `query($f: ResponseFilter) { responses(filter: $f) { totalCount } }`, map[string]any{"f": map[string]any{"options": []string{"DEFY"}}}, &ok)
		if ok.Responses.TotalCount != 3 {
			t.Errorf("DEFY responses: %d", ok.Responses.TotalCount)
		}

		for _, q := range []string{
			`{ list: actions(first: 0) { totalCount nodes { slug } pageInfo { hasNextPage hasPreviousPage endCursor startCursor } } }`,
			`{ list: moves(last: 0) { totalCount nodes { slug } pageInfo { hasNextPage hasPreviousPage endCursor startCursor } } }`,
			`{ list: search(text: "russia", first: 0) { totalCount nodes { __typename } pageInfo { hasNextPage hasPreviousPage endCursor startCursor } } }`,
		} {
			var d struct {
				List struct {
					TotalCount int
					Nodes      []any
					PageInfo   struct {
						HasNextPage, HasPreviousPage bool
						EndCursor, StartCursor       *string
					}
				}
			}
			env.ok(t, q, nil, &d)
			pi := d.List.PageInfo
			if d.List.TotalCount == 0 || len(d.List.Nodes) != 0 || pi.HasNextPage || pi.HasPreviousPage || pi.EndCursor != nil || pi.StartCursor != nil {
				t.Errorf("%s: %+v", q, d.List)
			}
		}
	})
}
