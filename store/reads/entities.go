package reads

import (
	"context"

	"github.com/cybertrade/cybertrade/model"
	"github.com/cybertrade/cybertrade/store/core"
)

// byKeys loads rows of T whose column col is in keys.
func byKeys[T any, K comparable](ctx context.Context, s *Reader, col string, keys []K) ([]T, error) {
	if len(keys) == 0 {
		return nil, nil
	}
	f, err := fieldsOf[T]()
	if err != nil {
		return nil, err
	}
	items, _, err := queryRows(ctx, s, f, false, "SELECT "+f.selectList("t")+" FROM "+f.table+" t WHERE t."+col+" IN ? AND t.deleted_at IS NULL", keys)
	return items, core.Translate(err, "record")
}

// CountriesByID loads countries by row id.
func (s *Reader) CountriesByID(ctx context.Context, ids []int64) ([]model.Country, error) {
	return byKeys[model.Country](ctx, s, "id", ids)
}

// CountriesByCode loads countries by ISO code (upper case).
func (s *Reader) CountriesByCode(ctx context.Context, codes []string) ([]model.Country, error) {
	return byKeys[model.Country](ctx, s, "code", upper(codes))
}

// CompaniesByID loads companies by row id.
func (s *Reader) CompaniesByID(ctx context.Context, ids []int64) ([]model.Company, error) {
	return byKeys[model.Company](ctx, s, "id", ids)
}

// CompaniesBySlug loads companies by slug.
func (s *Reader) CompaniesBySlug(ctx context.Context, slugs []string) ([]model.Company, error) {
	return byKeys[model.Company](ctx, s, "slug", slugs)
}

// ProductsByID loads products by row id.
func (s *Reader) ProductsByID(ctx context.Context, ids []int64) ([]model.Product, error) {
	return byKeys[model.Product](ctx, s, "id", ids)
}

// ProductsBySlug loads products by slug.
func (s *Reader) ProductsBySlug(ctx context.Context, slugs []string) ([]model.Product, error) {
	return byKeys[model.Product](ctx, s, "slug", slugs)
}

// CasesByID loads cases by row id.
func (s *Reader) CasesByID(ctx context.Context, ids []int64) ([]model.Case, error) {
	return byKeys[model.Case](ctx, s, "id", ids)
}

// CasesBySlug loads cases by slug.
func (s *Reader) CasesBySlug(ctx context.Context, slugs []string) ([]model.Case, error) {
	return byKeys[model.Case](ctx, s, "slug", slugs)
}

// SourcesByID loads sources by row id.
func (s *Reader) SourcesByID(ctx context.Context, ids []int64) ([]model.Source, error) {
	return byKeys[model.Source](ctx, s, "id", ids)
}

// SourcesByKey loads sources by citation key.
func (s *Reader) SourcesByKey(ctx context.Context, keys []string) ([]model.Source, error) {
	return byKeys[model.Source](ctx, s, "key", keys)
}

// MovesByID loads moves by row id.
func (s *Reader) MovesByID(ctx context.Context, ids []int64) ([]model.MoveRecord, error) {
	return byKeys[model.MoveRecord](ctx, s, "id", ids)
}

// MovesBySlug loads moves by slug.
func (s *Reader) MovesBySlug(ctx context.Context, slugs []string) ([]model.MoveRecord, error) {
	return byKeys[model.MoveRecord](ctx, s, "slug", slugs)
}

// Pair is a (parent, child) pair read from a link table.
type Pair struct {
	Parent int64
	Child  int64
}

// Relation names a to-many relation read by Related.
type Relation int

// Relations between records.
const (
	MoveTargetCompanies Relation = iota + 1 // move -> companies it targets
	MoveProducts                            // move -> products it concerns
	MoveCounterparts                        // move -> counterpart countries
	MoveSources                             // move -> sources
	MoveInReplyTo                           // move -> moves it answers
	MoveReplies                             // move -> moves that answered it
	CaseSources                             // case -> sources
	CaseCountries                           // case -> countries of its moves
	CaseCompanies                           // case -> companies of its moves
)

// relationSQL reads a relation as (parent, child) pairs of the parents @parents, over live
// children.
var relationSQL = map[Relation]string{
	MoveTargetCompanies: "SELECT x.move_id AS parent, x.company_id AS child FROM move_companies x JOIN companies c ON c.id = x.company_id AND c.deleted_at IS NULL WHERE x.move_id IN @parents",
	MoveProducts:        "SELECT x.move_id AS parent, x.product_id AS child FROM move_products x JOIN products p ON p.id = x.product_id AND p.deleted_at IS NULL WHERE x.move_id IN @parents",
	MoveCounterparts:    "SELECT x.move_id AS parent, x.country_id AS child FROM move_counterparts x JOIN countries c ON c.id = x.country_id AND c.deleted_at IS NULL WHERE x.move_id IN @parents",
	MoveSources:         "SELECT x.move_id AS parent, x.source_id AS child FROM move_sources x JOIN sources s ON s.id = x.source_id AND s.deleted_at IS NULL WHERE x.move_id IN @parents",
	// The links' other end is joined (live, in order) by RelatedRows itself.
	MoveInReplyTo: "SELECT reply_id AS parent, target_id AS child FROM move_links WHERE reply_id IN @parents",
	MoveReplies:   "SELECT target_id AS parent, reply_id AS child FROM move_links WHERE target_id IN @parents",
	CaseSources:   "SELECT x.case_id AS parent, x.source_id AS child FROM case_sources x JOIN sources s ON s.id = x.source_id AND s.deleted_at IS NULL WHERE x.case_id IN @parents",
	CaseCountries: `SELECT DISTINCT x.parent, x.child FROM (
		SELECT case_id AS parent, country_id AS child FROM moves WHERE case_id IN @parents AND deleted_at IS NULL
		UNION SELECT m.case_id, mc.country_id FROM move_counterparts mc JOIN moves m ON m.id = mc.move_id WHERE m.case_id IN @parents AND m.deleted_at IS NULL) x
		JOIN countries c ON c.id = x.child AND c.deleted_at IS NULL`,
	CaseCompanies: `SELECT DISTINCT x.parent, x.child FROM (
		SELECT case_id AS parent, company_id AS child FROM moves WHERE case_id IN @parents AND company_id IS NOT NULL AND deleted_at IS NULL
		UNION SELECT m.case_id, mc.company_id FROM move_companies mc JOIN moves m ON m.id = mc.move_id WHERE m.case_id IN @parents AND m.deleted_at IS NULL) x
		JOIN companies c ON c.id = x.child AND c.deleted_at IS NULL`,
}

// Concerns reads the concerns of many moves in one statement.
func (s *Reader) Concerns(ctx context.Context, moves []int64) (map[int64][]model.Concern, error) {
	out := make(map[int64][]model.Concern, len(moves))
	if len(moves) == 0 {
		return out, nil
	}
	var rows []struct {
		MoveID  int64
		Concern model.Concern
	}
	err := s.db.Read(ctx).Raw("SELECT move_id, concern FROM move_concerns WHERE move_id IN ? ORDER BY concern", moves).Scan(&rows).Error
	for _, r := range rows {
		out[r.MoveID] = append(out[r.MoveID], r.Concern)
	}
	return out, core.Translate(err, "concerns")
}
