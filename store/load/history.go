package load

import (
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/cybertrade/cybertrade/internal/auth"
	"github.com/cybertrade/cybertrade/model"
	"github.com/cybertrade/cybertrade/store/core"
	"github.com/cybertrade/cybertrade/store/order"
	"github.com/cybertrade/cybertrade/store/record"
	"github.com/cybertrade/cybertrade/store/version"
)

// loadHistory gives a file load the same history as an API write: it reads every record's
// values before the load and after it, and for each record that changed it bumps the version
// and records a revision by the actor "fileLoad" (create, update, delete for a pruned record,
// restore for one back in the files). Loads of the synthetic bulk path used by benchmarks may
// skip it.
type loadHistory struct {
	tx     *gorm.DB
	now    time.Time
	before map[string]record.State // by global id
	// version is the data version the load committed (0 when it changed nothing).
	version int64
}

var historyTables = []string{"countries", "companies", "products", "sources", "cases", "moves"}

// beginLoadHistory takes the write lock (the data_changes row, as every write does) and reads
// the values of every record, in a fixed number of statements.
func beginLoadHistory(tx *gorm.DB, now time.Time) (*loadHistory, error) {
	if err := tx.Exec("UPDATE data_changes SET version = version WHERE id = 1").Error; err != nil {
		return nil, err
	}
	h := &loadHistory{tx: tx, now: now, before: map[string]record.State{}}
	for _, t := range historyTables {
		sts, err := record.ReadStates(tx, t, core.Clause{})
		if err != nil {
			return nil, fmt.Errorf("history: read %s: %w", t, err)
		}
		for _, st := range sts {
			h.before[st.NodeID()] = st
		}
	}
	return h, nil
}

// finish compares the records after the load with those before, bumps the versions of those
// that changed, records their revisions and counts the load in data_changes. changed tells
// whether the load wrote anything at all (rows, link sets, dataset metadata); when it did not,
// there is nothing to compare.
func (h *loadHistory) finish(changed bool) error {
	if !changed {
		return nil // nothing was written: no record can differ
	}
	var revs []model.Revision
	bump := map[string][]int64{}
	for _, t := range historyTables {
		after, err := record.ReadStates(h.tx, t, core.Clause{})
		if err != nil {
			return fmt.Errorf("history: read %s: %w", t, err)
		}
		for _, a := range after {
			rev := model.Revision{At: h.now, Actor: auth.Loader, RecordType: a.Type, NodeID: a.NodeID(), Version: a.Version}
			b, existed := h.before[a.NodeID()]
			aJSON := record.JSON(a.Values)
			switch {
			case !existed && !a.Deleted():
				rev.Act, rev.AfterValues = record.ActionCreate, aJSON
			case !existed:
				continue
			case b.Deleted() && a.Deleted():
				continue
			case b.Deleted():
				rev.Act, rev.AfterValues = record.ActionRestore, aJSON
			case a.Deleted():
				rev.Act, rev.BeforeValues = record.ActionDelete, record.JSON(b.Values)
			default:
				bJSON := record.JSON(b.Values)
				if *aJSON == *bJSON {
					continue
				}
				rev.Act, rev.BeforeValues, rev.AfterValues = record.ActionUpdate, bJSON, aJSON
			}
			if existed {
				rev.Version = b.Version + 1
				bump[t] = append(bump[t], a.ID)
			}
			revs = append(revs, rev)
		}
	}
	for t, ids := range bump {
		for start := 0; start < len(ids); start += 500 {
			chunk := ids[start:min(start+500, len(ids))]
			if err := h.tx.Exec("UPDATE "+t+" SET version = version + 1 WHERE id IN ?", chunk).Error; err != nil {
				return fmt.Errorf("history: versions of %s: %w", t, err)
			}
		}
	}
	if len(revs) > 0 {
		if err := h.tx.CreateInBatches(revs, 500).Error; err != nil {
			return fmt.Errorf("history: revisions: %w", err)
		}
	}
	if err := order.All(h.tx); err != nil {
		return err
	}
	v, err := version.Bump(h.tx, h.now)
	h.version = v
	return err
}
