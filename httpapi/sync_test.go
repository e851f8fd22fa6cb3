package httpapi_test

import (
	"context"
	"slices"
	"sort"
	"testing"
	"time"

	"github.com/cybertrade/cybertrade/dataset"
	"github.com/cybertrade/cybertrade/internal/globalid"
	"github.com/cybertrade/cybertrade/internal/testdb"
	"github.com/cybertrade/cybertrade/store"
	"github.com/cybertrade/cybertrade/store/load"
	"github.com/cybertrade/cybertrade/synth"
)

// syncBase is a small synthetic dataset plus records that only it has: a country, a company
// with a product, and a reply from case-5 to case-4 (so deleting case-5 must hide a reply of a
// live move).
func syncBase() *dataset.Dataset {
	ds := synth.Generate(6, 11)
	ds.Countries = append(ds.Countries, dataset.Country{Code: "XZ", Name: "Country XZ", Region: "Synthetic"}) // a user-assigned code, not ISO
	ds.Companies = append(ds.Companies, dataset.Company{Slug: "gone-co", Name: "Gone Company", Country: "XZ", Sector: "Synthetic",
		Products: []dataset.Product{{Slug: "gone-p", Name: "Gone Product", Category: "SOFTWARE"}}})
	ds.Cases[5].Moves[1].InReplyTo = append(ds.Cases[5].Moves[1].InReplyTo, ds.Cases[4].Moves[0].Slug)
	return ds
}

// syncEdited is syncBase with case-5 (its moves and its source), the extra country, company and
// product removed, and one record of every kind edited.
func syncEdited() *dataset.Dataset {
	ds := syncBase()
	ds.Countries = slices.DeleteFunc(ds.Countries, func(c dataset.Country) bool { return c.Code == "XZ" })
	ds.Companies = slices.DeleteFunc(ds.Companies, func(c dataset.Company) bool { return c.Slug == "gone-co" })
	ds.Cases = ds.Cases[:5]
	ds.Countries[0].Name = "Edited country"             // the first country
	ds.Companies[0].Name = "Edited company"             // company-0
	ds.Companies[1].Products[0].Description = "Edited." // company-1-p
	ds.Cases[0].Summary = "Edited case."                // case-0
	ds.Cases[1].Bibliography[0].Title = "Edited source" // source-1
	ds.Cases[1].Moves[3].Title = "Edited move"          // case-1-move-3
	ds.Cases[2].Moves[2].InReplyTo = nil                // case-2-move-2: a link removed
	return ds
}

type idList struct {
	TotalCount int
	Nodes      []struct{ ID string }
}

func (l idList) ids() []string {
	out := make([]string, len(l.Nodes))
	for i, n := range l.Nodes {
		out[i] = n.ID
	}
	sort.Strings(out)
	return out
}

func sorted(xs ...string) []string {
	out := slices.Clone(xs)
	sort.Strings(out)
	return out
}

// TestPruneTombstonesAndUpdatedAfter: `load -prune` soft-deletes what left the files, in one
// transaction with the upsert; every list, lookup, count and nested field hides it;
// `deletions(since:)` lists the tombstones; `updatedAfter` on every top-level list returns
// exactly the records that changed; a record that comes back leaves the tombstones.
func TestPruneTombstonesAndUpdatedAfter(t *testing.T) {
	forEngine(t, func(t *testing.T, e testdb.Engine) {
		ctx := context.Background()
		clock := testdb.NewClock()
		env := newEnvStore(t, e, syncBase(), store.Options{Now: clock.Now})
		var d0 struct{ Dataset struct{ UpdatedAt string } }
		env.ok(t, `{ dataset { updatedAt } }`, nil, &d0)
		t0 := d0.Dataset.UpdatedAt
		clock.Advance(time.Second)

		// A plain load never deletes.
		st, err := env.st.Load(ctx, syncEdited())
		if err != nil {
			t.Fatal(err)
		}
		if st.Deleted != 0 {
			t.Fatalf("a load without -prune deleted %d records", st.Deleted)
		}
		var c struct {
			Dataset struct {
				Counts struct{ Cases, Countries, Companies int }
			}
		}
		env.ok(t, `{ dataset { counts { cases countries companies } } }`, nil, &c)
		base := syncBase()
		if c.Dataset.Counts.Cases != len(base.Cases) || c.Dataset.Counts.Countries != len(base.Countries) || c.Dataset.Counts.Companies != len(base.Companies) {
			t.Fatalf("counts after a plain load: %+v", c.Dataset.Counts)
		}

		st, err = env.st.LoadWith(ctx, syncEdited(), load.Options{Prune: true})
		if err != nil {
			t.Fatal(err)
		}
		// case-5, its 5 moves, its sources, XZ, gone-co and gone-p.
		if st.Deleted != 1+len(base.Cases[5].Moves)+len(base.Cases[5].Bibliography)+3 || st.Created != 0 {
			t.Fatalf("pruning load: %s", st)
		}

		gone := []string{globalid.Encode("Case", "case-5"),
			globalid.Encode("Country", "XZ"), globalid.Encode("Company", "gone-co"), globalid.Encode("Product", "gone-p")}
		for _, src := range base.Cases[5].Bibliography {
			gone = append(gone, globalid.Encode("Source", src.Key))
		}
		for _, m := range syncBase().Cases[5].Moves {
			typ := "CountryAction"
			if m.Type == dataset.TypeResponse {
				typ = "CompanyResponse"
			}
			gone = append(gone, globalid.Encode(typ, m.Slug))
		}
		var del struct {
			Deletions struct {
				TotalCount int
				Nodes      []struct{ ID, Type, DeletedAt string }
			}
		}
		env.ok(t, `query($t: Time!) { deletions(since: $t, first: 100) { totalCount nodes { id type deletedAt } } }`, map[string]any{"t": t0}, &del)
		var got []string
		for _, n := range del.Deletions.Nodes {
			got = append(got, n.ID)
			typ, _, err := globalid.Decode(n.ID)
			if err != nil || typ != n.Type {
				t.Errorf("tombstone %s has type %s, its id says %s", n.ID, n.Type, typ)
			}
			if n.DeletedAt <= t0 {
				t.Errorf("tombstone %s deleted at %s, not after %s", n.ID, n.DeletedAt, t0)
			}
		}
		if del.Deletions.TotalCount != len(gone) || !slices.Equal(sorted(got...), sorted(gone...)) {
			t.Fatalf("deletions: total %d\n got %v\nwant %v", del.Deletions.TotalCount, sorted(got...), sorted(gone...))
		}
		// Paging through tombstones gives the same list in the same order.
		var paged []string
		vars := map[string]any{"t": t0, "first": 3}
		for {
			var pg struct {
				Deletions struct {
					PageInfo struct {
						HasNextPage bool
						EndCursor   string
					}
					Nodes []struct{ ID string }
				}
			}
			env.ok(t, `query($t: Time!, $first: Int, $after: String) { deletions(since: $t, first: $first, after: $after) { pageInfo { hasNextPage endCursor } nodes { id } } }`, vars, &pg)
			for _, n := range pg.Deletions.Nodes {
				paged = append(paged, n.ID)
			}
			if !pg.Deletions.PageInfo.HasNextPage {
				break
			}
			vars["after"] = pg.Deletions.PageInfo.EndCursor
		}
		if !slices.Equal(paged, got) {
			t.Fatalf("paged deletions differ:\n%v\n%v", paged, got)
		}
		var later struct{ Deletions struct{ TotalCount int } }
		env.ok(t, `query($t: Time!) { deletions(since: $t) { totalCount } }`, map[string]any{"t": time.Now().Add(time.Hour).UTC().Format(time.RFC3339)}, &later)
		if later.Deletions.TotalCount != 0 {
			t.Fatalf("deletions since the future: %d", later.Deletions.TotalCount)
		}

		// updatedAfter on every top-level list: exactly what changed.
		var upd struct {
			Countries, Companies, Products, Cases, Sources, Moves, Actions, Responses idList
		}
		env.ok(t, `query($t: Time!) {
			countries(filter: {updatedAfter: $t}, first: 100) { totalCount nodes { id } }
			companies(filter: {updatedAfter: $t}, first: 100) { totalCount nodes { id } }
			products(filter: {updatedAfter: $t}, first: 100) { totalCount nodes { id } }
			cases(updatedAfter: $t, first: 100) { totalCount nodes { id } }
			sources(updatedAfter: $t, first: 100) { totalCount nodes { id } }
			moves(filter: {updatedAfter: $t}, first: 100) { totalCount nodes { id } }
			actions(filter: {updatedAfter: $t}, first: 100) { totalCount nodes { id } }
			responses(filter: {updatedAfter: $t}, first: 100) { totalCount nodes { id } }
		}`, map[string]any{"t": t0}, &upd)
		ed := syncEdited()
		moveID := func(m dataset.Move) string {
			if m.Type == dataset.TypeResponse {
				return globalid.Encode("CompanyResponse", m.Slug)
			}
			return globalid.Encode("CountryAction", m.Slug)
		}
		m13, m22 := ed.Cases[1].Moves[3], ed.Cases[2].Moves[2]
		var wantActions, wantResponses []string
		for _, m := range []dataset.Move{m13, m22} {
			if m.Type == dataset.TypeResponse {
				wantResponses = append(wantResponses, moveID(m))
			} else {
				wantActions = append(wantActions, moveID(m))
			}
		}
		for _, tc := range []struct {
			name string
			got  idList
			want []string
		}{
			{"countries", upd.Countries, []string{globalid.Encode("Country", syncBase().Countries[0].Code)}},
			{"companies", upd.Companies, []string{globalid.Encode("Company", "company-0")}},
			{"products", upd.Products, []string{globalid.Encode("Product", syncBase().Companies[1].Products[0].Slug)}},
			{"cases", upd.Cases, []string{globalid.Encode("Case", "case-0")}},
			{"sources", upd.Sources, []string{globalid.Encode("Source", syncBase().Cases[1].Bibliography[0].Key)}},
			{"moves", upd.Moves, sorted(moveID(m13), moveID(m22))},
			{"actions", upd.Actions, sorted(wantActions...)},
			{"responses", upd.Responses, sorted(wantResponses...)},
		} {
			if tc.want == nil {
				tc.want = []string{}
			}
			if got := tc.got.ids(); !slices.Equal(got, tc.want) || tc.got.TotalCount != len(tc.want) {
				t.Errorf("%s(updatedAfter): total %d, %v; want %v", tc.name, tc.got.TotalCount, got, tc.want)
			}
		}

		// Deleted records are gone from lookups, lists, counts and nested fields.
		del5 := syncBase().Cases[5]
		env.fails(t, `{ case(slug: "case-5") { id } }`, nil, "NOT_FOUND")
		env.fails(t, `{ company(slug: "gone-co") { id } }`, nil, "NOT_FOUND")
		env.fails(t, `{ product(slug: "gone-p") { id } }`, nil, "NOT_FOUND")
		env.fails(t, `{ country(code: "XZ") { id } }`, nil, "NOT_FOUND")
		env.fails(t, `query($k: String!) { source(key: $k) { id } }`, map[string]any{"k": syncBase().Cases[5].Bibliography[0].Key}, "NOT_FOUND")
		env.fails(t, `query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": moveID(del5.Moves[0])}, "NOT_FOUND")
		env.fails(t, `{ actions(filter: {countries: ["XZ"]}) { totalCount } }`, nil, "INVALID_ARGUMENT")
		env.fails(t, `{ moves(filter: {cases: ["case-5"]}) { totalCount } }`, nil, "INVALID_ARGUMENT")
		var lists struct {
			Moves, Cases, Sources idList
			Countries             idList
			Dataset               struct {
				Counts struct{ Cases, Actions, Responses, Sources, Links, Countries, Companies, Products int }
			}
			Move    struct{ Replies []struct{ ID string } }
			Company struct{ Cases idList }
		}
		env.ok(t, `query($slug: String!, $co: String!) {
			moves(first: 100) { totalCount nodes { id } }
			cases(first: 100) { totalCount nodes { id } }
			sources(first: 100) { totalCount nodes { id } }
			countries(first: 100) { totalCount nodes { id } }
			dataset { counts { cases actions responses sources links countries companies products } }
			move(slug: $slug) { replies { id } }
			company(slug: $co) { cases(first: 100) { totalCount nodes { id } } }
		}`, map[string]any{"slug": ed.Cases[4].Moves[0].Slug, "co": del5.Moves[1].Company}, &lists)
		if lists.Moves.TotalCount != 25 || len(lists.Moves.Nodes) != 25 || slices.Contains(lists.Moves.ids(), moveID(del5.Moves[0])) {
			t.Errorf("moves after prune: %d", lists.Moves.TotalCount)
		}
		ed2 := syncEdited()
		sources, links, products := 0, 0, 0
		for _, c := range ed2.Cases {
			sources += len(c.Bibliography)
			for _, m := range c.Moves {
				links += len(m.InReplyTo)
			}
		}
		for _, c := range ed2.Companies {
			products += len(c.Products)
		}
		if lists.Cases.TotalCount != 5 || lists.Sources.TotalCount != sources || lists.Countries.TotalCount != len(ed2.Countries) {
			t.Errorf("lists after prune: cases %d sources %d countries %d", lists.Cases.TotalCount, lists.Sources.TotalCount, lists.Countries.TotalCount)
		}
		if k := lists.Dataset.Counts; k.Cases != 5 || k.Actions+k.Responses != 25 || k.Sources != sources || k.Links != links ||
			k.Countries != len(ed2.Countries) || k.Companies != len(ed2.Companies) || k.Products != products {
			t.Errorf("dataset counts after prune: %+v", k)
		}
		for _, r := range lists.Move.Replies {
			if r.ID == moveID(del5.Moves[1]) {
				t.Errorf("a deleted move still shows as a reply")
			}
		}
		if slices.Contains(lists.Company.Cases.ids(), globalid.Encode("Case", "case-5")) {
			t.Errorf("a deleted case still shows in company.cases")
		}

		// Loading the original files again (pruning) brings everything back.
		clock.Advance(time.Second)
		var d1 struct{ Dataset struct{ UpdatedAt string } }
		env.ok(t, `{ dataset { updatedAt } }`, nil, &d1)
		clock.Advance(time.Second)
		st, err = env.st.LoadWith(ctx, syncBase(), load.Options{Prune: true})
		if err != nil {
			t.Fatal(err)
		}
		if st.Deleted != 0 || st.Created != 0 {
			t.Fatalf("restoring load: %s", st)
		}
		var back struct {
			Deletions struct{ TotalCount int }
			Case      struct{ Moves idList }
			Moves     idList
		}
		env.ok(t, `query($t: Time!, $t1: Time!) {
			deletions(since: $t) { totalCount }
			case(slug: "case-5") { moves { totalCount nodes { id } } }
			moves(filter: {updatedAfter: $t1, cases: ["case-5"]}) { totalCount nodes { id } }
		}`, map[string]any{"t": t0, "t1": d1.Dataset.UpdatedAt}, &back)
		if back.Deletions.TotalCount != 0 || back.Case.Moves.TotalCount != 5 || back.Moves.TotalCount != 5 {
			t.Fatalf("after restoring: %+v", back)
		}
	})
}
