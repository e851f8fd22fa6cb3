package httpapi_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"testing"

	"github.com/cybertrade/cybertrade/dataset"
	"github.com/cybertrade/cybertrade/httpapi"
	"github.com/cybertrade/cybertrade/internal/limits"
	"github.com/cybertrade/cybertrade/internal/testdb"
)

// links lists every (reply, answered move) pair of a dataset.
func links(ds *dataset.Dataset) [][2]string {
	var out [][2]string
	for _, c := range ds.Cases {
		for _, m := range c.Moves {
			for _, t := range m.InReplyTo {
				out = append(out, [2]string{m.Slug, t})
			}
		}
	}
	return out
}

// checkCausal fails when a list of move slugs holds a reply before a move it answers. Moves
// in a cycle of same-day replies (which the fixture has on purpose) are skipped: one of them
// must come first.
func checkCausal(t *testing.T, list string, slugs []string, pairs [][2]string) {
	t.Helper()
	pos := map[string]int{}
	for i, s := range slugs {
		pos[s] = i
	}
	cycle := map[[2]string]bool{}
	for _, p := range pairs {
		cycle[p] = true
	}
	for _, p := range pairs {
		r, okR := pos[p[0]]
		a, okA := pos[p[1]]
		if okR && okA && r < a && !cycle[[2]string{p[1], p[0]}] {
			t.Errorf("%s lists the reply %s (at %d) before %s (at %d), which it answers", list, p[0], r, p[1], a)
		}
	}
}

// slugPage is one page of a move list.
type slugPage struct {
	Nodes    []struct{ Slug string }
	PageInfo struct {
		HasNextPage bool
		EndCursor   string
	}
}

func (p slugPage) slugs() []string {
	var s []string
	for _, n := range p.Nodes {
		s = append(s, n.Slug)
	}
	return s
}

// allPages reads every page of a move list. head is the query up to the list's arguments,
// ending in `(` or `, ` (e.g. `x: country(code: "RU") { x: timeline(`), tail closes what head
// opened; get finds the page in the answer.
func allPages(t *testing.T, env *env, head, tail string, get func(data json.RawMessage) slugPage) []string {
	t.Helper()
	var all []string
	after := ""
	for range 100 {
		q := `query($after: String) { ` + head + `first: 100, after: $after) { nodes { slug } pageInfo { hasNextPage endCursor } }` + tail + ` }`
		var raw json.RawMessage
		env.ok(t, q, map[string]any{"after": nilIfEmpty(after)}, &raw)
		p := get(raw)
		all = append(all, p.slugs()...)
		if !p.PageInfo.HasNextPage {
			return all
		}
		after = p.PageInfo.EndCursor
	}
	t.Fatalf("%s: more than 100 pages", head)
	return nil
}

func topPage(raw json.RawMessage) slugPage {
	var out struct{ X slugPage }
	_ = json.Unmarshal(raw, &out)
	return out.X
}

func nestedPage(raw json.RawMessage) slugPage {
	var out struct{ X struct{ X slugPage } }
	_ = json.Unmarshal(raw, &out)
	return out.X.X
}

// checkEveryList reads every ordered list of moves the API serves for ds and checks that no
// reply comes before a move it answers: the top-level lists in both directions, each case's
// moves, each country's and company's timeline, and the JSON export.
func checkEveryList(t *testing.T, env *env, ds *dataset.Dataset) {
	t.Helper()
	pairs := links(ds)
	for _, list := range []string{"moves", "actions", "responses"} {
		checkCausal(t, list, allPages(t, env, "x: "+list+"(", "", topPage), pairs)
		desc := allPages(t, env, "x: "+list+"(orderBy: {field: DATE, direction: DESC}, ", "", topPage)
		slices.Reverse(desc)
		checkCausal(t, list+" DESC (reversed)", desc, pairs)
	}
	countries, companies := map[string]bool{}, map[string]bool{}
	for _, c := range ds.Cases {
		checkCausal(t, "case "+c.Slug, allPages(t, env, fmt.Sprintf(`x: case(slug: %q) { x: moves(`, c.Slug), "}", nestedPage), pairs)
		for _, m := range c.Moves {
			countries[m.Country] = true
			if m.Company != "" {
				companies[m.Company] = true
			}
			for _, co := range m.Companies {
				companies[co] = true
			}
		}
	}
	for code := range countries {
		checkCausal(t, "country "+code, allPages(t, env, fmt.Sprintf(`x: country(code: %q) { x: timeline(`, code), "}", nestedPage), pairs)
	}
	for slug := range companies {
		checkCausal(t, "company "+slug, allPages(t, env, fmt.Sprintf(`x: company(slug: %q) { x: timeline(`, slug), "}", nestedPage), pairs)
	}
	res, err := http.Get(env.srv.URL + "/export/dataset.json")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var exported dataset.Dataset
	if err := json.NewDecoder(res.Body).Decode(&exported); err != nil {
		t.Fatalf("dataset.json: %v", err)
	}
	for _, c := range exported.Cases {
		var slugs []string
		for _, m := range c.Moves {
			slugs = append(slugs, m.Slug)
		}
		checkCausal(t, "dataset.json case "+c.Slug, slugs, pairs)
	}
}

// TestRepliesNeverComeFirst: a reply dated to the year answers an action dated to the day of
// the same year; every ordered list (top-level lists both ways, case moves, timelines, the
// JSON export) lists the action first, on both engines.
func TestRepliesNeverComeFirst(t *testing.T) {
	forEngine(t, func(t *testing.T, e testdb.Engine) {
		ds := researchFixture(t)
		for i := range ds.Cases {
			if ds.Cases[i].Slug != "telegram-in-russia" {
				continue
			}
			ds.Cases[i].Moves = append(ds.Cases[i].Moves,
				dataset.Move{Slug: "telegram-moves-to-cloud-addresses", Type: dataset.TypeResponse, Option: "DEFY", Instrument: "BUSINESS_DECISION",
					Company: "telegram", Country: "RU", Date: "2018", Title: "Telegram moves to cloud addresses", Summary: "Dated only to the year.",
					InReplyTo: []string{"ru-blocks-telegram"}, Sources: []string{"wire-telegram"}},
				dataset.Move{Slug: "ru-blocks-cloud-addresses", Type: dataset.TypeAction, Option: "AMPLIFY", Instrument: "ENFORCEMENT",
					Country: "RU", Date: "2018", Title: "Russia blocks cloud addresses", Summary: "Answers the year-dated reply.",
					Concerns: []string{"CONTENT_CONTROL"}, Companies: []string{"telegram"},
					InReplyTo: []string{"telegram-moves-to-cloud-addresses"}, Sources: []string{"wire-telegram"}})
		}
		if ps := dataset.Validate(ds); len(ps) > 0 {
			t.Fatalf("fixture: %v", ps)
		}
		env := newEnv(t, e, ds)
		var out struct {
			Case struct{ Moves slugPage }
		}
		env.ok(t, `{ case(slug: "telegram-in-russia") { moves(first: 100) { nodes { slug } } } }`, nil, &out)
		got := out.Case.Moves.slugs()
		want := []string{"ru-blocks-telegram", "telegram-refuses-keys", "telegram-moves-to-cloud-addresses", "ru-blocks-cloud-addresses"}
		if !slices.Equal(got, want) {
			t.Errorf("telegram-in-russia moves: %v, want %v (a reply after the move it answers, whatever the precisions)", got, want)
		}
		checkEveryList(t, env, ds)
	})
}

// TestRealDataRepliesNeverComeFirst runs the same check over the bundled dataset: for every
// link, the move answered comes first in every list that holds both.
func TestRealDataRepliesNeverComeFirst(t *testing.T) {
	if testing.Short() {
		t.Skip("reads every list of the bundled dataset")
	}
	forEngine(t, func(t *testing.T, e testdb.Engine) {
		// Every list of the whole dataset, page by page: more than one client's budget a minute.
		env := newEnvOpts(t, e, httpapi.Options{Logger: testLogger(), Limits: withLimits(func(c *limits.Config) { c.RatePerMinute = 0 })})
		checkEveryList(t, env, bundledData(t))
	})
}
