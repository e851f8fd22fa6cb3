package httpapi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/lexer"

	"github.com/cybertrade/cybertrade/httpapi"
	"github.com/cybertrade/cybertrade/internal/limits"
	"github.com/cybertrade/cybertrade/internal/testdb"
	"github.com/cybertrade/cybertrade/store"
)

// nestedReplies is a query whose depth is 4 + levels: moves, edges, node, levels × replies, id.
func nestedReplies(levels int) string {
	return "{ moves(first: 1) { edges { node { " + strings.Repeat("replies { ", levels) + "id" + strings.Repeat(" }", levels) + " } } } }"
}

// TestLimitsAtTheirDefaults sends, for every limit, a query just inside it (answered) and one
// just over it (refused with its status and code), with the documented default limits.
func TestLimitsAtTheirDefaults(t *testing.T) {
	forEnv(t, bundledData, func(t *testing.T, env *env) {
		d := limits.Defaults()

		t.Run("body", func(t *testing.T) {
			pad := func(n int) string { // a valid query padded with a comment to n bytes of body
				body := jsonBody(map[string]any{"query": "{ dataset { version } }\n#"})
				return jsonBody(map[string]any{"query": "{ dataset { version } }\n#" + strings.Repeat("x", n-len(body))})
			}
			expect(t, env.postBody(t, pad(int(d.MaxBodyBytes)-8), nil), 200, "")
			r := env.postBody(t, pad(int(d.MaxBodyBytes)+1), nil)
			expect(t, r, http.StatusRequestEntityTooLarge, "PAYLOAD_TOO_LARGE")
			r = env.getGraphQL(t, "query="+url.QueryEscape("{ dataset { version } }#"+strings.Repeat("x", int(d.MaxBodyBytes))), nil)
			expect(t, r, http.StatusRequestEntityTooLarge, "PAYLOAD_TOO_LARGE")
		})
		t.Run("tokens", func(t *testing.T) {
			// A list of country codes long enough for the query to have exactly n tokens, as
			// gqlparser's lexer counts them (commas are not tokens, comments are).
			q := func(n int) string {
				base := `{ moves(first: 1, filter: {countries: []}) { totalCount } }`
				codes := n - countTokens(t, base)
				return `{ moves(first: 1, filter: {countries: [` + strings.Repeat(`"RU", `, codes) + `]}) { totalCount } }`
			}
			if got := countTokens(t, q(d.MaxTokens)); got != d.MaxTokens {
				t.Fatalf("the probe has %d tokens", got)
			}
			expect(t, env.postQuery(t, q(d.MaxTokens), nil), 200, "")
			expect(t, env.postQuery(t, q(d.MaxTokens+1), nil), 400, "QUERY_TOO_LARGE")
			// The same over GET.
			expect(t, env.getGraphQL(t, "query="+url.QueryEscape(q(d.MaxTokens)), nil), 200, "")
			expect(t, env.getGraphQL(t, "query="+url.QueryEscape(q(d.MaxTokens+1)), nil), 400, "QUERY_TOO_LARGE")
		})
		t.Run("depth", func(t *testing.T) {
			expect(t, env.postQuery(t, nestedReplies(d.MaxDepth-4), nil), 200, "")
			r := env.postQuery(t, nestedReplies(d.MaxDepth-3), nil)
			expect(t, r, 400, "QUERY_TOO_DEEP")
			if r.Errors[0].Extensions["limit"] != float64(12) || r.Errors[0].Extensions["value"] != float64(13) {
				t.Fatalf("the refusal must say the limit and the value: %s", r.Body)
			}
		})
		t.Run("aliases", func(t *testing.T) {
			q := func(n int) string {
				var b strings.Builder
				for i := range n {
					fmt.Fprintf(&b, "v%d: version ", i)
				}
				return "{ dataset { " + b.String() + "} }"
			}
			expect(t, env.postQuery(t, q(d.MaxAliases), nil), 200, "")
			expect(t, env.postQuery(t, q(d.MaxAliases+1), nil), 400, "TOO_MANY_ALIASES")
		})
		t.Run("directives", func(t *testing.T) {
			q := func(n int) string { // n directives over 5 fields, so no field repeats more than 10 times
				var b strings.Builder
				for i := range n {
					b.WriteString([]string{"version", "title", "license", "licenseUrl", "citation"}[i%5] + " @include(if: true) ")
				}
				return "{ dataset { " + b.String() + "} }"
			}
			expect(t, env.postQuery(t, q(d.MaxDirectives), nil), 200, "")
			expect(t, env.postQuery(t, q(d.MaxDirectives+1), nil), 400, "TOO_MANY_DIRECTIVES")
		})
		t.Run("root fields", func(t *testing.T) {
			fields := []string{"dataset { version }", "rateLimit { cost }", "countries(first: 1) { totalCount }",
				"companies(first: 1) { totalCount }", "products(first: 1) { totalCount }", "cases(first: 1) { totalCount }",
				"actions(first: 1) { totalCount }", "responses(first: 1) { totalCount }", "moves(first: 1) { totalCount }",
				"sources(first: 1) { totalCount }", "__typename"}
			expect(t, env.postQuery(t, "{ "+strings.Join(fields[:d.MaxRootFields], " ")+" }", nil), 200, "")
			expect(t, env.postQuery(t, "{ "+strings.Join(fields[:d.MaxRootFields+1], " ")+" }", nil), 400, "TOO_MANY_ROOT_FIELDS")
		})
		t.Run("repeated fields", func(t *testing.T) {
			// One name selected n times in one set, half of them through a fragment.
			q := func(n int) string {
				return "{ dataset { " + strings.Repeat("version ", n-n/2) + "...F } } fragment F on Dataset { " + strings.Repeat("version ", n/2) + "}"
			}
			expect(t, env.postQuery(t, q(d.MaxRepeats), nil), 200, "")
			expect(t, env.postQuery(t, q(d.MaxRepeats+1), nil), 400, "TOO_MANY_REPEATED_FIELDS")
		})
		t.Run("cost", func(t *testing.T) {
			// responses(1) + first × (edges + node + company + products(1) + p × (edges + node + name))
			q := `query($first: Int!, $p: Int!) { responses(first: $first) { edges { node { company { products(first: $p) { edges { node { name } } } } } } } }`
			cost := func(first, p int) int { return 1 + first*(1+1+1+1+p*3) }
			r := env.postQuery(t, q, map[string]any{"first": 100, "p": 31})
			expect(t, r, 200, "")
			if r.Ext["cost"] != float64(cost(100, 31)) || cost(100, 31) > d.MaxCost {
				t.Fatalf("cost %v, want %d", r.Ext["cost"], cost(100, 31))
			}
			r = env.postQuery(t, q, map[string]any{"first": 100, "p": 32})
			expect(t, r, 400, "QUERY_TOO_COSTLY")
			if cost(100, 32) != d.MaxCost+1 || r.Errors[0].Extensions["value"] != float64(cost(100, 32)) || r.Ext["cost"] != float64(cost(100, 32)) {
				t.Fatalf("the refusal must carry the computed cost %d: %s", cost(100, 32), r.Body)
			}
			if r.HasData {
				t.Fatalf("a refused request has no data entry: %s", r.Body)
			}
		})
		t.Run("refusals in application/json are 200 with the code", func(t *testing.T) {
			r := env.postBody(t, jsonBody(map[string]any{"query": nestedReplies(20)}), map[string]string{"Accept": "application/json"})
			expect(t, r, 200, "QUERY_TOO_DEEP")
		})
		t.Run("limit refusals are counted in /metrics", func(t *testing.T) {
			m := metricsText(t, env)
			for _, want := range []string{`cybertrade_limit_refusals_total{code="QUERY_TOO_DEEP"}`, `cybertrade_limit_refusals_total{code="PAYLOAD_TOO_LARGE"}`, `cybertrade_limit_refusals_total{code="QUERY_TOO_COSTLY"}`} {
				if !strings.Contains(m, want) {
					t.Errorf("/metrics lacks %s", want)
				}
			}
		})
	})
}

// TestLimitsAreConfigurable lowers every limit and checks each refusal follows.
func TestLimitsAreConfigurable(t *testing.T) {
	forEngine(t, func(t *testing.T, e testdb.Engine) {
		env := newEnvOpts(t, e, httpapi.Options{Limits: withLimits(func(c *limits.Config) {
			c.MaxBodyBytes, c.MaxTokens, c.MaxDepth, c.MaxAliases, c.MaxDirectives, c.MaxRootFields, c.MaxRepeats, c.MaxCost = 400, 30, 3, 1, 1, 2, 2, 50
		})})
		for _, tc := range []struct {
			name, query, code string
		}{
			{"body", "{ dataset { version } }#" + strings.Repeat("x", 400), "PAYLOAD_TOO_LARGE"},
			{"tokens", "{ dataset { " + strings.Repeat("version title ", 15) + "} }", "QUERY_TOO_LARGE"},
			{"depth", "{ moves(first: 1) { edges { node { id } } } }", "QUERY_TOO_DEEP"},
			{"aliases", "{ dataset { a: version b: version } }", "TOO_MANY_ALIASES"},
			{"directives", "{ dataset { version @skip(if: false) title @skip(if: false) } }", "TOO_MANY_DIRECTIVES"},
			{"root fields", "{ dataset { version } rateLimit { cost } __typename }", "TOO_MANY_ROOT_FIELDS"},
			{"repeated fields", "{ dataset { version version version } }", "TOO_MANY_REPEATED_FIELDS"},
			{"cost", "{ countries(first: 50) { nodes { code } } }", "QUERY_TOO_COSTLY"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				r := env.postQuery(t, tc.query, nil)
				status := 400
				if tc.code == "PAYLOAD_TOO_LARGE" {
					status = 413
				}
				expect(t, r, status, tc.code)
			})
		}
		expect(t, env.postQuery(t, "{ dataset { version } }", nil), 200, "")
	})
}

// TestRateLimit spends a small budget: every answer says the cost and what remains, the
// rateLimit field agrees, and the request that does not fit is refused with 429, Retry-After
// and RATE_LIMITED, charging nothing.
func TestRateLimit(t *testing.T) {
	forEngine(t, func(t *testing.T, e testdb.Engine) {
		env := newEnvOpts(t, e, httpapi.Options{Limits: withLimits(func(c *limits.Config) { c.RatePerMinute = 50 })})
		q := "{ rateLimit { cost maxCost enabled limit used remaining resetAt } countries(first: 5) { nodes { code } } }"
		// rateLimit(1) + 7 fields + countries(1) + 5 × (nodes + code) = 19
		var rl struct {
			RateLimit struct {
				Cost, MaxCost, Limit, Used, Remaining int
				Enabled                               bool
				ResetAt                               time.Time
			}
		}
		for i, remaining := range []int{31, 12} {
			r := env.postQuery(t, q, nil)
			expect(t, r, 200, "")
			if err := json.Unmarshal(r.Data, &rl); err != nil {
				t.Fatal(err)
			}
			got := rl.RateLimit
			if got.Cost != 19 || got.MaxCost != 10000 || !got.Enabled || got.Limit != 50 || got.Used != 50-remaining || got.Remaining != remaining {
				t.Fatalf("request %d: rateLimit %+v, want remaining %d", i, got, remaining)
			}
			if d := time.Until(got.ResetAt); d <= 0 || d > time.Minute {
				t.Fatalf("resetAt %s is not within the next minute", got.ResetAt)
			}
			if r.Header.Get("X-RateLimit-Remaining") != strconv.Itoa(remaining) || r.Ext["cost"] != float64(19) {
				t.Fatalf("headers/extensions: %v %v", r.Header, r.Ext)
			}
			if r.Header.Get("Cache-Control") != "no-store" {
				t.Fatalf("a POST answer is not cacheable: %q", r.Header.Get("Cache-Control"))
			}
		}
		r := env.postQuery(t, q, nil)
		expect(t, r, http.StatusTooManyRequests, "RATE_LIMITED")
		ra, err := strconv.Atoi(r.Header.Get("Retry-After"))
		if err != nil || ra < 1 || ra > 60 {
			t.Fatalf("Retry-After %q: want 1..60 seconds", r.Header.Get("Retry-After"))
		}
		if r.HasData || r.Errors[0].Extensions["remaining"] != float64(12) {
			t.Fatalf("refusal: %s", r.Body)
		}
		// A cheaper query still fits: the refused one charged nothing.
		expect(t, env.postQuery(t, "{ dataset { version } }", nil), 200, "")
		if !strings.Contains(metricsText(t, env), `cybertrade_limit_refusals_total{code="RATE_LIMITED"} 1`) {
			t.Fatal("the refusal is not counted in /metrics")
		}
	})
}

// TestTimeoutCancelsTheDatabase holds the database so a request cannot finish: it must be
// answered 504 TIMEOUT soon after the limit, its statement cancelled in the database, and
// the next request must succeed once the database is free.
func TestTimeoutCancelsTheDatabase(t *testing.T) {
	forEngine(t, func(t *testing.T, e testdb.Engine) {
		env := newEnvOpts(t, e, httpapi.Options{Limits: withLimits(func(c *limits.Config) { c.Timeout = 300 * time.Millisecond })})
		sqlDB, err := env.st.SQLDB()
		if err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		hold, err := sqlDB.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var release func()
		if env.st.Engine() == store.Postgres {
			// Another transaction locks the table the query reads: the query waits in the
			// database until it is cancelled.
			if _, err := hold.ExecContext(ctx, "BEGIN; LOCK TABLE moves IN ACCESS EXCLUSIVE MODE"); err != nil {
				t.Fatal(err)
			}
			release = func() { _, _ = hold.ExecContext(ctx, "ROLLBACK"); _ = hold.Close() }
		} else {
			// SQLite has one connection and this test holds it: the query waits for it.
			release = func() { _ = hold.Close() }
		}
		start := time.Now()
		r := env.postQuery(t, "{ moves(first: 5) { edges { node { title } } } }", nil)
		took := time.Since(start)
		expect(t, r, http.StatusGatewayTimeout, "TIMEOUT")
		if took > 3*time.Second {
			t.Fatalf("the timeout answer took %s", took)
		}
		if r.HasData {
			t.Fatalf("a timed-out request has no data: %s", r.Body)
		}
		if env.st.Engine() == store.Postgres {
			// The cancelled statement is gone from the database, not left waiting on the lock.
			deadline := time.Now().Add(2 * time.Second)
			for {
				var waiting int
				if err := hold.QueryRowContext(ctx, "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'").Scan(&waiting); err != nil {
					t.Fatal(err)
				}
				if waiting == 0 {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("%d statements still wait in the database after the timeout", waiting)
				}
				time.Sleep(20 * time.Millisecond)
			}
		}
		release()
		expect(t, env.postQuery(t, "{ moves(first: 5) { edges { node { title } } } }", nil), 200, "")
	})
}

func metricsText(t testing.TB, env *env) string {
	t.Helper()
	resp, err := http.Get(env.srv.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b strings.Builder
	buf := make([]byte, 32<<10)
	for {
		n, err := resp.Body.Read(buf)
		b.Write(buf[:n])
		if err != nil {
			break
		}
	}
	return b.String()
}

// countTokens counts the lexical tokens of a query as gqlparser's lexer reads them.
func countTokens(t testing.TB, q string) int {
	t.Helper()
	lx := lexer.New(&ast.Source{Input: q})
	n := 0
	for {
		tok, err := lx.ReadToken()
		if err != nil {
			t.Fatal(err)
		}
		if tok.Kind == lexer.EOF {
			return n
		}
		n++
	}
}
