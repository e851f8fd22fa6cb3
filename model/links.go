package model

import "errors"

// MoveLinks loads the relations of the moves one producer put in an answer (a page, the pages
// of one batch, the replies of a page…): the first move asked for a relation has it loaded for
// all of them in one statement, the others find it loaded. The graph package sets it on every
// move it returns, so the relation fields below are plain methods that gqlgen calls inline,
// without a goroutine or a loader round trip per field.
type MoveLinks interface {
	Company(m *MoveRecord) (*Company, error)
	Country(m *MoveRecord) (*Country, error)
	Case(m *MoveRecord) (*Case, error)
	Linked(m *MoveRecord, replies bool) ([]Move, error)
	Sources(m *MoveRecord) ([]*Source, error)
	Products(m *MoveRecord) ([]*Product, error)
	TargetCompanies(m *MoveRecord) ([]*Company, error)
	Counterparts(m *MoveRecord) ([]*Country, error)
	Concerns(m *MoveRecord) ([]Concern, error)
}

// errUnlinked is a programming error: a move reached the executor without its links.
var errUnlinked = errors.New("internal: a move's relations were not linked")

// Company is the company that answered (a response's).
func (m *MoveRecord) Company() (*Company, error) {
	if m.Links == nil {
		return nil, errUnlinked
	}
	return m.Links.Company(m)
}

// Country is the country that acted, or that the company answered.
func (m *MoveRecord) Country() (*Country, error) {
	if m.Links == nil {
		return nil, errUnlinked
	}
	return m.Links.Country(m)
}

// Case is the case the move belongs to.
func (m *MoveRecord) Case() (*Case, error) {
	if m.Links == nil {
		return nil, errUnlinked
	}
	return m.Links.Case(m)
}

// Replies are the later moves that answered this one, oldest first.
func (m *MoveRecord) Replies() ([]Move, error) {
	if m.Links == nil {
		return nil, errUnlinked
	}
	return m.Links.Linked(m, true)
}

// InReplyTo are the earlier moves this one answers, oldest first.
func (m *MoveRecord) InReplyTo() ([]Move, error) {
	if m.Links == nil {
		return nil, errUnlinked
	}
	return m.Links.Linked(m, false)
}

// Sources are the move's sources, by publication date.
func (m *MoveRecord) Sources() ([]*Source, error) {
	if m.Links == nil {
		return nil, errUnlinked
	}
	return m.Links.Sources(m)
}

// Products are the products the move concerns, by name.
func (m *MoveRecord) Products() ([]*Product, error) {
	if m.Links == nil {
		return nil, errUnlinked
	}
	return m.Links.Products(m)
}

// TargetProducts are the products an action targets: its products.
func (m *MoveRecord) TargetProducts() ([]*Product, error) { return m.Products() }

// TargetCompanies are the companies an action targets, by name.
func (m *MoveRecord) TargetCompanies() ([]*Company, error) {
	if m.Links == nil {
		return nil, errUnlinked
	}
	return m.Links.TargetCompanies(m)
}

// Counterparts are the other countries an action concerns, by code.
func (m *MoveRecord) Counterparts() ([]*Country, error) {
	if m.Links == nil {
		return nil, errUnlinked
	}
	return m.Links.Counterparts(m)
}

// Concerns are why a country acted.
func (m *MoveRecord) Concerns() ([]Concern, error) {
	if m.Links == nil {
		return nil, errUnlinked
	}
	return m.Links.Concerns(m)
}
