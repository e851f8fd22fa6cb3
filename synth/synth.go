// Package synth generates deterministic synthetic datasets with the shapes of the real one:
// the full ISO 3166-1 country list (from data/countries.yaml) with a few countries acting far
// more than the rest, companies with one to four products, and cases of five moves that chain
// action → response → action, citing one to four sources, with dates at year, month or day
// precision. Tests use it small; benchmarks use it large (bench/run, `cybertrade synth`).
package synth

import (
	"fmt"
	"math/rand/v2"

	"go.yaml.in/yaml/v3"

	"github.com/cybertrade/cybertrade/data"
	"github.com/cybertrade/cybertrade/dataset"
	"github.com/cybertrade/cybertrade/model"
)

// MovesPerCase is the fixed length of a synthetic case: action, response, action, response,
// action. The response (step 1) answers the first action and the second action (step 2)
// answers that response, so a case has two reply links.
const MovesPerCase = 5

// weighted lists the countries that act (or are home to companies) far more often than the
// rest, as in the real data; the remaining share is spread over every ISO country.
type weighted struct {
	codes   []string
	weights []int
	rest    int // weight of "any country of the full list"
	total   int
}

func newWeighted(rest int, pairs ...any) weighted {
	w := weighted{rest: rest, total: rest}
	for i := 0; i < len(pairs); i += 2 {
		w.codes = append(w.codes, pairs[i].(string))
		w.weights = append(w.weights, pairs[i+1].(int))
		w.total += pairs[i+1].(int)
	}
	return w
}

func (w weighted) pick(rng *rand.Rand, all []dataset.Country) string {
	x := rng.IntN(w.total)
	for i, wt := range w.weights {
		if x < wt {
			return w.codes[i]
		}
		x -= wt
	}
	return all[rng.IntN(len(all))].Code
}

var (
	// Acting countries: the US alone takes about a fifth of all actions.
	actors = newWeighted(20, "US", 20, "CN", 9, "RU", 9, "GB", 6, "DE", 5, "AU", 5, "IN", 5, "FR", 3,
		"JP", 3, "CA", 3, "EU", 3, "KR", 2, "NL", 2, "SE", 2, "CZ", 2, "TW", 1, "LT", 1, "NZ", 1, "PL", 1, "IT", 1)
	// Home countries of companies.
	homes = newWeighted(15, "CN", 25, "US", 30, "RU", 8, "IL", 5, "KR", 5, "JP", 4, "DE", 4, "GB", 2, "FR", 1, "SE", 1)

	syllables = []string{"Ar", "Bel", "Cor", "Dax", "El", "Fen", "Gal", "Hex", "Ion", "Jun", "Kav", "Lum", "Mer", "Nor",
		"Ox", "Pax", "Quin", "Ros", "Sil", "Tel", "Ul", "Vex", "Wen", "Xan", "Yor", "Zen"}
	endings = []string{"tech", "tron", "net", "ix", "com", "soft", "ware", "sys", "link", "wave"}
	// Product words and the sector of a company making mostly that category.
	categoryWords = map[model.ProductCategory][2]string{
		model.ProductCategoryTelecomEquipment:   {"Core Router", "Telecommunications equipment"},
		model.ProductCategoryItHardware:         {"Server", "IT hardware"},
		model.ProductCategorySecuritySoftware:   {"Endpoint Security", "Cybersecurity software"},
		model.ProductCategorySoftware:           {"Office Suite", "Software"},
		model.ProductCategoryOnlineService:      {"Messenger", "Online services"},
		model.ProductCategoryMobileDevice:       {"Smartphone", "Consumer electronics"},
		model.ProductCategoryConsumerIot:        {"Smart Toy", "Consumer devices"},
		model.ProductCategorySurveillanceCamera: {"IP Camera", "Video surveillance"},
		model.ProductCategoryDrone:              {"Quadcopter", "Drones"},
		model.ProductCategoryIndustrialControl:  {"PLC Controller", "Industrial automation"},
		model.ProductCategoryVehicle:            {"Connected Car", "Vehicles"},
		model.ProductCategorySemiconductor:      {"Modem Chip", "Semiconductors"},
	}
	publishers = []string{"Reuters", "Associated Press", "Financial Times", "The New York Times", "BBC News",
		"Official Journal", "Federal Register", "Ministry press release", "Company press release", "Court ruling"}
	actions = map[model.CountryOption]string{
		model.CountryOptionDoNothing:              "knowingly keeps using",
		model.CountryOptionImportBarrier:          "restricts sales of",
		model.CountryOptionProcurementRestriction: "bars government buyers from",
		model.CountryOptionNorms:                  "agrees norms covering",
		model.CountryOptionAmplify:                "escalates over",
	}
	responses = map[model.CompanyOption]string{
		model.CompanyOptionRecommend:   "lobbies over",
		model.CompanyOptionAcquiesce:   "complies with",
		model.CompanyOptionCompromise:  "partly accommodates",
		model.CompanyOptionAvoid:       "leaves the market after",
		model.CompanyOptionDefy:        "challenges",
		model.CompanyOptionCollaborate: "works with the government on",
	}
	// The instrument of each option's moves (a fixed choice, so the random stream, and with it
	// the dataset of a seed, is what it was before moves had instruments).
	actionInstruments = map[model.CountryOption]model.Instrument{
		model.CountryOptionDoNothing:              model.InstrumentStatement,
		model.CountryOptionImportBarrier:          model.InstrumentRegulatoryOrder,
		model.CountryOptionProcurementRestriction: model.InstrumentProcurementDecision,
		model.CountryOptionNorms:                  model.InstrumentAgreement,
		model.CountryOptionAmplify:                model.InstrumentEnforcement,
	}
	responseInstruments = map[model.CompanyOption]model.Instrument{
		model.CompanyOptionRecommend:   model.InstrumentLobbying,
		model.CompanyOptionAcquiesce:   model.InstrumentBusinessDecision,
		model.CompanyOptionCompromise:  model.InstrumentBusinessDecision,
		model.CompanyOptionAvoid:       model.InstrumentBusinessDecision,
		model.CompanyOptionDefy:        model.InstrumentLawsuit,
		model.CompanyOptionCollaborate: model.InstrumentVerification,
	}
	agencies = []string{"Ministry of Defence", "Telecom regulator", "Data protection authority", "Parliament",
		"Procurement agency", "Ministry of Commerce", "Communications ministry"}
)

// Countries returns the full country list shipped in data/countries.yaml.
func Countries() ([]dataset.Country, error) {
	raw, err := data.FS.ReadFile("countries.yaml")
	if err != nil {
		return nil, err
	}
	var out []dataset.Country
	return out, yaml.Unmarshal(raw, &out)
}

// Generate returns a valid dataset with n cases, about n/2 companies, 5n moves (2n of them
// responses), 2n reply links and every ISO country. The same n and seed give the same dataset.
func Generate(n int, seed uint64) *dataset.Dataset {
	var out *dataset.Dataset
	err := Stream(n, seed, n, func(ds *dataset.Dataset) error {
		if out == nil {
			out = ds
		} else {
			out.Cases = append(out.Cases, ds.Cases...)
		}
		return nil
	})
	if err != nil {
		panic(err) // only the embedded countries file can fail, and a test covers it
	}
	return out
}

// Title and Version name a synthetic dataset in dataset_meta, so that `cybertrade synth` can
// tell a database of synthetic data from one holding the curated dataset.
const (
	Title   = "synthetic"
	Version = "0.0.0"
)

// Stream generates the same dataset as Generate, handing it to emit in chunks of at most
// chunk cases so a large one never sits in memory whole. The first chunk carries the
// metadata, the countries and all companies; later chunks only cases. Chunks are emitted in
// order, and the moves of a case only refer to records of its own chunk or the first one.
func Stream(n int, seed uint64, chunk int, emit func(*dataset.Dataset) error) error {
	all, err := Countries()
	if err != nil {
		return fmt.Errorf("read the country list: %w", err)
	}
	if chunk <= 0 {
		chunk = max(n, 1)
	}
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	ds := &dataset.Dataset{Meta: dataset.Meta{Version: Version, Title: Title, License: "CC0-1.0",
		LicenseURL: "https://creativecommons.org/publicdomain/zero/1.0/", Citation: fmt.Sprintf("synthetic dataset n=%d seed=%d", n, seed)}}
	ds.Countries = append(ds.Countries, all...)
	nCompanies := max(n/2, 1)
	for i := range nCompanies {
		ds.Companies = append(ds.Companies, company(rng, all, i))
	}
	companies := ds.Companies
	for start := 0; start < n; start += chunk {
		for i := start; i < min(start+chunk, n); i++ {
			ds.Cases = append(ds.Cases, genCase(rng, all, companies, i))
		}
		if err := emit(ds); err != nil {
			return err
		}
		ds = &dataset.Dataset{}
	}
	if n <= 0 {
		return emit(ds)
	}
	return nil
}

func company(rng *rand.Rand, all []dataset.Country, i int) dataset.Company {
	cats := model.AllProductCategory
	primary := cats[rng.IntN(len(cats))]
	name := syllables[rng.IntN(len(syllables))] + endings[rng.IntN(len(endings))]
	slug := fmt.Sprintf("company-%d", i)
	c := dataset.Company{
		Slug: slug, Name: fmt.Sprintf("%s %05d", name, i), Country: homes.pick(rng, all), Sector: categoryWords[primary][1],
		Description: fmt.Sprintf("Synthetic maker of %s products.", categoryWords[primary][1]),
	}
	if rng.IntN(4) == 0 {
		c.Aliases = []string{name + " Ltd.", name + " Group"}
	}
	for p := range 1 + rng.IntN(4) {
		cat := primary
		if p > 0 && rng.IntN(2) == 0 {
			cat = cats[rng.IntN(len(cats))]
		}
		c.Products = append(c.Products, dataset.Product{
			Slug: fmt.Sprintf("%s-p%d", slug, p), Name: fmt.Sprintf("%s %s %d", name, categoryWords[cat][0], p+1), Category: string(cat),
		})
	}
	return c
}

// date renders a day at a random precision: mostly exact days, some months, a few years.
func date(rng *rand.Rand, year, month, day int) string {
	switch x := rng.IntN(10); {
	case x < 7:
		return fmt.Sprintf("%04d-%02d-%02d", year, month, day)
	case x < 9:
		return fmt.Sprintf("%04d-%02d", year, month)
	}
	return fmt.Sprintf("%04d", year)
}

func genCase(rng *rand.Rand, all []dataset.Country, companies []dataset.Company, i int) dataset.Case {
	co := companies[rng.IntN(len(companies))]
	country := actors.pick(rng, all)
	year, month := 2000+rng.IntN(25), rng.IntN(12)
	slug := fmt.Sprintf("case-%d", i)
	c := dataset.Case{Slug: slug, File: "cases/" + slug + ".yaml", Title: fmt.Sprintf("%s in %s (%d)", co.Name, country, i),
		Summary: fmt.Sprintf("Synthetic conflict %d between %s and %s.", i, country, co.Name)}
	for s := range 1 + rng.IntN(4) {
		key := fmt.Sprintf("source-%d-%d", i, s)
		c.Sources = append(c.Sources, key)
		c.Bibliography = append(c.Bibliography, dataset.Source{Key: key, Title: fmt.Sprintf("Report %d on case %d", s+1, i),
			Publisher: publishers[rng.IntN(len(publishers))], Date: date(rng, year+s/2, month+1, 1+rng.IntN(28)),
			URL: fmt.Sprintf("https://news.example.org/%d/case-%d/%d", year, i, s)})
	}
	cOpts, rOpts, concerns := model.AllCountryOption, model.AllCompanyOption, model.AllConcern
	prev := ""
	for step := range MovesPerCase {
		at := month + step*2 + rng.IntN(2)
		m := dataset.Move{Slug: fmt.Sprintf("case-%d-move-%d", i, step), Country: country,
			Date:    date(rng, year+at/12, at%12+1, 1+rng.IntN(28)),
			Summary: "Synthetic move.", Sources: []string{c.Sources[rng.IntN(len(c.Sources))]}}
		if len(c.Sources) > 1 && rng.IntN(3) == 0 {
			m.Sources = c.Sources[:2]
		}
		if step%2 == 0 {
			opt := cOpts[rng.IntN(len(cOpts))]
			m.Type, m.Option, m.Instrument = dataset.TypeAction, string(opt), string(actionInstruments[opt])
			m.Title = fmt.Sprintf("%s %s %s", country, actions[opt], co.Name)
			for _, k := range rng.Perm(len(concerns))[:1+rng.IntN(3)] {
				m.Concerns = append(m.Concerns, string(concerns[k]))
			}
			m.Companies = []string{co.Slug}
			for p := range min(len(co.Products), 1+rng.IntN(2)) {
				m.Products = append(m.Products, co.Products[p].Slug)
			}
			if (opt == model.CountryOptionNorms || opt == model.CountryOptionAmplify) && co.Country != country {
				m.Counterparts = []string{co.Country}
			}
			if rng.IntN(3) == 0 {
				m.Actor = agencies[rng.IntN(len(agencies))]
			}
		} else {
			opt := rOpts[rng.IntN(len(rOpts))]
			if step == 1 && i%2 == 0 {
				opt = model.CompanyOptionDefy
			}
			m.Type, m.Company, m.Option, m.Instrument = dataset.TypeResponse, co.Slug, string(opt), string(responseInstruments[opt])
			m.Title = fmt.Sprintf("%s %s %s's measure", co.Name, responses[opt], country)
			if rng.IntN(2) == 0 {
				m.Products = []string{co.Products[0].Slug}
			}
		}
		switch x := rng.IntN(20); {
		case x == 0:
			m.Confidence, m.CodingNote = string(model.ConfidenceLow), "A fact of this synthetic move is marked unverified."
		case x < 3:
			m.Confidence, m.CodingNote = string(model.ConfidenceMedium), "The coding of this synthetic move is a judgment call."
		}
		if prev != "" && step <= 2 {
			m.InReplyTo = []string{prev}
		}
		prev = m.Slug
		c.Moves = append(c.Moves, m)
	}
	return c
}
