package model

import (
	"time"

	"github.com/cybertrade/cybertrade/internal/globalid"
)

// Deletion is a tombstone: a soft-deleted record, named by its type and natural key.
type Deletion struct {
	// Type is the GraphQL type name (globalid.Country, ...).
	Type      string
	Key       string
	DeletedAt time.Time
	// Seq orders tombstones deleted at the same time: row id * 8 + a type ordinal.
	Seq int64
}

// ID is the global id the deleted record had.
func (d *Deletion) ID() string { return globalid.Encode(d.Type, d.Key) }

// DeletionConnection is a page of tombstones.
type DeletionConnection struct {
	Edges    []*DeletionEdge
	PageInfo *PageInfo
	Counter
}

// DeletionEdge is a tombstone in a page.
type DeletionEdge struct {
	Cursor string
	Node   *Deletion
}

// Nodes lists the page's tombstones.
func (c *DeletionConnection) Nodes() []*Deletion {
	out := make([]*Deletion, len(c.Edges))
	for i, e := range c.Edges {
		out[i] = e.Node
	}
	return out
}
