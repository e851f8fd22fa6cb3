package graph

import "github.com/cybertrade/cybertrade/model"

// The payload of every create, update and delete: the record the write returned (a model
// pointer, or a *model.MoveRecord for moves), its revision and the client's mutation id, or
// the write's error. Call the result with the write.
func payload[P any](mk func(rec any, rev *model.Revision) P) func(any, *model.Revision, error) (P, error) {
	return func(rec any, rev *model.Revision, err error) (P, error) {
		if err != nil {
			var zero P
			return zero, err
		}
		return mk(rec, rev), nil
	}
}

func casePayload(id *string) func(any, *model.Revision, error) (*model.CasePayload, error) {
	return payload(func(rec any, rev *model.Revision) *model.CasePayload {
		return &model.CasePayload{ClientMutationID: id, Case: rec.(*model.Case), Revision: rev}
	})
}

func countryActionPayload(id *string) func(any, *model.Revision, error) (*model.CountryActionPayload, error) {
	return payload(func(rec any, rev *model.Revision) *model.CountryActionPayload {
		return &model.CountryActionPayload{ClientMutationID: id, CountryAction: &model.CountryAction{MoveRecord: rec.(*model.MoveRecord)}, Revision: rev}
	})
}

func companyResponsePayload(id *string) func(any, *model.Revision, error) (*model.CompanyResponsePayload, error) {
	return payload(func(rec any, rev *model.Revision) *model.CompanyResponsePayload {
		return &model.CompanyResponsePayload{ClientMutationID: id, CompanyResponse: &model.CompanyResponse{MoveRecord: rec.(*model.MoveRecord)}, Revision: rev}
	})
}

func sourcePayload(id *string) func(any, *model.Revision, error) (*model.SourcePayload, error) {
	return payload(func(rec any, rev *model.Revision) *model.SourcePayload {
		return &model.SourcePayload{ClientMutationID: id, Source: rec.(*model.Source), Revision: rev}
	})
}

func companyPayload(id *string) func(any, *model.Revision, error) (*model.CompanyPayload, error) {
	return payload(func(rec any, rev *model.Revision) *model.CompanyPayload {
		return &model.CompanyPayload{ClientMutationID: id, Company: rec.(*model.Company), Revision: rev}
	})
}

func productPayload(id *string) func(any, *model.Revision, error) (*model.ProductPayload, error) {
	return payload(func(rec any, rev *model.Revision) *model.ProductPayload {
		return &model.ProductPayload{ClientMutationID: id, Product: rec.(*model.Product), Revision: rev}
	})
}
