package reads_test

import (
	"context"
	"strings"
	"testing"

	"github.com/cybertrade/cybertrade/internal/testdb"
	"github.com/cybertrade/cybertrade/store"
	"github.com/cybertrade/cybertrade/synth"
)

// TestSearchUsesIndexes: on PostgreSQL the search query's tsvector expressions are the ones
// migration 00002 indexes, so each table is searched through its GIN index, not scanned.
func TestSearchUsesIndexes(t *testing.T) {
	ran := false
	defer func() {
		if !ran {
			t.Skip("PostgreSQL only (its GIN indexes); set TEST_DATABASE_URL to run it")
		}
	}()
	for _, e := range testdb.Engines() {
		if e.Name != store.Postgres {
			continue
		}
		ran = true
		t.Run(e.Name, func(t *testing.T) {
			st := testdb.Open(t, e, store.Options{})
			if _, err := st.Load(context.Background(), synth.Generate(20, 1)); err != nil {
				t.Fatal(err)
			}
			plan, err := st.SearchPlanForTest(context.Background(), "synthetic move")
			if err != nil {
				t.Fatal(err)
			}
			for _, idx := range []string{"cases_search_idx", "moves_search_idx", "companies_search_idx", "products_search_idx"} {
				if !strings.Contains(plan, idx) {
					t.Errorf("the plan does not use %s:\n%s", idx, plan)
				}
			}
		})
	}
}
