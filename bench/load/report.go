package main

import (
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
	"time"
)

// Row is one line of the results.
type Row struct {
	Label       string  `json:"label"`
	Concurrency int     `json:"concurrency"`
	Query       string  `json:"query"`
	Target      string  `json:"target"`
	Requests    int     `json:"requests"`
	RPS         float64 `json:"rps"`
	P50ms       float64 `json:"p50_ms"`
	P99ms       float64 `json:"p99_ms"`
	Errors      int     `json:"errors"`
	PeakRSSMB   float64 `json:"peak_rss_mb"`
	StmtsPerReq float64 `json:"stmts_per_req"` // -1: not measured
	Skipped     string  `json:"skipped,omitempty"`
	FirstError  string  `json:"first_error,omitempty"`
}

// Result is what -json writes.
type Result struct {
	Label    string            `json:"label"`
	Params   map[string]string `json:"params"`
	Checks   []string          `json:"checks"`
	Rows     []Row             `json:"rows"`
	Overall  []Row             `json:"overall"`
	Finished time.Time         `json:"finished"`
}

// commonQuery reports whether every target without an `only` list runs query n.
func commonQuery(targets []*target, n string) bool {
	for _, t := range targets {
		if len(t.Only) > 0 {
			continue
		}
		if q := t.queries[n]; q == nil || q.Skip != "" {
			return false
		}
	}
	return true
}

func row(label string, c int, n string, t *target, p *phase) Row {
	r := Row{Label: label, Concurrency: c, Query: n, Target: t.Name, Requests: p.requests, Errors: p.errors,
		PeakRSSMB: float64(p.hwmKB) / 1024, StmtsPerReq: -1, FirstError: p.firstErr}
	if p.elapsed > 0 {
		r.RPS = float64(p.requests) / p.elapsed.Seconds()
	}
	slices.Sort(p.lat)
	if n := len(p.lat); n > 0 {
		r.P50ms = ms(p.lat[n*50/100])
		r.P99ms = ms(p.lat[min(n-1, n*99/100)])
	}
	if t.Metrics != "" && p.requests > 0 {
		r.StmtsPerReq = p.statements / float64(p.requests)
	}
	return r
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func printTable(out io.Writer, res *Result, targets []*target) {
	bases := []string{targets[0].Name}
	for _, t := range targets[1:] {
		if t.Compare {
			bases = append(bases, t.Name)
		}
	}
	fmt.Fprintf(out, "\n%s  (rounds %s × %s per phase; vars %s; deep page at %s)\n", res.Label, res.Params["rounds"], res.Params["duration"], res.Params["vars"], res.Params["offset"])
	concs := map[int]bool{}
	for _, r := range res.Rows {
		concs[r.Concurrency] = true
	}
	var levels []int
	for c := range concs {
		levels = append(levels, c)
	}
	sort.Ints(levels)
	for _, c := range levels {
		fmt.Fprintf(out, "\nconcurrency %d\n", c)
		fmt.Fprintf(out, "%-14s %-24s %9s %9s %9s %7s %9s %9s\n", "query", "target", "req/s", "p50 ms", "p99 ms", "errors", "RSS MB", "stmts/req")
		rows := append(slices.Clone(res.Rows), res.Overall...)
		order := map[string]int{}
		for i, t := range targets {
			order[t.Name] = i
		}
		slices.SortStableFunc(rows, func(a, b Row) int {
			qa, qb := a.Query, b.Query
			if qa == "overall" {
				qa = "\xff"
			}
			if qb == "overall" {
				qb = "\xff"
			}
			if c := strings.Compare(qa, qb); c != 0 {
				return c
			}
			return order[a.Target] - order[b.Target]
		})
		var lastQ string
		for _, r := range rows {
			if r.Concurrency != c {
				continue
			}
			q := r.Query
			if q == lastQ {
				q = ""
			} else if lastQ != "" {
				printRatios(out, rows, c, lastQ, bases)
			}
			lastQ = r.Query
			if r.Skipped != "" {
				fmt.Fprintf(out, "%-14s %-24s %.70s\n", q, r.Target, r.Skipped)
				continue
			}
			stm := "-"
			if r.StmtsPerReq >= 0 {
				stm = fmt.Sprintf("%.2f", r.StmtsPerReq)
			}
			fmt.Fprintf(out, "%-14s %-24s %9.1f %9.2f %9.2f %7d %9.1f %9s\n", q, r.Target, r.RPS, r.P50ms, r.P99ms, r.Errors, r.PeakRSSMB, stm)
		}
		printRatios(out, rows, c, lastQ, bases)
	}
}

func find(rows []Row, c int, q, t string) *Row {
	for i := range rows {
		if rows[i].Concurrency == c && rows[i].Query == q && rows[i].Target == t && rows[i].Skipped == "" && rows[i].Requests > 0 {
			return &rows[i]
		}
	}
	return nil
}

// printRatios prints, for each base target, its ratios to every target that is not a base
// ("ratio X" for the first base, "B/X" for the others), and of the first base to the others.
func printRatios(out io.Writer, rows []Row, c int, q string, bases []string) {
	for bi, base := range bases {
		b := find(rows, c, q, base)
		if b == nil {
			continue
		}
		seen := map[string]bool{}
		for _, r := range rows {
			if r.Concurrency != c || r.Query != q || r.Target == base || seen[r.Target] || (bi > 0 && slices.Contains(bases, r.Target)) {
				continue
			}
			seen[r.Target] = true
			o := find(rows, c, q, r.Target)
			if o == nil {
				continue
			}
			label := "ratio " + r.Target
			if bi > 0 {
				label = base + "/" + r.Target
			}
			fmt.Fprintf(out, "%-14s %-24s %8.2fx %8.2fx %8.2fx %7s %8.2fx\n", "", label, b.RPS/o.RPS, b.P50ms/o.P50ms, b.P99ms/o.P99ms, "", b.PeakRSSMB/o.PeakRSSMB)
		}
	}
}
