package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/cybertrade/cybertrade/dataset"
	"github.com/cybertrade/cybertrade/httpapi"
	"github.com/cybertrade/cybertrade/internal/apitest"
	"github.com/cybertrade/cybertrade/internal/testdb"
	"github.com/cybertrade/cybertrade/store"
)

// env is a running API over a fresh database of one engine.
type env struct {
	st  *store.Store
	srv *httptest.Server
}

// newEnv starts the real handler over a fresh, migrated database loaded with ds.
func newEnv(t *testing.T, e testdb.Engine, ds *dataset.Dataset) *env {
	t.Helper()
	return newEnvStore(t, e, ds, store.Options{})
}

// newEnvStore is newEnv over a store opened with opts (a clock, say).
func newEnvStore(t *testing.T, e testdb.Engine, ds *dataset.Dataset, opts store.Options) *env {
	t.Helper()
	return serve(t, testdb.Open(t, e, opts), ds, httpapi.Options{})
}

// serve loads ds into st (unless nil) and starts the real handler over it with opts, whose
// logger is testLogger's and exports folder a new temporary one unless opts names them.
func serve(t testing.TB, st *store.Store, ds *dataset.Dataset, opts httpapi.Options) *env {
	t.Helper()
	if ds != nil {
		if _, err := st.Load(context.Background(), ds); err != nil {
			t.Fatalf("load: %v", err)
		}
	}
	if opts.Logger == nil {
		opts.Logger = testLogger()
	}
	if opts.ExportDir == "" {
		opts.ExportDir = t.TempDir()
	}
	srv := httptest.NewServer(httpapi.New(st, opts))
	t.Cleanup(srv.Close)
	return &env{st: st, srv: srv}
}

// testLogger shows the server's log when TEST_LOG is set (to see internal errors).
func testLogger() *slog.Logger {
	if os.Getenv("TEST_LOG") == "" {
		return nil
	}
	return slog.New(slog.NewTextHandler(os.Stderr, nil))
}

// gqlError is an error of a GraphQL response.
type gqlError = apitest.Error

// gqlResponse is a decoded GraphQL response.
type gqlResponse struct {
	Status int
	Data   json.RawMessage `json:"data"`
	Errors []gqlError      `json:"errors"`
	Raw    string
}

// post sends a GraphQL request over HTTP.
func (e *env) post(t *testing.T, query string, vars map[string]any) gqlResponse {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	resp, err := http.Post(e.srv.URL+"/graphql", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	out := gqlResponse{Status: resp.StatusCode, Raw: string(raw)}
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatalf("response is not JSON (%d): %s", resp.StatusCode, raw)
	}
	return out
}

// ok sends a request that must succeed and decodes its data into v.
func (e *env) ok(t *testing.T, query string, vars map[string]any, v any) {
	t.Helper()
	r := e.post(t, query, vars)
	if len(r.Errors) > 0 || r.Status != http.StatusOK {
		t.Fatalf("unexpected errors (%d): %s", r.Status, r.Raw)
	}
	if err := json.Unmarshal(r.Data, v); err != nil {
		t.Fatalf("decode data: %v in %s", err, r.Data)
	}
}

// fails sends a request that must fail with the given code, and returns the error.
func (e *env) fails(t *testing.T, query string, vars map[string]any, code string) gqlError {
	t.Helper()
	r := e.post(t, query, vars)
	if len(r.Errors) == 0 {
		t.Fatalf("want error %s, got none: %s", code, r.Raw)
	}
	for _, ge := range r.Errors {
		if ge.Extensions["code"] == code {
			for _, leak := range []string{"SELECT", "sql", ".go:", "goroutine", "gorm"} {
				if strings.Contains(ge.Message, leak) {
					t.Errorf("error message leaks internals (%q): %s", leak, ge.Message)
				}
			}
			return ge
		}
	}
	t.Fatalf("want error code %s, got %s", code, r.Raw)
	return gqlError{}
}

// forEngine runs f as a subtest on every engine.
func forEngine(t *testing.T, f func(t *testing.T, e testdb.Engine)) {
	for _, e := range testdb.Engines() {
		t.Run(e.Name, func(t *testing.T) { f(t, e) })
	}
}

// forEnv runs f as a subtest on every engine, each over a fresh API loaded with ds(t).
func forEnv(t *testing.T, ds func(testing.TB) *dataset.Dataset, f func(t *testing.T, env *env)) {
	forEngine(t, func(t *testing.T, e testdb.Engine) { f(t, newEnv(t, e, ds(t))) })
}

// forCurator runs f as a subtest on every engine, each with a curator over ds(t).
func forCurator(t *testing.T, ds func(testing.TB) *dataset.Dataset, f func(t *testing.T, c *curator)) {
	forEngine(t, func(t *testing.T, e testdb.Engine) { f(t, newCurator(t, e, ds(t))) })
}
