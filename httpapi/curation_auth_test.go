package httpapi_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/cybertrade/cybertrade/internal/auth"
	"github.com/cybertrade/cybertrade/internal/globalid"
)

const createSourceMutation = `mutation($in: CreateSourceInput!) { createSource(input: $in) { clientMutationId source { id key version } revision { actor action } } }`

func newSource(key string) map[string]any {
	return map[string]any{"in": map[string]any{"clientMutationId": "m-" + key, "key": key, "title": "A report", "publisher": "Test Wire",
		"date": "2019-05", "url": "https://example.org/" + key}}
}

// TestTokensAndRoles: reads stay open; a malformed, unknown or revoked token is refused on any
// request with 401 and a Bearer challenge; a mutation without a token is 401; an editor may
// write but not restore (403 in application/graphql-response+json, 200 in application/json);
// an admin may restore; revocation counts from the next request; budgets follow the token; a
// token costs one statement per request.
func TestTokensAndRoles(t *testing.T) {
	forCurator(t, researchFixture, func(t *testing.T, c *curator) {
		read := `{ case(slug: "linkedin-in-russia") { title } }`

		// No token: reads are open.
		r := c.as(t, "", read, nil)
		expect(t, r, http.StatusOK, "")

		// Malformed, unknown: refused on a read too, before anything runs.
		unknown, _, _ := auth.NewToken()
		for name, header := range map[string]string{
			"not bearer":     "Basic " + c.editor,
			"no token":       "Bearer",
			"not our format": "Bearer abc.def.ghi",
			"truncated":      "Bearer " + c.editor[:20],
			"unknown":        "Bearer " + unknown,
		} {
			r := c.postBody(t, jsonBody(map[string]any{"query": read}), map[string]string{"Authorization": header})
			expect(t, r, http.StatusUnauthorized, "UNAUTHENTICATED")
			ch := r.Header.Get("WWW-Authenticate")
			wantErr := `error="invalid_request"`
			if name == "unknown" {
				wantErr = `error="invalid_token"`
			}
			if !strings.HasPrefix(ch, "Bearer ") || !strings.Contains(ch, wantErr) {
				t.Errorf("%s: WWW-Authenticate %q, want a Bearer challenge with %s", name, ch, wantErr)
			}
			if r.HasData {
				t.Errorf("%s: a refused request carries data: %s", name, r.Body)
			}
		}

		// A mutation without a token: 401 with a plain Bearer challenge, nothing written.
		r = c.as(t, "", createSourceMutation, newSource("anon-source"))
		expect(t, r, http.StatusUnauthorized, "UNAUTHENTICATED")
		if ch := r.Header.Get("WWW-Authenticate"); ch != `Bearer realm="cybertrade"` || r.HasData {
			t.Errorf("mutation without a token: WWW-Authenticate %q, data %v", ch, r.HasData)
		}
		c.refused(t, "", `{ source(key: "anon-source") { key } }`, nil, "NOT_FOUND") // nothing written

		// Editor: writes, recorded under the token's name.
		var created struct {
			CreateSource struct {
				ClientMutationID string
				Source           struct {
					ID, Key string
					Version int
				}
				Revision struct{ Actor, Action string }
			}
		}
		c.must(t, c.editor, createSourceMutation, newSource("ed-source"), &created)
		cs := created.CreateSource
		if cs.ClientMutationID != "m-ed-source" || cs.Source.Key != "ed-source" || cs.Source.Version != 1 ||
			cs.Revision.Actor != "ed" || cs.Revision.Action != "CREATE" {
			t.Fatalf("createSource by the editor: %+v", cs)
		}
		c.must(t, c.editor, `mutation($id: ID!) { deleteSource(input: {id: $id}) { source { id } } }`, map[string]any{"id": cs.Source.ID}, nil)

		// Editor may not restore: FORBIDDEN before anything runs.
		restore := `mutation($id: ID!) { restore(input: {id: $id}) { node { id } } }`
		vars := map[string]any{"id": cs.Source.ID}
		r = c.as(t, c.editor, restore, vars)
		expect(t, r, http.StatusForbidden, "FORBIDDEN")
		if r.HasData {
			t.Errorf("a forbidden mutation carries data: %s", r.Body)
		}
		r = c.postBody(t, jsonBody(map[string]any{"query": restore, "variables": vars}),
			map[string]string{"Authorization": "Bearer " + c.editor, "Accept": "application/json"})
		expect(t, r, http.StatusOK, "FORBIDDEN")
		if r.HasData {
			t.Errorf("a forbidden mutation carries data: %s", r.Body)
		}
		// …nor revert a deletion (that restores): a field error, as the rule depends on the revision.
		var hist struct {
			History struct{ Nodes []struct{ ID, Action string } }
		}
		c.must(t, "", `query($id: ID!) { history(id: $id) { nodes { id action } } }`, vars, &hist)
		if len(hist.History.Nodes) != 2 || hist.History.Nodes[0].Action != "DELETE" {
			t.Fatalf("history of the source: %+v", hist)
		}
		c.refused(t, c.editor, `mutation($r: ID!) { revert(input: {revision: $r}) { node { id } } }`,
			map[string]any{"r": hist.History.Nodes[0].ID}, "FORBIDDEN")

		// Admin may restore.
		var restored struct {
			Restore struct {
				Node     struct{ ID string }
				Revision struct{ Actor, Action string }
			}
		}
		c.must(t, c.admin, `mutation($id: ID!) { restore(input: {id: $id}) { node { id } revision { actor action } } }`, vars, &restored)
		if restored.Restore.Node.ID != cs.Source.ID || restored.Restore.Revision.Actor != "ad" || restored.Restore.Revision.Action != "RESTORE" {
			t.Fatalf("restore by the admin: %+v", restored)
		}

		// Budgets follow the token: a token's usage does not include the anonymous requests
		// from the same address, and two tokens do not share one.
		usage := func(token string) (used, cost int) {
			var out struct{ RateLimit struct{ Used, Cost int } }
			c.must(t, token, `{ rateLimit { used cost } }`, nil, &out)
			return out.RateLimit.Used, out.RateLimit.Cost
		}
		m1, m2 := c.token(t, "meter-1", auth.Editor), c.token(t, "meter-2", auth.Admin)
		anon, cost := usage("")
		first, _ := usage(m1)
		second, _ := usage(m1)
		other, _ := usage(m2)
		if anon <= cost || first != cost || second != 2*cost || other != cost {
			t.Fatalf("rate-limit usage (cost %d each): anonymous %d, a token %d then %d, another token %d", cost, anon, first, second, other)
		}

		// A token costs one statement per request: the lookup.
		before := c.st.Statements()
		c.must(t, "", read, nil, nil)
		plain := c.st.Statements() - before
		before = c.st.Statements()
		c.must(t, c.editor, read, nil, nil)
		if withToken := c.st.Statements() - before; withToken != plain+1 {
			t.Fatalf("a read took %d statements without a token and %d with one; want one more", plain, withToken)
		}

		// Revocation counts at once, for reads too.
		old := c.token(t, "old", auth.Editor)
		c.must(t, old, read, nil, nil)
		if err := c.st.RevokeToken(context.Background(), "old"); err != nil {
			t.Fatal(err)
		}
		expect(t, c.as(t, old, read, nil), http.StatusUnauthorized, "UNAUTHENTICATED")
		req, _ := http.NewRequest(http.MethodGet, c.srv.URL+"/export/countries.csv", nil)
		req.Header.Set("Authorization", "Bearer "+old)
		expect(t, send(t, req), http.StatusUnauthorized, "UNAUTHENTICATED")
		req.Header.Set("Authorization", "Bearer "+c.editor)
		if r := send(t, req); r.Status != http.StatusOK || !strings.HasPrefix(r.Body, "id,code,") {
			t.Fatalf("an export with a valid token: %d %.200s", r.Status, r.Body)
		}
		expect(t, c.as(t, old, createSourceMutation, newSource("old-source")), http.StatusUnauthorized, "UNAUTHENTICATED")

		// A mutation whose id names another type is INVALID_ARGUMENT with the field.
		ge := c.refused(t, c.editor, `mutation($id: ID!) { deleteProduct(input: {id: $id}) { product { id } } }`,
			map[string]any{"id": globalid.Encode(globalid.Company, "linkedin")}, "INVALID_ARGUMENT")
		if ge.Extensions["field"] != "input.id" {
			t.Errorf("wrong-type id: %+v", ge)
		}
	})
}
