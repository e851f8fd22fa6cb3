package model

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/cybertrade/cybertrade/internal/globalid"
)

// JSON is a JSON value passed through as it is (the JSON scalar): a revision's record values.
type JSON json.RawMessage

// MarshalGQL implements graphql.Marshaler: the value is written as JSON, not as a string.
func (j JSON) MarshalGQL(w io.Writer) {
	if len(j) == 0 {
		_, _ = io.WriteString(w, "null")
		return
	}
	_, _ = w.Write(j)
}

// UnmarshalGQL implements graphql.Unmarshaler (the scalar is output-only, but any value
// round-trips).
func (j *JSON) UnmarshalGQL(v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("not a JSON value: %w", err)
	}
	*j = b
	return nil
}

// Revision is one recorded change of one record: who, when, what, and the record's values
// before and after.
type Revision struct {
	RowID int64 `gorm:"column:id;primaryKey"`
	At    time.Time
	Actor string
	// Act is create, update, delete, restore or revert (lower case, as stored).
	Act        string `gorm:"column:action"`
	RecordType string `gorm:"column:record_type"`
	NodeID     string `gorm:"column:node_id"`
	// Version is the record's version after this change.
	Version      int
	BeforeValues *string `gorm:"column:before_values"`
	AfterValues  *string `gorm:"column:after_values"`
	RevertsID    *int64  `gorm:"column:reverts_revision_id"`
}

// TableName is the table of revisions.
func (Revision) TableName() string { return "revisions" }

// ID is the revision's opaque id.
func (r *Revision) ID() string { return RevisionID(r.RowID) }

// RevisionID is the opaque id of the revision with row id n.
func RevisionID(n int64) string { return globalid.Encode(globalid.Revision, strconv.FormatInt(n, 10)) }

// Action is what the change did, as the GraphQL enum names it.
func (r *Revision) Action() RevisionAction { return RevisionAction(strings.ToUpper(r.Act)) }

// NodeType is the GraphQL type name of the record changed.
func (r *Revision) NodeType() string { return r.RecordType }

// Before is the record's values before the change; null when it did not exist or was deleted.
func (r *Revision) Before() JSON { return jsonOf(r.BeforeValues) }

// After is the record's values after the change; null when it was deleted.
func (r *Revision) After() JSON { return jsonOf(r.AfterValues) }

// Reverts is the id of the revision this one reverts, or nil.
func (r *Revision) Reverts() *string {
	if r.RevertsID == nil {
		return nil
	}
	id := RevisionID(*r.RevertsID)
	return &id
}

func jsonOf(s *string) JSON {
	if s == nil {
		return nil
	}
	return JSON(*s)
}

// RevisionConnection is a page of revisions.
type RevisionConnection struct {
	Edges    []*RevisionEdge
	PageInfo *PageInfo
	Counter
}

// RevisionEdge is a revision in a page.
type RevisionEdge struct {
	Cursor string
	Node   *Revision
}

// Nodes lists the page's revisions.
func (c *RevisionConnection) Nodes() []*Revision {
	out := make([]*Revision, len(c.Edges))
	for i, e := range c.Edges {
		out[i] = e.Node
	}
	return out
}
