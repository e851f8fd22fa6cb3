package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
)

// summary prints, across runs (one per N), each query's p50 and throughput per target and
// how p50 grew from the first run to the last.
func summary(files []string, out io.Writer) error {
	var runs []*Result
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		r := &Result{}
		if err := json.Unmarshal(b, r); err != nil {
			return fmt.Errorf("%s: %w", f, err)
		}
		runs = append(runs, r)
	}
	if len(runs) == 0 {
		return errors.New("no result files")
	}
	type k struct {
		c    int
		q, t string
	}
	byRun := make([]map[k]Row, len(runs))
	var keys []k
	for i, r := range runs {
		byRun[i] = map[k]Row{}
		for _, row := range append(slices.Clone(r.Rows), r.Overall...) {
			kk := k{row.Concurrency, row.Query, row.Target}
			byRun[i][kk] = row
			if i == 0 && row.Skipped == "" {
				keys = append(keys, kk)
			}
		}
	}
	fmt.Fprintf(out, "\nSummary across runs: p50 ms (and req/s) per run; growth = p50 of the last run / p50 of the first\n")
	fmt.Fprintf(out, "%-4s %-14s %-13s", "conc", "query", "target")
	for _, r := range runs {
		fmt.Fprintf(out, " %22s", r.Label)
	}
	fmt.Fprintf(out, " %8s\n", "growth")
	for _, kk := range keys {
		fmt.Fprintf(out, "%-4d %-14s %-13s", kk.c, kk.q, kk.t)
		for i := range runs {
			row, ok := byRun[i][kk]
			if !ok || row.Skipped != "" {
				fmt.Fprintf(out, " %22s", "-")
				continue
			}
			fmt.Fprintf(out, " %9.2f (%9.1f/s)", row.P50ms, row.RPS)
		}
		first, last := byRun[0][kk], byRun[len(runs)-1][kk]
		if first.P50ms > 0 && last.P50ms > 0 {
			fmt.Fprintf(out, " %7.2fx", last.P50ms/first.P50ms)
		}
		fmt.Fprintln(out)
	}
	return nil
}
