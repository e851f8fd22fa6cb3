package reads

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/cybertrade/cybertrade/internal/apperr"
	"github.com/cybertrade/cybertrade/model"
	"github.com/cybertrade/cybertrade/store/core"
)

// MaxFilterText is the longest text filter (companies(filter: {text})), as for search(text:).
const MaxFilterText = 200

// likeEscaper escapes the LIKE wildcards of a text matched with ESCAPE '\'.
var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// CountryQuery narrows the country list.
type CountryQuery struct {
	Codes        []string
	Regions      []string
	HasActions   *bool
	UpdatedAfter *time.Time
}

func countrySpec(q CountryQuery) listSpec {
	l := listSpec{alias: "c", from: "countries c", sortExpr: "c.code", idExpr: "c.id", where: []core.Clause{core.Live("c")}}
	l.where = append(l.where, core.UpdatedAfter("c", q.UpdatedAfter)...)
	if len(q.Codes) > 0 {
		l.where = append(l.where, core.Clause{SQL: "c.code IN ?", Args: []any{upper(q.Codes)}})
	}
	if len(q.Regions) > 0 {
		l.where = append(l.where, core.Clause{SQL: "c.region IN ?", Args: []any{q.Regions}})
	}
	if q.HasActions != nil {
		not := ""
		if !*q.HasActions {
			not = "NOT "
		}
		l.where = append(l.where, core.Clause{SQL: not + "EXISTS (SELECT 1 FROM moves m WHERE m.country_id = c.id AND m.kind = 'ACTION' AND m.deleted_at IS NULL)", Args: nil})
	}
	return l
}

func countryKey(c *model.Country) Cursor { return Cursor{Key: c.Code, ID: c.RowID} }

// Countries returns a page of countries ordered by code.
func (s *Reader) Countries(ctx context.Context, q CountryQuery, p PageArgs) (Page[model.Country], error) {
	return page(ctx, s, countrySpec(q), p, countryKey)
}

// CountCountries counts the countries a query matches.
func (s *Reader) CountCountries(ctx context.Context, q CountryQuery) (int, error) {
	return count(ctx, s, countrySpec(q))
}

// CompanyQuery narrows the company list.
type CompanyQuery struct {
	HomeCountries []string
	Categories    []model.ProductCategory
	Text          string
	// Moves, when non-nil, keeps companies involved in at least one matching move.
	Moves        *MoveQuery
	UpdatedAfter *time.Time
}

func (s *Reader) companySpec(ctx context.Context, q CompanyQuery) (listSpec, error) {
	l := listSpec{alias: "co", from: "companies co", sortExpr: "co.name", idExpr: "co.id", where: []core.Clause{core.Live("co")}}
	l.where = append(l.where, core.UpdatedAfter("co", q.UpdatedAfter)...)
	homes, err := s.resolveIDs(ctx, "countries", "code", "filter.homeCountries", upper(q.HomeCountries))
	if err != nil {
		return l, err
	}
	if len(homes) > 0 {
		l.where = append(l.where, core.Clause{SQL: "co.home_country_id IN ?", Args: []any{homes}})
	}
	if len(q.Categories) > 0 {
		l.where = append(l.where, core.Clause{SQL: "EXISTS (SELECT 1 FROM products cp WHERE cp.company_id = co.id AND cp.category IN ? AND cp.deleted_at IS NULL)", Args: []any{q.Categories}})
	}
	if t := strings.ToLower(strings.TrimSpace(q.Text)); t != "" {
		if n := utf8.RuneCountInString(t); n > MaxFilterText {
			return l, apperr.InvalidField("filter.text", "the text has %d characters; the most is %d", n, MaxFilterText)
		}
		like := "%" + likeEscaper.Replace(t) + "%" // the text is matched as written: % and _ are not wildcards
		l.where = append(l.where, core.Clause{SQL: `LOWER(co.name) LIKE ? ESCAPE '\' OR co.slug LIKE ? ESCAPE '\' OR LOWER(co.aliases) LIKE ? ESCAPE '\'`, Args: []any{like, like, like}})
	}
	if q.Moves != nil {
		ml, _, err := s.moveSpec(ctx, ScopeNone, *q.Moves)
		if err != nil {
			return l, err
		}
		where, args := ml.whereSQL(core.Clause{SQL: "m.company_id = co.id OR EXISTS (SELECT 1 FROM move_companies xc WHERE xc.move_id = m.id AND xc.company_id = co.id)", Args: nil})
		l.where = append(l.where, core.Clause{SQL: "EXISTS (SELECT 1 FROM moves m" + where + ")", Args: args})
	}
	return l, nil
}

func companyKey(c *model.Company) Cursor { return Cursor{Key: c.Name, ID: c.RowID} }

// Companies returns a page of companies ordered by name.
func (s *Reader) Companies(ctx context.Context, q CompanyQuery, p PageArgs) (Page[model.Company], error) {
	l, err := s.companySpec(ctx, q)
	if err != nil {
		return Page[model.Company]{}, err
	}
	return page(ctx, s, l, p, companyKey)
}

// CountCompanies counts the companies a query matches.
func (s *Reader) CountCompanies(ctx context.Context, q CompanyQuery) (int, error) {
	l, err := s.companySpec(ctx, q)
	if err != nil {
		return 0, err
	}
	return count(ctx, s, l)
}

// CompaniesByHome returns a page of companies for each home country.
func (s *Reader) CompaniesByHome(ctx context.Context, countries []int64, p PageArgs) (map[int64]Page[model.Company], error) {
	l := listSpec{alias: "co", from: "companies co", sortExpr: "co.name", idExpr: "co.id", where: []core.Clause{core.Live("co")}}
	return pageByParent(ctx, s, l, "co.home_country_id", countries, p, companyKey)
}

// CountCompaniesByHome counts the companies of each home country.
func (s *Reader) CountCompaniesByHome(ctx context.Context, countries []int64) (map[int64]int, error) {
	l := listSpec{from: "companies co", where: []core.Clause{core.Live("co")}}
	return countByParent(ctx, s, l, "co.home_country_id", countries)
}

// ProductQuery narrows the product list.
type ProductQuery struct {
	Categories   []model.ProductCategory
	Companies    []string
	UpdatedAfter *time.Time
}

func (s *Reader) productSpec(ctx context.Context, q ProductQuery) (listSpec, error) {
	l := listSpec{alias: "p", from: "products p", sortExpr: "p.name", idExpr: "p.id", where: []core.Clause{core.Live("p")}}
	l.where = append(l.where, core.UpdatedAfter("p", q.UpdatedAfter)...)
	if len(q.Categories) > 0 {
		l.where = append(l.where, core.Clause{SQL: "p.category IN ?", Args: []any{q.Categories}})
	}
	ids, err := s.resolveIDs(ctx, "companies", "slug", "filter.companies", q.Companies)
	if err != nil {
		return l, err
	}
	if len(ids) > 0 {
		l.where = append(l.where, core.Clause{SQL: "p.company_id IN ?", Args: []any{ids}})
	}
	return l, nil
}

func productKey(p *model.Product) Cursor { return Cursor{Key: p.Name, ID: p.RowID} }

// Products returns a page of products ordered by name.
func (s *Reader) Products(ctx context.Context, q ProductQuery, p PageArgs) (Page[model.Product], error) {
	l, err := s.productSpec(ctx, q)
	if err != nil {
		return Page[model.Product]{}, err
	}
	return page(ctx, s, l, p, productKey)
}

// CountProducts counts the products a query matches.
func (s *Reader) CountProducts(ctx context.Context, q ProductQuery) (int, error) {
	l, err := s.productSpec(ctx, q)
	if err != nil {
		return 0, err
	}
	return count(ctx, s, l)
}

// ProductsByCompany returns a page of products for each company.
func (s *Reader) ProductsByCompany(ctx context.Context, companies []int64, p PageArgs) (map[int64]Page[model.Product], error) {
	l := listSpec{alias: "p", from: "products p", sortExpr: "p.name", idExpr: "p.id", where: []core.Clause{core.Live("p")}}
	return pageByParent(ctx, s, l, "p.company_id", companies, p, productKey)
}

// CountProductsByCompany counts the products of each company.
func (s *Reader) CountProductsByCompany(ctx context.Context, companies []int64) (map[int64]int, error) {
	return countByParent(ctx, s, listSpec{from: "products p", where: []core.Clause{core.Live("p")}}, "p.company_id", companies)
}

const caseSort = "COALESCE(k.start_date, '')"

func caseKey(c *model.Case) Cursor {
	k := ""
	if c.StartDate != nil {
		k = *c.StartDate
	}
	return Cursor{Key: k, ID: c.RowID}
}

// CaseQuery narrows the case list.
type CaseQuery struct {
	// Moves, when non-nil, keeps cases with at least one matching move.
	Moves *MoveQuery
	// UpdatedAfter keeps cases whose own record changed after this time.
	UpdatedAfter *time.Time
}

func (s *Reader) caseSpec(ctx context.Context, cq CaseQuery) (listSpec, error) {
	l := listSpec{alias: "k", from: "cases k", sortExpr: caseSort, idExpr: "k.id", where: []core.Clause{core.Live("k")}}
	l.where = append(l.where, core.UpdatedAfter("k", cq.UpdatedAfter)...)
	if q := cq.Moves; q != nil {
		ml, _, err := s.moveSpec(ctx, ScopeNone, *q)
		if err != nil {
			return l, err
		}
		where, args := ml.whereSQL(core.Clause{SQL: "m.case_id = k.id", Args: nil})
		l.where = append(l.where, core.Clause{SQL: "EXISTS (SELECT 1 FROM moves m" + where + ")", Args: args})
	}
	return l, nil
}

// Cases returns a page of cases ordered by the date of their first move.
func (s *Reader) Cases(ctx context.Context, q CaseQuery, p PageArgs) (Page[model.Case], error) {
	l, err := s.caseSpec(ctx, q)
	if err != nil {
		return Page[model.Case]{}, err
	}
	return page(ctx, s, l, p, caseKey)
}

// CountCases counts the cases a query matches.
func (s *Reader) CountCases(ctx context.Context, q CaseQuery) (int, error) {
	l, err := s.caseSpec(ctx, q)
	if err != nil {
		return 0, err
	}
	return count(ctx, s, l)
}

const casesOfCompanyFrom = `cases k JOIN (
	SELECT case_id, company_id FROM moves WHERE company_id IS NOT NULL AND deleted_at IS NULL
	UNION SELECT m.case_id, mc.company_id FROM move_companies mc JOIN moves m ON m.id = mc.move_id AND m.deleted_at IS NULL) kc ON kc.case_id = k.id`

// CasesByCompany returns a page of cases for each company.
func (s *Reader) CasesByCompany(ctx context.Context, companies []int64, p PageArgs) (map[int64]Page[model.Case], error) {
	l := listSpec{alias: "k", from: casesOfCompanyFrom, sortExpr: caseSort, idExpr: "k.id", where: []core.Clause{core.Live("k")}}
	return pageByParent(ctx, s, l, "kc.company_id", companies, p, caseKey)
}

// CountCasesByCompany counts the cases of each company.
func (s *Reader) CountCasesByCompany(ctx context.Context, companies []int64) (map[int64]int, error) {
	return countByParent(ctx, s, listSpec{from: casesOfCompanyFrom, where: []core.Clause{core.Live("k")}}, "kc.company_id", companies)
}

func sourceKey(src *model.Source) Cursor { return Cursor{Key: src.Date, ID: src.RowID} }

func sourceSpec(updated *time.Time) listSpec {
	return listSpec{alias: "src", from: "sources src", sortExpr: "src.date", idExpr: "src.id",
		where: append([]core.Clause{core.Live("src")}, core.UpdatedAfter("src", updated)...)}
}

// Sources returns a page of sources ordered by publication date; updated, when set, keeps
// those changed after it.
func (s *Reader) Sources(ctx context.Context, updated *time.Time, p PageArgs) (Page[model.Source], error) {
	return page(ctx, s, sourceSpec(updated), p, sourceKey)
}

// CountSources counts the sources Sources lists.
func (s *Reader) CountSources(ctx context.Context, updated *time.Time) (int, error) {
	return count(ctx, s, sourceSpec(updated))
}

// sourcesOf is the FROM clause that pairs sources (src) with the parents (sp.parent) whose
// moves cite them.
const (
	sourcesOfCompanyFrom = `sources src JOIN (SELECT DISTINCT ms.source_id, x.parent FROM move_sources ms JOIN (
		SELECT id AS move_id, company_id AS parent FROM moves WHERE company_id IS NOT NULL AND deleted_at IS NULL
		UNION SELECT mc.move_id, mc.company_id FROM move_companies mc JOIN moves m ON m.id = mc.move_id AND m.deleted_at IS NULL
		) x ON x.move_id = ms.move_id) sp ON sp.source_id = src.id AND src.deleted_at IS NULL`
	sourcesOfProductFrom = `sources src JOIN (SELECT DISTINCT ms.source_id, mp.product_id AS parent FROM move_sources ms
		JOIN move_products mp ON mp.move_id = ms.move_id JOIN moves m ON m.id = mp.move_id AND m.deleted_at IS NULL
		) sp ON sp.source_id = src.id AND src.deleted_at IS NULL`
	sourcesOfCountryFrom = `sources src JOIN (SELECT DISTINCT ms.source_id, x.parent FROM move_sources ms JOIN (
		SELECT id AS move_id, country_id AS parent FROM moves WHERE deleted_at IS NULL
		UNION SELECT mc.move_id, mc.country_id FROM move_counterparts mc JOIN moves m ON m.id = mc.move_id AND m.deleted_at IS NULL
		) x ON x.move_id = ms.move_id) sp ON sp.source_id = src.id AND src.deleted_at IS NULL`
)

func sourcesByParent(ctx context.Context, s *Reader, from string, parents []int64, p PageArgs) (map[int64]Page[model.Source], error) {
	l := listSpec{alias: "src", from: from, sortExpr: "src.date", idExpr: "src.id"}
	return pageByParent(ctx, s, l, "sp.parent", parents, p, sourceKey)
}

// SourcesByCompany returns, for each company, a page of the sources cited by the moves it
// made or was targeted by, by publication date.
func (s *Reader) SourcesByCompany(ctx context.Context, companies []int64, p PageArgs) (map[int64]Page[model.Source], error) {
	return sourcesByParent(ctx, s, sourcesOfCompanyFrom, companies, p)
}

// CountSourcesByCompany counts those sources per company.
func (s *Reader) CountSourcesByCompany(ctx context.Context, companies []int64) (map[int64]int, error) {
	return countByParent(ctx, s, listSpec{from: sourcesOfCompanyFrom}, "sp.parent", companies)
}

// SourcesByProduct returns, for each product, a page of the sources cited by the moves that
// concern it.
func (s *Reader) SourcesByProduct(ctx context.Context, products []int64, p PageArgs) (map[int64]Page[model.Source], error) {
	return sourcesByParent(ctx, s, sourcesOfProductFrom, products, p)
}

// CountSourcesByProduct counts those sources per product.
func (s *Reader) CountSourcesByProduct(ctx context.Context, products []int64) (map[int64]int, error) {
	return countByParent(ctx, s, listSpec{from: sourcesOfProductFrom}, "sp.parent", products)
}

// SourcesByCountry returns, for each country, a page of the sources cited by the moves it made,
// that answered it, or that name it as a counterpart.
func (s *Reader) SourcesByCountry(ctx context.Context, countries []int64, p PageArgs) (map[int64]Page[model.Source], error) {
	return sourcesByParent(ctx, s, sourcesOfCountryFrom, countries, p)
}

// CountSourcesByCountry counts those sources per country.
func (s *Reader) CountSourcesByCountry(ctx context.Context, countries []int64) (map[int64]int, error) {
	return countByParent(ctx, s, listSpec{from: sourcesOfCountryFrom}, "sp.parent", countries)
}
