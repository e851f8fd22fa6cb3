package store

import "time"

// live keeps the rows of alias that are not soft-deleted. Every read goes through it (or, for
// gorm model queries, through gorm's own soft-delete scope on model.*.DeletedAt).
func live(alias string) clause { return clause{alias + ".deleted_at IS NULL", nil} }

// updatedAfter keeps the rows of alias changed strictly after t (no condition when t is nil).
func updatedAfter(alias string, t *time.Time) []clause {
	if t == nil {
		return nil
	}
	return []clause{{alias + ".updated_at > ?", []any{timeArg(*t)}}}
}

// timeArg is a time as the store writes it: UTC. On SQLite timestamps are stored as text in
// one fixed UTC layout, so they compare correctly as text with a UTC argument.
func timeArg(t time.Time) time.Time { return t.UTC() }
