package reads

import (
	"context"
	"strings"
	"time"

	"github.com/cybertrade/cybertrade/internal/apperr"
	"github.com/cybertrade/cybertrade/model"
	"github.com/cybertrade/cybertrade/store/core"
)

// MoveQuery narrows and orders a list of moves. Country codes and slugs are resolved to ids by
// the store; an unknown one is an INVALID_ARGUMENT error.
type MoveQuery struct {
	Kinds          []model.MoveKind
	CountryOptions []model.CountryOption
	CompanyOptions []model.CompanyOption
	Countries      []string // ISO alpha-2 codes
	Companies      []string // company slugs
	Concerns       []model.Concern
	Categories     []model.ProductCategory
	Cases          []string // case slugs
	From, To       string   // YYYY-MM-DD, validated by the caller
	Confidence     []model.Confidence
	Instruments    []model.Instrument
	UpdatedAfter   *time.Time `json:",omitempty"`
	Desc           bool
}

// MoveScope is the parent a nested list of moves hangs from.
type MoveScope int

// Scopes of nested move lists.
const (
	ScopeNone               MoveScope = iota
	ScopeActionsOfCountry             // a country's actions
	ScopeResponsesToCountry           // responses answering a country
	ScopeResponsesOfCompany           // a company's responses
	ScopeActionsAtCompany             // actions aimed at a company
	ScopeActionsAtProduct             // actions aimed at a product
	ScopeMovesOfCase                  // a case's timeline
	ScopeMovesOfSource                // moves citing a source
	ScopeTimelineOfCountry            // moves a country made, was answered by, or was a counterpart in
	ScopeTimelineOfCompany            // moves a company made, or that targeted it or its products
)

// scopeSQL gives the FROM clause, the parent expression and the kind a scope implies.
func scopeSQL(sc MoveScope) (from, parent string, kind model.MoveKind) {
	switch sc {
	case ScopeActionsOfCountry:
		return "moves m", "m.country_id", model.MoveKindAction
	case ScopeResponsesToCountry:
		return "moves m", "m.country_id", model.MoveKindResponse
	case ScopeResponsesOfCompany:
		return "moves m", "m.company_id", model.MoveKindResponse
	case ScopeActionsAtCompany:
		return "moves m JOIN move_companies sc ON sc.move_id = m.id", "sc.company_id", model.MoveKindAction
	case ScopeActionsAtProduct:
		return "moves m JOIN move_products sp ON sp.move_id = m.id", "sp.product_id", model.MoveKindAction
	case ScopeMovesOfCase:
		return "moves m", "m.case_id", ""
	case ScopeMovesOfSource:
		return "moves m JOIN move_sources ss ON ss.move_id = m.id", "ss.source_id", ""
	case ScopeTimelineOfCountry:
		return `moves m JOIN (SELECT id AS move_id, country_id AS tl_id FROM moves
			UNION SELECT move_id, country_id FROM move_counterparts) tl ON tl.move_id = m.id`, "tl.tl_id", ""
	case ScopeTimelineOfCompany:
		return `moves m JOIN (SELECT id AS move_id, company_id AS tl_id FROM moves WHERE company_id IS NOT NULL
			UNION SELECT move_id, company_id FROM move_companies
			UNION SELECT mp.move_id, tp.company_id FROM move_products mp JOIN products tp ON tp.id = mp.product_id) tl ON tl.move_id = m.id`, "tl.tl_id", ""
	}
	return "moves m", "", ""
}

// resolveIDs maps natural keys to row ids; any unknown key is an INVALID_ARGUMENT error that
// names it.
func (s *Reader) resolveIDs(ctx context.Context, table, keyCol, field string, keys []string) ([]int64, error) {
	if len(keys) == 0 {
		return nil, nil
	}
	var rows []struct {
		ID  int64
		Key string
	}
	if err := s.db.Read(ctx).Table(table).Select("id, "+keyCol+" AS key").Where(keyCol+" IN ? AND deleted_at IS NULL", keys).Scan(&rows).Error; err != nil {
		return nil, core.Translate(err, table)
	}
	found := make(map[string]bool, len(rows))
	ids := make([]int64, 0, len(rows))
	for _, r := range rows {
		found[r.Key] = true
		ids = append(ids, r.ID)
	}
	var missing []string
	for _, k := range keys {
		if !found[k] {
			missing = append(missing, k)
		}
	}
	if len(missing) > 0 {
		return nil, apperr.InvalidField(field, "unknown %s: %s", core.Singular(table), strings.Join(core.TruncateAll(missing, 100), ", "))
	}
	return ids, nil
}

// moveSpec builds the list spec for a query in a scope.
func (s *Reader) moveSpec(ctx context.Context, sc MoveScope, q MoveQuery) (listSpec, string, error) {
	from, parent, kind := scopeSQL(sc)
	l := listSpec{alias: "m", from: from, sortExpr: "m.sort_key", idExpr: "m.id", desc: q.Desc}
	add := func(sql string, args ...any) { l.where = append(l.where, core.Clause{SQL: sql, Args: args}) }
	l.where = append(l.where, core.Live("m"))
	l.where = append(l.where, core.UpdatedAfter("m", q.UpdatedAfter)...)
	if kind != "" {
		add("m.kind = ?", string(kind))
	}
	if len(q.Kinds) > 0 {
		add("m.kind IN ?", q.Kinds)
	}
	switch {
	case len(q.CountryOptions) > 0 && len(q.CompanyOptions) > 0:
		add("m.country_option IN ? OR m.company_option IN ?", q.CountryOptions, q.CompanyOptions)
	case len(q.CountryOptions) > 0:
		add("m.country_option IN ?", q.CountryOptions)
	case len(q.CompanyOptions) > 0:
		add("m.company_option IN ?", q.CompanyOptions)
	}
	countries, err := s.resolveIDs(ctx, "countries", "code", "filter.countries", upper(q.Countries))
	if err != nil {
		return l, "", err
	}
	if len(countries) > 0 {
		add("m.country_id IN ?", countries)
	}
	companies, err := s.resolveIDs(ctx, "companies", "slug", "filter.companies", q.Companies)
	if err != nil {
		return l, "", err
	}
	if len(companies) > 0 {
		add("m.company_id IN ? OR EXISTS (SELECT 1 FROM move_companies fc WHERE fc.move_id = m.id AND fc.company_id IN ?)", companies, companies)
	}
	cases, err := s.resolveIDs(ctx, "cases", "slug", "filter.cases", q.Cases)
	if err != nil {
		return l, "", err
	}
	if len(cases) > 0 {
		add("m.case_id IN ?", cases)
	}
	if len(q.Concerns) > 0 {
		add(`EXISTS (SELECT 1 FROM move_concerns fcn WHERE fcn.move_id = m.id AND fcn.concern IN ?)
			OR EXISTS (SELECT 1 FROM move_links fl JOIN moves flt ON flt.id = fl.target_id AND flt.deleted_at IS NULL
				JOIN move_concerns fcn2 ON fcn2.move_id = fl.target_id WHERE fl.reply_id = m.id AND fcn2.concern IN ?)`,
			q.Concerns, q.Concerns)
	}
	if len(q.Categories) > 0 {
		add(`EXISTS (SELECT 1 FROM move_products fp JOIN products fpp ON fpp.id = fp.product_id WHERE fp.move_id = m.id AND fpp.category IN ? AND fpp.deleted_at IS NULL)
			OR (m.kind = 'RESPONSE' AND EXISTS (SELECT 1 FROM products fcp WHERE fcp.company_id = m.company_id AND fcp.category IN ? AND fcp.deleted_at IS NULL))`,
			q.Categories, q.Categories)
	}
	if q.From != "" {
		add("m.date_end >= ?", q.From)
	}
	if q.To != "" {
		add("m.date_start <= ?", q.To)
	}
	if len(q.Confidence) > 0 {
		add("m.confidence IN ?", q.Confidence)
	}
	if len(q.Instruments) > 0 {
		add("m.instrument IN ?", q.Instruments)
	}
	return l, parent, nil
}

func upper(codes []string) []string {
	out := make([]string, len(codes))
	for i, c := range codes {
		out[i] = strings.ToUpper(strings.TrimSpace(c))
	}
	return out
}

func moveKey(m *model.MoveRecord) Cursor { return Cursor{Key: m.SortKey, ID: m.RowID} }

// Moves returns one page of moves.
func (s *Reader) Moves(ctx context.Context, q MoveQuery, p PageArgs) (Page[model.MoveRecord], error) {
	l, _, err := s.moveSpec(ctx, ScopeNone, q)
	if err != nil {
		return Page[model.MoveRecord]{}, err
	}
	return page(ctx, s, l, p, moveKey)
}

// CountMoves counts the moves a query matches.
func (s *Reader) CountMoves(ctx context.Context, q MoveQuery) (int, error) {
	l, _, err := s.moveSpec(ctx, ScopeNone, q)
	if err != nil {
		return 0, err
	}
	return count(ctx, s, l)
}

// MovesByParent returns a page of moves for each parent of a scope, in one statement.
func (s *Reader) MovesByParent(ctx context.Context, sc MoveScope, parents []int64, q MoveQuery, p PageArgs) (map[int64]Page[model.MoveRecord], error) {
	l, parent, err := s.moveSpec(ctx, sc, q)
	if err != nil {
		return nil, err
	}
	return pageByParent(ctx, s, l, parent, parents, p, moveKey)
}

// CountMovesByParent counts the moves of each parent of a scope, in one statement.
func (s *Reader) CountMovesByParent(ctx context.Context, sc MoveScope, parents []int64, q MoveQuery) (map[int64]int, error) {
	l, parent, err := s.moveSpec(ctx, sc, q)
	if err != nil {
		return nil, err
	}
	return countByParent(ctx, s, l, parent, parents)
}
