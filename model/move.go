package model

import (
	"time"

	"gorm.io/gorm"

	"github.com/cybertrade/cybertrade/internal/globalid"
)

// MoveRecord is one row of the moves table: a country action (Kind ACTION, CountryOption set)
// or a company response (Kind RESPONSE, CompanyOption and CompanyID set).
type MoveRecord struct {
	RowID         int64          `gorm:"column:id;primaryKey"`
	Slug          string         `gorm:"column:slug"`
	Kind          MoveKind       `gorm:"column:kind"`
	CountryOption *CountryOption `gorm:"column:country_option"`
	CompanyOption *CompanyOption `gorm:"column:company_option"`
	Instrument    Instrument     `gorm:"column:instrument"`
	CaseID        int64          `gorm:"column:case_id"`
	CountryID     int64          `gorm:"column:country_id"`
	CompanyID     *int64         `gorm:"column:company_id"`
	Actor         *string        `gorm:"column:actor"`
	Date          string         `gorm:"column:date"`
	DatePrecision DatePrecision  `gorm:"column:date_precision"`
	DateStart     string         `gorm:"column:date_start"`
	DateEnd       string         `gorm:"column:date_end"`
	Title         string         `gorm:"column:title"`
	Summary       string         `gorm:"column:summary"`
	Confidence    Confidence     `gorm:"column:confidence"`
	CodingNote    *string        `gorm:"column:coding_note"`
	// SortKey places the move in every ordered list: its date's first day, raised to the
	// latest sort date of the moves it answers, then a depth ("2016-11-17.0001"), so that a
	// reply is never listed before a move it answers (store/order computes it).
	SortKey   string `gorm:"column:sort_key"`
	Version   int    `gorm:"column:version;default:1"`
	CreatedAt time.Time
	UpdatedAt time.Time
	DeletedAt gorm.DeletedAt `gorm:"column:deleted_at"`
	// Links loads the move's relations with those of the moves produced with it (links.go).
	Links MoveLinks `gorm:"-" json:"-"`
}

// TableName is the table of moves.
func (MoveRecord) TableName() string { return "moves" }

// AsMove wraps the record in its GraphQL type: *CountryAction or *CompanyResponse.
func (m *MoveRecord) AsMove() Move {
	if m.Kind == MoveKindResponse {
		return &CompanyResponse{MoveRecord: m}
	}
	return &CountryAction{MoveRecord: m}
}

// CountryAction is a move of kind ACTION.
type CountryAction struct{ *MoveRecord }

// ID is the action's global id.
func (a *CountryAction) ID() string { return globalid.Encode(globalid.CountryAction, a.Slug) }

// Option is the country's option.
func (a *CountryAction) Option() CountryOption {
	if a.CountryOption == nil {
		return ""
	}
	return *a.CountryOption
}

// MoveOption is the country's option as a Move option (the enums share their values).
func (a *CountryAction) MoveOption() MoveOption { return MoveOption(a.Option()) }

// IsNode marks CountryAction as a Node.
func (CountryAction) IsNode() {}

// IsMove marks CountryAction as a Move.
func (CountryAction) IsMove() {}

// CompanyResponse is a move of kind RESPONSE.
type CompanyResponse struct{ *MoveRecord }

// ID is the response's global id.
func (r *CompanyResponse) ID() string { return globalid.Encode(globalid.CompanyResponse, r.Slug) }

// Option is the company's option.
func (r *CompanyResponse) Option() CompanyOption {
	if r.CompanyOption == nil {
		return ""
	}
	return *r.CompanyOption
}

// MoveOption is the company's option as a Move option (the enums share their values).
func (r *CompanyResponse) MoveOption() MoveOption { return MoveOption(r.Option()) }

// IsNode marks CompanyResponse as a Node.
func (CompanyResponse) IsNode() {}

// IsMove marks CompanyResponse as a Move.
func (CompanyResponse) IsMove() {}
