// Package synth generates deterministic synthetic datasets with the shapes of the real one:
// countries, companies with products, and cases whose moves chain action → response →
// action. Tests use it small; benchmarks use it large.
package synth

import (
	"fmt"
	"math/rand/v2"

	"github.com/cybertrade/cybertrade/dataset"
	"github.com/cybertrade/cybertrade/model"
)

// Countries used as actors and homes; all are ISO codes.
var countryCodes = []string{"US", "CN", "RU", "GB", "DE", "FR", "AU", "CA", "IN", "JP", "KR", "NL", "SE", "CZ", "PL", "LT", "NZ", "IT", "ES", "BR"}

// Generate returns a valid dataset with n cases, about n/2 companies, about 5n moves (2n of
// them responses) and about 2n reply links. The same n and seed give the same dataset.
func Generate(n int, seed uint64) *dataset.Dataset {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	ds := &dataset.Dataset{Meta: dataset.Meta{Version: "0.0.0", Title: "synthetic", License: "CC0-1.0",
		LicenseURL: "https://creativecommons.org/publicdomain/zero/1.0/", Citation: fmt.Sprintf("synthetic dataset n=%d seed=%d", n, seed)}}
	for _, c := range countryCodes {
		ds.Countries = append(ds.Countries, dataset.Country{Code: c, Name: "Country " + c, Region: "Synthetic"})
	}
	nCompanies := max(n/2, 1)
	cats := model.AllProductCategory
	for i := range nCompanies {
		slug := fmt.Sprintf("company-%d", i)
		ds.Companies = append(ds.Companies, dataset.Company{
			Slug: slug, Name: fmt.Sprintf("Company %05d", i), Country: countryCodes[rng.IntN(len(countryCodes))],
			Sector: "Synthetic", Products: []dataset.Product{{Slug: slug + "-p", Name: fmt.Sprintf("Product %05d", i), Category: string(cats[rng.IntN(len(cats))])}},
		})
	}
	cOpts, rOpts, concerns := model.AllCountryOption, model.AllCompanyOption, model.AllConcern
	for i := range n {
		co := ds.Companies[rng.IntN(nCompanies)]
		country := countryCodes[rng.IntN(len(countryCodes))]
		year := 2000 + rng.IntN(25)
		src := fmt.Sprintf("source-%d", i)
		c := dataset.Case{Slug: fmt.Sprintf("case-%d", i), Title: fmt.Sprintf("Case %d", i), Summary: "Synthetic case.", Sources: []string{src},
			Bibliography: []dataset.Source{{Key: src, Title: fmt.Sprintf("Report %d", i), Publisher: "Synthetic Times", Date: fmt.Sprintf("%d", year), URL: fmt.Sprintf("https://example.org/%d", i)}}}
		date := func(step int) string {
			return fmt.Sprintf("%04d-%02d-%02d", year+step/12, step%12+1, 1+rng.IntN(28))
		}
		prev := ""
		for step := range 5 {
			m := dataset.Move{Slug: fmt.Sprintf("case-%d-move-%d", i, step), Country: country, Date: date(step * 2),
				Title: fmt.Sprintf("Move %d of case %d", step, i), Summary: "Synthetic move.", Sources: []string{src}}
			if step%2 == 0 {
				m.Type, m.Option = dataset.TypeAction, string(cOpts[rng.IntN(len(cOpts))])
				m.Concerns = []string{string(concerns[rng.IntN(len(concerns))])}
				m.Companies, m.Products = []string{co.Slug}, []string{co.Products[0].Slug}
			} else {
				m.Type, m.Company = dataset.TypeResponse, co.Slug
				m.Option = string(rOpts[rng.IntN(len(rOpts))])
				if step == 1 && i%2 == 0 {
					m.Option = string(model.CompanyOptionDefy)
				}
			}
			if prev != "" && step <= 2 {
				m.InReplyTo = []string{prev}
			}
			prev = m.Slug
			c.Moves = append(c.Moves, m)
		}
		ds.Cases = append(ds.Cases, c)
	}
	return ds
}
