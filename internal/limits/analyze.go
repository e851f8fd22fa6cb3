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
	// Scans counts the fields that read a whole (filtered) table whatever the page size:
	// totalCount, search, each field of stats and of facets. Each is priced by the size of
	// the data (Extension.cost), once per field and not multiplied by the enclosing pages,
	// since the loaders answer all parents in one statement.
	Scans int
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
// variables (for first/last and ids given as variables; a variable the request leaves out
// takes its default value from op, as gqlgen coerces it); defaultPage is what a connection
// without first/last returns.
func Analyze(schema *ast.Schema, doc *ast.QueryDocument, op *ast.OperationDefinition, vars map[string]any, defaultPage int) Stats {
	a := newAnalyzer(schema, doc, vars, defaultPage)
	a.addDefaults(op)
	return a.operation(op)
}

// AnalyzeDocument computes the stats of every operation and every fragment of doc, used or
// not, in one linear pass, since gqlgen validates the whole document whichever operation
// runs. Shape counts are the most of any one definition (a fragment alone, or an operation
// with the fragments it spreads); Cost is the most any operation costs, with a variable that
// the request leaves out priced at the largest default any operation gives it. The
// fragments' root fields are not counted (a fragment is not at the root until spread there).
func AnalyzeDocument(schema *ast.Schema, doc *ast.QueryDocument, vars map[string]any, defaultPage int) Stats {
	a := newAnalyzer(schema, doc, vars, defaultPage)
	for _, op := range doc.Operations {
		a.addDefaults(op)
	}
	var all Stats
	for _, op := range doc.Operations {
		all = most(all, a.operation(op))
	}
	for _, f := range doc.Fragments {
		if fs := a.fragment(f.Name); fs != nil {
			st := fs.st
			st.RootFields, st.Cost, st.Scans = 0, 0, 0
			if strings.HasPrefix(f.TypeCondition, "__") {
				st.Depth = 0 // introspection, whose depth the validator bounds (as under __schema)
			}
			all = most(all, st)
		}
	}
	return all
}

// most is the larger of each count of a and b.
func most(a, b Stats) Stats {
	return Stats{
		Depth: max(a.Depth, b.Depth), Aliases: max(a.Aliases, b.Aliases), Directives: max(a.Directives, b.Directives),
		RootFields: max(a.RootFields, b.RootFields), Cost: max(a.Cost, b.Cost), Repeats: max(a.Repeats, b.Repeats),
		Scans: max(a.Scans, b.Scans),
	}
}

func newAnalyzer(schema *ast.Schema, doc *ast.QueryDocument, vars map[string]any, defaultPage int) *analyzer {
	return &analyzer{schema: schema, doc: doc, vars: vars, defaultPage: defaultPage,
		defaults: map[string]*ast.Value{}, frags: map[string]*fragStats{}, visiting: map[string]bool{},
		introspection: introspectionCosts(schema)}
}

// addDefaults records the default values of op's variables; when two operations give one
// variable different defaults, the larger (by count) is kept.
func (a *analyzer) addDefaults(op *ast.OperationDefinition) {
	for _, v := range op.VariableDefinitions {
		if v.DefaultValue == nil {
			continue
		}
		old, ok := a.defaults[v.Variable]
		if !ok || a.count(v.DefaultValue) > a.count(old) {
			a.defaults[v.Variable] = v.DefaultValue
		}
	}
}

// count is how much a default value multiplies by: an int, or a list's length.
func (a *analyzer) count(v *ast.Value) int {
	if n, ok := a.listLen(v); ok {
		return n
	}
	n, _ := a.intValue(v)
	return n
}

func (a *analyzer) operation(op *ast.OperationDefinition) Stats {
	var root *ast.Definition
	if a.schema != nil {
		switch op.Operation {
		case ast.Mutation:
			root = a.schema.Mutation
		case ast.Subscription:
			root = a.schema.Subscription
		default:
			root = a.schema.Query
		}
	}
	st, _ := a.selection(op.SelectionSet, root)
	st.Directives = sat(st.Directives + len(op.Directives))
	return st
}

type analyzer struct {
	schema        *ast.Schema
	doc           *ast.QueryDocument
	vars          map[string]any
	defaults      map[string]*ast.Value
	defaultPage   int
	frags         map[string]*fragStats
	visiting      map[string]bool
	introspection introspection
}

// introspection prices the introspection root fields by what they return: __schema the whole
// schema (a tenth of a unit per type, field, argument and enum value, so GraphiQL's own
// introspection query stays far under the cost limit), __type one type (the largest one's
// members, likewise).
type introspection struct{ schema, typ int }

func introspectionCosts(schema *ast.Schema) introspection {
	if schema == nil {
		return introspection{1, 1}
	}
	total, largest := 0, 0
	for _, t := range schema.Types {
		n := 1 + len(t.EnumValues)
		for _, f := range t.Fields {
			n += 1 + len(f.Arguments)
		}
		total += n
		largest = max(largest, n)
	}
	return introspection{schema: 1 + total/10, typ: 1 + largest/10}
}

// scans tells whether the field name on the type typ reads a whole (filtered) table.
func scans(typ *ast.Definition, name string) bool {
	if typ == nil || name == "__typename" {
		return false
	}
	switch {
	case name == "totalCount" && strings.HasSuffix(typ.Name, "Connection"):
		return true
	case typ.Name == "Stats" || strings.HasSuffix(typ.Name, "Facets"):
		return true
	case name == "search" && typ.Name == "Query":
		return true
	}
	return false
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
				// GraphiQL's introspection query must pass whatever the limits. It is priced
				// by the size of what it returns.
				st.Depth = max(st.Depth, 1)
				if s.Name == "__schema" {
					st.Cost = sat(st.Cost + a.introspection.schema)
				} else {
					st.Cost = sat(st.Cost + a.introspection.typ)
				}
				continue
			}
			st.Depth = max(st.Depth, sat(1+sub.Depth))
			st.Scans = sat(st.Scans + sub.Scans)
			if scans(typ, s.Name) {
				st.Scans = sat(st.Scans + 1)
				st.Cost = sat(st.Cost + mul(a.multiplier(s, def), sub.Cost))
				continue
			}
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
		Scans:      sat(a.Scans + b.Scans),
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
		if x, given := a.vars[v.Raw]; given {
			return toInt(x)
		}
		if d := a.defaults[v.Raw]; d != nil && d.Kind != ast.Variable {
			return a.intValue(d)
		}
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
		if x, given := a.vars[v.Raw]; given {
			if l, ok := x.([]any); ok {
				return len(l), true
			}
			return 0, false
		}
		if d := a.defaults[v.Raw]; d != nil && d.Kind != ast.Variable {
			return a.listLen(d)
		}
	}
	return 0, false
}
