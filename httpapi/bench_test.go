package httpapi_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/cybertrade/cybertrade/httpapi"
	"github.com/cybertrade/cybertrade/internal/limits"
	"github.com/cybertrade/cybertrade/internal/testdb"
	"github.com/cybertrade/cybertrade/store"
)

// BenchmarkMix runs each query of the benchmark mix through the handler (no network, rate
// limiting and the response cache off) over 2,000 synthetic cases, on each engine: CPU time and
// allocations per request, the steadiest measures of the executor's cost on a shared machine.
//
//	go test ./httpapi -run '^$' -bench Mix -benchmem
func BenchmarkMix(b *testing.B) {
	mix := readMix(b)
	for _, e := range testdb.Engines() {
		b.Run(e.Name, func(b *testing.B) {
			st := testdb.Open(b, e, store.Options{})
			const n = 2000
			testdb.Synth(b, st, n, 1)
			if db, err := st.SQLDB(); err == nil && e.Name == store.Postgres {
				_, _ = db.Exec("ANALYZE") // as bench/run does after synth: plans as on a settled database
			}
			lim := limits.Defaults()
			lim.RatePerMinute = 0
			h := httpapi.New(st, httpapi.Options{Limits: &lim})
			for _, q := range mix {
				vars := map[string]any{"code": "US", "slug": "case-" + strconv.Itoa(n/2)}
				if q.cursor != "" {
					vars["after"] = benchCursor(b, h, q, 2500)
				}
				body, _ := json.Marshal(map[string]any{"query": q.text, "variables": vars})
				b.Run(q.name, func(b *testing.B) {
					for b.Loop() {
						req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(string(body)))
						req.Header.Set("Content-Type", "application/json")
						rec := httptest.NewRecorder()
						h.ServeHTTP(rec, req)
						if rec.Code != http.StatusOK || strings.Contains(rec.Body.String(), `"errors"`) {
							b.Fatalf("%d %.300s", rec.Code, rec.Body.String())
						}
					}
				})
			}
		})
	}
}

// benchCursor walks the list to position pos with the query's cursor file.
func benchCursor(b *testing.B, h http.Handler, q mixQuery, pos int) string {
	b.Helper()
	send := func(after any) *httptest.ResponseRecorder {
		body, _ := json.Marshal(map[string]any{"query": q.cursor, "variables": map[string]any{"after": after}})
		req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(string(body)))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}
	if pagesLine.MatchString(q.cursor) {
		return midCursor(func(after any) listPage {
			var out struct{ Data listPage }
			if err := json.Unmarshal(send(after).Body.Bytes(), &out); err != nil {
				b.Fatal(err)
			}
			return out.Data
		})
	}
	m := walkStep.FindStringSubmatch(q.cursor)
	step, _ := strconv.Atoi(m[1])
	var after any
	for range pos / step {
		rec := send(after)
		var out struct {
			Data struct {
				Moves struct{ PageInfo struct{ EndCursor string } }
			}
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
			b.Fatal(err)
		}
		after = out.Data.Moves.PageInfo.EndCursor
	}
	s, _ := after.(string)
	return s
}
