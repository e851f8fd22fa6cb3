package limits

import (
	"encoding/json"
	"math"
	"strconv"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
)

// Stats describe the shape and cost of one operation.
type Stats struct {
	Depth      int // deepest nesting of fields; a root field is at depth 1
	Aliases    int // fields with an alias that differs from the field's name
	Directives int // directives anywhere in the operation, its fragments included
	RootFields int // fields selected at the root (through fragments too)
	Cost       int // every field costs 1; a connection multiplies its children by first/last
	// Repeats is the most times one response name is selected in one selection set, the
	// fragments spread into it included. Validating a set that repeats a name n times costs
	// n² (the overlapping-fields rule), so 5,000 tokens of one repeated field take seconds.
	Repeats int
}

// costCap bounds every count: arithmetic saturates there instead of overflowing.
const costCap = math.MaxInt32

func sat(n int) int { return min(n, costCap) }

// Analyze computes the stats of op in doc. It does not need a validated document: unknown
// fields cost 1 and multiply nothing, undefined or cyclic fragment spreads count nothing (the
// validator refuses them afterwards), and each fragment is analysed once however often it is
// spread, so the work is linear in the size of the document. vars are the request's raw
// variables (for first/last and ids given as variables); defaultPage is what a connection
// without first/last returns.
func Analyze(schema *ast.Schema, doc *ast.QueryDocument, op *ast.OperationDefinition, vars map[string]any, defaultPage int) Stats {
	a := &analyzer{schema: schema, doc: doc, vars: vars, defaultPage: defaultPage,
		frags: map[string]*fragStats{}, visiting: map[string]bool{}}
	var root *ast.Definition
	if schema != nil {
		switch op.Operation {
		case ast.Mutation:
			root = schema.Mutation
		case ast.Subscription:
			root = schema.Subscription
		default:
			root = schema.Query
		}
	}
	st, _ := a.selection(op.SelectionSet, root)
	st.Directives = sat(st.Directives + len(op.Directives))
	return st
}

type analyzer struct {
	schema      *ast.Schema
	doc         *ast.QueryDocument
	vars        map[string]any
	defaultPage int
	frags       map[string]*fragStats
	visiting    map[string]bool
}

// fragStats are a fragment's stats and how often it selects each response name at its top.
type fragStats struct {
	st   Stats
	keys map[string]int
}

// selection returns the stats of a selection set on the type typ (nil when unknown), and how
// often it selects each response name (fragments included). In the stats, RootFields counts
// the fields directly in the set.
func (a *analyzer) selection(set ast.SelectionSet, typ *ast.Definition) (Stats, map[string]int) {
	var st Stats
	keys := map[string]int{}
	addKeys := func(more map[string]int) {
		for k, n := range more {
			keys[k] = sat(keys[k] + n)
		}
	}
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			key := s.Alias
			if key == "" {
				key = s.Name
			}
			keys[key] = sat(keys[key] + 1)
			st.RootFields = sat(st.RootFields + 1)
			st.Directives = sat(st.Directives + len(s.Directives))
			if s.Alias != "" && s.Alias != s.Name {
				st.Aliases = sat(st.Aliases + 1)
			}
			def := a.field(typ, s.Name)
			var child *ast.Definition
			if def != nil && a.schema != nil {
				child = a.schema.Types[def.Type.Name()]
			}
			sub, _ := a.selection(s.SelectionSet, child)
			st.Repeats = max(st.Repeats, sub.Repeats)
			st.Aliases = sat(st.Aliases + sub.Aliases)
			st.Directives = sat(st.Directives + sub.Directives)
			if s.Name == "__schema" || s.Name == "__type" {
				// Introspection is bounded by the schema, and the validator caps its depth:
				// GraphiQL's introspection query must pass whatever the limits.
				st.Depth = max(st.Depth, 1)
				st.Cost = sat(st.Cost + 1)
				continue
			}
			st.Depth = max(st.Depth, sat(1+sub.Depth))
			st.Cost = sat(st.Cost + 1 + mul(a.multiplier(s, def), sub.Cost))
		case *ast.InlineFragment:
			st.Directives = sat(st.Directives + len(s.Directives))
			t := typ
			if s.TypeCondition != "" && a.schema != nil {
				t = a.schema.Types[s.TypeCondition]
			}
			sub, subKeys := a.selection(s.SelectionSet, t)
			st = merge(st, sub)
			addKeys(subKeys)
		case *ast.FragmentSpread:
			st.Directives = sat(st.Directives + len(s.Directives))
			if f := a.fragment(s.Name); f != nil {
				st = merge(st, f.st)
				addKeys(f.keys)
			}
		}
	}
	for _, n := range keys {
		st.Repeats = max(st.Repeats, n)
	}
	return st, keys
}

// fragment returns the stats of a named fragment, computed once; nil when it is undefined
// or spread inside itself.
func (a *analyzer) fragment(name string) *fragStats {
	if st, ok := a.frags[name]; ok {
		return st
	}
	if a.visiting[name] {
		return nil
	}
	def := a.doc.Fragments.ForName(name)
	if def == nil {
		return nil
	}
	a.visiting[name] = true
	var typ *ast.Definition
	if a.schema != nil {
		typ = a.schema.Types[def.TypeCondition]
	}
	st, keys := a.selection(def.SelectionSet, typ)
	st.Directives = sat(st.Directives + len(def.Directives))
	delete(a.visiting, name)
	f := &fragStats{st: st, keys: keys}
	a.frags[name] = f
	return f
}

// merge adds the stats of a fragment's fields to those of the set that spreads it.
func merge(a, b Stats) Stats {
	return Stats{
		Depth:      max(a.Depth, b.Depth),
		Aliases:    sat(a.Aliases + b.Aliases),
		Directives: sat(a.Directives + b.Directives),
		RootFields: sat(a.RootFields + b.RootFields),
		Cost:       sat(a.Cost + b.Cost),
		Repeats:    max(a.Repeats, b.Repeats),
	}
}

func mul(a, b int) int {
	if a == 0 || b == 0 {
		return 0
	}
	if a > costCap/b {
		return costCap
	}
	return a * b
}

func (a *analyzer) field(typ *ast.Definition, name string) *ast.FieldDefinition {
	if typ == nil {
		return nil
	}
	return typ.Fields.ForName(name)
}

// multiplier is how many times a field's children run: first/last (or the default page) for
// a connection, the number of ids for a field taking a list of ids, else 1.
func (a *analyzer) multiplier(f *ast.Field, def *ast.FieldDefinition) int {
	if def == nil {
		return 1
	}
	if strings.HasSuffix(def.Type.Name(), "Connection") {
		for _, name := range []string{"first", "last"} {
			if arg := f.Arguments.ForName(name); arg != nil {
				if n, ok := a.intValue(arg.Value); ok {
					return max(n, 0)
				}
			}
		}
		return a.defaultPage
	}
	if arg := f.Arguments.ForName("ids"); arg != nil {
		if n, ok := a.listLen(arg.Value); ok {
			return n
		}
	}
	return 1
}

func (a *analyzer) intValue(v *ast.Value) (int, bool) {
	if v == nil {
		return 0, false
	}
	switch v.Kind {
	case ast.IntValue:
		n, err := strconv.Atoi(v.Raw)
		if err != nil {
			return costCap, true
		}
		return sat(n), true
	case ast.Variable:
		return toInt(a.vars[v.Raw])
	}
	return 0, false
}

// toInt reads a raw JSON variable as a count, clamped to [0, costCap].
func toInt(x any) (int, bool) {
	var f float64
	switch n := x.(type) {
	case int:
		f = float64(n)
	case int64:
		f = float64(n)
	case float64:
		f = n
	case json.Number:
		v, err := n.Float64()
		if err != nil {
			return 0, false
		}
		f = v
	default:
		return 0, false
	}
	if f != f || f < 0 { // NaN or negative
		return 0, true
	}
	return int(min(f, costCap)), true
}

func (a *analyzer) listLen(v *ast.Value) (int, bool) {
	if v == nil {
		return 0, false
	}
	switch v.Kind {
	case ast.ListValue:
		return len(v.Children), true
	case ast.Variable:
		if l, ok := a.vars[v.Raw].([]any); ok {
			return len(l), true
		}
	}
	return 0, false
}
