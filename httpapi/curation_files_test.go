package httpapi_test

import (
	"cmp"
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/cybertrade/cybertrade/data"
	"github.com/cybertrade/cybertrade/dataset"
	"github.com/cybertrade/cybertrade/export"
	"github.com/cybertrade/cybertrade/internal/globalid"
	"github.com/cybertrade/cybertrade/internal/testdb"
)

// TestAPIEditsExportToTheDataFiles: edits made through the API come out of `cybertrade export
// -format files` (export.WriteDir) as data files that `cybertrade validate` accepts and that
// differ from the repository's data/ exactly by the edits: the files written equal data/
// with the same edits made by hand, and every other file is unchanged.
func TestAPIEditsExportToTheDataFiles(t *testing.T) {
	forCurator(t, bundledData, func(t *testing.T, c *curator) {
		const apple, vpn = "apple-iphones-in-russian-government", "apple-vpn-apps-in-china"

		// Through the API: a title corrected, a source and a response added, a response deleted,
		// a company's description changed.
		c.must(t, c.editor, updateActionMutation, map[string]any{"in": map[string]any{"id": actionID("ru-ministries-ban-iphones-for-work"),
			"expectedVersion": 1, "title": "Russian ministries and Rostec bar iPhones from work use"}}, nil)
		c.must(t, c.editor, createSourceMutation, map[string]any{"in": map[string]any{"key": "test-wire-2023-09-apple-russia",
			"title": "Apple keeps selling iPhones in Russia", "publisher": "Test Wire", "date": "2023-09", "url": "https://example.org/apple-russia"}}, nil)
		c.must(t, c.editor, `mutation($in: CreateCompanyResponseInput!) { createCompanyResponse(input: $in) { companyResponse { id } } }`,
			map[string]any{"in": map[string]any{"case": apple, "slug": "apple-keeps-selling-iphones-in-russia", "option": "AVOID", "instrument": "BUSINESS_DECISION", "company": "apple",
				"country": "RU", "date": "2023-09", "title": "Apple keeps selling to consumers but not to the state",
				"summary": "Apple made no change to its consumer sales in Russia.", "products": []string{"apple-iphone"},
				"inReplyTo": []string{"ru-ministries-ban-iphones-for-work"}, "sources": []string{"test-wire-2023-09-apple-russia"},
				"confidence": "LOW", "codingNote": "A test edit."}}, nil)
		c.must(t, c.editor, `mutation($id: ID!) { deleteCompanyResponse(input: {id: $id}) { companyResponse { id } } }`,
			map[string]any{"id": globalid.Encode(globalid.CompanyResponse, "apple-removes-vpn-apps-from-china-app-store")}, nil)
		c.must(t, c.editor, `mutation($id: ID!) { updateCompany(input: {id: $id, expectedVersion: 1, description: "Maker of the iPhone."}) { company { id } } }`,
			map[string]any{"id": globalid.Encode(globalid.Company, "apple")}, nil)

		dir := t.TempDir()
		if _, err := export.WriteDir(context.Background(), c.st, export.FormatFiles, dir); err != nil {
			t.Fatal(err)
		}
		if _, err := dataset.Read(os.DirFS(dir)); err != nil {
			t.Fatalf("`cybertrade validate` refuses the exported files: %v", err)
		}

		// The same edits, by hand, on the repository's files.
		want := testdb.Bundled(t)
		for i := range want.Companies {
			if want.Companies[i].Slug == "apple" {
				want.Companies[i].Description = "Maker of the iPhone."
			}
		}
		for i := range want.Cases {
			k := &want.Cases[i]
			switch k.Slug {
			case apple:
				for j := range k.Moves {
					if k.Moves[j].Slug == "ru-ministries-ban-iphones-for-work" {
						k.Moves[j].Title = "Russian ministries and Rostec bar iPhones from work use"
					}
				}
				k.Moves = append(k.Moves, dataset.Move{Slug: "apple-keeps-selling-iphones-in-russia", Type: dataset.TypeResponse, Option: "AVOID", Instrument: "BUSINESS_DECISION",
					Country: "RU", Company: "apple", Date: "2023-09", Title: "Apple keeps selling to consumers but not to the state",
					Summary: "Apple made no change to its consumer sales in Russia.", Products: []string{"apple-iphone"},
					InReplyTo: []string{"ru-ministries-ban-iphones-for-work"}, Sources: []string{"test-wire-2023-09-apple-russia"},
					Confidence: "LOW", CodingNote: "A test edit."})
				keys := causalKeys(want) // the files keep moves in causal date order, then by slug
				slices.SortFunc(k.Moves, func(a, b dataset.Move) int {
					return cmp.Or(cmp.Compare(keys[a.Slug], keys[b.Slug]), cmp.Compare(a.Slug, b.Slug))
				})
				k.Bibliography = append(k.Bibliography, dataset.Source{Key: "test-wire-2023-09-apple-russia", Title: "Apple keeps selling iPhones in Russia",
					Publisher: "Test Wire", Date: "2023-09", URL: "https://example.org/apple-russia"})
			case vpn:
				k.Moves = slices.DeleteFunc(k.Moves, func(m dataset.Move) bool { return m.Slug == "apple-removes-vpn-apps-from-china-app-store" })
			}
		}
		wantDir := t.TempDir()
		if err := dataset.WriteFiles(wantDir, want); err != nil {
			t.Fatal(err)
		}

		files, _ := filepath.Glob(filepath.Join(dir, "*.yaml"))
		caseFiles, _ := filepath.Glob(filepath.Join(dir, "cases", "*.yaml"))
		var changed []string
		for _, p := range append(files, caseFiles...) {
			rel, _ := filepath.Rel(dir, p)
			got, _ := os.ReadFile(p)
			exp, err := os.ReadFile(filepath.Join(wantDir, rel))
			if err != nil || string(got) != string(exp) {
				t.Errorf("%s is not the repository's file with the edits made by hand:\n%s", rel, got)
			}
			orig, _ := data.FS.ReadFile(filepath.ToSlash(rel))
			if string(orig) != string(got) {
				changed = append(changed, rel)
			}
		}
		slices.Sort(changed)
		if want := []string{"cases/" + apple + ".yaml", "cases/" + vpn + ".yaml", "companies.yaml"}; !slices.Equal(changed, want) {
			t.Errorf("files changed by the edits: %v, want %v", changed, want)
		}
		if len(caseFiles) != len(want.Cases) {
			t.Errorf("%d case files written, %d cases", len(caseFiles), len(want.Cases))
		}
	})
}
