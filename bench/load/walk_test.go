package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestWalkingClientsNeverRepeatARequest runs a paging query (query 6's way) against a server
// of 10,000 pages that records every cursor it is sent: the walks start spread over the list
// and go on from the cursor each answer ended at, so no two requests of a phase, nor of two
// phases at two concurrencies, are alike; a walk at the end starts over.
func TestWalkingClientsNeverRepeatARequest(t *testing.T) {
	const pages = 10_000
	var mu sync.Mutex
	seen := map[string]int{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req struct {
			Variables struct {
				After *string `json:"after"`
			} `json:"variables"`
		}
		_ = json.NewDecoder(r.Body).Decode(&req)
		page := 0
		if req.Variables.After != nil {
			page, _ = strconv.Atoi(*req.Variables.After)
		}
		mu.Lock()
		seen[fmt.Sprint(page)]++
		mu.Unlock()
		fmt.Fprintf(w, `{"data":{"list":{"nodes":[{"id":"x","title":"row %d"}],"pageInfo":{"hasNextPage": %v, "endCursor": "%d"}}}}`, page, page+1 < pages, page+1)
	}))
	defer srv.Close()
	client := srv.Client()
	ctx := context.Background()
	text := "query Pages($after: String) { list(after: $after) { pageInfo { hasNextPage endCursor } } }"
	starts, err := walkPages(ctx, client, srv.URL, text)
	if err != nil || len(starts) != pages {
		t.Fatalf("walkPages: %d pages, %v; want %d", len(starts), err, pages)
	}
	tg := &target{Name: "fake", URL: srv.URL}
	q := &query{Name: "q6", Text: text, Vars: map[string]any{}, walk: &walkState{starts: starts}}
	q.encode()
	q.walk.spread(16)
	clear(seen)
	for _, c := range []int{4, 16} {
		if p := runPhase(ctx, client, tg, q, c, 150*time.Millisecond); p.errors != 0 || p.requests < c {
			t.Fatalf("c=%d: %d requests, %d errors (%s)", c, p.requests, p.errors, p.firstErr)
		}
	}
	for page, n := range seen {
		if n > 1 {
			t.Errorf("page %s asked %d times", page, n)
		}
	}
	if len(seen) < 20 {
		t.Errorf("only %d distinct pages asked", len(seen))
	}

	// A walk at the last page starts over at the first.
	q.walk.walks = make(chan any, 1)
	q.walk.walks <- starts[pages-1]
	clear(seen)
	runPhase(ctx, client, tg, q, 1, 50*time.Millisecond)
	if seen[fmt.Sprint(pages-1)] != 1 || seen["0"] != 1 {
		t.Errorf("after the last page: %v; want the last page once, then the first", seen)
	}
}

// TestPageRowsCompareRowsNotSchemas checks the row comparison of a paging query: the same rows
// under two schemas' names (and ids of their own) are equal; other rows, or the same rows in
// another order, are not.
func TestPageRowsCompareRowsNotSchemas(t *testing.T) {
	ct := []byte(`{"data":{"responses":{"nodes":[
		{"id":"Q29tcGFueVJlc3BvbnNlOjE=","date":"2016","title":"A","option":"DEFY","company":{"name":"Acme"},"country":{"code":"US","name":"United States"}},
		{"id":"Q29tcGFueVJlc3BvbnNlOjI=","date":"2017-02","title":"B","option":"AVOID","company":{"name":"Bolt"},"country":{"code":"FR","name":"France"}}],
		"pageInfo":{"hasNextPage":true,"endCursor":"abc"}}}}`)
	pg := []byte(`{"data":{"allMoves":{"nodes":[
		{"nodeId":"WyJtb3ZlcyIsMV0=","date":"2016","title":"A","companyOption":"DEFY","companyByCompanyId":{"name":"Acme"},"countryByCountryId":{"code":"US","name":"United States"}},
		{"nodeId":"WyJtb3ZlcyIsMl0=","date":"2017-02","title":"B","companyOption":"AVOID","companyByCompanyId":{"name":"Bolt"},"countryByCountryId":{"code":"FR","name":"France"}}],
		"pageInfo":{"hasNextPage":false,"endCursor":"xyz"}}}}`)
	swapped := []byte(`{"data":{"allMoves":{"edges":[
		{"node":{"date":"2017-02","title":"B","companyOption":"AVOID","companyByCompanyId":{"name":"Bolt"},"countryByCountryId":{"code":"FR","name":"France"}}},
		{"node":{"date":"2016","title":"A","companyOption":"DEFY","companyByCompanyId":{"name":"Acme"},"countryByCountryId":{"code":"US","name":"United States"}}}]}}}`)
	other := []byte(`{"data":{"allMoves":{"nodes":[
		{"date":"2016","title":"A","companyOption":"DEFY","companyByCompanyId":{"name":"Acme"},"countryByCountryId":{"code":"US","name":"United States"}},
		{"date":"2017-03","title":"B","companyOption":"AVOID","companyByCompanyId":{"name":"Bolt"},"countryByCountryId":{"code":"FR","name":"France"}}]}}}`)
	a := pageRows(ct)
	if len(a) != 2 || !slices.Equal(a, pageRows(pg)) {
		t.Errorf("same rows differ: %q vs %q", a, pageRows(pg))
	}
	if slices.Equal(a, pageRows(swapped)) || slices.Equal(a, pageRows(other)) {
		t.Error("other rows or another order compare equal")
	}
	if next, more := pageEnd(ct); !more || next != "abc" {
		t.Errorf("pageEnd = %q, %v; want abc, true", next, more)
	}
	if _, more := pageEnd(pg); more {
		t.Error("pageEnd: hasNextPage false read as more")
	}

	base := &target{Name: "cybertrade"}
	other4 := &target{Name: "pg"}
	w := func(pages ...[]byte) *query {
		return &query{walk: &walkState{starts: []any{nil, "1", "2"}, checked: pages}}
	}
	if got := checkPages("q6", other4, base, w(pg, pg, pg), w(ct, ct, ct)); !strings.Contains(got, "same rows in the same order on pages 1, 2, 3 of 3 (6 rows)") {
		t.Errorf("checkPages of equal pages: %s", got)
	}
	if got := checkPages("q6", other4, base, w(pg, other, pg), w(ct, ct, ct)); !strings.Contains(got, "ROWS DIFFER on page 2 of 3") {
		t.Errorf("checkPages of differing pages: %s", got)
	}
}
