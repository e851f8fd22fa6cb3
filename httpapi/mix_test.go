package httpapi_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/cybertrade/cybertrade/internal/testdb"
)

// mixQuery is one query of the benchmark mix (bench/queries/cybertrade).
type mixQuery struct {
	name, text, cursor string
	optional           bool
}

func readMix(t testing.TB) []mixQuery {
	t.Helper()
	dir := filepath.Join("..", "bench", "queries", "cybertrade")
	files, err := filepath.Glob(filepath.Join(dir, "*.graphql"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no mix queries in %s: %v", dir, err)
	}
	var out []mixQuery
	for _, f := range files {
		if strings.HasSuffix(f, ".cursor.graphql") {
			continue
		}
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		q := mixQuery{name: strings.TrimSuffix(filepath.Base(f), ".graphql"), text: string(raw), optional: strings.Contains(string(raw), "# bench: optional")}
		if c, err := os.ReadFile(strings.TrimSuffix(f, ".graphql") + ".cursor.graphql"); err == nil {
			q.cursor = string(c)
		}
		out = append(out, q)
	}
	return out
}

// bulkEnv serves a synthetic dataset of n cases, bulk-loaded.
func bulkEnv(t *testing.T, e testdb.Engine, n int) *env {
	t.Helper()
	env := newEnv(t, e, nil)
	testdb.Synth(t, env.st, n, 1)
	return env
}

var walkStep = regexp.MustCompile(`# cursor-walk: (\d+)`)

// pagesLine marks the cursor file of a query that pages through a whole list (query 6): the
// tests measure it at the middle page of its list.
var pagesLine = regexp.MustCompile(`(?m)^# bench: pages$`)

// listPage is the page information of the one list an answer holds, whatever its name.
type listPage map[string]struct {
	PageInfo struct {
		HasNextPage bool
		EndCursor   string
	}
}

// midCursor walks a list to its end with next (which sends the cursor file with after and
// returns the answer's page information) and returns the cursor its middle page starts after.
func midCursor(next func(after any) listPage) string {
	starts := []string{""}
	var after any
	for range 100_000 {
		for _, l := range next(after) {
			if !l.PageInfo.HasNextPage {
				return starts[len(starts)/2]
			}
			after = l.PageInfo.EndCursor
			starts = append(starts, l.PageInfo.EndCursor)
		}
	}
	return starts[len(starts)/2]
}

// deepCursor walks the list with the query's cursor file to the position the benchmark uses
// (half the moves, at most 50,000).
func deepCursor(t *testing.T, env *env, q mixQuery, moves int) string {
	t.Helper()
	if pagesLine.MatchString(q.cursor) {
		return midCursor(func(after any) listPage {
			var out listPage
			env.ok(t, q.cursor, map[string]any{"after": after}, &out)
			return out
		})
	}
	m := walkStep.FindStringSubmatch(q.cursor)
	if m == nil {
		t.Fatalf("%s: cursor file has no cursor-walk line", q.name)
	}
	step, _ := strconv.Atoi(m[1])
	var after any
	for range min(50000, moves/2) / step {
		var out struct {
			Moves struct{ PageInfo struct{ EndCursor string } }
		}
		env.ok(t, q.cursor, map[string]any{"after": after}, &out)
		after = out.Moves.PageInfo.EndCursor
	}
	s, _ := after.(string)
	return s
}

// TestMixStatementsDoNotGrowWithData runs every query of the benchmark mix over a small and
// a ten times larger dataset and asserts each issues the same number of SQL statements (and
// returns data): the foundation's loader test extended to the whole mix.
func TestMixStatementsDoNotGrowWithData(t *testing.T) {
	if testing.Short() {
		t.Skip("loads two synthetic datasets per engine")
	}
	mix := readMix(t)
	forEngine(t, func(t *testing.T, e testdb.Engine) {
		counts := map[string][]int64{}
		for _, n := range []int{60, 600} {
			env := bulkEnv(t, e, n)
			for _, q := range mix {
				vars := map[string]any{"code": "US", "slug": "case-" + strconv.Itoa(n/2)}
				if q.cursor != "" {
					vars["after"] = deepCursor(t, env, q, 5*n)
				}
				before := env.st.Statements()
				r := env.post(t, q.text, vars)
				n := env.st.Statements() - before
				if q.optional && len(r.Errors) > 0 && r.Errors[0].Extensions["code"] == "GRAPHQL_VALIDATION_FAILED" {
					t.Logf("%s: skipped on this schema: %s", q.name, r.Errors[0].Message)
					continue
				}
				if len(r.Errors) > 0 || r.Status != 200 {
					t.Fatalf("%s: %s", q.name, r.Raw)
				}
				// Rows (slugs, or titles where a query asks for no slug), or the buckets of an
				// aggregation (counts).
				if keys := strings.Count(string(r.Data), `"slug"`) + strings.Count(string(r.Data), `"title"`) + strings.Count(string(r.Data), `"count"`); keys < 3 && !q.optional {
					t.Fatalf("%s returned too little to exercise its nested fields: %s", q.name, r.Data)
				}
				counts[q.name] = append(counts[q.name], n)
			}
		}
		for name, c := range counts {
			if len(c) != 2 || c[0] != c[1] {
				t.Errorf("%s: statements %v at 60 and 600 cases; want equal", name, c)
			}
		}
		t.Logf("%s statements per query: %v", e.Name, counts)
	})
}

// TestNestedPagesMatchTopLevel walks a country's actions newest first as a nested connection
// (batched per parent: CROSS JOIN LATERAL on PostgreSQL, ROW_NUMBER on SQLite) and as the
// top-level list filtered by that country, and expects the same moves in the same order.
func TestNestedPagesMatchTopLevel(t *testing.T) {
	forEngine(t, func(t *testing.T, e testdb.Engine) {
		env := bulkEnv(t, e, 60)
		const nested = `query($after: String) { countries(filter: {codes: ["US", "CN"]}) { edges { node { code
			actions(first: 7, after: $after, orderBy: {direction: DESC}) { edges { node { slug } } pageInfo { hasNextPage endCursor } } } } } }`
		const top = `query($after: String, $code: String!) { actions(filter: {countries: [$code]}, first: 7, after: $after, orderBy: {direction: DESC}) {
			edges { node { slug } } pageInfo { hasNextPage endCursor } } }`
		type page struct {
			Edges    []struct{ Node struct{ Slug string } }
			PageInfo struct {
				HasNextPage bool
				EndCursor   *string
			}
		}
		walkTop := func(code string) []string {
			var out []string
			vars := map[string]any{"code": code}
			for {
				var r struct{ Actions page }
				env.ok(t, top, vars, &r)
				for _, ed := range r.Actions.Edges {
					out = append(out, ed.Node.Slug)
				}
				if !r.Actions.PageInfo.HasNextPage {
					return out
				}
				vars["after"] = *r.Actions.PageInfo.EndCursor
			}
		}
		got := map[string][]string{}
		var after any
		for range 100 {
			var r struct {
				Countries struct {
					Edges []struct {
						Node struct {
							Code    string
							Actions page
						}
					}
				}
			}
			env.ok(t, nested, map[string]any{"after": after}, &r)
			more := false
			for _, ed := range r.Countries.Edges {
				for _, a := range ed.Node.Actions.Edges {
					got[ed.Node.Code] = append(got[ed.Node.Code], a.Node.Slug)
				}
				// Both countries page with the same cursor: follow the US one.
				if ed.Node.Code == "US" && ed.Node.Actions.PageInfo.HasNextPage {
					more, after = true, *ed.Node.Actions.PageInfo.EndCursor
				}
			}
			if !more {
				break
			}
		}
		want := walkTop("US")
		if len(want) < 15 || !slices.Equal(got["US"], want) {
			t.Fatalf("US actions nested:\n%v\ntop-level:\n%v", got["US"], want)
		}
		if len(got["CN"]) == 0 {
			t.Fatal("no CN actions in the nested pages")
		}
		b, _ := json.Marshal(got["US"][:3])
		t.Logf("%s: %d US actions, newest %s", e.Name, len(want), b)
	})
}

// TestNestedTotalCountBatched: totalCount of nested connections is a method field (not a
// resolver) whose count loads for every parent of the producer's group at once (graph/nested.go):
// one statement whatever the number of parents, and each count must match the top-level list's.
func TestNestedTotalCountBatched(t *testing.T) {
	forEngine(t, func(t *testing.T, e testdb.Engine) {
		env := bulkEnv(t, e, 60)
		const q = `query($n: Int!) { countries(first: $n, filter: {hasActions: true}) { edges { node { code actions { totalCount } } } } }`
		stmts := map[int]int64{}
		for _, n := range []int{3, 20} {
			var out struct {
				Countries struct {
					Edges []struct {
						Node struct {
							Code    string
							Actions struct{ TotalCount int }
						}
					}
				}
			}
			before := env.st.Statements()
			env.ok(t, q, map[string]any{"n": n}, &out)
			stmts[n] = env.st.Statements() - before
			if len(out.Countries.Edges) != n {
				t.Fatalf("first: %d gave %d countries", n, len(out.Countries.Edges))
			}
			for _, ed := range out.Countries.Edges {
				var top struct{ Actions struct{ TotalCount int } }
				env.ok(t, `query($c: String!) { actions(filter: {countries: [$c]}) { totalCount } }`, map[string]any{"c": ed.Node.Code}, &top)
				if top.Actions.TotalCount != ed.Node.Actions.TotalCount || top.Actions.TotalCount == 0 {
					t.Fatalf("%s: nested totalCount %d, top-level %d", ed.Node.Code, ed.Node.Actions.TotalCount, top.Actions.TotalCount)
				}
			}
		}
		if stmts[3] != stmts[20] {
			t.Fatalf("statements grew with the number of parents: %v", stmts)
		}
	})
}
