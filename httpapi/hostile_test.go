package httpapi_test

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/cybertrade/cybertrade/httpapi"
	"github.com/cybertrade/cybertrade/internal/testdb"
)

// TestHostileRequests sends what careless scripts and attackers send, and checks each gets
// the documented status and code, no data, and nothing of the server's internals.
func TestHostileRequests(t *testing.T) {
	fanOut := func() string { // 2^40 fields once expanded, in 42 lines
		var b strings.Builder
		b.WriteString("{ dataset { ...F0 } }\n")
		for i := range 40 {
			fmt.Fprintf(&b, "fragment F%d on Dataset { ...F%d ...F%d }\n", i, i+1, i+1)
		}
		b.WriteString("fragment F40 on Dataset { version }\n")
		return b.String()
	}
	ids := func(n int) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = fmt.Sprintf("Q291bnRyeTpVUw%d", i)
		}
		return out
	}
	aliasFlood := func(n int) string {
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, "a%d: dataset { version } ", i)
		}
		return "{ " + b.String() + "}"
	}
	type req struct {
		method, body, rawQuery string
		header                 map[string]string
	}
	post := func(body string) req { return req{method: http.MethodPost, body: body} }
	postQ := func(q string, vars map[string]any) req {
		return post(jsonBody(map[string]any{"query": q, "variables": vars}))
	}
	cases := []struct {
		name   string
		req    req
		status int
		code   string
	}{
		{"deep nesting", postQ(nestedReplies(40), nil), 400, "QUERY_TOO_DEEP"},
		{"900 levels of nesting", postQ("{ moves { edges { node "+strings.Repeat("{ replies ", 900)+"{ id }"+strings.Repeat(" }", 900)+" } } }", nil), 400, "QUERY_TOO_DEEP"},
		{"1,200 levels of nesting (the parser's own cap)", postQ(strings.Repeat("{ a ", 1200)+strings.Repeat("}", 1200), nil), 400, "GRAPHQL_PARSE_FAILED"},
		{"3,000 levels of nesting", postQ(strings.Repeat("{ a ", 3000)+strings.Repeat("}", 3000), nil), 400, "QUERY_TOO_LARGE"},
		{"6,000 tokens", postQ("{ dataset { "+strings.Repeat("version title ", 3000)+"} }", nil), 400, "QUERY_TOO_LARGE"},
		{"alias flood", postQ(aliasFlood(500), nil), 400, "TOO_MANY_ALIASES"},
		{"directive flood", postQ("{ dataset { "+strings.Repeat("version @include(if: true) ", 500)+"} }", nil), 400, "TOO_MANY_DIRECTIVES"},
		{"root field flood", postQ("{ "+strings.Repeat("__typename ", 500)+"}", nil), 400, "TOO_MANY_ROOT_FIELDS"},
		{"fragment cycle", postQ("{ dataset { ...A } } fragment A on Dataset { ...B } fragment B on Dataset { ...A }", nil), 400, "GRAPHQL_VALIDATION_FAILED"},
		{"fragment self-spread", postQ("{ dataset { ...A } } fragment A on Dataset { version ...A }", nil), 400, "GRAPHQL_VALIDATION_FAILED"},
		{"fragment fan-out bomb", postQ(fanOut(), nil), 400, "TOO_MANY_REPEATED_FIELDS"},
		{"one field 4,990 times (quadratic to validate)", postQ("{ dataset { "+strings.Repeat("version ", 4990)+"} }", nil), 400, "TOO_MANY_REPEATED_FIELDS"},
		{"huge page", postQ("{ moves(first: 1000000) { edges { node { id } } } }", nil), 400, "QUERY_TOO_COSTLY"},
		{"page size over 100", postQ("{ moves(first: 101) { totalCount } }", nil), 200, "INVALID_ARGUMENT"},
		{"int overflow", postQ("{ moves(first: 99999999999999999999) { nodes { id } } }", nil), 400, "QUERY_TOO_COSTLY"},
		{"101 ids inline", postQ(`{ nodes(ids: ["`+strings.Join(ids(101), `","`)+`"]) { id } }`, nil), 200, "INVALID_ARGUMENT"},
		{"1,000 ids in a variable", postQ(`query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, map[string]any{"ids": ids(1000)}), 200, "INVALID_ARGUMENT"},
		{"10,000 ids in a variable", postQ(`query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, map[string]any{"ids": ids(10000)}), 413, "PAYLOAD_TOO_LARGE"},
		{"100,000 ids × children", postQ(`query($ids: [ID!]!) { nodes(ids: $ids) { ... on Company { products(first: 100) { nodes { name } } } } }`, map[string]any{"ids": ids(1000)}), 400, "QUERY_TOO_COSTLY"},
		{"oversized body", postQ("{ dataset { version } }#"+strings.Repeat("x", 1<<20), nil), 413, "PAYLOAD_TOO_LARGE"},
		{"oversized GET", req{method: http.MethodGet, rawQuery: "query=" + strings.Repeat("%20", 70000) + "%7B__typename%7D"}, 413, "PAYLOAD_TOO_LARGE"},
		{"invalid UTF-8 body", post("{\"query\": \"{ dataset { version } }\xff\xfe\"}"), 400, "BAD_REQUEST"},
		{"invalid UTF-8 in a GET", req{method: http.MethodGet, rawQuery: "query=%7B__typename%7D%FF"}, 400, "BAD_REQUEST"},
		{"invalid UTF-8 in a string argument", post("{\"query\": \"{ company(slug: \\\"\xc3\x28\\\") { name } }\"}"), 400, "BAD_REQUEST"},
		{"text/plain", req{method: http.MethodPost, body: `{"query":"{ __typename }"}`, header: map[string]string{"Content-Type": "text/plain"}}, 415, "UNSUPPORTED_MEDIA_TYPE"},
		{"form encoded", req{method: http.MethodPost, body: `query=%7B__typename%7D`, header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}}, 415, "UNSUPPORTED_MEDIA_TYPE"},
		{"multipart", req{method: http.MethodPost, body: `--x--`, header: map[string]string{"Content-Type": "multipart/form-data; boundary=x"}}, 415, "UNSUPPORTED_MEDIA_TYPE"},
		{"no content type", req{method: http.MethodPost, body: `{"query":"{ __typename }"}`, header: map[string]string{"Content-Type": ""}}, 415, "UNSUPPORTED_MEDIA_TYPE"},
		{"latin-1 charset", req{method: http.MethodPost, body: `{"query":"{ __typename }"}`, header: map[string]string{"Content-Type": "application/json; charset=latin1"}}, 415, "UNSUPPORTED_MEDIA_TYPE"},
		{"accepts only HTML", req{method: http.MethodPost, body: `{"query":"{ __typename }"}`, header: map[string]string{"Accept": "text/html"}}, 406, "NOT_ACCEPTABLE"},
		{"batched array", post(`[{"query":"{ __typename }"},{"query":"{ __typename }"}]`), 400, "BAD_REQUEST"},
		{"empty body", post(""), 400, "BAD_REQUEST"},
		{"malformed JSON", post(`{"query": "{ __typename }"`), 400, "BAD_REQUEST"},
		{"JSON null", post(`null`), 400, "BAD_REQUEST"},
		{"JSON number", post(`42`), 400, "BAD_REQUEST"},
		{"query not a string", post(`{"query": {"a": 1}}`), 400, "BAD_REQUEST"},
		{"variables not an object", post(`{"query": "{ __typename }", "variables": "x"}`), 400, "BAD_REQUEST"},
		{"no query", post(`{"variables": {}}`), 400, "BAD_REQUEST"},
		{"syntax error", postQ("{ dataset { ", nil), 400, "GRAPHQL_PARSE_FAILED"},
		{"unknown field", postQ("{ password }", nil), 400, "GRAPHQL_VALIDATION_FAILED"},
		{"variable of the wrong type", postQ("query($n: Int!) { moves(first: $n) { totalCount } }", map[string]any{"n": "lots"}), 400, "GRAPHQL_VALIDATION_FAILED"},
		{"unknown mutation", postQ("mutation { deleteEverything }", nil), 400, "GRAPHQL_VALIDATION_FAILED"},
		{"mutation without a token", postQ("mutation { __typename }", nil), 401, "UNAUTHENTICATED"},
		{"subscription", postQ("subscription { __typename }", nil), 400, "GRAPHQL_VALIDATION_FAILED"},
		{"mutation over GET", req{method: http.MethodGet, rawQuery: "query=" + url.QueryEscape("mutation M { deleteEverything }")}, 405, "METHOD_NOT_ALLOWED"},
		{"named mutation picked over GET", req{method: http.MethodGet, rawQuery: "operationName=M&query=" + url.QueryEscape("query Q { __typename } mutation M { __typename }")}, 405, "METHOD_NOT_ALLOWED"},
		{"PUT", req{method: http.MethodPut, body: `{"query":"{ __typename }"}`}, 405, "METHOD_NOT_ALLOWED"},
		{"DELETE", req{method: http.MethodDelete}, 405, "METHOD_NOT_ALLOWED"},
		{"unknown persisted query", post(`{"extensions": {"persistedQuery": {"version": 1, "sha256Hash": "` + strings.Repeat("ab", 32) + `"}}}`), 400, "PERSISTED_QUERY_NOT_FOUND"},
		{"persisted query hash mismatch", post(`{"query": "{ __typename }", "extensions": {"persistedQuery": {"version": 1, "sha256Hash": "` + strings.Repeat("ab", 32) + `"}}}`), 400, "BAD_REQUEST"},
		{"persisted query garbage", post(`{"query": "{ __typename }", "extensions": {"persistedQuery": "x"}}`), 400, "BAD_REQUEST"},
		{"unknown enum value inside a filter (found by FuzzVariables)", postQ("query($f: MoveFilter) { moves(filter: $f) { totalCount } }", map[string]any{"f": map[string]any{"kinds": []string{"aCTION"}}}), 400, "GRAPHQL_VALIDATION_FAILED"},
		{"malformed id", postQ(`{ node(id: "'; DROP TABLE moves; --") { id } }`, nil), 200, "INVALID_ARGUMENT"},
		{"malformed cursor", postQ(`{ moves(first: 1, after: "\u0000\u0000") { totalCount } }`, nil), 200, "INVALID_ARGUMENT"},
	}
	forEnv(t, bundledData, func(t *testing.T, env *env) {
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				r, err := http.NewRequest(tc.req.method, env.srv.URL+"/graphql?"+tc.req.rawQuery, strings.NewReader(tc.req.body))
				if err != nil {
					t.Fatal(err)
				}
				r.Header.Set("Content-Type", "application/json")
				r.Header.Set("Accept", "application/graphql-response+json")
				for k, v := range tc.req.header {
					if v == "" {
						r.Header.Del(k)
					} else {
						r.Header.Set(k, v)
					}
				}
				got := send(t, r)
				expect(t, got, tc.status, tc.code)
				if tc.status != 200 && got.HasData {
					t.Fatalf("a refused request has no data entry: %.300s", got.Body)
				}
				if got.Header.Get("X-Request-Id") == "" {
					t.Fatal("every answer carries its request id")
				}
				if tc.status == 405 && got.Header.Get("Allow") == "" {
					t.Fatal("405 must say which methods are allowed")
				}
			})
		}
		// After all that, the server still answers.
		expect(t, env.postQuery(t, "{ dataset { version } }", nil), 200, "")
	})
}

// TestGraphQLOverHTTP covers what the spec and the issue ask of the transport beyond
// refusals: media types, GET caching with ETag and 304, CORS, and persisted queries.
func TestGraphQLOverHTTP(t *testing.T) {
	forEnv(t, bundledData, func(t *testing.T, env *env) {
		q := "query=" + url.QueryEscape("{ country(code: \"RU\") { name } }")

		t.Run("GraphiQL's introspection query passes the limits", func(t *testing.T) {
			// graphql-js getIntrospectionQuery(), as GraphiQL sends it: 9 levels of ofType.
			r := env.postQuery(t, "query IntrospectionQuery { __schema { queryType { name kind } mutationType { name kind } subscriptionType { name kind } types { ...FullType } directives { name description locations args(includeDeprecated: true) { ...InputValue } } } } fragment FullType on __Type { kind name description specifiedByURL fields(includeDeprecated: true) { name description args(includeDeprecated: true) { ...InputValue } type { ...TypeRef } isDeprecated deprecationReason } inputFields(includeDeprecated: true) { ...InputValue } interfaces { ...TypeRef } enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason } possibleTypes { ...TypeRef } } fragment InputValue on __InputValue { name description type { ...TypeRef } defaultValue isDeprecated deprecationReason } fragment TypeRef on __Type { kind name ofType { name kind ofType { name kind ofType { name kind ofType { name kind ofType { name kind ofType { name kind ofType { name kind ofType { name kind ofType { name kind } } } } } } } } } }", nil)
			expect(t, r, 200, "")
			if !strings.Contains(string(r.Data), `"queryType":{"name":"Query"`) {
				t.Fatalf("introspection: %.300s", r.Data)
			}
		})

		t.Run("media types", func(t *testing.T) {
			for accept, want := range map[string]string{
				"":                                  "application/json",
				"*/*":                               "application/json",
				"application/json":                  "application/json",
				"application/graphql-response+json": "application/graphql-response+json",
				"application/json;q=0.5, application/graphql-response+json": "application/graphql-response+json",
				"application/json, application/graphql-response+json;q=0.1": "application/json",
			} {
				r := env.postBody(t, `{"query":"{ __typename }"}`, map[string]string{"Accept": accept})
				expect(t, r, 200, "")
				if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, want) || !strings.Contains(ct, "utf-8") {
					t.Errorf("Accept %q: Content-Type %q, want %s", accept, ct, want)
				}
			}
			// A request error is 400 in graphql-response+json and 200 in application/json.
			expect(t, env.postBody(t, `{"query":"{"}`, map[string]string{"Accept": "application/json"}), 200, "GRAPHQL_PARSE_FAILED")
			expect(t, env.postBody(t, `{"query":"{"}`, nil), 400, "GRAPHQL_PARSE_FAILED")
		})

		t.Run("GET is cacheable with ETag and 304", func(t *testing.T) {
			r1 := env.getGraphQL(t, q, nil)
			expect(t, r1, 200, "")
			etag := r1.Header.Get("ETag")
			if etag == "" || !strings.HasPrefix(r1.Header.Get("Cache-Control"), "public, max-age=") {
				t.Fatalf("GET answer headers: %v", r1.Header)
			}
			if string(r1.Data) != `{"country":{"name":"Russia"}}` && !strings.Contains(string(r1.Data), "Russia") {
				t.Fatalf("data: %s", r1.Data)
			}
			r2 := env.getGraphQL(t, q, nil)
			if r2.Header.Get("ETag") != etag {
				t.Fatalf("the same answer must have the same ETag: %q then %q", etag, r2.Header.Get("ETag"))
			}
			r3 := env.getGraphQL(t, q, map[string]string{"If-None-Match": etag})
			if r3.Status != http.StatusNotModified || r3.Body != "" {
				t.Fatalf("If-None-Match with the current ETag: %d %q", r3.Status, r3.Body)
			}
			r4 := env.getGraphQL(t, q, map[string]string{"If-None-Match": `"stale"`})
			expect(t, r4, 200, "")
			other := env.getGraphQL(t, "query="+url.QueryEscape("{ country(code: \"US\") { name } }"), nil)
			if other.Header.Get("ETag") == etag {
				t.Fatal("different answers must have different ETags")
			}
			// An answer that depends on the client is not for shared caches.
			rl := env.getGraphQL(t, "query="+url.QueryEscape("{ rateLimit { remaining } }"), nil)
			if rl.Header.Get("Cache-Control") != "private, no-cache" {
				t.Fatalf("rateLimit over GET: Cache-Control %q", rl.Header.Get("Cache-Control"))
			}
			// Errors are not cached.
			bad := env.getGraphQL(t, "query="+url.QueryEscape("{ country(code: \"XX\") { name } }"), nil)
			if bad.Header.Get("ETag") != "" || bad.Header.Get("Cache-Control") != "no-store" {
				t.Fatalf("an answer with errors must not be cached: %v", bad.Header)
			}
		})

		t.Run("CORS is open for reads", func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodOptions, env.srv.URL+"/graphql", nil)
			req.Header.Set("Origin", "https://notebook.example")
			req.Header.Set("Access-Control-Request-Method", "POST")
			req.Header.Set("Access-Control-Request-Headers", "content-type")
			r := send(t, req)
			if r.Status != http.StatusNoContent || r.Header.Get("Access-Control-Allow-Origin") != "*" ||
				!strings.Contains(r.Header.Get("Access-Control-Allow-Methods"), "POST") ||
				!strings.Contains(strings.ToLower(r.Header.Get("Access-Control-Allow-Headers")), "content-type") {
				t.Fatalf("preflight: %d %v", r.Status, r.Header)
			}
			got := env.getGraphQL(t, q, map[string]string{"Origin": "https://notebook.example"})
			if got.Header.Get("Access-Control-Allow-Origin") != "*" || !strings.Contains(strings.ToLower(got.Header.Get("Access-Control-Expose-Headers")), "etag") {
				t.Fatalf("GET with Origin: %v", got.Header)
			}
		})

		t.Run("automatic persisted queries", func(t *testing.T) {
			query := "{ dataset { license } }"
			sum := sha256.Sum256([]byte(query))
			ext := `{"persistedQuery":{"version":1,"sha256Hash":"` + hex.EncodeToString(sum[:]) + `"}}`
			hashOnly := "extensions=" + url.QueryEscape(ext)
			expect(t, env.getGraphQL(t, hashOnly, nil), 400, "PERSISTED_QUERY_NOT_FOUND")
			expect(t, env.postBody(t, `{"query":"`+query+`","extensions":`+ext+`}`, nil), 200, "")
			r := env.getGraphQL(t, hashOnly, nil)
			expect(t, r, 200, "")
			if !strings.Contains(string(r.Data), "CC-BY-4.0") || r.Ext["cost"] != float64(2) {
				t.Fatalf("persisted query answer: %s", r.Body)
			}
		})
	})
}

// TestCORSConfigured allows only the configured origins.
func TestCORSConfigured(t *testing.T) {
	env := newEnvOpts(t, testdb.Engines()[0], httpapi.Options{CORSOrigins: []string{"https://app.example"}})
	q := "query=" + url.QueryEscape("{ __typename }")
	if got := env.getGraphQL(t, q, map[string]string{"Origin": "https://app.example"}).Header.Get("Access-Control-Allow-Origin"); got != "https://app.example" {
		t.Fatalf("allowed origin: %q", got)
	}
	if got := env.getGraphQL(t, q, map[string]string{"Origin": "https://evil.example"}).Header.Get("Access-Control-Allow-Origin"); got != "" {
		t.Fatalf("other origin got %q", got)
	}
}
