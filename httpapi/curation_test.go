package httpapi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/cybertrade/cybertrade/internal/globalid"
	"github.com/cybertrade/cybertrade/internal/testdb"
	"github.com/cybertrade/cybertrade/synth"
)

const (
	updateActionMutation = `mutation($in: UpdateCountryActionInput!) { updateCountryAction(input: $in) {
		clientMutationId countryAction { id title version } revision { id action version before after } } }`
	updateResponseMutation = `mutation($in: UpdateCompanyResponseInput!) { updateCompanyResponse(input: $in) { companyResponse { id title version } } }`
	revertMutation         = `mutation($r: ID!) { revert(input: {revision: $r}) {
		node { id ... on Move { version } ... on Source { version } } revision { id action reverts before after } } }`
	// actionFields is every field of a country action, its link sets included.
	actionFields = `id slug option date datePrecision title summary actor confidence codingNote version createdAt updatedAt
		country { code } concerns targetCompanies { slug } targetProducts { slug } products { slug } counterparts { code }
		case { slug } sources { key } inReplyTo { id } replies { id }`
)

// dataVersion reads store.DataVersion.
func (c *curator) dataVersion(t testing.TB) int64 {
	t.Helper()
	v, _, err := c.st.DataVersion(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// actionNode reads every field of a country action as a generic JSON object.
func (c *curator) actionNode(t testing.TB, slug string) map[string]any {
	t.Helper()
	var out struct{ Node map[string]any }
	c.must(t, "", `query($id: ID!) { node(id: $id) { ... on CountryAction { `+actionFields+` } } }`,
		map[string]any{"id": actionID(slug)}, &out)
	return out.Node
}

// TestConcurrentUpdatesOneWins: two clients update the same record at the same time from
// the same version: exactly one wins, the other gets CONFLICT and writes nothing.
func TestConcurrentUpdatesOneWins(t *testing.T) {
	forCurator(t, researchFixture, func(t *testing.T, c *curator) {
		id := actionID("ru-keeps-block")
		for round := 1; round <= 4; round++ {
			start := make(chan struct{})
			answers := make([]httpResp, 2)
			var wg sync.WaitGroup
			for i := range answers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					answers[i] = c.as(t, c.editor, updateActionMutation, map[string]any{"in": map[string]any{
						"id": id, "expectedVersion": round, "title": fmt.Sprintf("Round %d by client %d", round, i)}})
				}()
			}
			close(start)
			wg.Wait()
			won, lost := -1, -1
			for i, a := range answers {
				switch {
				case a.Status == http.StatusOK && len(a.Errors) == 0:
					won = i
				case a.Code() == "CONFLICT":
					lost = i
				default:
					t.Fatalf("round %d, client %d: %d %.500s", round, i, a.Status, a.Body)
				}
			}
			if won < 0 || lost < 0 {
				t.Fatalf("round %d: want one winner and one CONFLICT, got %s / %s", round, answers[0].Body, answers[1].Body)
			}
			if !strings.Contains(answers[lost].Errors[0].Message, fmt.Sprintf("version %d", round+1)) {
				t.Errorf("the conflict does not say the current version: %s", answers[lost].Errors[0].Message)
			}
			node := c.actionNode(t, "ru-keeps-block")
			if node["title"] != fmt.Sprintf("Round %d by client %d", round, won) || node["version"] != float64(round+1) {
				t.Fatalf("round %d: after the race the action is %v at version %v", round, node["title"], node["version"])
			}
		}
		if n := c.revisionCount(t, map[string]any{"actor": "ed"}); n != 4 {
			t.Fatalf("%d revisions for 4 winning updates", n)
		}
	})
}

// TestFailureInLastStepLeavesNothing: a mutation that fails in its last step (just before
// commit) leaves the database as it was: every bulk export is byte-for-byte the same, and so
// are the history and the data version. The same mutation without the failure changes them.
func TestFailureInLastStepLeavesNothing(t *testing.T) {
	forCurator(t, researchFixture, func(t *testing.T, c *curator) {
		var src struct {
			CreateSource struct{ Revision struct{ ID string } }
		}
		c.must(t, c.editor, `mutation { createSource(input: {key: "spare", title: "Spare", publisher: "Wire", date: "2020", url: "https://example.org/spare"}) { revision { id } } }`, nil, &src)
		var upd struct {
			UpdateCountryAction struct{ Revision struct{ ID string } }
		}
		c.must(t, c.editor, updateActionMutation, map[string]any{"in": map[string]any{"id": actionID("us-dhs-ban"), "expectedVersion": 1, "title": "DHS bans Kaspersky"}}, &upd)
		c.must(t, c.editor, `mutation { deleteSource(input: {id: "`+globalid.Encode("Source", "spare")+`"}) { source { id } } }`, nil, nil)

		steps := []struct {
			name, token, query string
			vars               map[string]any
		}{
			{"createCase with moves", c.editor, `mutation($in: CreateCaseInput!) { createCase(input: $in) { case { id } } }`, map[string]any{"in": map[string]any{
				"slug": "huawei-in-australia", "title": "Huawei in Australia", "sources": []string{"wire-huawei"},
				"actions": []map[string]any{{"slug": "au-bans-huawei-5g", "option": "PROCUREMENT_RESTRICTION", "instrument": "PROCUREMENT_DECISION", "country": "GB", "date": "2018-08-23",
					"title": "Ban", "concerns": []string{"ESPIONAGE"}, "targetCompanies": []string{"huawei"}, "sources": []string{"wire-huawei"}}},
				"responses": []map[string]any{{"slug": "huawei-objects-au", "option": "DEFY", "instrument": "LAWSUIT", "company": "huawei", "country": "GB", "date": "2018-09",
					"title": "Objection", "inReplyTo": []string{"au-bans-huawei-5g"}, "sources": []string{"wire-huawei"}}}}}},
			{"update with link sets", c.editor, updateActionMutation, map[string]any{"in": map[string]any{"id": actionID("ru-keeps-block"), "expectedVersion": 1,
				"title": "Changed", "concerns": []string{"ESPIONAGE", "PRIVACY"}, "inReplyTo": []string{}, "sources": []string{"wire-linkedin", "wire-telegram"}}}},
			{"revert an update", c.editor, revertMutation, map[string]any{"r": upd.UpdateCountryAction.Revision.ID}},
			{"delete a case and its moves", c.editor, `mutation { deleteCase(input: {id: "` + globalid.Encode("Case", "kaspersky-in-the-us") + `"}) { case { id } } }`, nil},
			{"delete a move with its replies' links", c.editor, `mutation { deleteCountryAction(input: {id: "` + actionID("uk-evaluation-centre") + `", unlinkReplies: true}) { countryAction { id } } }`, nil},
			{"createLink", c.editor, `mutation { createLink(input: {reply: "` + actionID("ru-fines-linkedin") + `", target: "` + actionID("ru-court") + `"}) { reply { id } } }`, nil},
			{"restore", c.admin, `mutation { restore(input: {id: "` + globalid.Encode("Source", "spare") + `"}) { node { id } } }`, nil},
			{"createCompany", c.editor, `mutation { createCompany(input: {slug: "zte", name: "ZTE", homeCountry: "CN"}) { company { id } } }`, nil},
			{"updateProduct", c.editor, `mutation { updateProduct(input: {id: "` + globalid.Encode("Product", "telegram-messenger") + `", expectedVersion: 1, name: "Telegram"}) { product { id } } }`, nil},
		}
		for _, s := range steps {
			before, history, dv := c.exports(t), c.revisionCount(t, nil), c.dataVersion(t)
			c.failLast.Store(true)
			ge := c.refused(t, s.token, s.query, s.vars, "INTERNAL")
			c.failLast.Store(false)
			if ge.Extensions["requestId"] == nil || strings.Contains(ge.Message, "injected") {
				t.Errorf("%s: the internal error is not opaque: %+v", s.name, ge)
			}
			after := c.exports(t)
			for name, b := range before {
				if after[name] != b {
					t.Errorf("%s: a failed mutation changed %s", s.name, name)
				}
			}
			if n := c.revisionCount(t, nil); n != history {
				t.Errorf("%s: a failed mutation left %d revisions", s.name, n-history)
			}
			if v := c.dataVersion(t); v != dv {
				t.Errorf("%s: a failed mutation moved the data version from %d to %d", s.name, dv, v)
			}
			// The same mutation, not failing, changes the exports: the check above was not vacuous.
			c.must(t, s.token, s.query, s.vars, nil)
			changed := c.exports(t)
			if maps := func() bool {
				for name, b := range before {
					if changed[name] != b {
						return true
					}
				}
				return false
			}(); !maps {
				t.Errorf("%s: the mutation changed no export", s.name)
			}
			if c.revisionCount(t, nil) <= history || c.dataVersion(t) != dv+1 {
				t.Errorf("%s: a write did not record history or bump the data version once", s.name)
			}
		}
	})
}

// TestRevertRestoresExactValues: reverting an update gives the record back every value it had
// (its link sets included), under a new version; the revert is recorded with the values the
// other way round, and can itself be reverted. A revert after a later change is a CONFLICT; a
// revert of a create deletes, and a revert of that (a restore) is for admins.
func TestRevertRestoresExactValues(t *testing.T) {
	forCurator(t, researchFixture, func(t *testing.T, c *curator) {
		before := c.actionNode(t, "ru-keeps-block")
		var upd struct {
			UpdateCountryAction struct {
				CountryAction struct{ Version int }
				Revision      struct {
					ID, Action    string
					Version       int
					Before, After json.RawMessage
				}
			}
		}
		c.must(t, c.editor, updateActionMutation, map[string]any{"in": map[string]any{
			"id": actionID("ru-keeps-block"), "expectedVersion": 1, "option": "AMPLIFY", "country": "US", "date": "2017-04", "actor": "",
			"title": "Edited", "summary": "Edited summary.", "concerns": []string{"ESPIONAGE"}, "targetCompanies": []string{"kaspersky-lab"},
			"targetProducts": []string{"kaspersky-antivirus"}, "counterparts": []string{"CN"}, "inReplyTo": []string{"ru-court"},
			"sources": []string{"wire-kaspersky"}, "confidence": "HIGH", "codingNote": ""}}, &upd)
		edited := c.actionNode(t, "ru-keeps-block")
		// Mirrors see the edit: the action changed after its old updatedAt.
		var sync struct {
			Actions struct{ Nodes []struct{ ID string } }
		}
		c.must(t, "", `query($t: Time!) { actions(filter: {updatedAfter: $t}) { nodes { id } } }`, map[string]any{"t": before["updatedAt"]}, &sync)
		if len(sync.Actions.Nodes) != 1 || sync.Actions.Nodes[0].ID != actionID("ru-keeps-block") {
			t.Errorf("actions updated after the edit's old updatedAt: %+v", sync.Actions.Nodes)
		}
		for _, f := range []string{"option", "country", "date", "actor", "title", "summary", "concerns", "targetCompanies", "targetProducts",
			"counterparts", "inReplyTo", "sources", "confidence", "codingNote"} {
			if fmt.Sprint(edited[f]) == fmt.Sprint(before[f]) {
				t.Errorf("the update did not change %s (%v)", f, edited[f])
			}
		}
		if edited["version"] != float64(2) || upd.UpdateCountryAction.Revision.Version != 2 || upd.UpdateCountryAction.Revision.Action != "UPDATE" {
			t.Fatalf("after the update: version %v, revision %+v", edited["version"], upd.UpdateCountryAction.Revision)
		}

		var rev struct {
			Revert struct {
				Node     struct{ ID string }
				Revision struct {
					ID, Action, Reverts string
					Before, After       json.RawMessage
				}
			}
		}
		c.must(t, c.editor, revertMutation, map[string]any{"r": upd.UpdateCountryAction.Revision.ID}, &rev)
		after := c.actionNode(t, "ru-keeps-block")
		if after["version"] != float64(3) {
			t.Errorf("a revert is a change: version %v, want 3", after["version"])
		}
		for k, v := range before {
			if k == "version" || k == "updatedAt" {
				continue
			}
			if fmt.Sprint(after[k]) != fmt.Sprint(v) {
				t.Errorf("after the revert %s is %v, before the update it was %v", k, after[k], v)
			}
		}
		r := rev.Revert.Revision
		if r.Action != "REVERT" || r.Reverts != upd.UpdateCountryAction.Revision.ID ||
			string(r.Before) != string(upd.UpdateCountryAction.Revision.After) || string(r.After) != string(upd.UpdateCountryAction.Revision.Before) {
			t.Fatalf("the revert's revision: %+v\nthe update's: %+v", r, upd.UpdateCountryAction.Revision)
		}
		var full map[string]any
		if err := json.Unmarshal(r.After, &full); err != nil || full["instrument"] != "REGULATORY_ORDER" || fmt.Sprint(full["concerns"]) != "[DATA_SOVEREIGNTY]" || full["actor"] != "Roskomnadzor" {
			t.Errorf("the revision does not hold every value of the record: %s", r.After)
		}

		// An old revision cannot be reverted over a later change.
		c.refused(t, c.editor, revertMutation, map[string]any{"r": upd.UpdateCountryAction.Revision.ID}, "CONFLICT")
		// The revert itself can be reverted: the edited values come back.
		c.must(t, c.editor, revertMutation, map[string]any{"r": r.ID}, nil)
		if again := c.actionNode(t, "ru-keeps-block"); again["title"] != "Edited" || fmt.Sprint(again["inReplyTo"]) != fmt.Sprint(edited["inReplyTo"]) {
			t.Errorf("reverting the revert: %v", again)
		}

		// Revert of a create deletes; revert of that revert restores (admins only).
		var cs struct {
			CreateSource struct{ Revision struct{ ID string } }
		}
		c.must(t, c.editor, `mutation($in: CreateSourceInput!) { createSource(input: $in) { revision { id } } }`, newSource("short-lived"), &cs)
		var undo struct {
			Revert struct{ Revision struct{ ID string } }
		}
		c.must(t, c.editor, revertMutation, map[string]any{"r": cs.CreateSource.Revision.ID}, &undo)
		c.refused(t, "", `{ source(key: "short-lived") { key } }`, nil, "NOT_FOUND")
		c.refused(t, c.editor, revertMutation, map[string]any{"r": undo.Revert.Revision.ID}, "FORBIDDEN")
		c.must(t, c.admin, revertMutation, map[string]any{"r": undo.Revert.Revision.ID}, nil)
		c.must(t, "", `{ source(key: "short-lived") { key } }`, nil, nil)

		ge := c.refused(t, c.editor, revertMutation, map[string]any{"r": actionID("ru-court")}, "INVALID_ARGUMENT")
		if ge.Extensions["field"] != "input.revision" {
			t.Errorf("a move id as a revision: %+v", ge)
		}
		// Countries change only through the files: their (loader) revisions cannot be reverted.
		var country struct {
			History struct{ Nodes []struct{ ID string } }
		}
		c.must(t, "", `query($id: ID!) { history(id: $id) { nodes { id } } }`, map[string]any{"id": globalid.Encode("Country", "RU")}, &country)
		if len(country.History.Nodes) != 1 {
			t.Fatalf("history of RU: %+v", country.History.Nodes)
		}
		c.refused(t, c.admin, revertMutation, map[string]any{"r": country.History.Nodes[0].ID}, "INVALID_ARGUMENT")
	})
}

// TestBurstOfConcurrentEdits: 200 edits of 200 different records sent at once all land: each
// record has its new value and is one version up, and there are 200 revisions.
func TestBurstOfConcurrentEdits(t *testing.T) {
	forEngine(t, func(t *testing.T, e testdb.Engine) {
		ds := synth.Generate(40, 21) // 40 cases of 5 moves
		c := newCurator(t, e, ds)
		burst := c.token(t, "burst", "editor")
		dv := c.dataVersion(t)
		type edit struct{ id, title string }
		var edits []edit
		for _, k := range ds.Cases {
			for _, m := range k.Moves {
				typ := globalid.CountryAction
				if m.Type == "response" {
					typ = globalid.CompanyResponse
				}
				edits = append(edits, edit{globalid.Encode(typ, m.Slug), "Burst edit of " + m.Slug})
			}
		}
		if len(edits) != 200 {
			t.Fatalf("%d moves", len(edits))
		}
		start := make(chan struct{})
		errs := make(chan string, len(edits))
		var wg sync.WaitGroup
		for _, ed := range edits {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				q := updateActionMutation
				if typ, _, _ := globalid.Decode(ed.id); typ == globalid.CompanyResponse {
					q = updateResponseMutation
				}
				r := c.as(t, burst, q, map[string]any{"in": map[string]any{"id": ed.id, "expectedVersion": 1, "title": ed.title}})
				if r.Status != http.StatusOK || len(r.Errors) > 0 {
					errs <- fmt.Sprintf("%s: %d %.300s", ed.id, r.Status, r.Body)
				}
			}()
		}
		close(start)
		wg.Wait()
		close(errs)
		for e := range errs {
			t.Error(e)
		}
		got := map[string]string{}
		after := ""
		for {
			var page struct {
				Moves struct {
					Nodes []struct {
						ID, Title string
						Version   int
					}
					PageInfo struct {
						HasNextPage bool
						EndCursor   string
					}
				}
			}
			c.must(t, "", `query($after: String) { moves(first: 100, after: $after) { nodes { id title version } pageInfo { hasNextPage endCursor } } }`,
				map[string]any{"after": map[bool]any{true: nil, false: after}[after == ""]}, &page)
			for _, n := range page.Moves.Nodes {
				if n.Version != 2 {
					t.Errorf("%s at version %d after one edit", n.ID, n.Version)
				}
				got[n.ID] = n.Title
			}
			if !page.Moves.PageInfo.HasNextPage {
				break
			}
			after = page.Moves.PageInfo.EndCursor
		}
		for _, ed := range edits {
			if got[ed.id] != ed.title {
				t.Errorf("%s: title %q, want %q", ed.id, got[ed.id], ed.title)
			}
		}
		if n := c.revisionCount(t, map[string]any{"actor": "burst"}); n != 200 {
			t.Errorf("%d revisions for 200 edits", n)
		}
		if v := c.dataVersion(t); v != dv+200 {
			t.Errorf("data version moved by %d for 200 edits", v-dv)
		}
	})
}

// TestHistoryAndRevisions: history(id:) lists one record's changes newest first, paged;
// revisions filters by actor, type and time; the loader's changes are there as "loader".
func TestHistoryAndRevisions(t *testing.T) {
	forCurator(t, researchFixture, func(t *testing.T, c *curator) {
		id := globalid.Encode("Case", "telegram-in-russia")
		for v := 1; v <= 3; v++ {
			c.must(t, c.editor, `mutation($in: UpdateCaseInput!) { updateCase(input: $in) { case { version } } }`,
				map[string]any{"in": map[string]any{"id": id, "expectedVersion": v, "title": fmt.Sprintf("Telegram in Russia, take %d", v)}}, nil)
		}
		type revs struct {
			TotalCount int
			Nodes      []struct {
				ID, Actor, Action, NodeID, NodeType, At string
				Version                                 int
				Before, After                           map[string]any
			}
			PageInfo struct {
				HasNextPage bool
				EndCursor   string
			}
		}
		var h struct{ History revs }
		q := `query($id: ID!, $after: String) { history(id: $id, first: 2, after: $after) { totalCount
			nodes { id actor action nodeId nodeType at version before after } pageInfo { hasNextPage endCursor } } }`
		c.must(t, "", q, map[string]any{"id": id}, &h)
		if h.History.TotalCount != 4 || len(h.History.Nodes) != 2 || !h.History.PageInfo.HasNextPage {
			t.Fatalf("first page of the history: %+v", h.History)
		}
		n0, n1 := h.History.Nodes[0], h.History.Nodes[1]
		if n0.Version != 4 || n1.Version != 3 || n0.Action != "UPDATE" || n0.Actor != "ed" || n0.NodeID != id || n0.NodeType != "Case" ||
			n0.After["title"] != "Telegram in Russia, take 3" || n0.Before["title"] != "Telegram in Russia, take 2" {
			t.Fatalf("newest revisions: %+v", h.History.Nodes)
		}
		c.must(t, "", q, map[string]any{"id": id, "after": h.History.PageInfo.EndCursor}, &h)
		if len(h.History.Nodes) != 2 || h.History.PageInfo.HasNextPage || h.History.Nodes[1].Action != "CREATE" ||
			h.History.Nodes[1].Actor != "loader" || h.History.Nodes[1].Before != nil {
			t.Fatalf("second page of the history: %+v", h.History)
		}

		var all struct{ Revisions revs }
		c.must(t, "", `query($f: RevisionFilter) { revisions(filter: $f, first: 100) { totalCount nodes { actor nodeType at } } }`,
			map[string]any{"f": map[string]any{"actor": "loader", "type": "CompanyResponse"}}, &all)
		if all.Revisions.TotalCount != 6 || len(all.Revisions.Nodes) != 6 {
			t.Fatalf("the loader's responses: %+v", all.Revisions)
		}
		c.must(t, "", `query($f: RevisionFilter) { revisions(filter: $f) { totalCount } }`,
			map[string]any{"f": map[string]any{"since": n1.At}}, &all)
		if all.Revisions.TotalCount != 2 {
			t.Fatalf("revisions since the second edit: %d, want 2", all.Revisions.TotalCount)
		}
		c.must(t, "", `{ history(id: "`+globalid.Encode("Case", "no-such-case")+`") { totalCount nodes { id } } }`, nil, &h)
		if h.History.TotalCount != 0 {
			t.Fatalf("history of an unknown record: %+v", h.History)
		}
		for _, bad := range []struct{ q, field string }{
			{`{ history(id: "nope") { totalCount } }`, "id"},
			{`{ revisions(filter: {type: "Dog"}) { totalCount } }`, "filter.type"},
			{`{ revisions(first: 101) { totalCount } }`, "first"},
		} {
			if ge := c.refused(t, "", bad.q, nil, "INVALID_ARGUMENT"); ge.Extensions["field"] != bad.field {
				t.Errorf("%s: %+v", bad.q, ge)
			}
		}
	})
}

// TestDeleteRefusesWhatIsStillNeeded: a company with live products or moves, a product a move
// targets, a source a move cites, a move another move answers (unless its links go too) and
// the last move of a case cannot be deleted; deleting a case takes its moves with it, each
// recorded, and restoring it brings them back.
func TestDeleteRefusesWhatIsStillNeeded(t *testing.T) {
	forCurator(t, researchFixture, func(t *testing.T, c *curator) {
		del := func(mutation, payload, id string, extra string) string {
			return `mutation { ` + mutation + `(input: {id: "` + id + `"` + extra + `}) { ` + payload + ` { id } } }`
		}
		for _, x := range []struct{ name, query, want string }{
			{"company with products and moves", del("deleteCompany", "company", globalid.Encode("Company", "telegram"), ""), "telegram-messenger"},
			{"product a move targets", del("deleteProduct", "product", globalid.Encode("Product", "telegram-messenger"), ""), "ru-blocks-telegram"},
			{"source a move cites", del("deleteSource", "source", globalid.Encode("Source", "wire-huawei"), ""), "huawei-staffs-centre"},
			{"move another move answers", del("deleteCountryAction", "countryAction", actionID("us-dhs-ban"), ""), "kaspersky-sues"},
			{"the last move of a case", del("deleteCountryAction", "countryAction", actionID("us-china-agreement"), ""), "no moves"},
			{"case whose moves others answer", del("deleteCase", "case", globalid.Encode("Case", "telegram-in-russia"), ""), ""},
		} {
			r := c.as(t, c.editor, x.query, nil)
			if x.name == "case whose moves others answer" {
				// telegram's two moves answer each other only: the case goes, with both.
				expect(t, r, http.StatusOK, "")
				continue
			}
			if r.Code() != "CONFLICT" || !strings.Contains(r.Errors[0].Message, x.want) {
				t.Errorf("%s: want CONFLICT naming %s, got %.400s", x.name, x.want, r.Body)
			}
		}
		var cnt struct {
			Dataset struct {
				Counts struct{ Cases, Actions, Responses, Links int }
			}
		}
		c.must(t, "", `{ dataset { counts { cases actions responses links } } }`, nil, &cnt)
		if got := cnt.Dataset.Counts; got.Cases != 4 || got.Actions != 8 || got.Responses != 5 {
			t.Fatalf("after deleting telegram-in-russia: %+v", got)
		}
		var tomb struct {
			Deletions struct{ Nodes []struct{ ID, Type string } }
		}
		c.must(t, "", `{ deletions(since: "2000-01-01T00:00:00Z") { nodes { id type } } }`, nil, &tomb)
		if len(tomb.Deletions.Nodes) != 3 {
			t.Fatalf("tombstones: %+v", tomb.Deletions.Nodes)
		}
		for _, n := range tomb.Deletions.Nodes {
			var h struct {
				History struct {
					Nodes []struct{ Action, Actor string }
				}
			}
			c.must(t, "", `query($id: ID!) { history(id: $id) { nodes { action actor } } }`, map[string]any{"id": n.ID}, &h)
			if len(h.History.Nodes) == 0 || h.History.Nodes[0].Action != "DELETE" || h.History.Nodes[0].Actor != "ed" {
				t.Errorf("history of deleted %s: %+v", n.ID, h.History.Nodes)
			}
		}
		// With unlinkReplies the answer loses its link (a recorded change) and the move goes.
		c.must(t, c.editor, del("deleteCountryAction", "countryAction", actionID("us-dhs-ban"), ", unlinkReplies: true"), nil, nil)
		var sues struct {
			Node struct {
				Version   int
				InReplyTo []struct{ ID string }
			}
		}
		c.must(t, "", `query($id: ID!) { node(id: $id) { ... on Move { version inReplyTo { id } } } }`, map[string]any{"id": responseID("kaspersky-sues")}, &sues)
		if sues.Node.Version != 2 || len(sues.Node.InReplyTo) != 1 || sues.Node.InReplyTo[0].ID != actionID("us-ndaa-ban") {
			t.Fatalf("kaspersky-sues after unlinking: %+v", sues.Node)
		}
		// Restoring the case brings its moves back, with their link.
		c.must(t, c.admin, `mutation { restore(input: {id: "`+globalid.Encode("Case", "telegram-in-russia")+`"}) { node { id } } }`, nil, nil)
		var tg struct {
			Case struct {
				Moves struct {
					Nodes []struct {
						Slug    string
						Replies []struct{ ID string }
					}
				}
			}
		}
		c.must(t, "", `{ case(slug: "telegram-in-russia") { moves { nodes { slug replies { id } } } } }`, nil, &tg)
		if len(tg.Case.Moves.Nodes) != 2 || len(tg.Case.Moves.Nodes[0].Replies) != 1 {
			t.Fatalf("restored case: %+v", tg.Case.Moves.Nodes)
		}
		// Restoring what is live is a CONFLICT; restoring a move of a deleted case is refused by the checks.
		c.refused(t, c.admin, `mutation { restore(input: {id: "`+globalid.Encode("Case", "telegram-in-russia")+`"}) { node { id } } }`, nil, "CONFLICT")
		c.must(t, c.editor, del("deleteCase", "case", globalid.Encode("Case", "huawei-in-the-uk"), ""), nil, nil)
		ge := c.refused(t, c.admin, `mutation { restore(input: {id: "`+responseID("huawei-staffs-centre")+`"}) { node { id } } }`, nil, "INVALID_ARGUMENT")
		if ge.Message != `unknown case "huawei-in-the-uk"` || ge.Extensions["field"] != "input.id" {
			t.Errorf("restoring a move of a deleted case: %+v", ge)
		}
	})
}
