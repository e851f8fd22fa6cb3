package reads

import (
	"slices"
	"sync"
	"testing"

	"gorm.io/gorm/schema"

	"github.com/cybertrade/cybertrade/model"
)

// TestHandWrittenColumnsMatchTheModels: the hand-written column lists read every column the
// gorm models map (but deleted_at: reads only see live rows), in the models' order, so a
// column added by a migration and a model cannot be silently left unread by the API.
func TestHandWrittenColumnsMatchTheModels(t *testing.T) {
	check := func(name string, m any, cols []string) {
		t.Helper()
		s, err := schema.Parse(m, &sync.Map{}, schema.NamingStrategy{})
		if err != nil {
			t.Fatal(err)
		}
		var want []string
		for _, f := range s.Fields {
			if f.DBName != "" && f.DBName != "deleted_at" {
				want = append(want, f.DBName)
			}
		}
		if !slices.Equal(cols, want) {
			t.Errorf("%s: hand-written columns %v\nmodel columns %v", name, cols, want)
		}
	}
	check("countries", &model.Country{}, countryFields.cols)
	check("companies", &model.Company{}, companyFields.cols)
	check("products", &model.Product{}, productFields.cols)
	check("cases", &model.Case{}, caseFields.cols)
	check("sources", &model.Source{}, sourceFields.cols)
	check("moves", &model.MoveRecord{}, moveFields.cols)
}
