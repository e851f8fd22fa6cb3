package reads

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/cybertrade/cybertrade/internal/apperr"
	"github.com/cybertrade/cybertrade/model"
	"github.com/cybertrade/cybertrade/store/core"
)

// Search weights: title-like text (A) counts most, then summaries (B), then secondary text
// (C: actor, sector, category; D: coding notes). On PostgreSQL these are setweight classes in
// the expression indexes of migration 00002 (ts_rank's default weights 1.0, 0.4, 0.2, 0.1); on
// SQLite the columns a..d of search_fts, weighted the same in bm25.

// tsv returns the tsvector expressions of the PostgreSQL search indexes for a table alias.
// They must stay identical to the indexed expressions (migrations/postgres/00002).
func tsv(table, a string) string {
	w := func(expr, class string) string {
		return fmt.Sprintf("setweight(to_tsvector('english', %s), '%s')", expr, class)
	}
	switch table {
	case "cases":
		return w(a+".title", "A") + " || " + w(a+".summary", "B")
	case "moves":
		return w(a+".title", "A") + " || " + w(a+".summary", "B") + " || " + w("coalesce("+a+".actor, '')", "C") + " || " +
			w("coalesce("+a+".coding_note, '')", "D")
	case "companies":
		return w(a+".name || ' ' || "+a+".aliases", "A") + " || " + w(a+".description", "B") + " || " + w(a+".sector", "C")
	case "products":
		return w(a+".name", "A") + " || " + w(a+".description", "B") + " || " + w("replace("+a+".category, '_', ' ')", "C")
	}
	panic("no search expression for " + table)
}

// searchOrd orders result types whose scores tie.
var searchOrd = map[model.SearchType]int{
	model.SearchTypeCase: 0, model.SearchTypeCountryAction: 1, model.SearchTypeCompanyResponse: 2,
	model.SearchTypeCompany: 3, model.SearchTypeProduct: 4,
}

// SearchHit is one search result: its type, relevance and record (one of the pointers).
type SearchHit struct {
	Type    model.SearchType
	Score   float64
	RowID   int64
	Case    *model.Case
	Move    *model.MoveRecord
	Company *model.Company
	Product *model.Product
}

func searchCursor(h *SearchHit) Cursor {
	return Cursor{Key: strconv.FormatFloat(h.Score, 'g', -1, 64) + "|" + strconv.Itoa(searchOrd[h.Type]), ID: h.RowID}
}

// searchHits is the SQL of every match as (type, ord, id, score), for the engine.
func (s *Reader) searchHits(st searchText, types []model.SearchType) (string, []any) {
	want := func(t model.SearchType) bool { return len(types) == 0 || slices.Contains(types, t) }
	var kinds []string
	if want(model.SearchTypeCountryAction) {
		kinds = append(kinds, "'ACTION'")
	}
	if want(model.SearchTypeCompanyResponse) {
		kinds = append(kinds, "'RESPONSE'")
	}
	moveKinds := "TRUE"
	if len(kinds) == 1 {
		moveKinds = "m.kind = " + kinds[0]
	}
	moveType := "CASE m.kind WHEN 'ACTION' THEN 'COUNTRY_ACTION' ELSE 'COMPANY_RESPONSE' END AS type, CASE m.kind WHEN 'ACTION' THEN 1 ELSE 2 END AS ord, m.id AS id"
	var parts []string
	if s.db.Engine() == core.Postgres {
		rank := func(table, a string) string { return fmt.Sprintf("ts_rank(%s, q.q)::float8", tsv(table, a)) }
		match := func(table, a string) string { return tsv(table, a) + " @@ q.q" }
		if want(model.SearchTypeCase) {
			parts = append(parts, "SELECT 'CASE' AS type, 0 AS ord, k.id AS id, "+rank("cases", "k")+" AS score FROM cases k, q WHERE k.deleted_at IS NULL AND "+match("cases", "k"))
		}
		if len(kinds) > 0 {
			parts = append(parts, "SELECT "+moveType+", "+rank("moves", "m")+" AS score FROM moves m, q WHERE m.deleted_at IS NULL AND "+moveKinds+" AND "+match("moves", "m"))
		}
		if want(model.SearchTypeCompany) {
			parts = append(parts, "SELECT 'COMPANY' AS type, 3 AS ord, co.id AS id, "+rank("companies", "co")+" AS score FROM companies co, q WHERE co.deleted_at IS NULL AND "+match("companies", "co"))
		}
		if want(model.SearchTypeProduct) {
			parts = append(parts, "SELECT 'PRODUCT' AS type, 4 AS ord, p.id AS id, "+rank("products", "p")+" AS score FROM products p, q WHERE p.deleted_at IS NULL AND "+match("products", "p"))
		}
		return "WITH q AS (SELECT websearch_to_tsquery('english', ?) AS q) SELECT type, ord, id, score FROM (" +
			strings.Join(parts, " UNION ALL ") + ") h", []any{st.websearch()}
	}
	// SQLite: one FTS5 table; its rowid is id * 8 + 1 (case), 2 (move), 3 (company), 4 (product).
	if want(model.SearchTypeCase) {
		parts = append(parts, "SELECT 'CASE' AS type, 0 AS ord, k.id AS id, -f.b AS score FROM f JOIN cases k ON k.id = f.r / 8 WHERE f.r % 8 = 1 AND k.deleted_at IS NULL")
	}
	if len(kinds) > 0 {
		parts = append(parts, "SELECT "+moveType+", -f.b AS score FROM f JOIN moves m ON m.id = f.r / 8 WHERE f.r % 8 = 2 AND m.deleted_at IS NULL AND "+moveKinds)
	}
	if want(model.SearchTypeCompany) {
		parts = append(parts, "SELECT 'COMPANY' AS type, 3 AS ord, co.id AS id, -f.b AS score FROM f JOIN companies co ON co.id = f.r / 8 WHERE f.r % 8 = 3 AND co.deleted_at IS NULL")
	}
	if want(model.SearchTypeProduct) {
		parts = append(parts, "SELECT 'PRODUCT' AS type, 4 AS ord, p.id AS id, -f.b AS score FROM f JOIN products p ON p.id = f.r / 8 WHERE f.r % 8 = 4 AND p.deleted_at IS NULL")
	}
	return "WITH f AS MATERIALIZED (SELECT rowid AS r, bm25(search_fts, 1.0, 0.4, 0.2, 0.1) AS b FROM search_fts WHERE search_fts MATCH ?) " +
		"SELECT type, ord, id, score FROM (" + strings.Join(parts, " UNION ALL ") + ") h", []any{st.fts5()}
}

// searchClauses are the keyset conditions of a search page: results are ordered by score
// (highest first), then type, then id.
func searchClauses(p PageArgs) ([]core.Clause, error) {
	var out []core.Clause
	for _, c := range []struct {
		field string
		cur   *Cursor
		after bool
	}{{"after", p.After, true}, {"before", p.Before, false}} {
		if c.cur == nil {
			continue
		}
		sc, ord, ok := strings.Cut(c.cur.Key, "|")
		score, err1 := strconv.ParseFloat(sc, 64)
		o, err2 := strconv.Atoi(ord)
		if !ok || err1 != nil || err2 != nil {
			return nil, apperr.InvalidField(c.field, "malformed cursor; use a cursor returned by search")
		}
		// "after" in the list's order: a lower score, or the same score and a later (ord, id).
		lt, gt := "<", ">"
		if !c.after {
			lt, gt = ">", "<"
		}
		out = append(out, core.Clause{SQL: fmt.Sprintf("h.score %s ? OR (h.score = ? AND (h.ord %s ? OR (h.ord = ? AND h.id %s ?)))", lt, gt, gt), Args: []any{score, score, o, o, c.cur.ID}})
	}
	return out, nil
}

type hitRow struct {
	Type  model.SearchType
	Ord   int
	ID    int64
	Score float64
}

// Search returns a page of records matching text, most relevant first: cases, country actions,
// company responses, companies and products (or only the given types). It runs one ranking
// statement and one per type of record on the page.
func (s *Reader) Search(ctx context.Context, text string, types []model.SearchType, p PageArgs) (Page[SearchHit], error) {
	st, err := parseSearchText(text)
	if err != nil {
		return Page[SearchHit]{}, err
	}
	cl, err := searchClauses(p)
	if err != nil {
		return Page[SearchHit]{}, err
	}
	hits, args := s.searchHits(st, types)
	where, wargs := listSpec{where: cl}.whereSQL()
	order := "h.score DESC, h.ord, h.id"
	if p.FromEnd {
		order = "h.score ASC, h.ord DESC, h.id DESC"
	}
	// hits ends with "FROM (...) h": the page's conditions apply to h.
	q := fmt.Sprintf("%s%s ORDER BY %s LIMIT %d", hits, where, order, p.Limit+1)
	var rows []hitRow
	if err := s.db.Read(ctx).Raw(q, append(args, wargs...)...).Scan(&rows).Error; err != nil {
		return Page[SearchHit]{}, core.Translate(err, "search")
	}
	items := make([]SearchHit, len(rows))
	ids := map[model.SearchType][]int64{}
	for i, r := range rows {
		items[i] = SearchHit{Type: r.Type, Score: r.Score, RowID: r.ID}
		ids[r.Type] = append(ids[r.Type], r.ID)
	}
	if err := s.hydrate(ctx, items, ids, types); err != nil {
		return Page[SearchHit]{}, err
	}
	// A record deleted between the two statements is left out rather than returned empty.
	items = slices.DeleteFunc(items, func(h SearchHit) bool { return h.Case == nil && h.Move == nil && h.Company == nil && h.Product == nil })
	return Finish(items, p, searchCursor), nil
}

// hydrate loads the records of search hits: one statement per table the search covers, run
// even when the page has no hit there, so the count depends on the query, not on the results.
func (s *Reader) hydrate(ctx context.Context, items []SearchHit, ids map[model.SearchType][]int64, types []model.SearchType) error {
	want := func(ts ...model.SearchType) bool {
		return len(types) == 0 || slices.ContainsFunc(ts, func(t model.SearchType) bool { return slices.Contains(types, t) })
	}
	cases, err := byIDs[model.Case](ctx, s, want(model.SearchTypeCase), ids[model.SearchTypeCase])
	if err != nil {
		return err
	}
	moves, err := byIDs[model.MoveRecord](ctx, s, want(model.SearchTypeCountryAction, model.SearchTypeCompanyResponse),
		append(ids[model.SearchTypeCountryAction], ids[model.SearchTypeCompanyResponse]...))
	if err != nil {
		return err
	}
	companies, err := byIDs[model.Company](ctx, s, want(model.SearchTypeCompany), ids[model.SearchTypeCompany])
	if err != nil {
		return err
	}
	products, err := byIDs[model.Product](ctx, s, want(model.SearchTypeProduct), ids[model.SearchTypeProduct])
	if err != nil {
		return err
	}
	for i := range items {
		h := &items[i]
		switch h.Type {
		case model.SearchTypeCase:
			h.Case = find(cases, func(x *model.Case) bool { return x.RowID == h.RowID })
		case model.SearchTypeCountryAction, model.SearchTypeCompanyResponse:
			h.Move = find(moves, func(x *model.MoveRecord) bool { return x.RowID == h.RowID })
		case model.SearchTypeCompany:
			h.Company = find(companies, func(x *model.Company) bool { return x.RowID == h.RowID })
		case model.SearchTypeProduct:
			h.Product = find(products, func(x *model.Product) bool { return x.RowID == h.RowID })
		}
	}
	return nil
}

// byIDs loads live rows of T by id when run is true (an empty id list still runs the statement).
func byIDs[T any](ctx context.Context, s *Reader, run bool, ids []int64) ([]T, error) {
	var out []T
	if !run {
		return out, nil
	}
	err := s.db.Read(ctx).Where("id IN ?", ids).Find(&out).Error
	return out, core.Translate(err, "record")
}

func find[T any](xs []T, match func(*T) bool) *T {
	for i := range xs {
		if match(&xs[i]) {
			return &xs[i]
		}
	}
	return nil
}

// CountSearch counts the records matching text.
func (s *Reader) CountSearch(ctx context.Context, text string, types []model.SearchType) (int, error) {
	st, err := parseSearchText(text)
	if err != nil {
		return 0, err
	}
	hits, args := s.searchHits(st, types)
	var n int64
	err = s.db.Read(ctx).Raw("SELECT COUNT(*) FROM ("+hits+") c", args...).Scan(&n).Error
	return int(n), core.Translate(err, "search")
}
