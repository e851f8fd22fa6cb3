package graph

import (
	"context"
	"fmt"
	"sync"

	"github.com/cybertrade/cybertrade/model"
	"github.com/cybertrade/cybertrade/store"
	"github.com/cybertrade/cybertrade/store/reads"
)

// moveGroup links the moves one producer returns (a page, the pages of one batch, the replies
// of a group, a node, a chain…). The first of them asked for a relation loads it for all of
// them in one statement; the others find it loaded. So a relation costs one statement per
// producer, whatever the number of moves, and gqlgen resolves the relation fields inline, as
// methods of the model (model.MoveLinks), with no goroutine or loader per field.
type moveGroup struct {
	// ctx is the producer's: the loads run for the request that produced the moves, after
	// their resolver returned (gqlgen marshals the moves later, in the same request).
	ctx  context.Context
	st   *store.Store
	recs []*model.MoveRecord

	company   once[*model.Company]
	country   once[*model.Country]
	cas       once[*model.Case]
	replies   once[[]model.Move]
	inReplyTo once[[]model.Move]
	sources   once[[]*model.Source]
	products  once[[]*model.Product]
	targets   once[[]*model.Company]
	counter   once[[]*model.Country]
	concerns  once[[]model.Concern]
}

// once holds one relation of a group, loaded on first use.
type once[V any] struct {
	once sync.Once
	by   map[int64]V
	err  error
}

func (o *once[V]) get(load func() (map[int64]V, error)) (map[int64]V, error) {
	o.once.Do(func() { o.by, o.err = load() })
	return o.by, o.err
}

// link makes recs one group: their relations load together.
func link(ctx context.Context, st *store.Store, recs ...*model.MoveRecord) {
	if len(recs) == 0 {
		return
	}
	g := &moveGroup{ctx: ctx, st: st, recs: recs}
	for _, r := range recs {
		r.Links = g
	}
}

// linkItems links the moves of a slice (a page's items) as one group.
func linkItems(ctx context.Context, st *store.Store, items []model.MoveRecord) {
	link(ctx, st, pointers(items)...)
}

// byRowID loads rows by id for the distinct keys of a group; the rows are one group in turn
// (groups.go), so their own relations load once for all of them.
func byRowID[T any](ctx context.Context, st *store.Store, ids []int64, fetch func(context.Context, []int64) ([]T, error), id func(*T) int64) (map[int64]*T, error) {
	rows, err := fetch(ctx, ids)
	if err != nil {
		return nil, err
	}
	ptrs := pointers(rows)
	out := make(map[int64]*T, len(rows))
	for _, p := range ptrs {
		out[id(p)] = p
	}
	register(ctx, st, ptrs, id)
	return out, nil
}

// keys are the distinct non-zero keys of the group's moves.
func (g *moveGroup) keys(key func(*model.MoveRecord) int64) []int64 {
	return distinctKeys(g.recs, key)
}

func found[V any](by map[int64]V, err error, key int64, what string) (V, error) {
	v, ok := by[key]
	if err == nil && !ok {
		err = fmt.Errorf("%s %d not found", what, key)
	}
	return v, err
}

// Company is a response's company.
func (g *moveGroup) Company(m *model.MoveRecord) (*model.Company, error) {
	if m.CompanyID == nil {
		return nil, nil
	}
	by, err := g.company.get(func() (map[int64]*model.Company, error) {
		ids := g.keys(func(r *model.MoveRecord) int64 {
			if r.CompanyID == nil {
				return 0
			}
			return *r.CompanyID
		})
		return byRowID(g.ctx, g.st, ids, g.st.CompaniesByID, companyID)
	})
	return found(by, err, *m.CompanyID, "company")
}

// Country is the move's country.
func (g *moveGroup) Country(m *model.MoveRecord) (*model.Country, error) {
	by, err := g.country.get(func() (map[int64]*model.Country, error) {
		ids := g.keys(func(r *model.MoveRecord) int64 { return r.CountryID })
		return byRowID(g.ctx, g.st, ids, g.st.CountriesByID, countryID)
	})
	return found(by, err, m.CountryID, "country")
}

// Case is the move's case.
func (g *moveGroup) Case(m *model.MoveRecord) (*model.Case, error) {
	by, err := g.cas.get(func() (map[int64]*model.Case, error) {
		ids := g.keys(func(r *model.MoveRecord) int64 { return r.CaseID })
		return byRowID(g.ctx, g.st, ids, g.st.CasesByID, caseID)
	})
	return found(by, err, m.CaseID, "case")
}

// Linked are the moves that answered m (replies) or that m answers. The linked moves of the
// whole group are one group in turn, so their own relations load once for all of them.
func (g *moveGroup) Linked(m *model.MoveRecord, replies bool) ([]model.Move, error) {
	o, rel := &g.inReplyTo, reads.MoveInReplyTo
	if replies {
		o, rel = &g.replies, reads.MoveReplies
	}
	by, err := o.get(func() (map[int64][]model.Move, error) {
		rows, err := reads.RelatedRows[model.MoveRecord](g.ctx, g.st.Reader, rel, g.keys(func(r *model.MoveRecord) int64 { return r.RowID }))
		if err != nil {
			return nil, err
		}
		var recs []*model.MoveRecord
		out := make(map[int64][]model.Move, len(rows))
		for p, items := range rows {
			moves := make([]model.Move, len(items))
			for i := range items {
				recs = append(recs, &items[i])
				moves[i] = items[i].AsMove()
			}
			out[p] = moves
		}
		link(g.ctx, g.st, recs...)
		return out, nil
	})
	if err != nil {
		return nil, err
	}
	if ms := by[m.RowID]; ms != nil {
		return ms, nil
	}
	return []model.Move{}, nil
}

// ids are the row ids of the group's moves.
func (g *moveGroup) ids() []int64 {
	out := make([]int64, len(g.recs))
	for i, r := range g.recs {
		out[i] = r.RowID
	}
	return out
}

// children loads a relation's child rows for the whole group once and returns m's; the
// children of the whole group are one group in turn.
func children[T any](g *moveGroup, o *once[[]*T], rel reads.Relation, m *model.MoveRecord, id func(*T) int64) ([]*T, error) {
	by, err := o.get(func() (map[int64][]*T, error) { return related(g.ctx, g.st, rel, g.ids(), id) })
	return childrenOf(by, err, m.RowID)
}

// Sources are the move's sources.
func (g *moveGroup) Sources(m *model.MoveRecord) ([]*model.Source, error) {
	return children(g, &g.sources, reads.MoveSources, m, sourceID)
}

// Products are the move's products.
func (g *moveGroup) Products(m *model.MoveRecord) ([]*model.Product, error) {
	return children(g, &g.products, reads.MoveProducts, m, productID)
}

// TargetCompanies are the companies an action targets.
func (g *moveGroup) TargetCompanies(m *model.MoveRecord) ([]*model.Company, error) {
	return children(g, &g.targets, reads.MoveTargetCompanies, m, companyID)
}

// Counterparts are the other countries an action concerns.
func (g *moveGroup) Counterparts(m *model.MoveRecord) ([]*model.Country, error) {
	return children(g, &g.counter, reads.MoveCounterparts, m, countryID)
}

// Concerns are why a country acted.
func (g *moveGroup) Concerns(m *model.MoveRecord) ([]model.Concern, error) {
	by, err := g.concerns.get(func() (map[int64][]model.Concern, error) { return g.st.Concerns(g.ctx, g.ids()) })
	if err != nil {
		return nil, err
	}
	if c := by[m.RowID]; c != nil {
		return c, nil
	}
	return []model.Concern{}, nil
}
