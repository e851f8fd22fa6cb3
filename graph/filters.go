package graph

import (
	"time"

	"github.com/cybertrade/cybertrade/internal/apperr"
	"github.com/cybertrade/cybertrade/internal/isodate"
	"github.com/cybertrade/cybertrade/model"
	"github.com/cybertrade/cybertrade/store/reads"
)

// dateRange validates a filter's from/to days and that from is not after to.
func dateRange(from, to *string) (string, string, error) {
	var f, t string
	var err error
	if from != nil {
		if f, err = isodate.ParseDay(*from); err != nil {
			return "", "", apperr.InvalidField("filter.from", "%v", err)
		}
	}
	if to != nil {
		if t, err = isodate.ParseDay(*to); err != nil {
			return "", "", apperr.InvalidField("filter.to", "%v", err)
		}
	}
	if f != "" && t != "" && f > t {
		return "", "", apperr.InvalidField("filter.from", "the range is inverted: from %s is after to %s", f, t)
	}
	return f, t, nil
}

func desc(o *model.MoveOrder) bool { return o != nil && o.Direction == model.OrderDirectionDesc }

// actionQuery and responseQuery are moveQuery for one kind of move.
func actionQuery(f *model.ActionFilter, o *model.MoveOrder) (reads.MoveQuery, error) {
	mf := model.MoveFilter{Kinds: []model.MoveKind{model.MoveKindAction}}
	if f != nil {
		mf = model.MoveFilter{Kinds: mf.Kinds, CountryOptions: f.Options, Countries: f.Countries, Companies: f.Companies,
			Concerns: f.Concerns, Categories: f.Categories, Cases: f.Cases, From: f.From, To: f.To, Confidence: f.Confidence,
			UpdatedAfter: f.UpdatedAfter, Instruments: f.Instruments}
	}
	return moveQuery(&mf, o)
}

func responseQuery(f *model.ResponseFilter, o *model.MoveOrder) (reads.MoveQuery, error) {
	mf := model.MoveFilter{Kinds: []model.MoveKind{model.MoveKindResponse}}
	if f != nil {
		mf = model.MoveFilter{Kinds: mf.Kinds, CompanyOptions: f.Options, Countries: f.Countries, Companies: f.Companies,
			Concerns: f.Concerns, Categories: f.Categories, Cases: f.Cases, From: f.From, To: f.To, Confidence: f.Confidence,
			UpdatedAfter: f.UpdatedAfter, Instruments: f.Instruments}
	}
	return moveQuery(&mf, o)
}

func moveQuery(f *model.MoveFilter, o *model.MoveOrder) (reads.MoveQuery, error) {
	q := reads.MoveQuery{Desc: desc(o)}
	if f == nil {
		return q, nil
	}
	from, to, err := dateRange(f.From, f.To)
	if err != nil {
		return q, err
	}
	q.Kinds, q.CountryOptions, q.CompanyOptions = f.Kinds, f.CountryOptions, f.CompanyOptions
	q.Countries, q.Companies, q.Concerns, q.Categories = f.Countries, f.Companies, f.Concerns, f.Categories
	q.Cases, q.From, q.To, q.Confidence = f.Cases, from, to, f.Confidence
	q.UpdatedAfter, q.Instruments = f.UpdatedAfter, f.Instruments
	return q, nil
}

func companyQuery(f *model.CompanyFilter) (reads.CompanyQuery, error) {
	var q reads.CompanyQuery
	if f == nil {
		return q, nil
	}
	q.HomeCountries, q.Categories, q.UpdatedAfter = f.HomeCountries, f.Categories, f.UpdatedAfter
	if f.Text != nil {
		q.Text = *f.Text
	}
	if len(f.Countries) > 0 || len(f.CountryOptions) > 0 || len(f.CompanyOptions) > 0 || len(f.Concerns) > 0 || f.From != nil || f.To != nil {
		mq, err := moveQuery(&model.MoveFilter{Countries: f.Countries, CountryOptions: f.CountryOptions,
			CompanyOptions: f.CompanyOptions, Concerns: f.Concerns, From: f.From, To: f.To}, nil)
		if err != nil {
			return q, err
		}
		q.Moves = &mq
	}
	return q, nil
}

func productQuery(f *model.ProductFilter) (reads.ProductQuery, error) {
	if f == nil {
		return reads.ProductQuery{}, nil
	}
	return reads.ProductQuery{Categories: f.Categories, Companies: f.Companies, UpdatedAfter: f.UpdatedAfter}, nil
}

func countryQuery(f *model.CountryFilter) (reads.CountryQuery, error) {
	if f == nil {
		return reads.CountryQuery{}, nil
	}
	return reads.CountryQuery{Codes: f.Codes, Regions: f.Regions, HasActions: f.HasActions, UpdatedAfter: f.UpdatedAfter}, nil
}

func caseQuery(f *model.MoveFilter, updatedAfter *time.Time) (reads.CaseQuery, error) {
	q := reads.CaseQuery{UpdatedAfter: updatedAfter}
	if f != nil {
		mq, err := moveQuery(f, nil)
		if err != nil {
			return q, err
		}
		q.Moves = &mq
	}
	return q, nil
}
