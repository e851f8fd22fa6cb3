// Command load is the benchmark's load generator: it sends a fixed mix of GraphQL queries to
// several servers over the same data, in alternation, at fixed concurrencies and for several
// rounds, and prints per query and overall requests/s, p50, p99, errors, peak RSS of each
// server (VmHWM from /proc, reset before each phase), SQL statements per request (from a
// Prometheus counter) and the ratios of the first target to the others. bench/run drives it;
// see bench/README.md.
//
//	load -target 'cybertrade,http://127.0.0.1:18080/graphql,dir=cybertrade,pid=123,metrics=http://127.0.0.1:18080/metrics' \
//	     -target 'postgraphile,http://127.0.0.1:15000/graphql,dir=postgraphile,pid=456' \
//	     -target 'floor,http://127.0.0.1:18082/graphql,dir=cybertrade,pid=789,only=q1-defy' \
//	     -queries bench/queries -vars code=US,slug=case-500 -offset 50000 -json out.json
//	load -summarize out/1000.json out/10000.json out/100000.json
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "load:", err)
		os.Exit(1)
	}
}

func run(args []string, out io.Writer) error {
	fl := flag.NewFlagSet("load", flag.ContinueOnError)
	var targets targetsFlag
	fl.Var(&targets, "target", "a server: name,url[,dir=D][,pid=N][,metrics=URL][,only=q1-defy+q2-country] (repeat; the first is the one compared)")
	queriesDir := fl.String("queries", "bench/queries", "folder with one sub-folder of .graphql files per target")
	varsFlag := fl.String("vars", "code=US,slug=case-0", "variables for the queries: name=value,...")
	offset := fl.Int("offset", 50000, "position of the deep page (query 5)")
	conc := fl.String("concurrency", "16,64", "concurrency levels")
	rounds := fl.Int("rounds", 3, "rounds; each runs every query on every target at every concurrency, targets in rotated order")
	duration := fl.Duration("duration", 2*time.Second, "length of one phase (one query, one target, one concurrency, one round)")
	warmup := fl.Duration("warmup", 2*time.Second, "warm-up per target before measuring")
	label := fl.String("label", "", "label of this run (e.g. N=10000)")
	jsonOut := fl.String("json", "", "write the results here as JSON")
	summarize := fl.Bool("summarize", false, "print a cross-run summary of the JSON files given as arguments")
	if err := fl.Parse(args); err != nil {
		return err
	}
	if *summarize {
		return summary(fl.Args(), out)
	}
	if len(targets) == 0 {
		return errors.New("no -target")
	}
	var levels []int
	for _, s := range strings.Split(*conc, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 {
			return fmt.Errorf("bad concurrency %q", s)
		}
		levels = append(levels, n)
	}
	vars := map[string]any{"offset": *offset}
	for _, kv := range strings.Split(*varsFlag, ",") {
		if k, v, ok := strings.Cut(kv, "="); ok {
			vars[k] = v
		}
	}
	maxConc := slices.Max(levels)
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{
		MaxIdleConns: maxConc * len(targets) * 2, MaxIdleConnsPerHost: maxConc * 2, IdleConnTimeout: time.Minute,
	}}
	var names []string
	for _, t := range targets {
		qs, err := loadQueries(filepath.Join(*queriesDir, t.Dir), t.Only, vars)
		if err != nil {
			return fmt.Errorf("%s: %w", t.Name, err)
		}
		t.queries = qs
		for n := range qs {
			if !slices.Contains(names, n) {
				names = append(names, n)
			}
		}
	}
	sort.Strings(names)

	res := &Result{Label: *label, Params: map[string]string{
		"concurrency": *conc, "rounds": strconv.Itoa(*rounds), "duration": duration.String(), "warmup": warmup.String(),
		"vars": *varsFlag, "offset": strconv.Itoa(*offset),
	}}
	ctx := context.Background()
	// Preparation: the deep-page cursor, then one checked request per query and target.
	for _, t := range targets {
		if err := prepareCursor(ctx, client, t, *queriesDir, *offset); err != nil {
			return fmt.Errorf("%s: deep-page cursor: %w", t.Name, err)
		}
		for _, n := range names {
			q := t.queries[n]
			if q == nil {
				continue
			}
			body, err := post(ctx, client, t.URL, q.body)
			switch {
			case err != nil && q.Optional:
				q.Skip = "skipped: " + shorten(err.Error())
			case err != nil:
				return fmt.Errorf("%s %s: %w", t.Name, n, err)
			default:
				q.sample = body
			}
			if q.walk != nil && q.Skip == "" {
				for _, p := range q.walk.checkedPages() {
					body, err := post(ctx, client, t.URL, q.bodyAfter(q.walk.starts[p]))
					if err != nil {
						return fmt.Errorf("%s %s page %d: %w", t.Name, n, p+1, err)
					}
					q.walk.checked = append(q.walk.checked, body)
				}
			}
		}
	}
	for _, t := range targets {
		for _, q := range t.queries {
			if q.walk != nil {
				q.walk.spread(maxConc)
			}
		}
	}
	res.Checks = checkRows(targets, names)
	for _, c := range res.Checks {
		fmt.Fprintln(out, "check:", c)
	}
	// Warm-up: each query on each target for a while at the lowest concurrency.
	for _, t := range targets {
		per := *warmup / time.Duration(max(1, len(t.queries)))
		for _, n := range names {
			if q := t.queries[n]; q != nil && q.Skip == "" {
				runPhase(ctx, client, t, q, levels[0], per)
			}
		}
	}

	phases := measure(ctx, client, targets, names, levels, *rounds, *duration, *label)
	collect(res, phases, targets, names, levels)
	res.Finished = time.Now().UTC()
	printTable(out, res, targets)
	if *jsonOut != "" {
		b, _ := json.MarshalIndent(res, "", "  ")
		if err := os.WriteFile(*jsonOut, b, 0o644); err != nil {
			return err
		}
	}
	return nil
}
