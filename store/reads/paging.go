package reads

import (
	"encoding/base64"
	"encoding/json"

	"github.com/cybertrade/cybertrade/internal/apperr"
	"github.com/cybertrade/cybertrade/store/core"
)

// Page sizes.
const (
	DefaultPageSize = 20
	MaxPageSize     = 100
)

// Cursor is a position in a keyset-ordered list: the sort key of a row and its id.
type Cursor struct {
	Key string `json:"k"`
	ID  int64  `json:"i"`
}

// Encode returns the opaque cursor string.
func (c Cursor) Encode() string {
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}

// DecodeCursor parses an opaque cursor; field names the argument for the error message.
func DecodeCursor(field, s string) (Cursor, error) {
	var c Cursor
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || json.Unmarshal(raw, &c) != nil || c.ID <= 0 {
		return Cursor{}, apperr.InvalidField(field, "malformed cursor %q; use a cursor returned by this API", core.TruncateText(s, 100))
	}
	return c, nil
}

// PageArgs is a validated Relay page request.
type PageArgs struct {
	// Limit is the page size.
	Limit int
	// FromEnd is true for `last`: the page ends at `Before` (or the end of the list).
	FromEnd bool
	After   *Cursor
	Before  *Cursor
}

// NewPageArgs validates Relay arguments: `first` and `last` are exclusive, 0..100, the default
// page is 20, and cursors must be well formed. A page size over the maximum is an error, not a
// silent clamp.
func NewPageArgs(first *int, after *string, last *int, before *string) (PageArgs, error) {
	p := PageArgs{Limit: DefaultPageSize}
	if first != nil && last != nil {
		return p, apperr.InvalidField("first", "give either first or last, not both")
	}
	for _, a := range []struct {
		name string
		v    *int
	}{{"first", first}, {"last", last}} {
		if a.v == nil {
			continue
		}
		if *a.v < 0 {
			return p, apperr.InvalidField(a.name, "must not be negative (got %d)", *a.v)
		}
		if *a.v > MaxPageSize {
			return p, apperr.InvalidField(a.name, "%d is over the maximum page size of %d; page with after/before", *a.v, MaxPageSize)
		}
		p.Limit = *a.v
	}
	p.FromEnd = last != nil
	if after != nil {
		c, err := DecodeCursor("after", *after)
		if err != nil {
			return p, err
		}
		p.After = &c
	}
	if before != nil {
		c, err := DecodeCursor("before", *before)
		if err != nil {
			return p, err
		}
		p.Before = &c
	}
	return p, nil
}
