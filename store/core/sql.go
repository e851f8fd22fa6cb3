package core

import (
	"database/sql/driver"
	"fmt"
	"strings"
	"time"
)

// Clause is one SQL condition with its arguments.
type Clause struct {
	SQL  string
	Args []any
}

// Where joins conditions with AND into a WHERE clause (empty for none) and its arguments.
func Where(clauses ...Clause) (string, []any) {
	if len(clauses) == 0 {
		return "", nil
	}
	parts := make([]string, len(clauses))
	var args []any
	for i, c := range clauses {
		parts[i] = "(" + c.SQL + ")"
		args = append(args, c.Args...)
	}
	return " WHERE " + strings.Join(parts, " AND "), args
}

// Live keeps the rows of alias that are not soft-deleted. Every read goes through it (or, for
// gorm model queries, through gorm's own soft-delete scope on model.*.DeletedAt).
func Live(alias string) Clause { return Clause{alias + ".deleted_at IS NULL", nil} }

// UpdatedAfter keeps the rows of alias changed strictly after t (no condition when t is nil).
func UpdatedAfter(alias string, t *time.Time) []Clause {
	if t == nil {
		return nil
	}
	return []Clause{{alias + ".updated_at > ?", []any{TimeArg(*t)}}}
}

// TimeArg is a time as the store writes it: UTC. On SQLite timestamps are stored as text in
// one fixed UTC layout, so they compare correctly as text with a UTC argument.
func TimeArg(t time.Time) time.Time { return t.UTC() }

// Null is s as a column value: NULL when it is empty.
func Null(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// Deref is the text of a nullable column ("" for NULL).
func Deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// Time scans a timestamp that a driver returns as time.Time (PostgreSQL, typed SQLite
// columns) or as text (SQLite expressions, such as a UNION's column).
type Time struct{ time.Time }

// Scan implements sql.Scanner.
func (t *Time) Scan(v any) error {
	switch x := v.(type) {
	case nil:
		t.Time = time.Time{}
		return nil
	case time.Time:
		t.Time = x.UTC()
		return nil
	case string:
		return t.parse(x)
	case []byte:
		return t.parse(string(x))
	}
	return fmt.Errorf("cannot scan %T into a time", v)
}

func (t *Time) parse(s string) error {
	p, ok := ParseTime(&s)
	if !ok {
		return fmt.Errorf("cannot parse time %q", s)
	}
	t.Time = p
	return nil
}

// Value implements driver.Valuer.
func (t Time) Value() (driver.Value, error) { return t.Time, nil }

// ParseTime reads a timestamp that comes back as text: on SQLite, and on PostgreSQL for an
// expression such as MAX(timestamp) scanned into text.
func ParseTime(s *string) (time.Time, bool) {
	if s == nil {
		return time.Time{}, false
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02 15:04:05.999999999-07:00", "2006-01-02 15:04:05.999999999Z07:00", "2006-01-02 15:04:05.999999999", "2006-01-02T15:04:05.999999999"} {
		if t, err := time.Parse(layout, *s); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}
