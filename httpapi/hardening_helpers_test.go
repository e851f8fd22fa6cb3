package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/cybertrade/cybertrade/data"
	"github.com/cybertrade/cybertrade/dataset"
	"github.com/cybertrade/cybertrade/httpapi"
	"github.com/cybertrade/cybertrade/internal/apitest"
	"github.com/cybertrade/cybertrade/internal/limits"
	"github.com/cybertrade/cybertrade/internal/testdb"
	"github.com/cybertrade/cybertrade/store"
)

var (
	bundledOnce sync.Once
	bundledDS   *dataset.Dataset
	bundledErr  error
)

// bundledData is the dataset shipped in data/, read once per test binary (testdb.Bundled reads
// a fresh copy, for a test that changes it).
func bundledData(t testing.TB) *dataset.Dataset {
	t.Helper()
	bundledOnce.Do(func() { bundledDS, bundledErr = dataset.Read(data.FS) })
	if bundledErr != nil {
		t.Fatal(bundledErr)
	}
	return bundledDS
}

// newEnvOpts starts the real handler with opts over a fresh database of engine e loaded with
// the bundled dataset.
func newEnvOpts(t testing.TB, e testdb.Engine, opts httpapi.Options) *env {
	t.Helper()
	return serve(t, testdb.Open(t, e, store.Options{}), bundledData(t), opts)
}

// withLimits returns limits.Defaults() changed by f.
func withLimits(f func(c *limits.Config)) *limits.Config {
	c := limits.Defaults()
	f(&c)
	return &c
}

// httpResp is a raw HTTP answer of the API, with its GraphQL body decoded when it is JSON.
type httpResp = apitest.Answer

// send performs req, decodes the answer and checks that a JSON body shows no internals.
func send(t testing.TB, req *http.Request) httpResp {
	t.Helper()
	r := apitest.Send(t, req)
	if r.Body != "" && strings.Contains(r.Header.Get("Content-Type"), "json") {
		assertNoLeak(t, r.Body)
	}
	return r
}

// assertNoLeak fails when a body shows internals: SQL, Go files, stack traces, paths.
func assertNoLeak(t testing.TB, body string) {
	t.Helper()
	for _, leak := range []string{"SELECT ", "INSERT ", "goroutine ", ".go:", "gorm", "/root/", "/home/", "/tmp/", "runtime/", "panic("} {
		if strings.Contains(body, leak) {
			t.Errorf("response leaks internals (%q): %.500s", leak, body)
		}
	}
}

// postBody sends a raw POST to /graphql.
func (e *env) postBody(t testing.TB, body string, header map[string]string) httpResp {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, e.srv.URL+"/graphql", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/graphql-response+json")
	for k, v := range header {
		if v == "" {
			req.Header.Del(k)
		} else {
			req.Header.Set(k, v)
		}
	}
	return send(t, req)
}

// postQuery sends {"query": q, "variables": vars} accepting application/graphql-response+json.
func (e *env) postQuery(t testing.TB, q string, vars map[string]any) httpResp {
	t.Helper()
	b, _ := json.Marshal(map[string]any{"query": q, "variables": vars})
	return e.postBody(t, string(b), nil)
}

// getGraphQL sends a GET to /graphql with the raw query string.
func (e *env) getGraphQL(t testing.TB, rawQuery string, header map[string]string) httpResp {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, e.srv.URL+"/graphql?"+rawQuery, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Accept", "application/graphql-response+json")
	for k, v := range header {
		req.Header.Set(k, v)
	}
	return send(t, req)
}

// expect fails unless r has the status and (when code is not "") the first error's code.
func expect(t testing.TB, r httpResp, status int, code string) {
	t.Helper()
	if r.Status != status || (code != "" && r.Code() != code) || (code == "" && len(r.Errors) > 0) {
		t.Fatalf("want %d %s, got %d %s: %.400s", status, code, r.Status, r.Code(), r.Body)
	}
}

func jsonBody(v any) string {
	var b bytes.Buffer
	_ = json.NewEncoder(&b).Encode(v)
	return b.String()
}

// scanCost is what one whole-table read (totalCount, search, a stats or facets field) costs
// over env's data: 1 + rows/limits.ScanUnit.
func scanCost(t testing.TB, env *env) int {
	t.Helper()
	return 1 + env.st.DataRows(context.Background())/limits.ScanUnit
}
