package httpapi_test

import (
	"testing"
	"time"

	"github.com/cybertrade/cybertrade/internal/testdb"
	"github.com/cybertrade/cybertrade/synth"
)

// defyQuery is the product's own question: every company response that chose DEFY, the
// company, the country it answered, and each country action that replied to it.
const defyQuery = `query Defy($first: Int!) {
  responses(filter: {options: [DEFY]}, first: $first) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node {
      id date datePrecision title option
      company { name slug homeCountry { code } products(first: 3) { edges { node { name category } } } }
      country { code name }
      case { slug title }
      sources { url publisher }
      inReplyTo { id ... on CountryAction { option title concerns } }
      replies { id date ... on CountryAction { option date title country { code } targetCompanies { slug } } }
    } }
  }
}`

// TestStatementsDoNotGrowWithPageSize runs the DEFY question with first: 5 and first: 100 over
// a synthetic dataset of 1,000 responses and asserts both issue the same number of SQL
// statements: every nested field is batched.
func TestStatementsDoNotGrowWithPageSize(t *testing.T) {
	if testing.Short() {
		t.Skip("loads a 2,500-move dataset")
	}
	forEngine(t, func(t *testing.T, e testdb.Engine) {
		ds := synth.Generate(500, 42)
		responses := 0
		for _, c := range ds.Cases {
			for _, m := range c.Moves {
				if m.Type == "response" {
					responses++
				}
			}
		}
		if responses < 1000 {
			t.Fatalf("synthetic dataset has %d responses, want >= 1000", responses)
		}
		env := newEnv(t, e, ds)
		counts := map[int]int64{}
		for _, first := range []int{5, 100, 5} {
			var out struct {
				Responses struct {
					TotalCount int
					Edges      []struct {
						Node struct {
							Option  string
							Replies []struct{ Option string }
						}
					}
				}
			}
			before, start := env.st.Statements(), time.Now()
			env.ok(t, defyQuery, map[string]any{"first": first}, &out)
			n := env.st.Statements() - before
			t.Logf("first: %d: %d statements in %s", first, n, time.Since(start).Round(time.Millisecond))
			if len(out.Responses.Edges) != first {
				t.Fatalf("first: %d returned %d edges", first, len(out.Responses.Edges))
			}
			if out.Responses.TotalCount < 250 {
				t.Fatalf("totalCount %d: the synthetic data has at least 250 DEFY responses", out.Responses.TotalCount)
			}
			replies := 0
			for _, ed := range out.Responses.Edges {
				if ed.Node.Option != "DEFY" {
					t.Fatalf("non-DEFY response in a DEFY filter: %+v", ed.Node)
				}
				replies += len(ed.Node.Replies)
			}
			if replies == 0 {
				t.Fatalf("first: %d: no replies loaded; the test would not exercise nesting", first)
			}
			if prev, seen := counts[first]; seen && prev != n {
				t.Fatalf("first: %d ran %d statements, then %d", first, prev, n)
			}
			counts[first] = n
		}
		if counts[5] != counts[100] {
			t.Fatalf("statements grew with the page: first 5 -> %d, first 100 -> %d", counts[5], counts[100])
		}
		t.Logf("%s: %d statements for the DEFY question at both page sizes", e.Name, counts[5])
	})
}
