package httpapi_test

// Fuzz targets: arbitrary query text, variables and filter inputs, cursors and global ids go
// through the full handler (limits, transport, executor, store on SQLite). None may panic,
// answer 5xx (503 only for an unavailable database), answer anything but JSON with a code on
// every error, or fail with INTERNAL. `go test ./httpapi` runs the seeds; to fuzz:
//
//	go test ./httpapi -run '^$' -fuzz '^FuzzQuery$' -fuzztime 5m
//
// (and FuzzVariables, FuzzCursor, FuzzGlobalID); .ci/run fuzzes each for a few seconds.

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/cybertrade/cybertrade/httpapi"
	"github.com/cybertrade/cybertrade/internal/limits"
	"github.com/cybertrade/cybertrade/internal/testdb"
)

// fuzzHandler is the real handler over SQLite loaded with the bundled data, rate limiting off.
func fuzzHandler(f *testing.F) http.Handler {
	f.Helper()
	env := newEnvOpts(f, testdb.Engines()[0], httpapi.Options{Limits: withLimits(func(c *limits.Config) { c.RatePerMinute = 0 })})
	return env.srv.Config.Handler
}

// checkAnswer posts body to h and checks the answer is a sound refusal or result.
func checkAnswer(t *testing.T, h http.Handler, body []byte) {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(string(body)))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/graphql-response+json")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code >= 500 && rec.Code != http.StatusServiceUnavailable {
		t.Fatalf("status %d for %q: %.500s", rec.Code, body, rec.Body.String())
	}
	var out struct {
		Data   json.RawMessage `json:"data"`
		Errors []struct {
			Message    string         `json:"message"`
			Extensions map[string]any `json:"extensions"`
		} `json:"errors"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
		t.Fatalf("answer is not JSON (%d) for %q: %.500s", rec.Code, body, rec.Body.String())
	}
	if rec.Code != 200 && len(out.Errors) == 0 {
		t.Fatalf("status %d without an error for %q", rec.Code, body)
	}
	for _, e := range out.Errors {
		code, _ := e.Extensions["code"].(string)
		if code == "" || code == "INTERNAL" {
			t.Fatalf("error without a client code (%q) for %q: %s", code, body, e.Message)
		}
	}
	assertNoLeak(t, rec.Body.String())
}

func FuzzQuery(f *testing.F) {
	for _, s := range []string{
		"{ dataset { version } }",
		nestedReplies(3),
		`query Defy { responses(filter: {options: [DEFY]}, first: 5) { totalCount edges { cursor node { id title company { name products(first: 2) { edges { node { name } } } } country { code } replies { ... on CountryAction { option date } } } } } }`,
		`{ node(id: "x") { id } nodes(ids: ["a", "b"]) { id } }`,
		`{ country(code: "RU") { name actions(first: 3) { totalCount edges { node { title targetCompanies { slug } } } } } }`,
		`{ cases(filter: {from: "2016-01-01", to: "2015-01-01"}) { totalCount } }`,
		`fragment A on Dataset { ...B } fragment B on Dataset { ...A } { dataset { ...A } }`,
		`{ __schema { types { name fields { name type { name ofType { name } } } } } }`,
		`query($a: Int) { moves(first: $a, last: 3) { totalCount } }`,
		`{ a: dataset { version } b: dataset { version } rateLimit { cost } }`,
		`{ moves(orderBy: {field: DATE, direction: DESC}, first: 3) { edges { node { date datePrecision } } } }`,
		"{", "", "}}}}", "query { \x00 }", `{ company(slug: "\u0000") { name } }`,
	} {
		f.Add(s)
	}
	h := fuzzHandler(f)
	f.Fuzz(func(t *testing.T, query string) {
		body, _ := json.Marshal(map[string]any{"query": query})
		checkAnswer(t, h, body)
	})
}

// FuzzVariables fuzzes the raw JSON of the variables of a query that takes every filter input.
func FuzzVariables(f *testing.F) {
	const query = `query($mf: MoveFilter, $af: ActionFilter, $rf: ResponseFilter, $cf: CompanyFilter, $first: Int, $after: String, $order: MoveOrder) {
  moves(filter: $mf, first: $first, after: $after, orderBy: $order) { totalCount edges { node { id date } } }
  actions(filter: $af, first: 3) { totalCount }
  responses(filter: $rf, first: 3) { totalCount }
  companies(filter: $cf, first: 3) { totalCount }
  cases(filter: $mf, first: 3) { totalCount }
}`
	for _, s := range []string{
		`{}`,
		`{"mf": {"kinds": ["ACTION"], "countries": ["RU", "US"], "from": "2015-01-01", "to": "2019-12-31"}, "first": 5}`,
		`{"af": {"options": ["IMPORT_BARRIER"], "concerns": ["ESPIONAGE"], "categories": ["SECURITY_SOFTWARE"]}}`,
		`{"rf": {"options": ["DEFY"], "companies": ["linkedin"]}, "cf": {"text": "kas", "homeCountries": ["RU"]}}`,
		`{"mf": {"from": "2016-13-45"}}`, `{"mf": {"countries": ["ZZ"]}}`, `{"first": -1}`, `{"first": 1e9}`,
		`{"after": "not a cursor"}`, `{"order": {"field": "DATE", "direction": "SIDEWAYS"}}`, `{"mf": {"cases": [null]}}`,
		`{"mf": "string"}`, `{"mf": {"confidence": ["LOW"]}}`, `{"cf": {"text": "%_\\'\""}}`,
	} {
		f.Add(s)
	}
	h := fuzzHandler(f)
	f.Fuzz(func(t *testing.T, vars string) {
		body := `{"query":` + string(mustMarshal(query)) + `,"variables":` + vars + `}`
		checkAnswer(t, h, []byte(body))
	})
}

func FuzzCursor(f *testing.F) {
	for _, s := range []string{"", "x", "eyJ9", "bW92ZTox", "MjAxNi0wMS0wMXwx", strings.Repeat("A", 200), "\x00\xff", "====",
		"eyJkIjoiMjAxNiIsImkiOjF9", "eyJkIjpudWxsLCJpIjotMX0"} {
		f.Add(s)
	}
	h := fuzzHandler(f)
	// Real cursors as seeds too.
	f.Fuzz(func(t *testing.T, cursor string) {
		for _, q := range []string{
			`query($c: String) { moves(first: 2, after: $c) { edges { cursor } pageInfo { hasNextPage } } }`,
			`query($c: String) { countries(last: 2, before: $c) { edges { cursor } } }`,
			`query($c: String) { companies(first: 2, after: $c) { edges { node { slug products(first: 1, after: $c) { totalCount } } } } }`,
		} {
			checkAnswer(t, h, mustMarshal(map[string]any{"query": q, "variables": map[string]any{"c": cursor}}))
		}
	})
}

func FuzzGlobalID(f *testing.F) {
	for _, s := range []string{"", "x", "Q291bnRyeTpSVQ", "Q29tcGFueTpsaW5rZWRpbg", "Tm9kZTo", "OjE", "Q291bnRyeTo=", strings.Repeat("Q", 500), "\xff"} {
		f.Add(s)
	}
	h := fuzzHandler(f)
	f.Fuzz(func(t *testing.T, id string) {
		q := `query($id: ID!, $ids: [ID!]!) { node(id: $id) { id ... on Country { code } ... on Move { title } } nodes(ids: $ids) { id } }`
		checkAnswer(t, h, mustMarshal(map[string]any{"query": q, "variables": map[string]any{"id": id, "ids": []string{id, id + "x"}}}))
	})
}

func mustMarshal(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}
