package httpapi_test

import (
	"context"
	"io"
	"net/http"
	"sync/atomic"
	"testing"

	"github.com/cybertrade/cybertrade/httpapi"
	"github.com/cybertrade/cybertrade/internal/testdb"
	"github.com/cybertrade/cybertrade/store"
)

// TestReadsGoToTheReadPool points the read pool (DATABASE_READ_URL) at the same database as the
// primary and counts statements per pool: anonymous queries and exports read only through the
// read pool; a curator's requests (a token) read and write only through the primary, so what
// they read after an edit never lags behind on a replica.
func TestReadsGoToTheReadPool(t *testing.T) {
	forEngine(t, func(t *testing.T, e testdb.Engine) {
		dsn := testdb.Fresh(t, e)
		st, err := store.Open(context.Background(), dsn, store.Options{ReadDSN: dsn})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = st.Close() })
		c := withTokens(t, serve(t, st, researchFixture(t), httpapi.Options{}), &atomic.Bool{})

		pools := func(f func()) (all, read int64) {
			a, r := st.Statements(), st.ReadStatements()
			f()
			return st.Statements() - a, st.ReadStatements() - r
		}
		all, read := pools(func() {
			expect(t, c.as(t, "", cachedActions, map[string]any{"first": 20}), http.StatusOK, "")
		})
		if all == 0 || read != all {
			t.Fatalf("anonymous query: %d statements, %d on the read pool; want all of them", all, read)
		}
		all, read = pools(func() {
			resp, err := http.Get(c.srv.URL + "/export/actions.csv")
			if err != nil {
				t.Fatal(err)
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		})
		if all == 0 || read != all {
			t.Fatalf("export: %d statements, %d on the read pool; want all of them", all, read)
		}
		all, read = pools(func() {
			c.must(t, c.editor, updateActionMutation, map[string]any{"in": map[string]any{
				"id": actionID("ru-keeps-block"), "expectedVersion": 1, "title": "Edited through the primary"}}, nil)
		})
		if all == 0 || read != 0 {
			t.Fatalf("mutation: %d statements, %d on the read pool; want none there", all, read)
		}
		all, read = pools(func() {
			expect(t, c.as(t, c.editor, cachedActions, map[string]any{"first": 20}), http.StatusOK, "")
		})
		if all == 0 || read != 0 {
			t.Fatalf("a curator's query: %d statements, %d on the read pool; want none there", all, read)
		}
		_, read = pools(func() {
			resp, err := http.Get(c.srv.URL + "/readyz")
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("/readyz: %d", resp.StatusCode)
			}
		})
		if read != 0 {
			t.Fatalf("readiness ran %d statements on the read pool; it checks the primary", read)
		}
	})
}
