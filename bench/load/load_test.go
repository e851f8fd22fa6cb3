package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cybertrade/cybertrade/dataset"
	"github.com/cybertrade/cybertrade/httpapi"
	"github.com/cybertrade/cybertrade/internal/limits"
	"github.com/cybertrade/cybertrade/internal/testdb"
	"github.com/cybertrade/cybertrade/store"
	"github.com/cybertrade/cybertrade/synth"
)

// TestLoadAgainstCybertrade runs the load generator briefly against the real handler over a
// small synthetic dataset, twice as two targets (so rows are compared and ratios printed), and
// checks what it reports: every runnable query of the mix, no errors, constant statement
// counts read from /metrics, a skipped optional query, and a summary across two result files.
func TestLoadAgainstCybertrade(t *testing.T) {
	e := testdb.Engines()[0] // SQLite: the generator, not the engine, is under test here
	m := httpapi.NewMetrics()
	st := testdb.Open(t, e, store.Options{OnStatement: m.OnStatement})
	ctx := context.Background()
	if err := synth.Stream(200, 1, 100, func(ds *dataset.Dataset) error { _, err := st.BulkLoad(ctx, ds); return err }); err != nil {
		t.Fatal(err)
	}
	lim := limits.Defaults()
	lim.RatePerMinute = 0 // as bench/run starts the server: the load would spend one client's budget at once
	srv := httptest.NewServer(httpapi.New(st, httpapi.Options{Metrics: m, Limits: &lim}))
	defer srv.Close()
	dir := t.TempDir()
	var out bytes.Buffer
	args := []string{"-queries", "../queries", "-vars", "code=US,slug=case-100", "-offset", "300", "-concurrency", "2",
		"-rounds", "2", "-duration", "150ms", "-warmup", "100ms", "-label", "test", "-json", filepath.Join(dir, "a.json"),
		"-target", "cybertrade," + srv.URL + "/graphql,dir=cybertrade,metrics=" + srv.URL + "/metrics",
		"-target", "again," + srv.URL + "/graphql,dir=cybertrade"}
	if err := run(args, &out); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	text := out.String()
	for _, want := range []string{"q1-defy again vs cybertrade: same rows", "q6-notebook again vs cybertrade: same rows in the same order on pages 1, ", "ratio again", "overall"} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q:\n%s", want, text)
		}
	}
	var res Result
	raw, err := os.ReadFile(filepath.Join(dir, "a.json"))
	if err != nil || json.Unmarshal(raw, &res) != nil {
		t.Fatalf("result file: %v", err)
	}
	ran := map[string]bool{}
	for _, r := range res.Rows {
		if r.Target != "cybertrade" {
			continue
		}
		if r.Skipped != "" {
			if r.Query != "q4-stats" {
				t.Errorf("%s skipped: %s", r.Query, r.Skipped)
			}
			continue
		}
		ran[r.Query] = true
		if r.Errors != 0 || r.Requests == 0 || r.P50ms <= 0 || r.P99ms < r.P50ms {
			t.Errorf("%s: %+v", r.Query, r)
		}
		if r.StmtsPerReq != float64(int(r.StmtsPerReq)) || r.StmtsPerReq < 1 {
			t.Errorf("%s: %.3f statements per request; want a constant whole number", r.Query, r.StmtsPerReq)
		}
	}
	for _, q := range []string{"q1-defy", "q2-country", "q3-timeline", "q5-deep-page", "q6-notebook"} {
		if !ran[q] {
			t.Errorf("%s did not run", q)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "b.json"), raw, 0o644); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if err := run([]string{"-summarize", filepath.Join(dir, "a.json"), filepath.Join(dir, "b.json")}, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "1.00x") {
		t.Errorf("summary of two identical runs: %s", out.String())
	}
}
