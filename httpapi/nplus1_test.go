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
				Responses edges[struct {
					Option  string
					Replies []struct{ Option string }
				}]
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

// TestNodesIsBatched: nodes(ids:) looks ids up with one statement per type, however many ids.
func TestNodesIsBatched(t *testing.T) {
	forEngine(t, func(t *testing.T, e testdb.Engine) {
		env := newEnv(t, e, synth.Generate(40, 9))
		var list struct {
			Moves struct {
				Edges []struct{ Node struct{ ID string } }
			}
			Companies struct {
				Edges []struct{ Node struct{ ID string } }
			}
		}
		env.ok(t, `{ moves(first: 80) { edges { node { id } } } companies(first: 20) { edges { node { id } } } }`, nil, &list)
		var all []string
		for _, ed := range list.Moves.Edges {
			all = append(all, ed.Node.ID)
		}
		for _, ed := range list.Companies.Edges {
			all = append(all, ed.Node.ID)
		}
		if len(all) != 100 {
			t.Fatalf("%d ids", len(all))
		}
		statements := func(ids []string) int64 {
			var out struct{ Nodes []struct{ ID string } }
			before := env.st.Statements()
			env.ok(t, `query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, map[string]any{"ids": ids}, &out)
			for i, n := range out.Nodes {
				if n.ID != ids[i] {
					t.Fatalf("nodes[%d] = %s, want %s", i, n.ID, ids[i])
				}
			}
			return env.st.Statements() - before
		}
		few := statements([]string{all[0], all[1], all[99]})
		many := statements(all)
		if few != many || many > 2 {
			t.Fatalf("nodes: %d statements for 3 ids, %d for 100 (want the same, at most one per type)", few, many)
		}
	})
}
