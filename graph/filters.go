package graph

import (
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

func actionQuery(f *model.ActionFilter, o *model.MoveOrder) (reads.MoveQuery, error) {
	q := reads.MoveQuery{Kinds: []model.MoveKind{model.MoveKindAction}, Desc: desc(o)}
	if f == nil {
		return q, nil
	}
	from, to, err := dateRange(f.From, f.To)
	if err != nil {
		return q, err
	}
	q.CountryOptions, q.Countries, q.Companies, q.Concerns = f.Options, f.Countries, f.Companies, f.Concerns
	q.Categories, q.Cases, q.From, q.To, q.Confidence = f.Categories, f.Cases, from, to, f.Confidence
	q.UpdatedAfter, q.Instruments = f.UpdatedAfter, f.Instruments
	return q, nil
}

func responseQuery(f *model.ResponseFilter, o *model.MoveOrder) (reads.MoveQuery, error) {
	q := reads.MoveQuery{Kinds: []model.MoveKind{model.MoveKindResponse}, Desc: desc(o)}
	if f == nil {
		return q, nil
	}
	from, to, err := dateRange(f.From, f.To)
	if err != nil {
		return q, err
	}
	q.CompanyOptions, q.Countries, q.Companies, q.Concerns = f.Options, f.Countries, f.Companies, f.Concerns
	q.Categories, q.Cases, q.From, q.To, q.Confidence = f.Categories, f.Cases, from, to, f.Confidence
	q.UpdatedAfter, q.Instruments = f.UpdatedAfter, f.Instruments
	return q, nil
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
