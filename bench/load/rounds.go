package main

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"time"
)

// phaseKey names the accumulated phases of one query on one target at one concurrency.
func phaseKey(c int, q, t string) string { return fmt.Sprintf("%d/%s/%s", c, q, t) }

// measure runs the rounds: each round runs every query on every target at every concurrency,
// the targets in rotated order, so background noise spreads over all of them. It returns the
// phases of each query, target and concurrency, summed over the rounds.
func measure(ctx context.Context, client *http.Client, targets []*target, names []string, levels []int, rounds int, d time.Duration, label string) map[string]*phase {
	phases := map[string]*phase{}
	for r := range rounds {
		for _, c := range levels {
			for _, n := range names {
				for i := range targets {
					t := targets[(i+r)%len(targets)]
					q := t.queries[n]
					if q == nil || q.Skip != "" {
						continue
					}
					acc := phases[phaseKey(c, n, t.Name)]
					if acc == nil {
						acc = &phase{}
						phases[phaseKey(c, n, t.Name)] = acc
					}
					acc.add(runPhase(ctx, client, t, q, c, d))
				}
			}
			fmt.Fprintf(os.Stderr, "load: %s round %d/%d concurrency %d done\n", label, r+1, rounds, c)
		}
	}
	return phases
}

// add sums another phase into p.
func (p *phase) add(o *phase) {
	p.requests += o.requests
	p.errors += o.errors
	p.elapsed += o.elapsed
	p.lat = append(p.lat, o.lat...)
	p.statements += o.statements
	p.hwmKB = max(p.hwmKB, o.hwmKB)
	if p.firstErr == "" {
		p.firstErr = o.firstErr
	}
}

// collect turns the phases into the result's rows: one per query, target and concurrency, and
// an overall row per target pooling the queries every full target runs.
func collect(res *Result, phases map[string]*phase, targets []*target, names []string, levels []int) {
	for _, c := range levels {
		for _, t := range targets {
			var all phase
			for _, n := range names {
				q := t.queries[n]
				if q == nil {
					continue
				}
				if q.Skip != "" {
					res.Rows = append(res.Rows, Row{Label: res.Label, Concurrency: c, Query: n, Target: t.Name, Skipped: q.Skip, StmtsPerReq: -1})
					continue
				}
				p := phases[phaseKey(c, n, t.Name)]
				res.Rows = append(res.Rows, row(res.Label, c, n, t, p))
				// Overall: only the queries every full target runs.
				if n != "" && commonQuery(targets, n) {
					all.add(p)
				}
			}
			// A target that runs only some queries (the floor) has no overall figure.
			if all.requests > 0 && len(t.Only) == 0 {
				all.firstErr = "" // as before the split: the overall row names no error of its own
				res.Overall = append(res.Overall, row(res.Label, c, "overall", t, &all))
			}
		}
	}
}
