package httpapi_test

import (
	"testing"

	"github.com/cybertrade/cybertrade/dataset"
	"github.com/cybertrade/cybertrade/internal/globalid"
)

// researchFixture is a small, valid dataset in the shape of the real one, written so that
// search ranking, causal chains and timelines have answers a reader can check by eye:
//
//	linkedin-in-russia: ru-court (2016-11-10) and ru-blocks-linkedin (2016-11-17)
//	  → linkedin-refuses (2017-03, DEFY) → ru-keeps-block (2017-03) → linkedin-stays-out (2018,
//	  AVOID) → ru-fines-linkedin (2019-05-23, AMPLIFY)
//	kaspersky-in-the-us: us-dhs-ban (2017-09-13) → kaspersky-transparency (2017-10, COLLABORATE);
//	  us-dhs-ban and us-ndaa-ban (2017-12-12) → kaspersky-sues (2017-12-18, DEFY)
//	telegram-in-russia: ru-blocks-telegram ⇄ telegram-refuses-keys (same day: a cycle)
//	huawei-in-the-uk: uk-evaluation-centre (2010-11) → huawei-staffs-centre (2010-12, COLLABORATE)
//	us-china-norms: us-china-agreement (2015-09-25, NORMS, counterpart CN)
func researchFixture(t testing.TB) *dataset.Dataset {
	t.Helper()
	src := func(key, title, date string) dataset.Source {
		return dataset.Source{Key: key, Title: title, Publisher: "Test Wire", Date: date, URL: "https://example.org/" + key}
	}
	act := func(slug, option, country, date, title, summary string, concerns, companies, products, replyTo []string, source string) dataset.Move {
		return dataset.Move{Slug: slug, Type: dataset.TypeAction, Option: option, Instrument: "REGULATORY_ORDER", Country: country, Date: date, Title: title, Summary: summary,
			Concerns: concerns, Companies: companies, Products: products, InReplyTo: replyTo, Sources: []string{source}}
	}
	resp := func(slug, option, company, country, date, title, summary string, replyTo []string, source string) dataset.Move {
		instrument := map[string]string{"DEFY": "STATEMENT", "COLLABORATE": "VERIFICATION", "RECOMMEND": "LOBBYING"}[option]
		if instrument == "" {
			instrument = "BUSINESS_DECISION"
		}
		return dataset.Move{Slug: slug, Type: dataset.TypeResponse, Option: option, Instrument: instrument, Company: company, Country: country, Date: date,
			Title: title, Summary: summary, InReplyTo: replyTo, Sources: []string{source}}
	}
	ds := &dataset.Dataset{
		Meta: dataset.Meta{Version: "0.1.0", Title: "research fixture", License: "CC-BY-4.0", LicenseURL: "https://creativecommons.org/licenses/by/4.0/",
			Citation: "Test fixture.", Description: "A fixture for the research queries.", Framework: "Huang, Madnick and Johnson"},
		Countries: []dataset.Country{
			{Code: "CN", Alpha3: "CHN", Name: "China", Region: "Asia"},
			{Code: "GB", Alpha3: "GBR", Name: "United Kingdom", Region: "Europe"},
			{Code: "RU", Alpha3: "RUS", Name: "Russian Federation", Region: "Europe"},
			{Code: "US", Alpha3: "USA", Name: "United States", Region: "Americas"},
			{Code: "EU", Name: "European Union", Region: "Europe", Supranational: true, CodeStatus: "EXCEPTIONALLY_RESERVED"},
		},
		Companies: []dataset.Company{
			{Slug: "huawei", Name: "Huawei", Country: "CN", Sector: "Telecommunications", Aliases: []string{"Huawei Technologies"},
				Description: "Maker of telecom network equipment and smartphones.",
				Products:    []dataset.Product{{Slug: "huawei-network-equipment", Name: "Huawei network equipment", Category: "TELECOM_EQUIPMENT", Description: "Radio and core gear for mobile networks."}}},
			{Slug: "kaspersky-lab", Name: "Kaspersky Lab", Country: "RU", Sector: "Security software", Aliases: []string{"Kaspersky", "AO Kaspersky Lab"},
				Description: "Moscow-based maker of security software.",
				Products:    []dataset.Product{{Slug: "kaspersky-antivirus", Name: "Kaspersky anti-virus", Category: "SECURITY_SOFTWARE", Description: "Endpoint protection for home and business."}}},
			{Slug: "linkedin", Name: "LinkedIn", Country: "US", Sector: "Online services", Description: "Professional social network.",
				Products: []dataset.Product{{Slug: "linkedin-network", Name: "LinkedIn network", Category: "ONLINE_SERVICE", Description: "Web and mobile professional network."}}},
			{Slug: "telegram", Name: "Telegram", Sector: "Messaging", Description: "Messaging service with encrypted chats.",
				Products: []dataset.Product{{Slug: "telegram-messenger", Name: "Telegram messenger", Category: "ONLINE_SERVICE", Description: "Cloud messaging app."}}},
		},
		Cases: []dataset.Case{
			{Slug: "linkedin-in-russia", Title: "LinkedIn in Russia", Summary: "Russia enforced its data-localisation law against a professional network.",
				Sources: []string{"wire-linkedin"}, Bibliography: []dataset.Source{src("wire-linkedin", "Russia and LinkedIn", "2017-03-07")},
				Moves: []dataset.Move{
					act("ru-court", "IMPORT_BARRIER", "RU", "2016-11-10", "Moscow court rules against LinkedIn", "A court found the network kept personal data of Russian users abroad.",
						[]string{"DATA_SOVEREIGNTY", "PRIVACY"}, []string{"linkedin"}, []string{"linkedin-network"}, nil, "wire-linkedin"),
					act("ru-blocks-linkedin", "IMPORT_BARRIER", "RU", "2016-11-17", "Russia blocks LinkedIn", "The regulator blocked access after the ruling.",
						[]string{"DATA_SOVEREIGNTY"}, []string{"linkedin"}, []string{"linkedin-network"}, nil, "wire-linkedin"),
					resp("linkedin-refuses", "DEFY", "linkedin", "RU", "2017-03", "LinkedIn refuses to move its data", "The company declined to relocate user data.",
						[]string{"ru-blocks-linkedin"}, "wire-linkedin"),
					act("ru-keeps-block", "IMPORT_BARRIER", "RU", "2017-03", "Russia keeps the block", "The regulator said the block stays.",
						[]string{"DATA_SOVEREIGNTY"}, []string{"linkedin"}, nil, []string{"linkedin-refuses"}, "wire-linkedin"),
					resp("linkedin-stays-out", "AVOID", "linkedin", "RU", "2018", "LinkedIn stays out of the market", "No further attempt to return was reported.",
						[]string{"ru-keeps-block"}, "wire-linkedin"),
					act("ru-fines-linkedin", "AMPLIFY", "RU", "2019-05-23", "Russia fines LinkedIn", "A fine for failing to report on its data.",
						[]string{"DATA_SOVEREIGNTY"}, []string{"linkedin"}, nil, []string{"linkedin-stays-out"}, "wire-linkedin"),
				}},
			{Slug: "kaspersky-in-the-us", Title: "Kaspersky Lab in the United States", Summary: "Federal agencies were barred from buying its software.",
				Sources: []string{"wire-kaspersky"}, Bibliography: []dataset.Source{src("wire-kaspersky", "Kaspersky ban", "2017-12")},
				Moves: []dataset.Move{
					act("us-dhs-ban", "PROCUREMENT_RESTRICTION", "US", "2017-09-13", "DHS orders Kaspersky software removed", "A directive gave agencies ninety days over espionage fears.",
						[]string{"ESPIONAGE"}, []string{"kaspersky-lab"}, []string{"kaspersky-antivirus"}, nil, "wire-kaspersky"),
					resp("kaspersky-transparency", "COLLABORATE", "kaspersky-lab", "US", "2017-10", "Kaspersky opens its source code for review",
						"A \"transparency initiative\", in Zürich and elsewhere,\ninvited outside review.", []string{"us-dhs-ban"}, "wire-kaspersky"),
					act("us-ndaa-ban", "PROCUREMENT_RESTRICTION", "US", "2017-12-12", "Congress bans Kaspersky products", "The defence bill barred all federal use.",
						[]string{"ESPIONAGE", "SUPPLY_CHAIN"}, []string{"kaspersky-lab"}, []string{"kaspersky-antivirus"}, nil, "wire-kaspersky"),
					resp("kaspersky-sues", "DEFY", "kaspersky-lab", "US", "2017-12-18", "Kaspersky sues over the ban", "The company challenged the directive in court.",
						[]string{"us-dhs-ban", "us-ndaa-ban"}, "wire-kaspersky"),
				}},
			{Slug: "telegram-in-russia", Title: "Telegram in Russia", Summary: "Russia blocked Telegram after it refused to hand over encryption keys.",
				Sources: []string{"wire-telegram"}, Bibliography: []dataset.Source{src("wire-telegram", "Telegram blocked", "2018-04-16")},
				Moves: []dataset.Move{
					act("ru-blocks-telegram", "IMPORT_BARRIER", "RU", "2018-04-16", "Russia blocks Telegram", "The regulator began blocking the messenger.",
						[]string{"CONTENT_CONTROL"}, []string{"telegram"}, []string{"telegram-messenger"}, []string{"telegram-refuses-keys"}, "wire-telegram"),
					resp("telegram-refuses-keys", "DEFY", "telegram", "RU", "2018-04-16", "Telegram refuses to hand over encryption keys", "The founder said the keys stay private.",
						[]string{"ru-blocks-telegram"}, "wire-telegram"),
				}},
			{Slug: "huawei-in-the-uk", Title: "Huawei in the United Kingdom", Summary: "Equipment was admitted under an assurance regime.",
				Sources: []string{"wire-huawei"}, Bibliography: []dataset.Source{src("wire-huawei", "Huawei centre", "2010")},
				Moves: []dataset.Move{
					act("uk-evaluation-centre", "IMPORT_BARRIER", "GB", "2010-11", "UK requires a Huawei evaluation centre", "Equipment may be used once tested.",
						[]string{"ESPIONAGE"}, []string{"huawei"}, []string{"huawei-network-equipment"}, nil, "wire-huawei"),
					resp("huawei-staffs-centre", "COLLABORATE", "huawei", "GB", "2010-12", "Huawei opens a test site", "Huawei staffs the evaluation centre with cleared British engineers.",
						[]string{"uk-evaluation-centre"}, "wire-huawei"),
				}},
			{Slug: "us-china-norms", Title: "US-China cyber agreement", Summary: "Both governments pledged not to steal trade secrets.",
				Sources: []string{"wire-norms"}, Bibliography: []dataset.Source{src("wire-norms", "Cyber agreement", "2015-09-25")},
				Moves: []dataset.Move{
					{Slug: "us-china-agreement", Type: dataset.TypeAction, Option: "NORMS", Instrument: "AGREEMENT", Country: "US", Date: "2015-09-25", Title: "US and China agree on cyber norms",
						Summary: "A pledge against commercial cyber theft.", Concerns: []string{"IP_THEFT"}, Counterparts: []string{"CN"}, Sources: []string{"wire-norms"}},
				}},
		},
	}
	keep := &ds.Cases[0].Moves[3] // ru-keeps-block: fields only the files had before migration 00002 kept them
	keep.Actor, keep.Confidence = "Roskomnadzor", "MEDIUM"
	keep.CodingNote = "Maintains the existing block rather than imposing a new measure."
	for i := range ds.Cases {
		ds.Cases[i].File = "cases/" + ds.Cases[i].Slug + ".yaml"
	}
	if ps := dataset.Validate(ds); len(ps) > 0 {
		t.Fatalf("the fixture is invalid: %v", ps)
	}
	return ds
}

// actionID and responseID are the global ids of fixture moves.
func actionID(slug string) string   { return globalid.Encode(globalid.CountryAction, slug) }
func responseID(slug string) string { return globalid.Encode(globalid.CompanyResponse, slug) }
