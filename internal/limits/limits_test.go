package limits

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
)

const testSchema = `
type Query {
  items(first: Int, last: Int): ItemConnection!
  nodes(ids: [ID!]!): [Item]!
  item: Item
}
type ItemConnection { edges: [ItemEdge!]! totalCount: Int! }
type ItemEdge { node: Item! }
type Item { id: ID! name: String! children(first: Int): ItemConnection! parent: Item }
`

func analyze(t *testing.T, query string, vars map[string]any) Stats {
	t.Helper()
	schema := gqlparser.MustLoadSchema(&ast.Source{Input: testSchema})
	doc, err := parser.ParseQuery(&ast.Source{Input: query})
	if err != nil {
		t.Fatal(err)
	}
	return Analyze(schema, doc, doc.Operations[0], vars, 20)
}

func TestAnalyze(t *testing.T) {
	for _, tc := range []struct {
		name  string
		query string
		vars  map[string]any
		want  Stats
	}{
		{"scalar", `{ item { id } }`, nil, Stats{Depth: 2, RootFields: 1, Cost: 2, Repeats: 1}},
		// items(1) + 5 * (edges(1) + node(1) + name(1))
		{"first multiplies", `{ items(first: 5) { edges { node { name } } } }`, nil, Stats{Depth: 4, RootFields: 1, Cost: 16, Repeats: 1}},
		{"last multiplies", `{ items(last: 3) { edges { node { id } } } }`, nil, Stats{Depth: 4, RootFields: 1, Cost: 10, Repeats: 1}},
		{"default page", `{ items { edges { node { id } } } }`, nil, Stats{Depth: 4, RootFields: 1, Cost: 61, Repeats: 1}},
		{"variable page", `query($n: Int) { items(first: $n) { edges { node { id } } } }`, map[string]any{"n": json.Number("7")}, Stats{Depth: 4, RootFields: 1, Cost: 22, Repeats: 1}},
		// F3: a variable the request leaves out is priced at its default, as gqlgen runs it.
		{"variable default page", `query($n: Int = 50) { items(first: $n) { edges { node { id } } } }`, nil, Stats{Depth: 4, RootFields: 1, Cost: 151, Repeats: 1}},
		{"variable given beats its default", `query($n: Int = 50) { items(first: $n) { edges { node { id } } } }`, map[string]any{"n": json.Number("2")}, Stats{Depth: 4, RootFields: 1, Cost: 7, Repeats: 1}},
		{"variable default ids", `query($i: [ID!]! = ["a", "b", "c", "d"]) { nodes(ids: $i) { name } }`, nil, Stats{Depth: 2, RootFields: 1, Cost: 5, Repeats: 1}},
		// F6: a count reads the whole filtered set whatever the page: a scan, priced by the
		// data's size, once (not multiplied by the page around it).
		{"totalCount is a scan", `{ items(first: 100) { totalCount } }`, nil, Stats{Depth: 2, RootFields: 1, Cost: 1, Scans: 1, Repeats: 1}},
		{"scans add up", `{ a: items { totalCount } b: items { totalCount } }`, nil, Stats{Depth: 2, Aliases: 2, RootFields: 2, Cost: 2, Scans: 2, Repeats: 1}},
		// items(1) + 10 * (edges + node + children(1) + 10 * totalCount)
		{"nested connections multiply", `{ items(first: 10) { edges { node { children(first: 10) { totalCount } } } } }`, nil, Stats{Depth: 5, RootFields: 1, Cost: 1 + 10*(1+1+1), Scans: 1, Repeats: 1}},
		{"ids multiply", `{ nodes(ids: ["a", "b", "c"]) { name } }`, nil, Stats{Depth: 2, RootFields: 1, Cost: 4, Repeats: 1}},
		{"aliases", `{ a: item { id } b: item { x: id } item { id } }`, nil, Stats{Depth: 2, Aliases: 3, RootFields: 3, Cost: 6, Repeats: 1}},
		{"directives", `query @x { item @include(if: true) { id @skip(if: false) } }`, nil, Stats{Depth: 2, Directives: 3, RootFields: 1, Cost: 2, Repeats: 1}},
		{"fragments count at each spread", `{ item { ...F } other: item { ...F } } fragment F on Item { a: id name }`, nil, Stats{Depth: 2, Aliases: 3, RootFields: 2, Cost: 6, Repeats: 1}},
		// Introspection is priced by the schema's size: 1 + (types, fields, arguments, enum
		// values)/10, which is 11 for the test schema.
		{"introspection is free of depth", `{ __schema { types { fields { type { ofType { ofType { ofType { ofType { ofType { ofType { ofType { ofType { name } } } } } } } } } } } } }`, nil, Stats{Depth: 1, RootFields: 1, Cost: 11, Repeats: 1}},
		{"repeated field", `{ item { id id name id } }`, nil, Stats{Depth: 2, RootFields: 1, Cost: 5, Repeats: 3}},
		{"repeats through fragments", `{ item { id ...F ... on Item { id } } } fragment F on Item { id ...G ...G } fragment G on Item { id }`, nil, Stats{Depth: 2, RootFields: 1, Cost: 6, Repeats: 5}},
		{"repeats in nested sets count", `{ item { parent { name name } } }`, nil, Stats{Depth: 3, RootFields: 1, Cost: 4, Repeats: 2}},
		{"fragment cycles count nothing", `{ item { ...A } } fragment A on Item { parent { ...B } } fragment B on Item { parent { ...A } }`, nil, Stats{Depth: 3, RootFields: 1, Cost: 3, Repeats: 1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := analyze(t, tc.query, tc.vars); got != tc.want {
				t.Fatalf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}

// TestAnalyzeFragmentFanOutIsLinear builds a document whose expansion has 2^40 fields: the
// analysis must finish at once (each fragment analysed once) and saturate the cost.
func TestAnalyzeFragmentFanOutIsLinear(t *testing.T) {
	var b strings.Builder
	b.WriteString("{ item { ...F0 } }\n")
	for i := range 40 {
		b.WriteString("fragment F" + strconv.Itoa(i) + " on Item { ...F" + strconv.Itoa(i+1) + " ...F" + strconv.Itoa(i+1) + " }\n")
	}
	b.WriteString("fragment F40 on Item { id }\n")
	start := time.Now()
	st := analyze(t, b.String(), nil)
	if time.Since(start) > time.Second {
		t.Fatalf("analysis took %s", time.Since(start))
	}
	if st.Cost < 1<<30 {
		t.Fatalf("cost %d: the fan-out expands to 2^40 fields", st.Cost)
	}
}

func TestMemoryRates(t *testing.T) {
	m := NewMemoryRates()
	ctx := context.Background()
	now := time.Date(2026, 1, 2, 3, 4, 30, 0, time.UTC)
	u, _ := m.Take(ctx, "a", 60, 100, time.Minute, now)
	if !u.Allowed || u.Remaining != 40 || !u.Reset.Equal(now.Truncate(time.Minute).Add(time.Minute)) {
		t.Fatalf("first take: %+v", u)
	}
	u, _ = m.Take(ctx, "a", 50, 100, time.Minute, now)
	if u.Allowed || u.Remaining != 40 {
		t.Fatalf("over budget must be refused and charge nothing: %+v", u)
	}
	if u, _ := m.Take(ctx, "b", 100, 100, time.Minute, now); !u.Allowed || u.Remaining != 0 {
		t.Fatalf("another client has its own budget: %+v", u)
	}
	if u, _ := m.Take(ctx, "a", 50, 100, time.Minute, now.Add(time.Minute)); !u.Allowed || u.Remaining != 50 {
		t.Fatalf("a new window restores the budget: %+v", u)
	}
	if u, _ := m.Peek(ctx, "a", 100, time.Minute, now.Add(time.Minute)); u.Used != 50 {
		t.Fatalf("peek: %+v", u)
	}
	if got := RetryAfter(Usage{Reset: now.Add(1500 * time.Millisecond)}, now); got != 2 {
		t.Fatalf("RetryAfter rounds up: %d", got)
	}
}

func TestMemoryRatesSweepsEndedWindows(t *testing.T) {
	m := NewMemoryRates()
	ctx := context.Background()
	now := time.Date(2026, 1, 2, 3, 4, 0, 0, time.UTC)
	for i := range 3000 {
		_, _ = m.Take(ctx, "old"+strconv.Itoa(i), 1, 10, time.Minute, now)
	}
	for i := range 3000 {
		_, _ = m.Take(ctx, "new"+strconv.Itoa(i), 1, 10, time.Minute, now.Add(time.Minute))
	}
	if n := len(m.windows); n > 4000 {
		t.Fatalf("%d windows kept; ended ones must be swept", n)
	}
}

// TestDefaults: the documented limits (the LIMIT_* variables are parsed, and bad values
// refused, by internal/config).
func TestDefaults(t *testing.T) {
	d := Defaults()
	if d.MaxBodyBytes != 65536 || d.MaxTokens != 5000 || d.MaxDepth != 12 || d.MaxAliases != 30 || d.MaxDirectives != 50 || d.MaxRootFields != 10 || d.MaxCost != 10000 || d.Timeout != 10*time.Second {
		t.Fatalf("defaults drifted from the documented values: %+v", d)
	}
}

func TestTooManyTokens(t *testing.T) {
	q := "{ a(x: 1, y: \"s\") { b } } # a comment is a token to gqlgen's parser, commas are not"
	// { a ( x : 1 y : "s" ) { b } } #... = 15 tokens
	if TooManyTokens(q, 15) || !TooManyTokens(q, 14) {
		t.Fatal("the query has exactly 15 tokens")
	}
	if TooManyTokens(`{ "unterminated`, 1) {
		t.Fatal("a lexical error is left to the parser")
	}
}

// TestAnalyzeDocumentCoversEveryDefinition: gqlgen validates the whole document, so the
// shape counts are taken over every operation and every fragment, used or not (F2).
func TestAnalyzeDocumentCoversEveryDefinition(t *testing.T) {
	schema := gqlparser.MustLoadSchema(&ast.Source{Input: testSchema})
	for _, tc := range []struct {
		name, query string
		want        Stats
	}{
		{"a second operation", `query A { item { id } } query B { item { ` + strings.Repeat("id ", 30) + `} }`, Stats{Depth: 2, RootFields: 1, Cost: 31, Repeats: 30}},
		{"an unused fragment", `{ item { id } } fragment F on Item { ` + strings.Repeat("a: id ", 40) + `}`, Stats{Depth: 2, Aliases: 40, RootFields: 1, Cost: 2, Repeats: 40}},
		{"the largest default any operation gives", `query A($n: Int = 2) { items(first: $n) { edges { node { id } } } } query B($n: Int = 90) { item { id } }`, Stats{Depth: 4, RootFields: 1, Cost: 271, Repeats: 1}},
		{"a deep unused fragment", `{ item { id } } fragment F on Item { parent { parent { parent { id } } } }`, Stats{Depth: 4, RootFields: 1, Cost: 2, Repeats: 1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc, err := parser.ParseQuery(&ast.Source{Input: tc.query})
			if err != nil {
				t.Fatal(err)
			}
			if got := AnalyzeDocument(schema, doc, nil, 20); got != tc.want {
				t.Fatalf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}
