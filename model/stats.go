package model

import "context"

// Bucket is a count of records sharing one value of a dimension.
type Bucket struct {
	Value string
	Label *string
	Count int
}

// Stats is the root of the aggregations; its fields are resolvers.
type Stats struct{}

// Faceter counts a connection's whole filtered set by a dimension (a Dimension of store/reads).
type Faceter func(ctx context.Context, dimension string) ([]*Bucket, error)

// ActionFacets are the facets of a page of actions.
type ActionFacets struct{ By Faceter }

// Options counts by country option.
func (f *ActionFacets) Options(ctx context.Context) ([]*Bucket, error) { return f.By(ctx, "OPTION") }

// Countries counts by acting country.
func (f *ActionFacets) Countries(ctx context.Context) ([]*Bucket, error) { return f.By(ctx, "COUNTRY") }

// Years counts by year.
func (f *ActionFacets) Years(ctx context.Context) ([]*Bucket, error) { return f.By(ctx, "YEAR") }

// Concerns counts by concern.
func (f *ActionFacets) Concerns(ctx context.Context) ([]*Bucket, error) { return f.By(ctx, "CONCERN") }

// Categories counts by product category.
func (f *ActionFacets) Categories(ctx context.Context) ([]*Bucket, error) {
	return f.By(ctx, "CATEGORY")
}

// TargetCompanies counts by target company.
func (f *ActionFacets) TargetCompanies(ctx context.Context) ([]*Bucket, error) {
	return f.By(ctx, "TARGET_COMPANY")
}

// ResponseFacets are the facets of a page of responses.
type ResponseFacets struct{ By Faceter }

// Options counts by company option.
func (f *ResponseFacets) Options(ctx context.Context) ([]*Bucket, error) { return f.By(ctx, "OPTION") }

// Companies counts by responding company.
func (f *ResponseFacets) Companies(ctx context.Context) ([]*Bucket, error) {
	return f.By(ctx, "COMPANY")
}

// Countries counts by the country answered.
func (f *ResponseFacets) Countries(ctx context.Context) ([]*Bucket, error) {
	return f.By(ctx, "COUNTRY")
}

// HomeCountries counts by the responding company's home country.
func (f *ResponseFacets) HomeCountries(ctx context.Context) ([]*Bucket, error) {
	return f.By(ctx, "HOME_COUNTRY")
}

// Years counts by year.
func (f *ResponseFacets) Years(ctx context.Context) ([]*Bucket, error) { return f.By(ctx, "YEAR") }

// MoveFacets are the facets of a page of moves.
type MoveFacets struct{ By Faceter }

// Kinds counts by kind.
func (f *MoveFacets) Kinds(ctx context.Context) ([]*Bucket, error) { return f.By(ctx, "KIND") }

// Options counts by option.
func (f *MoveFacets) Options(ctx context.Context) ([]*Bucket, error) { return f.By(ctx, "OPTION") }

// Countries counts by country.
func (f *MoveFacets) Countries(ctx context.Context) ([]*Bucket, error) { return f.By(ctx, "COUNTRY") }

// Years counts by year.
func (f *MoveFacets) Years(ctx context.Context) ([]*Bucket, error) { return f.By(ctx, "YEAR") }

// Instruments counts actions by instrument.
func (f *ActionFacets) Instruments(ctx context.Context) ([]*Bucket, error) {
	return f.By(ctx, "INSTRUMENT")
}

// Instruments counts responses by instrument.
func (f *ResponseFacets) Instruments(ctx context.Context) ([]*Bucket, error) {
	return f.By(ctx, "INSTRUMENT")
}

// Instruments counts moves by instrument.
func (f *MoveFacets) Instruments(ctx context.Context) ([]*Bucket, error) {
	return f.By(ctx, "INSTRUMENT")
}
