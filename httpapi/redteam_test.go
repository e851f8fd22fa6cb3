package httpapi_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/cybertrade/cybertrade/httpapi"
	"github.com/cybertrade/cybertrade/internal/auth"
	"github.com/cybertrade/cybertrade/internal/testdb"
	"github.com/cybertrade/cybertrade/store"
)

// The findings of the red-team review (F1–F19) about operations and the protocol: metric
// labels, a replica that is down, odd parameters and headers, mutations over GET. Costs are in
// redteam_cost_test.go, writes in redteam_writes_test.go; the hostile requests of the earlier
// reviews are in hostile_test.go.

// TestOnlyAdmittedNamesTakeMetricLabels (F15): names sent in refused queries take no label
// slot, so a real operation name sent afterwards still gets its own label.
func TestOnlyAdmittedNamesTakeMetricLabels(t *testing.T) {
	env := newEnvOpts(t, testdb.Engines()[0], httpapi.Options{})
	for i := range 210 {
		r := env.postQuery(t, fmt.Sprintf("query Junk%04d { moves(first: 1000000) { nodes { id } } }", i), nil)
		expect(t, r, 400, "QUERY_TOO_COSTLY")
	}
	expect(t, env.postQuery(t, "query LegitDashboardQuery { __typename }", nil), 200, "")
	resp, err := http.Get(env.srv.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := string(raw)
	if !strings.Contains(m, `operation="LegitDashboardQuery"`) || strings.Contains(m, `operation="Junk0001"`) {
		t.Fatalf("metrics labels: LegitDashboardQuery %v, Junk0001 %v", strings.Contains(m, "LegitDashboardQuery"), strings.Contains(m, "Junk0001"))
	}
}

// TestReplicaDown (F13): with the read replica unreachable, /readyz says so with 503 (a load
// balancer should send anonymous traffic elsewhere), anonymous reads get 503
// SERVICE_UNAVAILABLE, and a curator's requests, on the primary, still work.
func TestReplicaDown(t *testing.T) {
	forEngine(t, func(t *testing.T, e testdb.Engine) {
		if e.Name != store.Postgres {
			t.Skip("an SQLite replica is a file: it cannot be down while the primary is up")
		}
		dsn := testdb.Fresh(t, e)
		st, err := store.Open(context.Background(), dsn, store.Options{ReadDSN: "postgres://postgres@127.0.0.1:1/none?sslmode=disable&connect_timeout=1"})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = st.Close() })
		if err := st.Migrate(context.Background()); err != nil {
			t.Fatal(err)
		}
		if _, err := st.Load(context.Background(), researchFixture(t)); err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(httpapi.New(st, httpapi.Options{Logger: testLogger()}))
		t.Cleanup(srv.Close)
		env := &env{st: st, srv: srv}
		resp, err := http.Get(srv.URL + "/readyz")
		if err != nil {
			t.Fatal(err)
		}
		var body map[string]string
		_ = json.NewDecoder(resp.Body).Decode(&body)
		resp.Body.Close()
		if resp.StatusCode != 503 || body["replica"] != "unreachable" || body["database"] != "ok" {
			t.Fatalf("/readyz with the replica down: %d %v", resp.StatusCode, body)
		}
		r := env.postQuery(t, `{ countries(first: 1) { nodes { code } } }`, nil)
		if r.Status != 503 || r.Code() != "SERVICE_UNAVAILABLE" || r.Header.Get("Retry-After") == "" {
			t.Fatalf("an anonymous read with the replica down: %d %s", r.Status, r.Code())
		}
	})
}

// TestProtocolOddities (F19): GET parameters with trailing garbage, two Authorization
// headers, and a token name that passes for the loader are refused.
func TestProtocolOddities(t *testing.T) {
	forCurator(t, researchFixture, func(t *testing.T, c *curator) {
		q := "query=" + url.QueryEscape("{ __typename }")
		expect(t, c.getGraphQL(t, q+"&variables="+url.QueryEscape(`{}}}}garbage[`), nil), 400, "BAD_REQUEST")
		expect(t, c.getGraphQL(t, q+"&extensions="+url.QueryEscape(`{"a":1} {"b":2}`), nil), 400, "BAD_REQUEST")
		req, _ := http.NewRequest(http.MethodPost, c.srv.URL+"/graphql", strings.NewReader(`{"query":"{ __typename }"}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Add("Authorization", "")
		req.Header.Add("Authorization", "Bearer "+c.editor)
		r := send(t, req)
		if r.Status != 401 || r.Header.Get("WWW-Authenticate") == "" {
			t.Fatalf("two Authorization headers: %d %v", r.Status, r.Header)
		}
		for _, name := range []string{"loader", "Loader", "LOADER"} {
			if auth.ValidName(name) {
				t.Fatalf("token name %q passes for the loader", name)
			}
		}
	})
}

// TestMutationsNeverOverGET (F4): a mutation sent over GET is refused with 405 however its
// text arrives, a persisted-query hash included, and nothing is written.
func TestMutationsNeverOverGET(t *testing.T) {
	forCurator(t, researchFixture, func(t *testing.T, c *curator) {
		q := `mutation { createSource(input: {key: "rt-apq-get", title: "APQ over GET", publisher: "rt", date: "2020-01-01", url: "https://example.org/x"}) { source { id key } } }`
		sum := sha256.Sum256([]byte(q))
		ext := `{"persistedQuery":{"version":1,"sha256Hash":"` + hex.EncodeToString(sum[:]) + `"}}`
		// Anyone registers the text: the 401 comes after the APQ extension has kept it.
		expect(t, c.postBody(t, `{"query":`+strconv.Quote(q)+`,"extensions":`+ext+`}`, nil), 401, "UNAUTHENTICATED")
		before := c.revisionCount(t, nil)
		r := c.getGraphQL(t, "extensions="+url.QueryEscape(ext), map[string]string{"Authorization": "Bearer " + c.editor})
		expect(t, r, 405, "METHOD_NOT_ALLOWED")
		if r.Header.Get("ETag") != "" || r.Header.Get("Cache-Control") != "no-store" || r.Header.Get("Allow") != "POST" {
			t.Fatalf("a refused mutation is not cacheable: %v", r.Header)
		}
		if after := c.revisionCount(t, nil); after != before {
			t.Fatalf("the mutation ran: %d revisions, then %d", before, after)
		}
		// Over POST with the token it runs, and its answer is never cacheable.
		r = c.postBody(t, `{"extensions":`+ext+`}`, map[string]string{"Authorization": "Bearer " + c.editor})
		expect(t, r, 200, "")
		if r.Header.Get("Cache-Control") != "no-store" || r.Header.Get("ETag") != "" {
			t.Fatalf("a mutation's answer: %v", r.Header)
		}
	})
}
