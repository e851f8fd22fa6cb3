package render

import (
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/cybertrade/cybertrade/model"
)

// The object types below mirror the schema's fields that the generated executor reads from a
// struct field or a context-free method (graph/generated.go: `return obj.X, nil` or
// `return obj.X()`). A field not listed (a resolver, a nested page, a count, facets) gives up.

// connection writes a page of moves: edges, nodes and pageInfo (totalCount and facets run
// queries of their own: they give up).
func (w *writer) connection(typ, edgeType string, sel ast.SelectionSet, pi *model.PageInfo, n int, edge func(i int) (string, model.Move)) bool {
	return w.object(typ, sel, func(f *graphql.CollectedField) bool {
		switch f.Name {
		case "edges":
			w.buf = append(w.buf, '[')
			for i := range n {
				if i > 0 {
					w.buf = append(w.buf, ',')
				}
				cursor, node := edge(i)
				if !w.object(edgeType, f.Selections, func(f *graphql.CollectedField) bool {
					switch f.Name {
					case "cursor":
						w.str(cursor)
						return true
					case "node":
						return w.move(node, f.Selections)
					}
					return false
				}) {
					return false
				}
			}
			w.buf = append(w.buf, ']')
			return true
		case "nodes":
			w.buf = append(w.buf, '[')
			for i := range n {
				if i > 0 {
					w.buf = append(w.buf, ',')
				}
				if _, node := edge(i); !w.move(node, f.Selections) {
					return false
				}
			}
			w.buf = append(w.buf, ']')
			return true
		case "pageInfo":
			return pi != nil && w.pageInfo(pi, f.Selections)
		}
		return false
	})
}

func (w *writer) pageInfo(pi *model.PageInfo, sel ast.SelectionSet) bool {
	return w.object("PageInfo", sel, func(f *graphql.CollectedField) bool {
		switch f.Name {
		case "hasNextPage":
			w.bool(pi.HasNextPage)
		case "hasPreviousPage":
			w.bool(pi.HasPreviousPage)
		case "startCursor":
			w.optStr(pi.StartCursor)
		case "endCursor":
			w.optStr(pi.EndCursor)
		default:
			return false
		}
		return true
	})
}

// move writes a CountryAction or a CompanyResponse; a nil move gives up (moves are non-null
// wherever the schema has them).
func (w *writer) move(mv model.Move, sel ast.SelectionSet) bool {
	var m *model.MoveRecord
	var typ, id, option string
	switch v := mv.(type) {
	case *model.CompanyResponse:
		if v == nil || v.MoveRecord == nil {
			return false
		}
		m, typ = v.MoveRecord, "CompanyResponse"
		option = string(v.Option())
		id = v.ID()
	case *model.CountryAction:
		if v == nil || v.MoveRecord == nil {
			return false
		}
		m, typ = v.MoveRecord, "CountryAction"
		option = string(v.Option())
		id = v.ID()
	default:
		return false
	}
	action := typ == "CountryAction"
	return w.object(typ, sel, func(f *graphql.CollectedField) bool {
		switch f.Name {
		case "id":
			w.str(id)
		case "slug":
			w.str(m.Slug)
		case "kind":
			w.enum(string(m.Kind))
		case "moveOption", "option":
			w.enum(option)
		case "date":
			w.str(m.Date)
		case "datePrecision":
			w.enum(string(m.DatePrecision))
		case "dateStart":
			w.str(m.DateStart)
		case "dateEnd":
			w.str(m.DateEnd)
		case "instrument":
			w.enum(string(m.Instrument))
		case "title":
			w.str(m.Title)
		case "summary":
			w.str(m.Summary)
		case "actor":
			w.optStr(m.Actor)
		case "confidence":
			w.enum(string(m.Confidence))
		case "codingNote":
			w.optStr(m.CodingNote)
		case "company":
			if action {
				return false
			}
			c, err := m.Company()
			return err == nil && c != nil && w.company(c, f.Selections)
		case "country":
			c, err := m.Country()
			return err == nil && c != nil && w.country(c, f.Selections)
		case "case":
			c, err := m.Case()
			return err == nil && c != nil && w.caseOf(c, f.Selections)
		case "sources":
			ss, err := m.Sources()
			return err == nil && list(w, ss, f.Definition.Type, func(s *model.Source) bool { return w.source(s, f.Selections) })
		case "products", "targetProducts":
			if f.Name == "targetProducts" && !action {
				return false
			}
			ps, err := m.Products()
			return err == nil && list(w, ps, f.Definition.Type, func(p *model.Product) bool { return w.product(p, f.Selections) })
		case "targetCompanies":
			cs, err := m.TargetCompanies()
			return action && err == nil && list(w, cs, f.Definition.Type, func(c *model.Company) bool { return w.company(c, f.Selections) })
		case "counterparts":
			cs, err := m.Counterparts()
			return action && err == nil && list(w, cs, f.Definition.Type, func(c *model.Country) bool { return w.country(c, f.Selections) })
		case "concerns":
			if !action {
				return false
			}
			cs, err := m.Concerns()
			if err != nil {
				return false
			}
			w.buf = append(w.buf, '[')
			for i, c := range cs {
				if i > 0 {
					w.buf = append(w.buf, ',')
				}
				w.enum(string(c))
			}
			w.buf = append(w.buf, ']')
		case "replies", "inReplyTo":
			var ms []model.Move
			var err error
			if f.Name == "replies" {
				ms, err = m.Replies()
			} else {
				ms, err = m.InReplyTo()
			}
			return err == nil && list(w, ms, f.Definition.Type, func(mv model.Move) bool { return w.move(mv, f.Selections) })
		default:
			return w.record(f.Name, m.CreatedAt, m.UpdatedAt, m.Version)
		}
		return true
	})
}

func (w *writer) company(c *model.Company, sel ast.SelectionSet) bool {
	return w.object("Company", sel, func(f *graphql.CollectedField) bool {
		switch f.Name {
		case "id":
			w.str(c.ID())
		case "slug":
			w.str(c.Slug)
		case "name":
			w.str(c.Name)
		case "aliases":
			w.strs(c.Aliases)
		case "sector":
			w.str(c.Sector)
		case "description":
			w.str(c.Description)
		default:
			return w.record(f.Name, c.CreatedAt, c.UpdatedAt, c.Version)
		}
		return true
	})
}

func (w *writer) country(c *model.Country, sel ast.SelectionSet) bool {
	return w.object("Country", sel, func(f *graphql.CollectedField) bool {
		switch f.Name {
		case "id":
			w.str(c.ID())
		case "code":
			w.str(c.Code)
		case "name":
			w.str(c.Name)
		case "region":
			w.str(c.Region)
		case "supranational":
			w.bool(c.Supranational)
		case "codeStatus":
			w.enum(string(c.CodeStatus))
		default:
			return w.record(f.Name, c.CreatedAt, c.UpdatedAt, c.Version)
		}
		return true
	})
}

func (w *writer) caseOf(c *model.Case, sel ast.SelectionSet) bool {
	return w.object("Case", sel, func(f *graphql.CollectedField) bool {
		switch f.Name {
		case "id":
			w.str(c.ID())
		case "slug":
			w.str(c.Slug)
		case "title":
			w.str(c.Title)
		case "summary":
			w.str(c.Summary)
		case "startDate":
			w.optStr(c.StartDate)
		case "endDate":
			w.optStr(c.EndDate)
		default:
			return w.record(f.Name, c.CreatedAt, c.UpdatedAt, c.Version)
		}
		return true
	})
}

func (w *writer) source(s *model.Source, sel ast.SelectionSet) bool {
	return w.object("Source", sel, func(f *graphql.CollectedField) bool {
		switch f.Name {
		case "id":
			w.str(s.ID())
		case "key":
			w.str(s.Key)
		case "title":
			w.str(s.Title)
		case "publisher":
			w.str(s.Publisher)
		case "date":
			w.str(s.Date)
		case "datePrecision":
			w.enum(string(s.DatePrecision))
		case "url":
			w.str(s.URL)
		case "note":
			w.optStr(s.Note)
		default:
			return w.record(f.Name, s.CreatedAt, s.UpdatedAt, s.Version)
		}
		return true
	})
}

func (w *writer) product(p *model.Product, sel ast.SelectionSet) bool {
	return w.object("Product", sel, func(f *graphql.CollectedField) bool {
		switch f.Name {
		case "id":
			w.str(p.ID())
		case "slug":
			w.str(p.Slug)
		case "name":
			w.str(p.Name)
		case "category":
			w.enum(string(p.Category))
		case "description":
			w.str(p.Description)
		default:
			return w.record(f.Name, p.CreatedAt, p.UpdatedAt, p.Version)
		}
		return true
	})
}

// record writes the fields every record has (createdAt, updatedAt, version); any other field
// gives up.
func (w *writer) record(name string, created, updated time.Time, version int) bool {
	switch name {
	case "createdAt":
		return w.stamp(created)
	case "updatedAt":
		return w.stamp(updated)
	case "version":
		w.int(version)
		return true
	}
	return false
}
