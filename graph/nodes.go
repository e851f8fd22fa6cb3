package graph

import (
	"context"
	"errors"

	"github.com/cybertrade/cybertrade/internal/batch"

	"github.com/cybertrade/cybertrade/internal/apperr"
	"github.com/cybertrade/cybertrade/internal/globalid"
	"github.com/cybertrade/cybertrade/model"
)

// MaxNodes bounds nodes(ids:).
const MaxNodes = 100

// notFound maps a loader's miss to a NOT_FOUND error naming what was asked for.
func notFound(err error, what string) error {
	if errors.Is(err, batch.ErrNotFound) {
		return apperr.Errorf(apperr.NotFound, "%s not found", what)
	}
	return err
}

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
	typ, key, err := globalid.Decode(id)
	if err != nil {
		return nil, apperr.InvalidField("id", "%q is not a valid id; use an `id` returned by this API", id)
	}
	what := "object with id " + id
	var n model.Node
	switch typ {
	case globalid.Country:
		var c *model.Country
		if c, err = first(r.Store.CountriesByCode(ctx, []string{key})); err == nil {
			n = c
		}
	case globalid.Company:
		var c *model.Company
		if c, err = first(r.Store.CompaniesBySlug(ctx, []string{key})); err == nil {
			n = c
		}
	case globalid.Product:
		var p *model.Product
		if p, err = first(r.Store.ProductsBySlug(ctx, []string{key})); err == nil {
			n = p
		}
	case globalid.Case:
		var c *model.Case
		if c, err = first(r.Store.CasesBySlug(ctx, []string{key})); err == nil {
			n = c
		}
	case globalid.Source:
		var s *model.Source
		if s, err = first(r.Store.SourcesByKey(ctx, []string{key})); err == nil {
			n = s
		}
	case globalid.CountryAction, globalid.CompanyResponse:
		var m *model.MoveRecord
		if m, err = first(r.Store.MovesBySlug(ctx, []string{key})); err == nil {
			mv := m.AsMove()
			if globalid.Encode(typ, key) != mv.(model.Node).(interface{ ID() string }).ID() {
				return nil, apperr.Errorf(apperr.NotFound, "%s not found", what)
			}
			n = mv.(model.Node)
		}
	}
	if err != nil {
		return nil, notFound(relabel(err, what), what)
	}
	return n, nil
}

// relabel names what was asked for in a NOT_FOUND error.
func relabel(err error, what string) error {
	if apperr.Code(err) == apperr.NotFound {
		return apperr.Errorf(apperr.NotFound, "%s not found", what)
	}
	return err
}
