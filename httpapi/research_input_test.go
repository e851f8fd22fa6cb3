package httpapi_test

import "testing"

// TestResearchBadInput: the research queries refuse bad arguments with a stable code and the
// field at fault, never an internal error.
func TestResearchBadInput(t *testing.T) {
	forEnv(t, researchFixture, func(t *testing.T, env *env) {
		for _, tc := range []struct {
			name, query string
			code, field string
		}{
			{"unknown country in a stats filter", `{ stats { actions(groupBy: OPTION, filter: {countries: ["XX"]}) { value } } }`, "INVALID_ARGUMENT", "filter.countries"},
			{"inverted range in a matrix filter", `{ stats { actionResponseMatrix(actions: {from: "2020-01-01", to: "2019-01-01"}) { countryOption } } }`, "INVALID_ARGUMENT", "filter.from"},
			{"unknown company in afterResponse", `{ stats { afterResponse(responses: {companies: ["nope"]}) { companyOption } } }`, "INVALID_ARGUMENT", "filter.companies"},
			{"unknown dimension", `{ stats { actions(groupBy: COLOUR) { value } } }`, "GRAPHQL_VALIDATION_FAILED", ""},
			{"a deletions cursor from another list", `{ deletions(since: "2020-01-01T00:00:00Z", after: "eyJrIjoiMjAxNiIsImkiOjF9") { totalCount } }`, "INVALID_ARGUMENT", "after"},
			{"a time that is not RFC 3339", `{ deletions(since: "yesterday") { totalCount } }`, "INVALID_ARGUMENT", ""},
			{"updatedAfter that is not a time", `{ moves(filter: {updatedAfter: "2020"}) { totalCount } }`, "INVALID_ARGUMENT", ""},
			{"a timeline page over the maximum", `{ country(code: "RU") { timeline(first: 101) { totalCount } } }`, "INVALID_ARGUMENT", "first"},
			{"a search page over the maximum", `{ search(text: "russia", first: 101) { totalCount } }`, "INVALID_ARGUMENT", "first"},
			{"a search text over 200 characters", `{ search(text: "` + longText + `") { totalCount } }`, "INVALID_ARGUMENT", "text"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				ge := env.fails(t, tc.query, nil, tc.code)
				if tc.field != "" && ge.Extensions["field"] != tc.field {
					t.Errorf("field %v, want %s (%s)", ge.Extensions["field"], tc.field, ge.Message)
				}
			})
		}
	})
}

var longText = func() string {
	s := ""
	for len(s) <= 200 {
		s += "russia "
	}
	return s
}()
