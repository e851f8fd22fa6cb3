package reads

import (
	"context"
	"database/sql"
	"time"

	"gorm.io/gorm"

	"github.com/cybertrade/cybertrade/model"
	"github.com/cybertrade/cybertrade/store/core"
	"github.com/cybertrade/cybertrade/store/version"
)

// Snapshot is every live record of the database, read in one transaction, for bulk exports.
// Lists are in row id order; relations map a parent row id to child row ids.
type Snapshot struct {
	Meta DatasetMeta
	// Version is the data version the snapshot was read at (data_changes.version, read in the
	// same transaction), and ChangedAt when that version was committed.
	Version   int64
	ChangedAt time.Time
	Countries []model.Country
	Companies []model.Company
	Products  []model.Product
	Cases     []model.Case
	Sources   []model.Source
	Moves     []model.MoveRecord
	Concerns  map[int64][]model.Concern
	// Move and case relations, over live records only.
	MoveCompanies, MoveProducts, MoveCounterparts, MoveSources, CaseSources map[int64][]int64
	// Links are (reply, target) pairs between live moves.
	Links []Pair
}

// Snapshot reads every live record in one read-only transaction (a consistent view on
// PostgreSQL), in a fixed number of statements whatever the data size.
func (s *Reader) Snapshot(ctx context.Context) (*Snapshot, error) {
	snap := &Snapshot{}
	var opts *sql.TxOptions
	if s.db.Engine() == core.Postgres {
		opts = &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true}
	}
	err := s.db.Read(ctx).Transaction(func(tx *gorm.DB) error {
		var err error
		if snap.Version, snap.ChangedAt, err = version.ReadDataVersionIn(tx); err != nil {
			return err
		}
		if err := tx.Raw("SELECT version, title, license, license_url, citation, description, framework, loaded_at FROM dataset_meta WHERE id = 1").
			Scan(&snap.Meta).Error; err != nil {
			return err
		}
		for _, dst := range []any{&snap.Countries, &snap.Companies, &snap.Products, &snap.Cases, &snap.Sources, &snap.Moves} {
			if err := tx.Order("id").Find(dst).Error; err != nil {
				return err
			}
		}
		var concerns []struct {
			MoveID  int64
			Concern model.Concern
		}
		if err := tx.Raw("SELECT c.move_id, c.concern FROM move_concerns c JOIN moves m ON m.id = c.move_id AND m.deleted_at IS NULL ORDER BY c.move_id, c.concern").
			Scan(&concerns).Error; err != nil {
			return err
		}
		snap.Concerns = map[int64][]model.Concern{}
		for _, c := range concerns {
			snap.Concerns[c.MoveID] = append(snap.Concerns[c.MoveID], c.Concern)
		}
		rel := func(q string) (map[int64][]int64, error) {
			var pairs []Pair
			if err := tx.Raw(q).Scan(&pairs).Error; err != nil {
				return nil, err
			}
			out := map[int64][]int64{}
			for _, p := range pairs {
				out[p.Parent] = append(out[p.Parent], p.Child)
			}
			return out, nil
		}
		for _, r := range []struct {
			dst *map[int64][]int64
			q   string
		}{
			{&snap.MoveCompanies, liveRelation("move_companies", "move_id", "company_id", "moves", "companies")},
			{&snap.MoveProducts, liveRelation("move_products", "move_id", "product_id", "moves", "products")},
			{&snap.MoveCounterparts, liveRelation("move_counterparts", "move_id", "country_id", "moves", "countries")},
			{&snap.MoveSources, liveRelation("move_sources", "move_id", "source_id", "moves", "sources")},
			{&snap.CaseSources, liveRelation("case_sources", "case_id", "source_id", "cases", "sources")},
		} {
			if *r.dst, err = rel(r.q); err != nil {
				return err
			}
		}
		return tx.Raw(liveRelation("move_links", "reply_id", "target_id", "moves", "moves")).Scan(&snap.Links).Error
	}, opts)
	if err != nil {
		return nil, core.Translate(err, "snapshot")
	}
	return snap, nil
}

// liveRelation reads a link table as (parent, child) pairs whose both ends are live.
func liveRelation(table, parentCol, childCol, parentTable, childTable string) string {
	return "SELECT x." + parentCol + " AS parent, x." + childCol + " AS child FROM " + table + " x" +
		" JOIN " + parentTable + " p ON p.id = x." + parentCol + " AND p.deleted_at IS NULL" +
		" JOIN " + childTable + " c ON c.id = x." + childCol + " AND c.deleted_at IS NULL" +
		" ORDER BY x." + parentCol + ", x." + childCol
}
