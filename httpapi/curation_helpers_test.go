package httpapi_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"sync/atomic"
	"testing"

	"github.com/cybertrade/cybertrade/dataset"
	"github.com/cybertrade/cybertrade/httpapi"
	"github.com/cybertrade/cybertrade/internal/auth"
	"github.com/cybertrade/cybertrade/internal/testdb"
	"github.com/cybertrade/cybertrade/store"
)

// curator is a running API over a fresh database loaded with a dataset, with an editor and an
// admin token, and a switch that makes every write fail in its last step (just before commit).
type curator struct {
	*env
	editor, admin string
	failLast      *atomic.Bool
}

func newCurator(t *testing.T, e testdb.Engine, ds *dataset.Dataset) *curator {
	t.Helper()
	fail := &atomic.Bool{}
	st := testdb.Open(t, e, store.Options{BeforeCommit: func(context.Context, string) error {
		if fail.Load() {
			return errors.New("injected failure in the last step of the write")
		}
		return nil
	}})
	return withTokens(t, serve(t, st, ds, httpapi.Options{}), fail)
}

// withTokens makes a curator of env, with an editor and an admin token and fail as its switch.
func withTokens(t *testing.T, env *env, fail *atomic.Bool) *curator {
	t.Helper()
	c := &curator{env: env, failLast: fail}
	c.editor = c.token(t, "ed", auth.Editor)
	c.admin = c.token(t, "ad", auth.Admin)
	return c
}

// token makes a token with the store (what `cybertrade token create` does).
func (c *curator) token(t *testing.T, name string, role auth.Role) string {
	t.Helper()
	tok, err := c.st.CreateToken(context.Background(), name, role)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// as sends a GraphQL POST with a bearer token ("" for none), accepting
// application/graphql-response+json.
func (c *curator) as(t testing.TB, token, query string, vars map[string]any) httpResp {
	t.Helper()
	h := map[string]string{}
	if token != "" {
		h["Authorization"] = "Bearer " + token
	}
	return c.postBody(t, jsonBody(map[string]any{"query": query, "variables": vars}), h)
}

// must sends a request that must succeed without errors, and decodes its data into v.
func (c *curator) must(t testing.TB, token, query string, vars map[string]any, v any) {
	t.Helper()
	r := c.as(t, token, query, vars)
	if r.Status != http.StatusOK || len(r.Errors) > 0 {
		t.Fatalf("unexpected answer (%d): %.1000s", r.Status, r.Body)
	}
	if v != nil {
		if err := json.Unmarshal(r.Data, v); err != nil {
			t.Fatalf("decode %s: %v", r.Data, err)
		}
	}
}

// refused sends a request that must fail with code (answered 200 with data, as field errors
// are) and returns the error.
func (c *curator) refused(t testing.TB, token, query string, vars map[string]any, code string) gqlError {
	t.Helper()
	r := c.as(t, token, query, vars)
	if r.Status != http.StatusOK || len(r.Errors) == 0 || r.Code() != code {
		t.Fatalf("want %s, got (%d): %.1000s", code, r.Status, r.Body)
	}
	if !r.HasData {
		t.Fatalf("a field error came without data: %s", r.Body)
	}
	return r.Errors[0]
}

// exports fetches every bulk export (dataset.json and each CSV), by name.
func (c *curator) exports(t testing.TB) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, name := range []string{"dataset.json", "countries.csv", "companies.csv", "products.csv", "actions.csv", "responses.csv",
		"cases.csv", "sources.csv", "links.csv", "graph.graphml"} {
		resp, err := http.Get(c.srv.URL + "/export/" + name)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET /export/%s: %d", name, resp.StatusCode)
		}
		out[name] = string(b)
	}
	return out
}

// revisionCount is how many revisions a filter finds (over GraphQL).
func (c *curator) revisionCount(t testing.TB, filter map[string]any) int {
	t.Helper()
	var out struct{ Revisions struct{ TotalCount int } }
	c.must(t, "", `query($f: RevisionFilter) { revisions(filter: $f) { totalCount } }`, map[string]any{"f": filter}, &out)
	return out.Revisions.TotalCount
}
