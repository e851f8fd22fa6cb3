package reads

import (
	"context"
	"time"

	"github.com/cybertrade/cybertrade/model"
	"github.com/cybertrade/cybertrade/store/core"
)

// Dataset returns the loaded dataset's metadata and counts, in two statements.
func (s *Reader) Dataset(ctx context.Context) (*model.Dataset, error) {
	var meta DatasetMeta
	if err := s.db.Read(ctx).Raw("SELECT version, title, license, license_url, citation, loaded_at FROM dataset_meta WHERE id = 1").Scan(&meta).Error; err != nil {
		return nil, core.Translate(err, "dataset")
	}
	var c struct {
		Cases, Actions, Responses, ActingCountries, Countries, Companies, Products, Sources, Links int
		LastCountry, LastCompany, LastProduct, LastCase, LastMove, LastSource                      *string
	}
	err := s.db.Read(ctx).Raw(`SELECT
		(SELECT COUNT(*) FROM cases WHERE deleted_at IS NULL) AS cases,
		(SELECT COUNT(*) FROM moves WHERE kind = 'ACTION' AND deleted_at IS NULL) AS actions,
		(SELECT COUNT(*) FROM moves WHERE kind = 'RESPONSE' AND deleted_at IS NULL) AS responses,
		(SELECT COUNT(DISTINCT country_id) FROM moves WHERE kind = 'ACTION' AND deleted_at IS NULL) AS acting_countries,
		(SELECT COUNT(*) FROM countries WHERE deleted_at IS NULL) AS countries,
		(SELECT COUNT(*) FROM companies WHERE deleted_at IS NULL) AS companies,
		(SELECT COUNT(*) FROM products WHERE deleted_at IS NULL) AS products,
		(SELECT COUNT(*) FROM sources WHERE deleted_at IS NULL) AS sources,
		(SELECT COUNT(*) FROM move_links l JOIN moves r ON r.id = l.reply_id AND r.deleted_at IS NULL
			JOIN moves t ON t.id = l.target_id AND t.deleted_at IS NULL) AS links,
		(SELECT MAX(updated_at) FROM countries) AS last_country,
		(SELECT MAX(updated_at) FROM companies) AS last_company,
		(SELECT MAX(updated_at) FROM products) AS last_product,
		(SELECT MAX(updated_at) FROM cases) AS last_case,
		(SELECT MAX(updated_at) FROM moves) AS last_move,
		(SELECT MAX(updated_at) FROM sources) AS last_source`).Scan(&c).Error
	if err != nil {
		return nil, core.Translate(err, "dataset")
	}
	d := &model.Dataset{
		Version: meta.Version, Title: meta.Title, License: meta.License, LicenseURL: meta.LicenseURL, Citation: meta.Citation,
		Counts: &model.DatasetCounts{Cases: c.Cases, Actions: c.Actions, Responses: c.Responses, ActingCountries: c.ActingCountries,
			Countries: c.Countries, Companies: c.Companies, Products: c.Products, Sources: c.Sources, Links: c.Links},
	}
	var last time.Time
	for _, ts := range []*string{c.LastCountry, c.LastCompany, c.LastProduct, c.LastCase, c.LastMove, c.LastSource} {
		if t, ok := core.ParseTime(ts); ok && t.After(last) {
			last = t
		}
	}
	if !last.IsZero() {
		d.UpdatedAt = &last
	}
	return d, nil
}

// DatasetMeta is the dataset's version, licence and citation as last loaded.
type DatasetMeta struct {
	Version     string
	Title       string
	License     string
	LicenseURL  string
	Citation    string
	Description string
	Framework   string
	LoadedAt    time.Time
}
