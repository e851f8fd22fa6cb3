package dataset_test

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/cybertrade/cybertrade/dataset"
)

const validCase = `slug: linkedin-in-russia
title: LinkedIn in Russia
summary: Russia blocked LinkedIn for not storing data locally.
sources: [tc-2017]
moves:
  - slug: ru-blocks-linkedin
    type: action
    option: IMPORT_BARRIER
    instrument: ENFORCEMENT
    country: RU
    date: "2016-11-17"
    title: Russia blocks LinkedIn
    summary: Blocked.
    concerns: [DATA_SOVEREIGNTY]
    companies: [linkedin]
    products: [linkedin-network]
    sources: [tc-2017]
  - slug: linkedin-refuses
    type: response
    option: DEFY
    instrument: STATEMENT
    company: linkedin
    country: RU
    date: "2017-03"
    title: LinkedIn refuses
    summary: Refused.
    inReplyTo: [ru-blocks-linkedin]
    sources: [tc-2017]
bibliography:
  - key: tc-2017
    title: Russia says nyet
    publisher: TechCrunch
    date: "2017-03-07"
    url: https://techcrunch.com/2017/03/07/x/
`

func fixture() fstest.MapFS {
	return fstest.MapFS{
		"dataset.yaml":                  {Data: []byte("version: 1.0.0\ntitle: T\nlicense: CC-BY-4.0\nlicenseUrl: https://creativecommons.org/licenses/by/4.0/\ncitation: C\n")},
		"countries.yaml":                {Data: []byte("- {code: RU, alpha3: RUS, name: Russia, region: Europe}\n- {code: US, alpha3: USA, name: United States, region: Americas}\n")},
		"companies.yaml":                {Data: []byte("- slug: linkedin\n  name: LinkedIn\n  country: US\n  products:\n    - {slug: linkedin-network, name: LinkedIn, category: ONLINE_SERVICE}\n")},
		"cases/linkedin-in-russia.yaml": {Data: []byte(validCase)},
		"excluded/x.yaml":               {Data: []byte("- {candidate: Stuxnet, reason: evidence case}\n")},
	}
}

func TestValidFixtureReads(t *testing.T) {
	ds, err := dataset.Read(fixture())
	if err != nil {
		t.Fatal(err)
	}
	if len(ds.Cases) != 1 || len(ds.Cases[0].Moves) != 2 || ds.Cases[0].Moves[1].Line != 18 {
		t.Fatalf("unexpected parse: %+v", ds.Cases)
	}
}

func TestValidateRejects(t *testing.T) {
	tests := []struct {
		name      string
		old, new  string // replacement in the case file
		wantLine  string // "file:line" prefix of the problem
		wantInMsg string
	}{
		{"unknown enum value", "option: DEFY", "option: SULK", "cases/linkedin-in-russia.yaml:18", `unknown company option "SULK"`},
		{"unknown concern", "concerns: [DATA_SOVEREIGNTY]", "concerns: [VIBES]", "cases/linkedin-in-russia.yaml:6", `unknown concern "VIBES"`},
		{"date that does not parse", `date: "2016-11-17"`, `date: "17/11/2016"`, "cases/linkedin-in-russia.yaml:6", "is not YYYY, YYYY-MM or YYYY-MM-DD"},
		{"impossible day", `date: "2016-11-17"`, `date: "2016-02-30"`, "cases/linkedin-in-russia.yaml:6", "is not a calendar day"},
		{"reply pointing forward in time", `date: "2017-03"`, `date: "2016-10"`, "cases/linkedin-in-russia.yaml:18", "points forward in time"},
		{"reply to a missing move", "inReplyTo: [ru-blocks-linkedin]", "inReplyTo: [ru-blocks-nothing]", "cases/linkedin-in-russia.yaml:18", `inReplyTo "ru-blocks-nothing": no such move`},
		{"move with no source", "    inReplyTo: [ru-blocks-linkedin]\n    sources: [tc-2017]", "    inReplyTo: [ru-blocks-linkedin]\n    sources: []", "cases/linkedin-in-russia.yaml:18", "cites no source"},
		{"duplicate slug", "slug: linkedin-refuses", "slug: ru-blocks-linkedin", "cases/linkedin-in-russia.yaml:18", "duplicate move slug"},
		{"source url not http(s)", "url: https://techcrunch.com/2017/03/07/x/", "url: ftp://techcrunch.com/x", "cases/linkedin-in-russia.yaml:30", "is not an http(s) URL"},
		{"source url host with a trailing dot", "url: https://techcrunch.com/2017/03/07/x/", "url: https://techcrunch.com./x", "cases/linkedin-in-russia.yaml:30", "is not an http(s) URL"},
		{"country code not ISO", "    country: RU\n    date: \"2016", "    country: SU\n    date: \"2016", "cases/linkedin-in-russia.yaml:6", `country "SU" is not an ISO 3166-1 alpha-2 code`},
		{"unknown field", "    actor: x\n", "    actr: x\n", "cases/linkedin-in-russia.yaml", "field actr not found"},
		{"low confidence without a note", "    title: LinkedIn refuses\n", "    title: LinkedIn refuses\n    confidence: LOW\n", "cases/linkedin-in-russia.yaml:18", "needs a codingNote"},
		{"unknown company", "company: linkedin", "company: linkedout", "cases/linkedin-in-russia.yaml:18", `unknown company "linkedout"`},
		{"move without an instrument", "    instrument: STATEMENT\n", "", "cases/linkedin-in-russia.yaml:18", "a move needs an instrument"},
		{"unknown instrument", "instrument: ENFORCEMENT", "instrument: TWEET", "cases/linkedin-in-russia.yaml:6", `unknown instrument "TWEET"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fs := fixture()
			src := validCase
			if tc.old == "    actor: x\n" {
				src = strings.Replace(src, "    title: Russia blocks LinkedIn\n", "    title: Russia blocks LinkedIn\n"+tc.new, 1)
			} else {
				if !strings.Contains(src, tc.old) {
					t.Fatalf("fixture has no %q", tc.old)
				}
				src = strings.Replace(src, tc.old, tc.new, 1)
			}
			fs["cases/linkedin-in-russia.yaml"] = &fstest.MapFile{Data: []byte(src)}
			_, err := dataset.Read(fs)
			var ps dataset.Problems
			if !errors.As(err, &ps) {
				t.Fatalf("want Problems, got %v", err)
			}
			for _, p := range ps {
				if strings.HasPrefix(p.String(), tc.wantLine) && strings.Contains(p.String(), tc.wantInMsg) {
					return
				}
			}
			t.Fatalf("no problem at %s containing %q in:\n%v", tc.wantLine, tc.wantInMsg, err)
		})
	}
}

func TestValidateRejectsBadCountryAndProductFiles(t *testing.T) {
	fs := fixture()
	fs["companies.yaml"] = &fstest.MapFile{Data: []byte("- slug: linkedin\n  name: LinkedIn\n  country: XX\n  products:\n    - {slug: linkedin-network, name: LinkedIn, category: TOASTERS}\n- slug: linkedin\n  name: Dup\n")}
	_, err := dataset.Read(fs)
	for _, want := range []string{
		`companies.yaml:1: company linkedin: country "XX" is not an ISO 3166-1 alpha-2 code`,
		`companies.yaml:1: product linkedin-network: unknown category "TOASTERS"`,
		`companies.yaml:6: company linkedin: duplicate company slug`,
	} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("want %q in %v", want, err)
		}
	}
}

func TestWarningsForAnUnansweredDefy(t *testing.T) {
	read := func(src string) *dataset.Dataset {
		fs := fixture()
		fs["cases/linkedin-in-russia.yaml"] = &fstest.MapFile{Data: []byte(src)}
		ds, err := dataset.Read(fs)
		if err != nil {
			t.Fatal(err)
		}
		return ds
	}
	ws := dataset.Warnings(read(validCase))
	if len(ws) != 1 || !strings.HasPrefix(ws[0].String(), "cases/linkedin-in-russia.yaml:18: move linkedin-refuses: a DEFY response with no reply") {
		t.Errorf("warnings: %v", ws)
	}
	noted := strings.Replace(validCase, "    title: LinkedIn refuses\n", "    title: LinkedIn refuses\n    codingNote: No state answer found as of 2026-12.\n", 1)
	if ws := dataset.Warnings(read(noted)); len(ws) != 0 {
		t.Errorf("a DEFY with the note still warns: %v", ws)
	}
	answered := validCase + `  - slug: ru-keeps-block
    type: action
    option: IMPORT_BARRIER
    instrument: STATEMENT
    country: RU
    date: "2017-03"
    title: Russia keeps the block
    summary: Kept.
    concerns: [DATA_SOVEREIGNTY]
    inReplyTo: [linkedin-refuses]
    sources: [tc-2017]
`
	answered = strings.Replace(answered, "bibliography:\n  - key: tc-2017\n    title: Russia says nyet\n    publisher: TechCrunch\n    date: \"2017-03-07\"\n    url: https://techcrunch.com/2017/03/07/x/\n", "", 1)
	answered += "bibliography:\n  - key: tc-2017\n    title: Russia says nyet\n    publisher: TechCrunch\n    date: \"2017-03-07\"\n    url: https://techcrunch.com/2017/03/07/x/\n"
	if ws := dataset.Warnings(read(answered)); len(ws) != 0 {
		t.Errorf("an answered DEFY still warns: %v", ws)
	}
}
