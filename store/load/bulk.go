package load

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/cybertrade/cybertrade/dataset"
	"github.com/cybertrade/cybertrade/internal/isodate"
	"github.com/cybertrade/cybertrade/store/core"
	"github.com/cybertrade/cybertrade/store/order"
	"github.com/cybertrade/cybertrade/store/version"
)

// BulkStats says what a bulk load wrote.
type BulkStats struct {
	// Rows is the number of records (countries, companies, products, sources, cases and moves)
	// in the input; Written of them were inserted or changed, the rest were already as given.
	Rows, Written int
	// Links is the number of link rows (sources, targets, concerns, replies…) written.
	Links int
}

func (b BulkStats) String() string {
	return fmt.Sprintf("%d records (%d written, %d unchanged), %d link rows", b.Rows, b.Written, b.Rows-b.Written, b.Links)
}

// Add sums two stats.
func (b BulkStats) Add(o BulkStats) BulkStats {
	return BulkStats{Rows: b.Rows + o.Rows, Written: b.Written + o.Written, Links: b.Links + o.Links}
}

// bulkRows is how many rows one multi-row INSERT carries: at most 19 columns × 1,000 rows
// stays under the bind-parameter limits of both engines (SQLite 32,766, PostgreSQL 65,535).
const bulkRows = 1000

// BulkLoad upserts a dataset chunk with multi-row statements, for large synthetic datasets
// that Load, which compares and writes record by record, takes too long for. It is
// idempotent: records are matched by natural key (code, slug, citation key) and a row is
// rewritten only when a value differs; the link rows of the chunk's moves and cases are
// replaced by the chunk's, so loading the same chunk again leaves the same rows. References
// to records outside the chunk (countries, companies, products, sources, moves) are resolved
// against the database. The chunk is one transaction. Unlike Load it does not validate
// cross-file rules (use dataset.Validate first) and does not bump updatedAt of a record whose
// only change is in its links. It records no history (no revisions, record versions stay), but
// it counts as a write in data_changes like every other: it takes the write lock first, as API
// writes do, and bumps the data version, so that caches keyed on it (the response cache, the
// aggregations) drop what they hold when it commits. A chunk always replaces link rows, so it
// bumps the version even when it ends up changing nothing.
func (s *Loader) BulkLoad(ctx context.Context, ds *dataset.Dataset) (BulkStats, error) {
	var st BulkStats
	var n int64
	err := s.db.Primary(ctx).Transaction(func(tx *gorm.DB) error {
		b := &bulk{tx: tx, engine: s.db.Engine(), now: s.db.Now(), st: &st}
		var err error
		if n, err = version.Bump(tx, b.now); err != nil {
			return fmt.Errorf("data version: %w", err)
		}
		return b.run(ds)
	})
	if err == nil {
		if ds.Meta.Version != "" {
			s.ver.SetRelease(ds.Meta.Version, n)
		}
		s.ver.Announce(n)
	}
	return st, err
}

type bulk struct {
	tx     *gorm.DB
	engine string
	now    time.Time
	st     *BulkStats
}

// table describes an upsert: the table, its natural key and its other columns.
type table struct {
	name, key string
	cols      []string
}

// upsert writes rows (key first, then cols, in order) with INSERT … ON CONFLICT (key) DO
// UPDATE, touching only rows whose values differ, and returns the ids of all keys.
func (b *bulk) upsert(t table, rows [][]any) (map[string]int64, error) {
	all := append([]string{t.key}, t.cols...)
	all = append(all, "created_at", "updated_at")
	var set, differs []string
	for _, c := range t.cols {
		set = append(set, c+" = excluded."+c)
		if b.engine == core.Postgres {
			differs = append(differs, fmt.Sprintf("%s.%s IS DISTINCT FROM excluded.%s", t.name, c, c))
		} else {
			differs = append(differs, fmt.Sprintf("%s.%s IS NOT excluded.%s", t.name, c, c))
		}
	}
	set = append(set, "updated_at = excluded.updated_at")
	suffix := fmt.Sprintf(" ON CONFLICT (%s) DO UPDATE SET %s WHERE %s", t.key, strings.Join(set, ", "), strings.Join(differs, " OR "))
	keys := make([]string, len(rows))
	for i := range rows {
		keys[i] = rows[i][0].(string)
		rows[i] = append(rows[i], b.now, b.now)
	}
	n, err := b.insert(t.name, all, rows, suffix)
	if err != nil {
		return nil, err
	}
	b.st.Rows += len(rows)
	b.st.Written += n
	return b.ids(t.name, t.key, keys)
}

// insert runs multi-row INSERTs of rows into cols, bulkRows at a time, with suffix after the
// VALUES, and returns the rows affected.
func (b *bulk) insert(name string, cols []string, rows [][]any, suffix string) (int, error) {
	affected := 0
	one := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ") + ")"
	for start := 0; start < len(rows); start += bulkRows {
		chunk := rows[start:min(start+bulkRows, len(rows))]
		var sb strings.Builder
		sb.WriteString("INSERT INTO " + name + " (" + strings.Join(cols, ", ") + ") VALUES ")
		args := make([]any, 0, len(chunk)*len(cols))
		for i, r := range chunk {
			if i > 0 {
				sb.WriteString(", ")
			}
			sb.WriteString(one)
			args = append(args, r...)
		}
		sb.WriteString(suffix)
		res := b.tx.Exec(sb.String(), args...)
		if res.Error != nil {
			return affected, fmt.Errorf("%s: %w", name, res.Error)
		}
		affected += int(res.RowsAffected)
	}
	return affected, nil
}

// ids maps natural keys to row ids.
func (b *bulk) ids(name, key string, keys []string) (map[string]int64, error) {
	out := make(map[string]int64, len(keys))
	for start := 0; start < len(keys); start += bulkRows * 10 {
		var rows []struct {
			ID  int64
			Key string
		}
		chunk := keys[start:min(start+bulkRows*10, len(keys))]
		if err := b.tx.Raw("SELECT id, "+key+" AS key FROM "+name+" WHERE "+key+" IN ?", chunk).Scan(&rows).Error; err != nil {
			return nil, fmt.Errorf("%s ids: %w", name, err)
		}
		for _, r := range rows {
			out[r.Key] = r.ID
		}
	}
	return out, nil
}

// resolve adds to ids the keys of refs it lacks, read from the database; a key that is
// nowhere is an error.
func (b *bulk) resolve(ids map[string]int64, name, key string, refs []string) error {
	var missing []string
	seen := map[string]bool{}
	for _, r := range refs {
		if _, ok := ids[r]; !ok && !seen[r] {
			seen[r] = true
			missing = append(missing, r)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	found, err := b.ids(name, key, missing)
	if err != nil {
		return err
	}
	for _, k := range missing {
		id, ok := found[k]
		if !ok {
			return fmt.Errorf("%s %q: no such record", core.Singular(name), k)
		}
		ids[k] = id
	}
	return nil
}

// links replaces the link rows of parents in a link table with rows.
func (b *bulk) links(name, parentCol, childCol string, parents []int64, rows [][]any) error {
	for start := 0; start < len(parents); start += bulkRows * 10 {
		chunk := parents[start:min(start+bulkRows*10, len(parents))]
		if err := b.tx.Exec("DELETE FROM "+name+" WHERE "+parentCol+" IN ?", chunk).Error; err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
	}
	n, err := b.insert(name, []string{parentCol, childCol}, rows, " ON CONFLICT DO NOTHING")
	b.st.Links += n
	return err
}

func (b *bulk) run(ds *dataset.Dataset) error {
	countryID := map[string]int64{}
	if len(ds.Countries) > 0 {
		rows := make([][]any, len(ds.Countries))
		for i, c := range ds.Countries {
			rows[i] = []any{c.Code, core.Null(c.Alpha3), c.Name, c.Region, c.Supranational, string(codeStatus(c.CodeStatus))}
		}
		ids, err := b.upsert(table{"countries", "code", []string{"alpha3", "name", "region", "supranational", "code_status"}}, rows)
		if err != nil {
			return err
		}
		countryID = ids
	}

	// Companies, then their products.
	var homeRefs []string
	for _, c := range ds.Companies {
		if c.Country != "" {
			homeRefs = append(homeRefs, c.Country)
		}
	}
	if err := b.resolve(countryID, "countries", "code", homeRefs); err != nil {
		return err
	}
	companyID, productID := map[string]int64{}, map[string]int64{}
	if len(ds.Companies) > 0 {
		rows := make([][]any, len(ds.Companies))
		for i, c := range ds.Companies {
			var home any
			if c.Country != "" {
				home = countryID[c.Country]
			}
			aliases := c.Aliases
			if aliases == nil {
				aliases = []string{}
			}
			js, _ := json.Marshal(aliases)
			rows[i] = []any{c.Slug, c.Name, home, c.Sector, c.Description, string(js)}
		}
		ids, err := b.upsert(table{"companies", "slug", []string{"name", "home_country_id", "sector", "description", "aliases"}}, rows)
		if err != nil {
			return err
		}
		companyID = ids
		var prows [][]any
		for _, c := range ds.Companies {
			for _, p := range c.Products {
				prows = append(prows, []any{p.Slug, p.Name, p.Category, p.Description, companyID[c.Slug]})
			}
		}
		if productID, err = b.upsert(table{"products", "slug", []string{"name", "category", "description", "company_id"}}, prows); err != nil {
			return err
		}
	}

	if len(ds.Cases) > 0 {
		if err := b.cases(ds.Cases, countryID, companyID, productID); err != nil {
			return err
		}
	}
	if ds.Meta.Version != "" {
		l := &fileLoad{tx: b.tx, now: b.now}
		return l.meta(ds.Meta)
	}
	return nil
}

func (b *bulk) cases(cases []dataset.Case, countryID, companyID, productID map[string]int64) error {
	// Sources of the chunk's bibliographies.
	var srows [][]any
	for _, c := range cases {
		for _, s := range c.Bibliography {
			d, _ := isodate.Parse(s.Date)
			srows = append(srows, []any{s.Key, s.Title, s.Publisher, s.Date, string(d.Precision), dataset.NormalizeURL(s.URL)})
		}
	}
	sourceID := map[string]int64{}
	if len(srows) > 0 {
		ids, err := b.upsert(table{"sources", "key", []string{"title", "publisher", "date", "date_precision", "url"}}, srows)
		if err != nil {
			return err
		}
		sourceID = ids
	}

	// Every reference of the chunk, resolved against the database when it is not in it.
	var countries, companies, products, sources, moves []string
	own := map[string]bool{}
	for _, c := range cases {
		sources = append(sources, c.Sources...)
		for _, m := range c.Moves {
			own[m.Slug] = true
			countries = append(append(countries, m.Country), m.Counterparts...)
			companies = append(companies, m.Companies...)
			if m.Company != "" {
				companies = append(companies, m.Company)
			}
			products = append(products, m.Products...)
			sources = append(sources, m.Sources...)
		}
	}
	for _, c := range cases {
		for _, m := range c.Moves {
			for _, t := range m.InReplyTo {
				if !own[t] {
					moves = append(moves, t)
				}
			}
		}
	}
	for _, r := range []struct {
		ids       map[string]int64
		name, key string
		refs      []string
	}{
		{countryID, "countries", "code", countries}, {companyID, "companies", "slug", companies},
		{productID, "products", "slug", products}, {sourceID, "sources", "key", sources},
	} {
		if err := b.resolve(r.ids, r.name, r.key, r.refs); err != nil {
			return err
		}
	}

	crows := make([][]any, len(cases))
	for i, c := range cases {
		start, end := span(c.Moves)
		crows[i] = []any{c.Slug, c.Title, c.Summary, optStr(start), optStr(end)}
	}
	caseID, err := b.upsert(table{"cases", "slug", []string{"title", "summary", "start_date", "end_date"}}, crows)
	if err != nil {
		return err
	}

	var mrows [][]any
	for _, c := range cases {
		for i := range c.Moves {
			m := &c.Moves[i]
			r, err := moveRecord(m, caseID[c.Slug], countryID, companyID)
			if err != nil {
				return err
			}
			mrows = append(mrows, []any{r.Slug, string(r.Kind), opt(r.CountryOption), opt(r.CompanyOption), r.CaseID, r.CountryID, optInt(r.CompanyID), optStr(r.Actor),
				r.Date, string(r.DatePrecision), r.DateStart, r.DateEnd, r.Title, r.Summary, string(r.Confidence), optStr(r.CodingNote), string(r.Instrument)})
		}
	}
	moveID, err := b.upsert(table{"moves", "slug", []string{"kind", "country_option", "company_option", "case_id", "country_id", "company_id", "actor",
		"date", "date_precision", "date_start", "date_end", "title", "summary", "confidence", "coding_note", "instrument"}}, mrows)
	if err != nil {
		return err
	}
	if err := b.resolve(moveID, "moves", "slug", moves); err != nil {
		return err
	}

	// Link rows: each table's rows for the chunk's parents replace what they had.
	caseIDs := make([]int64, 0, len(cases))
	var caseSources [][]any
	for _, c := range cases {
		id := caseID[c.Slug]
		caseIDs = append(caseIDs, id)
		for _, k := range dedupe(c.Sources) {
			caseSources = append(caseSources, []any{id, sourceID[k]})
		}
	}
	if err := b.links("case_sources", "case_id", "source_id", caseIDs, caseSources); err != nil {
		return err
	}
	moveIDs := make([]int64, 0, len(mrows))
	ids := map[string]map[string]int64{"countries": countryID, "companies": companyID, "products": productID, "sources": sourceID, "moves": moveID}
	sets := make([][][]any, len(moveLinks))
	for _, c := range cases {
		for i := range c.Moves {
			m := &c.Moves[i]
			id := moveID[m.Slug]
			moveIDs = append(moveIDs, id)
			for j, ml := range moveLinks {
				for _, k := range dedupe(ml.keys(m)) {
					sets[j] = append(sets[j], []any{id, ml.value(k, ids)})
				}
			}
		}
	}
	for j, ml := range moveLinks {
		if err := b.links(ml.table, ml.parentCol, ml.col, moveIDs, sets[j]); err != nil {
			return err
		}
	}
	return order.From(b.tx, moveIDs)
}

func dedupe(keys []string) []string {
	if len(keys) < 2 {
		return keys
	}
	seen := make(map[string]bool, len(keys))
	out := make([]string, 0, len(keys))
	for _, k := range keys {
		if !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	return out
}

// opt turns an optional enum into a plain SQL value.
func opt[T ~string](v *T) any {
	if v == nil {
		return nil
	}
	return string(*v)
}

func optInt(v *int64) any {
	if v == nil {
		return nil
	}
	return *v
}

func optStr(v *string) any {
	if v == nil {
		return nil
	}
	return *v
}
