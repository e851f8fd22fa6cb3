// Package order keeps the moves' sort keys: the date order in which a reply never comes before
// a move it answers (internal/causal), recomputed inside every write that can move a date or a
// link, so that ordered lists never see a stale order.
package order

import (
	"fmt"
	"strings"

	"gorm.io/gorm"

	"github.com/cybertrade/cybertrade/internal/causal"
)

// moveOrder is what a sort key is computed from.
type moveOrder struct {
	ID        int64
	DateStart string
	SortKey   string
}

// linkOrder is one link with the current key of the move answered.
type linkOrder struct {
	ReplyID, TargetID int64
	TargetKey         string
}

// All recomputes the sort key of every live move (internal/causal: date order in which a
// reply never comes before a move it answers) and writes the keys that changed. Every write
// that can move a date or a link calls it inside its transaction, so the ordered lists never
// see a stale order. It reads all moves and links: two statements whatever the change.
func All(tx *gorm.DB) error {
	var moves []moveOrder
	if err := tx.Raw("SELECT id, date_start, sort_key FROM moves WHERE deleted_at IS NULL").Scan(&moves).Error; err != nil {
		return fmt.Errorf("order: read moves: %w", err)
	}
	var links []linkOrder
	if err := tx.Raw("SELECT reply_id, target_id, '' AS target_key FROM move_links").Scan(&links).Error; err != nil {
		return fmt.Errorf("order: read links: %w", err)
	}
	return writeOrder(tx, moves, links)
}

// From recomputes the sort keys of the moves seeds and of every move that answers them,
// directly or not, building on the stored keys of the other moves they answer. A bulk load
// calls it for each chunk, so that loading n moves in chunks does not read all moves per chunk.
func From(tx *gorm.DB, seeds []int64) error {
	for from := 0; from < len(seeds); from += 500 {
		chunk := seeds[from:min(from+500, len(seeds))]
		var moves []moveOrder
		if err := tx.Raw(descendants+`SELECT m.id, m.date_start, m.sort_key FROM moves m JOIN d ON d.id = m.id WHERE m.deleted_at IS NULL`, chunk).
			Scan(&moves).Error; err != nil {
			return fmt.Errorf("order: read moves: %w", err)
		}
		var links []linkOrder
		if err := tx.Raw(descendants+`SELECT l.reply_id, l.target_id, t.sort_key AS target_key FROM move_links l JOIN d ON d.id = l.reply_id
			JOIN moves t ON t.id = l.target_id AND t.deleted_at IS NULL`, chunk).Scan(&links).Error; err != nil {
			return fmt.Errorf("order: read links: %w", err)
		}
		if err := writeOrder(tx, moves, links); err != nil {
			return err
		}
	}
	return nil
}

// descendants is the common table d(id) of the moves of a list (the argument) and of every move
// that answers one of them, directly or not; UNION stops at a cycle.
const descendants = `WITH RECURSIVE d(id) AS (SELECT id FROM moves WHERE id IN ?
	UNION SELECT l.reply_id FROM move_links l JOIN d ON l.target_id = d.id) `

// writeOrder computes the keys of moves and writes those that changed: one UPDATE per
// keysPerStatement moves, whatever their dates, so a bulk load of n moves issues n/500 of them.
func writeOrder(tx *gorm.DB, moves []moveOrder, links []linkOrder) error {
	start := make(map[int64]string, len(moves))
	for _, m := range moves {
		start[m.ID] = m.DateStart
	}
	answers := map[int64][]int64{}
	fixed := map[int64]string{}
	for _, l := range links {
		answers[l.ReplyID] = append(answers[l.ReplyID], l.TargetID)
		if l.TargetKey != "" {
			fixed[l.TargetID] = l.TargetKey
		}
	}
	keys := causal.Keys(start, answers, fixed)
	var changed []int64
	for _, m := range moves {
		if keys[m.ID] != m.SortKey {
			changed = append(changed, m.ID)
		}
	}
	for from := 0; from < len(changed); from += keysPerStatement {
		ids := changed[from:min(from+keysPerStatement, len(changed))]
		args := make([]any, 0, 2*len(ids)+1)
		for _, id := range ids {
			args = append(args, id, keys[id])
		}
		args = append(args, ids)
		sql := "UPDATE moves SET sort_key = CASE id" + strings.Repeat(" WHEN ? THEN ?", len(ids)) + " END WHERE id IN ?"
		if err := tx.Exec(sql, args...).Error; err != nil {
			return fmt.Errorf("order: write keys: %w", err)
		}
	}
	return nil
}

// keysPerStatement bounds one UPDATE's parameters (3 a move) well under both engines' limits.
const keysPerStatement = 500

// Settle computes the sort keys a migration left empty (rows older than migration 00005).
func Settle(db *gorm.DB) error {
	var n int64
	if err := db.Raw("SELECT COUNT(*) FROM moves WHERE sort_key = ''").Scan(&n).Error; err != nil || n == 0 {
		return err
	}
	return db.Transaction(All)
}
