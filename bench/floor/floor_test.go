package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"

	"github.com/cybertrade/cybertrade/httpapi"
	"github.com/cybertrade/cybertrade/internal/testdb"
	"github.com/cybertrade/cybertrade/store"
)

// TestFloorWritesCybertradesJSON: over the same PostgreSQL data the floor answers query 1 of
// the mix with the same JSON as cybertrade (the benchmark checks this again before every run).
func TestFloorWritesCybertradesJSON(t *testing.T) {
	e := testdb.Postgres(t, "the floor is PostgreSQL only")
	ctx := context.Background()
	dsn := testdb.Fresh(t, e)
	st, err := store.Open(ctx, dsn, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	testdb.Synth(t, st, 300, 2)
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	query, err := os.ReadFile("../queries/cybertrade/q1-defy.graphql")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := json.Marshal(map[string]any{"query": string(query)})
	ask := func(h http.Handler) any {
		srv := httptest.NewServer(h)
		defer srv.Close()
		resp, err := http.Post(srv.URL+"/graphql", "application/json", bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		var v map[string]any
		if resp.StatusCode != http.StatusOK || json.Unmarshal(raw, &v) != nil {
			t.Fatalf("status %d: %s", resp.StatusCode, raw)
		}
		return v["data"] // cybertrade also reports the query's cost in extensions
	}
	want, got := ask(httpapi.New(st, httpapi.Options{})), ask(handler(db))
	w, _ := json.Marshal(want)
	g, _ := json.Marshal(got)
	if !bytes.Equal(w, g) {
		t.Fatalf("floor JSON differs from cybertrade's:\nfloor:      %.400s\ncybertrade: %.400s", g, w)
	}
	if n := bytes.Count(w, []byte(`"slug"`)); n < 200 {
		t.Fatalf("only %d slugs in the answer; the comparison would be weak", n)
	}
}
