// Package render writes the answer of a field straight to JSON when every field selected
// under it is a plain value of the model: the pages of moves, the moves and the leaf fields of
// the entities they link to. gqlgen's executor pays for every field it resolves (a field
// context, a context value, closures, a boxed value, a marshaller: about a dozen allocations
// each, the bulk of a request's), though most fields of a page are struct fields or
// context-free methods that need none of it.
//
// Field is a gqlgen field middleware. After the field's resolver has run (gqlgen coerced its
// arguments and reports its errors), it walks the selection set over the result with gqlgen's
// own CollectFields (fragments, type conditions, @skip/@include, aliases) and writes what gqlgen
// would write, byte for byte. Whatever it does not serve makes it give up and hand the result
// back to gqlgen, which then resolves that subtree field by field as before (and offers the
// fields below to Field again): a field with arguments or a context (nested pages, counts,
// facets, resolvers), a null where the schema says non-null, an error from a relation, a
// panic, @defer. So errors, their paths and null propagation always come from gqlgen; a
// relation a walk loaded before giving up is loaded once per group (graph/links.go), so
// giving up costs no statement.
package render

import (
	"context"
	"io"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/cybertrade/cybertrade/model"
)

// Renderer renders fields of one schema.
type Renderer struct {
	// satisfies lists, per object type, the type and the interfaces and unions it belongs
	// to: what CollectFields matches type conditions against (gqlgen's "implementors").
	satisfies map[string][]string
}

// New returns a renderer for schema.
func New(schema *ast.Schema) *Renderer {
	r := &Renderer{satisfies: map[string][]string{}}
	for name, def := range schema.Types {
		if def.Kind != ast.Object {
			continue
		}
		s := []string{name}
		for _, i := range schema.GetImplements(def) {
			s = append(s, i.Name)
		}
		r.satisfies[name] = s
	}
	return r
}

// JSON is a rendered answer.
type JSON []byte

// MarshalGQL writes the answer.
func (j JSON) MarshalGQL(w io.Writer) { _, _ = w.Write(j) }

var buffers = sync.Pool{New: func() any { b := make([]byte, 0, 4096); return &b }}

// Field is the gqlgen field middleware: it renders the field's result when it can.
func (r *Renderer) Field(ctx context.Context, next graphql.Resolver) (any, error) {
	res, err := next(ctx)
	if err != nil || res == nil {
		return res, err
	}
	fc := graphql.GetFieldContext(ctx)
	if fc == nil || len(fc.Field.Selections) == 0 || !renderable(res) {
		return res, err
	}
	if out, ok := r.render(ctx, res, fc.Field); ok {
		return out, nil
	}
	return res, nil
}

// renderable reports whether res is of a type the renderer walks.
func renderable(res any) bool {
	switch res.(type) {
	case *model.CompanyResponseConnection, *model.CountryActionConnection, *model.MoveConnection,
		*model.CompanyResponse, *model.CountryAction, []model.Move,
		*model.Company, *model.Country, *model.Case, *model.Source, *model.Product,
		[]*model.Company, []*model.Country, []*model.Source, []*model.Product:
		return true
	}
	return false
}

func (r *Renderer) render(ctx context.Context, res any, field graphql.CollectedField) (out JSON, ok bool) {
	bp := buffers.Get().(*[]byte)
	w := &writer{r: r, oc: graphql.GetOperationContext(ctx), buf: (*bp)[:0]}
	defer func() {
		if p := recover(); p != nil {
			ok = false // gqlgen resolves the subtree again and reports the panic where it happens
		}
		if ok {
			out = JSON(slices.Clone(w.buf))
		}
		*bp = w.buf[:0]
		buffers.Put(bp)
	}()
	return nil, w.value(res, field.Selections, field.Definition.Type)
}

// writer accumulates one rendered answer. Each method returns false to give up.
type writer struct {
	r   *Renderer
	oc  *graphql.OperationContext
	buf []byte
}

// value writes res, of the GraphQL type t, selecting sel.
func (w *writer) value(res any, sel ast.SelectionSet, t *ast.Type) bool {
	switch v := res.(type) {
	case *model.CompanyResponseConnection:
		return w.connection("CompanyResponseConnection", "CompanyResponseEdge", sel, v.PageInfo, len(v.Edges),
			func(i int) (string, model.Move) { return v.Edges[i].Cursor, v.Edges[i].Node })
	case *model.CountryActionConnection:
		return w.connection("CountryActionConnection", "CountryActionEdge", sel, v.PageInfo, len(v.Edges),
			func(i int) (string, model.Move) { return v.Edges[i].Cursor, v.Edges[i].Node })
	case *model.MoveConnection:
		return w.connection("MoveConnection", "MoveEdge", sel, v.PageInfo, len(v.Edges),
			func(i int) (string, model.Move) { return v.Edges[i].Cursor, v.Edges[i].Node })
	case *model.CompanyResponse, *model.CountryAction:
		return w.move(v.(model.Move), sel)
	case []model.Move:
		return list(w, v, t, func(m model.Move) bool { return w.move(m, sel) })
	case *model.Company:
		return w.company(v, sel)
	case *model.Country:
		return w.country(v, sel)
	case *model.Case:
		return w.caseOf(v, sel)
	case *model.Source:
		return w.source(v, sel)
	case *model.Product:
		return w.product(v, sel)
	case []*model.Company:
		return list(w, v, t, func(c *model.Company) bool { return w.company(c, sel) })
	case []*model.Country:
		return list(w, v, t, func(c *model.Country) bool { return w.country(c, sel) })
	case []*model.Source:
		return list(w, v, t, func(s *model.Source) bool { return w.source(s, sel) })
	case []*model.Product:
		return list(w, v, t, func(p *model.Product) bool { return w.product(p, sel) })
	}
	return false
}

// list writes a list of objects of the list type t. A nil list is null when t is nullable
// ([] otherwise, as gqlgen writes it); a nil element is null, or gives up when the elements
// are non-null.
func list[T comparable](w *writer, items []T, t *ast.Type, item func(T) bool) bool {
	var zero T
	if t == nil {
		return false
	}
	if items == nil && !t.NonNull {
		w.buf = append(w.buf, "null"...)
		return true
	}
	w.buf = append(w.buf, '[')
	for i, it := range items {
		if i > 0 {
			w.buf = append(w.buf, ',')
		}
		if it == zero {
			if t.Elem == nil || t.Elem.NonNull {
				return false
			}
			w.buf = append(w.buf, "null"...)
			continue
		}
		if !item(it) {
			return false
		}
	}
	w.buf = append(w.buf, ']')
	return true
}

// object collects the fields selected on an object of type typ and writes the object, calling
// each for every field (after its key) until one gives up. A field collected twice under the
// same alias is written once, as gqlgen writes it.
func (w *writer) object(typ string, sel ast.SelectionSet, each func(f *graphql.CollectedField) bool) bool {
	fields := graphql.CollectFields(w.oc, sel, w.r.satisfies[typ])
	w.buf = append(w.buf, '{')
	first := true
	for i := range fields {
		f := &fields[i]
		if len(f.Deferrables) > 0 {
			return false
		}
		if written(fields[:i], f.Alias) {
			continue
		}
		if !first {
			w.buf = append(w.buf, ',')
		}
		first = false
		w.str(f.Alias)
		w.buf = append(w.buf, ':')
		if f.Name == "__typename" {
			w.str(typ)
			continue
		}
		if len(f.Arguments) > 0 || !each(f) {
			return false
		}
	}
	w.buf = append(w.buf, '}')
	return true
}

func written(before []graphql.CollectedField, alias string) bool {
	for i := range before {
		if before[i].Alias == alias {
			return true
		}
	}
	return false
}

// str writes s as gqlgen's MarshalString does.
func (w *writer) str(s string) {
	const hex = "0123456789ABCDEF"
	start := 0
	w.buf = append(w.buf, '"')
	for i, c := range s {
		if c < 0x20 || c == '\\' || c == '"' {
			w.buf = append(w.buf, s[start:i]...)
			switch c {
			case '\t':
				w.buf = append(w.buf, `\t`...)
			case '\r':
				w.buf = append(w.buf, `\r`...)
			case '\n':
				w.buf = append(w.buf, `\n`...)
			case '\\':
				w.buf = append(w.buf, `\\`...)
			case '"':
				w.buf = append(w.buf, `\"`...)
			default:
				w.buf = append(w.buf, `\u00`...)
				w.buf = append(w.buf, hex[c>>4], hex[c&0xf])
			}
			start = i + 1
		}
	}
	w.buf = append(w.buf, s[start:]...)
	w.buf = append(w.buf, '"')
}

// optStr writes a nullable string.
func (w *writer) optStr(s *string) {
	if s == nil {
		w.buf = append(w.buf, "null"...)
		return
	}
	w.str(*s)
}

// enum writes an enum value as the generated MarshalGQL does (strconv.Quote).
func (w *writer) enum(s string) { w.buf = strconv.AppendQuote(w.buf, s) }

// stamp writes a non-null Time as graphql.MarshalTime does; the zero time (which gqlgen
// answers with an invalid-null error) gives up.
func (w *writer) stamp(t time.Time) bool {
	if t.IsZero() {
		return false
	}
	// strconv.Quote of an RFC 3339 time: its characters need no escape.
	w.buf = append(w.buf, '"')
	w.buf = t.AppendFormat(w.buf, time.RFC3339Nano)
	w.buf = append(w.buf, '"')
	return true
}

func (w *writer) int(n int)   { w.buf = strconv.AppendInt(w.buf, int64(n), 10) }
func (w *writer) bool(b bool) { w.buf = strconv.AppendBool(w.buf, b) }

// strs writes a list of strings.
func (w *writer) strs(ss []string) {
	w.buf = append(w.buf, '[')
	for i, s := range ss {
		if i > 0 {
			w.buf = append(w.buf, ',')
		}
		w.str(s)
	}
	w.buf = append(w.buf, ']')
}
