// Package load writes whole datasets: Load upserts the validated data files record by record,
// with the same history an API write records, and prunes what the files no longer hold;
// BulkLoad upserts large synthetic chunks with multi-row statements.
package load

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"time"

	"gorm.io/gorm"

	"github.com/cybertrade/cybertrade/dataset"
	"github.com/cybertrade/cybertrade/internal/isodate"
	"github.com/cybertrade/cybertrade/model"
	"github.com/cybertrade/cybertrade/store/core"
	"github.com/cybertrade/cybertrade/store/version"
)

// Stats says what a load changed.
type Stats struct {
	// Updated includes soft-deleted records brought back because they are in the files again.
	Created, Updated, Unchanged int
	// Deleted counts records soft-deleted by a pruning load.
	Deleted int
}

func (s Stats) String() string {
	out := fmt.Sprintf("%d created, %d updated, %d unchanged", s.Created, s.Updated, s.Unchanged)
	if s.Deleted > 0 {
		out += fmt.Sprintf(", %d deleted", s.Deleted)
	}
	return out
}

// Options changes how Load treats records that are not in the files.
type Options struct {
	// Prune soft-deletes every record whose natural key (code, slug, citation key) is no
	// longer in the dataset, in the same transaction as the upsert. Without it a load never
	// deletes anything.
	Prune bool
}

// Loader loads datasets into the primary database. It is safe for concurrent use.
type Loader struct {
	db  *core.DB
	ver *version.Tracker
}

// New makes the loader of db, whose loads bump the data version ver tracks.
func New(db *core.DB, ver *version.Tracker) *Loader { return &Loader{db: db, ver: ver} }

// Empty reports whether the database holds no cases yet.
func (s *Loader) Empty(ctx context.Context) (bool, error) {
	var n int64
	err := s.db.Primary(ctx).Model(&model.Case{}).Limit(1).Count(&n).Error
	return n == 0, core.Translate(err, "cases")
}

// Load upserts a validated dataset in one transaction: records are matched by their natural
// keys (code, slug, citation key), created when new and updated only when they differ, so a
// second load of the same files changes nothing. A failure leaves the database as it was.
func (s *Loader) Load(ctx context.Context, ds *dataset.Dataset) (Stats, error) {
	return s.LoadWith(ctx, ds, Options{})
}

// LoadWith is Load with options; see Options.
func (s *Loader) LoadWith(ctx context.Context, ds *dataset.Dataset, opts Options) (Stats, error) {
	var st Stats
	var h *loadHistory
	err := s.db.Primary(ctx).Transaction(func(tx *gorm.DB) error {
		l := &fileLoad{tx: tx, now: s.db.Now(), st: &st, prune: opts.Prune}
		var err error
		if h, err = beginLoadHistory(tx, l.now); err != nil {
			return err
		}
		if err := l.run(ds); err != nil {
			return err
		}
		return h.finish(st.Created+st.Updated+st.Deleted > 0 || l.metaChanged || l.touched)
	})
	if err == nil && h.version > 0 {
		s.ver.SetRelease(ds.Meta.Version, h.version)
		s.ver.Announce(h.version)
	}
	return st, err
}

type fileLoad struct {
	tx          *gorm.DB
	now         time.Time
	st          *Stats
	prune       bool
	metaChanged bool // dataset_meta was rewritten
	touched     bool // a link set changed
}

func strPtr(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func (l *fileLoad) run(ds *dataset.Dataset) error {
	countries, err := readRows(l.tx, countryKind)
	if err != nil {
		return err
	}
	for _, c := range ds.Countries {
		rec := &model.Country{Code: c.Code, Alpha3: strPtr(c.Alpha3), Name: c.Name, Region: c.Region, Supranational: c.Supranational, CodeStatus: codeStatus(c.CodeStatus)}
		if _, err := upsert(l, countries, rec); err != nil {
			return err
		}
	}
	countryID := countries.ids()

	// Companies and products.
	companies, err := readRows(l.tx, companyKind)
	if err != nil {
		return err
	}
	products, err := readRows(l.tx, productKind)
	if err != nil {
		return err
	}
	for _, c := range ds.Companies {
		var home *int64
		if c.Country != "" {
			h := countryID[c.Country]
			home = &h
		}
		aliases := c.Aliases
		if aliases == nil {
			aliases = []string{}
		}
		rec := &model.Company{Slug: c.Slug, Name: c.Name, HomeCountryID: home, Sector: c.Sector, Description: c.Description, Aliases: aliases}
		id, err := upsert(l, companies, rec)
		if err != nil {
			return err
		}
		for _, p := range c.Products {
			prec := &model.Product{Slug: p.Slug, Name: p.Name, Category: model.ProductCategory(p.Category), Description: p.Description, CompanyID: id}
			if _, err := upsert(l, products, prec); err != nil {
				return err
			}
		}
	}
	companyID, productID := companies.ids(), products.ids()

	// Sources.
	sources, err := readRows(l.tx, sourceKind)
	if err != nil {
		return err
	}
	for _, c := range ds.Cases {
		for _, s := range c.Bibliography {
			d, _ := isodate.Parse(s.Date)
			rec := &model.Source{Key: s.Key, Title: s.Title, Publisher: s.Publisher, Date: s.Date, DatePrecision: model.DatePrecision(d.Precision), URL: dataset.NormalizeURL(s.URL), Note: strPtr(s.Note)}
			if _, err := upsert(l, sources, rec); err != nil {
				return err
			}
		}
	}
	sourceID := sources.ids()

	// Cases, then moves (all of them, so replies can cross files), then links.
	cases, err := readRows(l.tx, caseKind)
	if err != nil {
		return err
	}
	moves, err := readRows(l.tx, moveKind)
	if err != nil {
		return err
	}
	moveID := moves.ids()
	caseSources, err := l.linkTable("case_sources", "case_id", "source_id")
	if err != nil {
		return err
	}
	tables := make([]*linkTable, len(moveLinks))
	for i, ml := range moveLinks {
		if tables[i], err = l.linkTable(ml.table, ml.parentCol, ml.col); err != nil {
			return err
		}
	}
	for _, c := range ds.Cases {
		start, end := span(c.Moves)
		rec := &model.Case{Slug: c.Slug, Title: c.Title, Summary: c.Summary, StartDate: start, EndDate: end}
		id, err := upsert(l, cases, rec)
		if err != nil {
			return err
		}
		if err := l.sync(caseSources, id, lookup(sourceID, c.Sources), func() error {
			return l.touch(&model.Case{}, id)
		}); err != nil {
			return err
		}
		for i := range c.Moves {
			m := &c.Moves[i]
			rec, err := moveRecord(m, id, countryID, companyID)
			if err != nil {
				return err
			}
			mid, err := upsert(l, moves, rec)
			if err != nil {
				return err
			}
			moveID[m.Slug] = mid
		}
	}
	ids := map[string]map[string]int64{"countries": countryID, "companies": companyID, "products": productID, "sources": sourceID, "moves": moveID}
	for _, c := range ds.Cases {
		for i := range c.Moves {
			m := &c.Moves[i]
			id := moveID[m.Slug]
			touch := func() error { return l.touch(&model.MoveRecord{}, id) }
			for j, ml := range moveLinks {
				keys := ml.keys(m)
				vals := make([]any, len(keys))
				for k, key := range keys {
					vals[k] = ml.value(key, ids)
				}
				if err := l.sync(tables[j], id, vals, touch); err != nil {
					return err
				}
			}
		}
	}
	for _, lt := range append([]*linkTable{caseSources}, tables...) {
		if err := l.flush(lt); err != nil {
			return err
		}
	}
	if l.prune {
		keep := kept(ds)
		if err := l.softDelete(map[string][]int64{
			"countries": countries.gone(keep["countries"]), "companies": companies.gone(keep["companies"]),
			"products": products.gone(keep["products"]), "sources": sources.gone(keep["sources"]),
			"cases": cases.gone(keep["cases"]), "moves": moves.gone(keep["moves"]),
		}); err != nil {
			return err
		}
	}
	return l.meta(ds.Meta)
}

func (l *fileLoad) touch(rec any, id int64) error {
	l.touched = true
	return l.tx.Unscoped().Model(rec).Where("id = ?", id).UpdateColumn("updated_at", l.now).Error
}

// linkTable is one many-to-many table as loaded: parent -> child values (as text).
type linkTable struct {
	name, parentCol, col string
	have                 map[int64][]string
	pending              []map[string]any
}

func (l *fileLoad) linkTable(name, parentCol, col string) (*linkTable, error) {
	lt := &linkTable{name: name, parentCol: parentCol, col: col, have: map[int64][]string{}}
	var rows []struct {
		P int64
		C string
	}
	if err := l.tx.Raw("SELECT " + parentCol + " AS p, " + col + " AS c FROM " + name).Scan(&rows).Error; err != nil {
		return nil, err
	}
	for _, r := range rows {
		lt.have[r.P] = append(lt.have[r.P], r.C)
	}
	return lt, nil
}

// sync makes the rows (parent, x) of the table equal to vals, calling changed when it has to
// add or remove any. New rows are queued and written by flush.
func (l *fileLoad) sync(lt *linkTable, parent int64, vals []any, changed func() error) error {
	want := make([]string, 0, len(vals))
	seen := map[string]bool{}
	var keep []any
	for _, v := range vals {
		s := fmt.Sprint(v)
		if !seen[s] {
			seen[s] = true
			want = append(want, s)
			keep = append(keep, v)
		}
	}
	have := slices.Clone(lt.have[parent])
	sort.Strings(have)
	sorted := slices.Clone(want)
	sort.Strings(sorted)
	if slices.Equal(have, sorted) {
		return nil
	}
	if len(have) > 0 {
		if err := l.tx.Exec("DELETE FROM "+lt.name+" WHERE "+lt.parentCol+" = ?", parent).Error; err != nil {
			return err
		}
	}
	for _, v := range keep {
		lt.pending = append(lt.pending, map[string]any{lt.parentCol: parent, lt.col: v})
	}
	lt.have[parent] = want
	return changed()
}

func (l *fileLoad) flush(lt *linkTable) error {
	if len(lt.pending) == 0 {
		return nil
	}
	if err := l.tx.Table(lt.name).CreateInBatches(lt.pending, 500).Error; err != nil {
		return fmt.Errorf("%s: %w", lt.name, err)
	}
	lt.pending = nil
	return nil
}

func lookup(ids map[string]int64, keys []string) []any {
	out := make([]any, 0, len(keys))
	for _, k := range keys {
		out = append(out, ids[k])
	}
	return out
}

func span(moves []dataset.Move) (start, end *string) {
	for i := range moves {
		d := moves[i].Date
		if start == nil || d < *start {
			start = &moves[i].Date
		}
		if end == nil || d > *end {
			end = &moves[i].Date
		}
	}
	return start, end
}

// moveRecord is a move's row. Its period comes from the date the move keeps parsed
// (dataset.Move.Dated: parsed when the dataset was validated, or here): a date that does not
// parse stops the load (Load and BulkLoad write no row without its period).
func moveRecord(m *dataset.Move, caseID int64, countryID, companyID map[string]int64) (*model.MoveRecord, error) {
	at := m.Dated()
	if !at.DateOK {
		return nil, fmt.Errorf("move %s: %w", m.Slug, at.DateErr)
	}
	d := at.Date
	conf := model.Confidence(m.Confidence)
	if conf == "" {
		conf = model.ConfidenceHigh
	}
	rec := &model.MoveRecord{
		Slug: m.Slug, CaseID: caseID, CountryID: countryID[m.Country], Actor: strPtr(m.Actor),
		Date: m.Date, DatePrecision: model.DatePrecision(d.Precision), DateStart: d.Start, DateEnd: d.End,
		Title: m.Title, Summary: m.Summary, Confidence: conf, CodingNote: strPtr(m.CodingNote),
		Instrument: model.Instrument(m.Instrument),
	}
	if m.Type == dataset.TypeResponse {
		rec.Kind = model.MoveKindResponse
		o := model.CompanyOption(m.Option)
		rec.CompanyOption = &o
		cid := companyID[m.Company]
		rec.CompanyID = &cid
	} else {
		rec.Kind = model.MoveKindAction
		o := model.CountryOption(m.Option)
		rec.CountryOption = &o
	}
	return rec, nil
}

func (l *fileLoad) meta(m dataset.Meta) error {
	var cur dataset.Meta
	err := l.tx.Raw("SELECT version, title, license, license_url, citation, description, framework FROM dataset_meta WHERE id = 1").Scan(&cur).Error
	if err != nil {
		return err
	}
	if cur == m {
		return nil
	}
	l.metaChanged = true
	if err := l.tx.Exec("DELETE FROM dataset_meta").Error; err != nil {
		return err
	}
	return l.tx.Exec("INSERT INTO dataset_meta (id, version, title, license, license_url, citation, description, framework, loaded_at) VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?)",
		m.Version, m.Title, m.License, m.LicenseURL, m.Citation, m.Description, m.Framework, l.now).Error
}

// codeStatus is a country's code status in the database: OFFICIAL where the files say nothing.
func codeStatus(s string) model.CountryCodeStatus {
	if s == "" {
		return model.CountryCodeStatusOfficial
	}
	return model.CountryCodeStatus(s)
}
