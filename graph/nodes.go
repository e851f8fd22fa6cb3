package graph

import (
	"context"

	"github.com/cybertrade/cybertrade/internal/apperr"
	"github.com/cybertrade/cybertrade/internal/globalid"
	"github.com/cybertrade/cybertrade/model"
	"github.com/cybertrade/cybertrade/store"
)

// MaxNodes bounds nodes(ids:).
const MaxNodes = 100

// first returns the first row, or a NOT_FOUND error.
func first[T any](rows []T, err error) (*T, error) {
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, apperr.Errorf(apperr.NotFound, "not found")
	}
	return &rows[0], nil
}

// node resolves a global id to its object.
func (r *Resolver) node(ctx context.Context, id string) (model.Node, error) {
	nodes, errs, err := r.nodes(ctx, []string{id})
	if err != nil {
		return nil, err
	}
	return nodes[0], errs[0]
}

// nodes resolves global ids to their objects with one statement per type asked for, in the
// order of ids. A malformed id is an INVALID_ARGUMENT error for the whole call; an unknown one
// gives a nil node and a NOT_FOUND error at its position.
func (r *Resolver) nodes(ctx context.Context, ids []string) ([]model.Node, []error, error) {
	type ref struct{ typ, key string }
	refs := make([]ref, len(ids))
	keys := map[string][]string{}
	for i, id := range ids {
		typ, key, err := globalid.Decode(id)
		if err != nil {
			return nil, nil, apperr.InvalidField("id", "%q is not a valid id; use an `id` returned by this API", id)
		}
		if typ == globalid.CompanyResponse {
			typ = globalid.CountryAction // both live in the moves table
		}
		refs[i] = ref{typ, key}
		keys[typ] = append(keys[typ], key)
	}
	found := map[ref]model.Node{}
	for typ, ks := range keys {
		var err error
		switch typ {
		case globalid.Country:
			err = collect(ctx, r.Store, found, r.Store.CountriesByCode, countryID, ks, func(c *model.Country) (ref, model.Node) { return ref{typ, c.Code}, c })
		case globalid.Company:
			err = collect(ctx, r.Store, found, r.Store.CompaniesBySlug, companyID, ks, func(c *model.Company) (ref, model.Node) { return ref{typ, c.Slug}, c })
		case globalid.Product:
			err = collect(ctx, r.Store, found, r.Store.ProductsBySlug, productID, ks, func(p *model.Product) (ref, model.Node) { return ref{typ, p.Slug}, p })
		case globalid.Case:
			err = collect(ctx, r.Store, found, r.Store.CasesBySlug, caseID, ks, func(c *model.Case) (ref, model.Node) { return ref{typ, c.Slug}, c })
		case globalid.Source:
			err = collect(ctx, r.Store, found, r.Store.SourcesByKey, sourceID, ks, func(s *model.Source) (ref, model.Node) { return ref{typ, s.Key}, s })
		case globalid.CountryAction:
			err = collect(ctx, r.Store, found, r.linkedMovesBySlug, nil, ks, func(m *model.MoveRecord) (ref, model.Node) {
				return ref{typ, m.Slug}, m.AsMove().(model.Node)
			})
		}
		if err != nil {
			return nil, nil, err
		}
	}
	out := make([]model.Node, len(ids))
	errs := make([]error, len(ids))
	for i, id := range ids {
		n, ok := found[refs[i]]
		// A move's id names its kind: an action's slug under CompanyResponse is not found.
		if ok && n.(interface{ ID() string }).ID() == id {
			out[i] = n
			continue
		}
		errs[i] = apperr.Errorf(apperr.NotFound, "object with id %s not found", id)
	}
	return out, errs, nil
}

// collect looks keys up with fetch and files every row found under its ref; the rows are one
// group.
func collect[T any, R comparable](ctx context.Context, st *store.Store, found map[R]model.Node, fetch func(context.Context, []string) ([]T, error), id func(*T) int64, keys []string, ref func(*T) (R, model.Node)) error {
	rows, err := fetch(ctx, keys)
	if err != nil {
		return err
	}
	if id != nil {
		registerRows(ctx, st, rows, id) // the nodes of a type: one group (moves are linked instead)
	}
	for i := range rows {
		k, n := ref(&rows[i])
		found[k] = n
	}
	return nil
}

// linkedMovesBySlug reads moves by slug and links them as one group.
func (r *Resolver) linkedMovesBySlug(ctx context.Context, slugs []string) ([]model.MoveRecord, error) {
	rows, err := r.Store.MovesBySlug(ctx, slugs)
	linkItems(ctx, r.Store, rows)
	return rows, err
}

// relabel names what was asked for in a NOT_FOUND error.
func relabel(err error, what string) error {
	if apperr.Code(err) == apperr.NotFound {
		return apperr.Errorf(apperr.NotFound, "%s not found", what)
	}
	return err
}
