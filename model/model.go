package model

import (
	"time"

	"gorm.io/gorm"

	"github.com/cybertrade/cybertrade/internal/globalid"
)

// Country is an ISO 3166-1 country or a supranational body (the EU).
type Country struct {
	RowID         int64   `gorm:"column:id;primaryKey"`
	Code          string  `gorm:"column:code"`
	Alpha3        *string `gorm:"column:alpha3"`
	Name          string  `gorm:"column:name"`
	Region        string  `gorm:"column:region"`
	Supranational bool    `gorm:"column:supranational"`
	// CodeStatus says whether Code is officially assigned in ISO 3166-1.
	CodeStatus CountryCodeStatus `gorm:"column:code_status"`
	Version    int               `gorm:"column:version;default:1"`
	CreatedAt  time.Time
	UpdatedAt  time.Time
	DeletedAt  gorm.DeletedAt `gorm:"column:deleted_at"`
}

// TableName is the table of countries.
func (Country) TableName() string { return "countries" }

// ID is the country's global id.
func (c *Country) ID() string { return globalid.Encode(globalid.Country, c.Code) }

// IsNode marks Country as a Node.
func (Country) IsNode() {}

// Company is a company that was acted against or answered.
type Company struct {
	RowID         int64    `gorm:"column:id;primaryKey"`
	Slug          string   `gorm:"column:slug"`
	Name          string   `gorm:"column:name"`
	HomeCountryID *int64   `gorm:"column:home_country_id"`
	Sector        string   `gorm:"column:sector"`
	Description   string   `gorm:"column:description"`
	Aliases       []string `gorm:"column:aliases;serializer:json"`
	Version       int      `gorm:"column:version;default:1"`
	CreatedAt     time.Time
	UpdatedAt     time.Time
	DeletedAt     gorm.DeletedAt `gorm:"column:deleted_at"`
}

// TableName is the table of companies.
func (Company) TableName() string { return "companies" }

// ID is the company's global id.
func (c *Company) ID() string { return globalid.Encode(globalid.Company, c.Slug) }

// IsNode marks Company as a Node.
func (Company) IsNode() {}

// Product is a product or service line of a company.
type Product struct {
	RowID       int64           `gorm:"column:id;primaryKey"`
	Slug        string          `gorm:"column:slug"`
	Name        string          `gorm:"column:name"`
	Category    ProductCategory `gorm:"column:category"`
	Description string          `gorm:"column:description"`
	CompanyID   int64           `gorm:"column:company_id"`
	Version     int             `gorm:"column:version;default:1"`
	CreatedAt   time.Time
	UpdatedAt   time.Time
	DeletedAt   gorm.DeletedAt `gorm:"column:deleted_at"`
}

// TableName is the table of products.
func (Product) TableName() string { return "products" }

// ID is the product's global id.
func (p *Product) ID() string { return globalid.Encode(globalid.Product, p.Slug) }

// IsNode marks Product as a Node.
func (Product) IsNode() {}

// Case groups the moves of one conflict.
type Case struct {
	RowID     int64   `gorm:"column:id;primaryKey"`
	Slug      string  `gorm:"column:slug"`
	Title     string  `gorm:"column:title"`
	Summary   string  `gorm:"column:summary"`
	StartDate *string `gorm:"column:start_date"`
	EndDate   *string `gorm:"column:end_date"`
	Version   int     `gorm:"column:version;default:1"`
	CreatedAt time.Time
	UpdatedAt time.Time
	DeletedAt gorm.DeletedAt `gorm:"column:deleted_at"`
}

// TableName is the table of cases.
func (Case) TableName() string { return "cases" }

// ID is the case's global id.
func (c *Case) ID() string { return globalid.Encode(globalid.Case, c.Slug) }

// IsNode marks Case as a Node.
func (Case) IsNode() {}

// Source is a citable document.
type Source struct {
	RowID         int64         `gorm:"column:id;primaryKey"`
	Key           string        `gorm:"column:key"`
	Title         string        `gorm:"column:title"`
	Publisher     string        `gorm:"column:publisher"`
	Date          string        `gorm:"column:date"`
	DatePrecision DatePrecision `gorm:"column:date_precision"`
	URL           string        `gorm:"column:url"`
	Note          *string       `gorm:"column:note"`
	Version       int           `gorm:"column:version;default:1"`
	CreatedAt     time.Time
	UpdatedAt     time.Time
	DeletedAt     gorm.DeletedAt `gorm:"column:deleted_at"`
}

// TableName is the table of sources.
func (Source) TableName() string { return "sources" }

// ID is the source's global id.
func (s *Source) ID() string { return globalid.Encode(globalid.Source, s.Key) }

// IsNode marks Source as a Node.
func (Source) IsNode() {}
