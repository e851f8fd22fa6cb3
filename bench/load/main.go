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
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"math"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// target is one server under test.
type target struct {
	Name    string
	URL     string
	Dir     string // folder of its query files under -queries
	PID     int    // for peak RSS; 0: not measured
	Metrics string // Prometheus endpoint with cybertrade_db_queries_total; "": none
	Only    []string
	// Compare: ratios of this target to the others are printed too (the first target's always
	// are), e.g. cybertrade with its response cache beside cybertrade without.
	Compare bool
	queries map[string]*query
}

// query is one query of the mix as written for one target.
type query struct {
	Name     string
	Text     string
	Optional bool
	Vars     map[string]any
	Skip     string // why it does not run on this target
	body     []byte
	sample   []byte // one response, for the row check
}

// phase is one run of one query against one target at one concurrency.
type phase struct {
	requests, errors int
	elapsed          time.Duration
	lat              []time.Duration
	statements       float64
	hwmKB            int
	firstErr         string
}

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

type targetsFlag []*target

func (t *targetsFlag) String() string { return fmt.Sprint(len(*t)) }

func (t *targetsFlag) Set(s string) error {
	parts := strings.Split(s, ",")
	if len(parts) < 2 {
		return errors.New("want name,url[,dir=D][,pid=N][,metrics=URL][,only=q1+q2][,compare]")
	}
	tg := &target{Name: parts[0], URL: parts[1], Dir: parts[0]}
	for _, p := range parts[2:] {
		k, v, _ := strings.Cut(p, "=")
		switch k {
		case "dir":
			tg.Dir = v
		case "pid":
			n, err := strconv.Atoi(v)
			if err != nil {
				return err
			}
			tg.PID = n
		case "metrics":
			tg.Metrics = v
		case "only":
			tg.Only = strings.Split(v, "+")
		case "compare":
			tg.Compare = true
		default:
			return fmt.Errorf("unknown target option %q", k)
		}
	}
	*t = append(*t, tg)
	return nil
}

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

	phases := map[string]*phase{} // key: conc/query/target
	key := func(c int, q, t string) string { return fmt.Sprintf("%d/%s/%s", c, q, t) }
	for r := range *rounds {
		for _, c := range levels {
			for _, n := range names {
				for i := range targets {
					t := targets[(i+r)%len(targets)]
					q := t.queries[n]
					if q == nil || q.Skip != "" {
						continue
					}
					p := runPhase(ctx, client, t, q, c, *duration)
					acc := phases[key(c, n, t.Name)]
					if acc == nil {
						acc = &phase{}
						phases[key(c, n, t.Name)] = acc
					}
					acc.requests += p.requests
					acc.errors += p.errors
					acc.elapsed += p.elapsed
					acc.lat = append(acc.lat, p.lat...)
					acc.statements += p.statements
					acc.hwmKB = max(acc.hwmKB, p.hwmKB)
					if acc.firstErr == "" {
						acc.firstErr = p.firstErr
					}
				}
			}
			fmt.Fprintf(os.Stderr, "load: %s round %d/%d concurrency %d done\n", *label, r+1, *rounds, c)
		}
	}

	for _, c := range levels {
		for _, t := range targets {
			var all phase
			for _, n := range names {
				q := t.queries[n]
				if q == nil {
					continue
				}
				if q.Skip != "" {
					res.Rows = append(res.Rows, Row{Label: *label, Concurrency: c, Query: n, Target: t.Name, Skipped: q.Skip, StmtsPerReq: -1})
					continue
				}
				p := phases[key(c, n, t.Name)]
				res.Rows = append(res.Rows, row(*label, c, n, t, p))
				// Overall: only the queries every full target runs.
				if n != "" && commonQuery(targets, n) {
					all.requests += p.requests
					all.errors += p.errors
					all.elapsed += p.elapsed
					all.lat = append(all.lat, p.lat...)
					all.statements += p.statements
					all.hwmKB = max(all.hwmKB, p.hwmKB)
				}
			}
			// A target that runs only some queries (the floor) has no overall figure.
			if all.requests > 0 && len(t.Only) == 0 {
				res.Overall = append(res.Overall, row(*label, c, "overall", t, &all))
			}
		}
	}
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

var varRef = regexp.MustCompile(`\$([A-Za-z_][A-Za-z0-9_]*)`)

// loadQueries reads dir/*.graphql (not *.cursor.graphql), keeping the names in only if given.
func loadQueries(dir string, only []string, vars map[string]any) (map[string]*query, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.graphql"))
	if err != nil {
		return nil, err
	}
	out := map[string]*query{}
	for _, f := range files {
		if strings.HasSuffix(f, ".cursor.graphql") {
			continue
		}
		name := strings.TrimSuffix(filepath.Base(f), ".graphql")
		if len(only) > 0 && !slices.Contains(only, name) {
			continue
		}
		raw, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		q := &query{Name: name, Text: string(raw), Optional: strings.Contains(string(raw), "# bench: optional"), Vars: map[string]any{}}
		for _, m := range varRef.FindAllStringSubmatch(q.Text, -1) {
			if v, ok := vars[m[1]]; ok {
				q.Vars[m[1]] = v
			}
		}
		q.encode()
		out[name] = q
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no queries in %s", dir)
	}
	return out, nil
}

func (q *query) encode() {
	q.body, _ = json.Marshal(map[string]any{"query": q.Text, "variables": q.Vars})
}

// prepareCursor finds the deep page's cursor with the target's q5 cursor file: a `#
// cursor-walk: N` line walks the list N at a time (taking endCursor), otherwise one request
// with $offset (taking the last cursor) is enough.
func prepareCursor(ctx context.Context, client *http.Client, t *target, dir string, offset int) error {
	files, _ := filepath.Glob(filepath.Join(dir, t.Dir, "*.cursor.graphql"))
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".cursor.graphql")
		q := t.queries[name]
		if q == nil {
			continue
		}
		raw, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		text := string(raw)
		var cursor any
		if m := regexp.MustCompile(`# cursor-walk: (\d+)`).FindStringSubmatch(text); m != nil {
			step, _ := strconv.Atoi(m[1])
			for range offset / step {
				b, _ := json.Marshal(map[string]any{"query": text, "variables": map[string]any{"after": cursor}})
				resp, err := post(ctx, client, t.URL, b)
				if err != nil {
					return err
				}
				c := lastString(resp, "endCursor")
				if c == "" {
					return fmt.Errorf("the list ended before position %d", offset)
				}
				cursor = c
			}
		} else {
			b, _ := json.Marshal(map[string]any{"query": text, "variables": map[string]any{"offset": offset - 1}})
			resp, err := post(ctx, client, t.URL, b)
			if err != nil {
				return err
			}
			c := lastString(resp, "cursor")
			if c == "" {
				return fmt.Errorf("no cursor at offset %d", offset-1)
			}
			cursor = c
		}
		q.Vars["after"] = cursor
		q.encode()
	}
	return nil
}

// lastString is the last string value under key anywhere in a JSON document.
func lastString(doc []byte, key string) string {
	var v any
	if json.Unmarshal(doc, &v) != nil {
		return ""
	}
	last := ""
	walk(v, func(k string, x any) {
		if s, ok := x.(string); ok && k == key {
			last = s
		}
	})
	return last
}

func walk(v any, f func(k string, x any)) {
	switch x := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			f(k, x[k])
			walk(x[k], f)
		}
	case []any:
		for _, e := range x {
			walk(e, f)
		}
	}
}

// rowKeys are the natural keys (slug, key, code) in a response, sorted: two servers that
// return the same rows return the same keys whatever their schemas call the fields.
func rowKeys(doc []byte) []string {
	var v any
	_ = json.Unmarshal(doc, &v)
	var out []string
	walk(v, func(k string, x any) {
		if s, ok := x.(string); ok && (k == "slug" || k == "key" || k == "code") {
			out = append(out, k+"="+s)
		}
	})
	sort.Strings(out)
	return out
}

// checkRows compares every target's sample response with the first target's.
func checkRows(targets []*target, names []string) []string {
	var out []string
	base := targets[0]
	for _, n := range names {
		bq := base.queries[n]
		for _, t := range targets[1:] {
			q := t.queries[n]
			if q == nil {
				continue
			}
			if bq == nil || bq.Skip != "" || q.Skip != "" {
				out = append(out, fmt.Sprintf("%s %s vs %s: not compared (%s)", n, t.Name, base.Name, strings.TrimSpace(bq.Skip+" "+q.Skip)))
				continue
			}
			a, b := rowKeys(bq.sample), rowKeys(q.sample)
			ca, cb := cells(bq.sample), cells(q.sample)
			switch {
			case len(a) == 0 && len(b) == 0 && len(ca) > 0 && len(cb) > 0 && maps.Equal(ca, cb):
				out = append(out, fmt.Sprintf("%s %s vs %s: same counts (%d cells, %d in all)", n, t.Name, base.Name, len(ca), sum(ca)))
			case len(a) == 0 && len(b) == 0 && (len(ca) > 0 || len(cb) > 0):
				out = append(out, fmt.Sprintf("%s %s vs %s: COUNTS DIFFER (%d vs %d cells, %d vs %d in all)", n, t.Name, base.Name, len(cb), len(ca), sum(cb), sum(ca)))
			case len(a) == 0 && len(b) == 0:
				out = append(out, fmt.Sprintf("%s %s vs %s: no row keys to compare", n, t.Name, base.Name))
			case slices.Equal(a, b):
				out = append(out, fmt.Sprintf("%s %s vs %s: same rows (%d keys)", n, t.Name, base.Name, len(a)))
			default:
				out = append(out, fmt.Sprintf("%s %s vs %s: ROWS DIFFER (%d vs %d keys)", n, t.Name, base.Name, len(b), len(a)))
			}
			if len(t.Only) > 0 && sameJSON(bq.sample, q.sample) {
				out = append(out, fmt.Sprintf("%s %s vs %s: identical JSON", n, t.Name, base.Name))
			} else if len(t.Only) > 0 {
				out = append(out, fmt.Sprintf("%s %s vs %s: JSON DIFFERS", n, t.Name, base.Name))
			}
		}
	}
	return out
}

// cells reads the counts of an aggregation, whatever the schema: PostGraphile's grouped
// aggregates ({keys: [k1, k2], distinctCount: {id: n}} or count) and cybertrade's buckets under
// an alias ({ALIAS: [{value: k2, count: n}]}) both give "k1|k2" → n.
func cells(doc []byte) map[string]int64 {
	var v any
	if json.Unmarshal(doc, &v) != nil {
		return nil
	}
	out := map[string]int64{}
	var visit func(v any)
	visit = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			if keys, ok := x["keys"].([]any); ok {
				var parts []string
				for _, k := range keys {
					parts = append(parts, fmt.Sprint(k))
				}
				n, ok := number(x["count"])
				if dc, isMap := x["distinctCount"].(map[string]any); !ok && isMap {
					n, ok = number(dc["id"])
				}
				if ok {
					out[strings.Join(parts, "|")] += n
				}
				return
			}
			for k, e := range x {
				if list, ok := e.([]any); ok {
					for _, b := range list {
						if bm, ok := b.(map[string]any); ok {
							if val, ok := bm["value"].(string); ok {
								if n, ok := number(bm["count"]); ok {
									out[k+"|"+val] += n
									continue
								}
							}
						}
						visit(b)
					}
					continue
				}
				visit(e)
			}
		case []any:
			for _, e := range x {
				visit(e)
			}
		}
	}
	visit(v)
	return out
}

// number reads a JSON number, or a number written as a string (PostgreSQL's bigint).
func number(v any) (int64, bool) {
	switch x := v.(type) {
	case float64:
		return int64(x), true
	case string:
		n, err := strconv.ParseInt(x, 10, 64)
		return n, err == nil
	}
	return 0, false
}

func sum(m map[string]int64) int64 {
	var n int64
	for _, v := range m {
		n += v
	}
	return n
}

// sameJSON compares the data of two answers (extensions, such as cybertrade's cost, aside).
func sameJSON(a, b []byte) bool {
	var x, y struct {
		Data any `json:"data"`
	}
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	ca, _ := json.Marshal(x)
	cb, _ := json.Marshal(y)
	return bytes.Equal(ca, cb)
}

var errorsKey = []byte(`"errors":`)

// post sends one request and fails on a transport error, a non-200 status or a GraphQL error.
func post(ctx context.Context, client *http.Client, url string, body []byte) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return b, fmt.Errorf("HTTP %d: %s", resp.StatusCode, shorten(string(b)))
	}
	if bytes.Contains(b, errorsKey) {
		return b, fmt.Errorf("GraphQL error: %s", shorten(string(b)))
	}
	return b, nil
}

func shorten(s string) string {
	if len(s) > 200 {
		return s[:200] + "…"
	}
	return s
}

// runPhase runs c workers sending q to t for d, and measures.
func runPhase(ctx context.Context, client *http.Client, t *target, q *query, c int, d time.Duration) *phase {
	resetHWM(t.PID)
	before := scrape(client, t.Metrics)
	p := &phase{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	start := time.Now()
	deadline := start.Add(d)
	for range c {
		wg.Add(1)
		go func() {
			defer wg.Done()
			lat := make([]time.Duration, 0, 1024)
			n, errs, first := 0, 0, ""
			for time.Now().Before(deadline) {
				t0 := time.Now()
				_, err := post(ctx, client, t.URL, q.body)
				lat = append(lat, time.Since(t0))
				n++
				if err != nil {
					errs++
					if first == "" {
						first = err.Error()
					}
				}
			}
			mu.Lock()
			p.requests += n
			p.errors += errs
			p.lat = append(p.lat, lat...)
			if p.firstErr == "" {
				p.firstErr = first
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	p.elapsed = time.Since(start)
	if t.Metrics != "" {
		p.statements = scrape(client, t.Metrics) - before
	}
	p.hwmKB = readHWM(t.PID)
	return p
}

// resetHWM resets the peak RSS of a process (Linux: writing 5 to clear_refs).
func resetHWM(pid int) {
	if pid > 0 {
		_ = os.WriteFile(fmt.Sprintf("/proc/%d/clear_refs", pid), []byte("5"), 0)
	}
}

// readHWM reads a process's peak RSS in kB.
func readHWM(pid int) int {
	if pid <= 0 {
		return 0
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "VmHWM:") {
			f := strings.Fields(line)
			if len(f) >= 2 {
				n, _ := strconv.Atoi(f[1])
				return n
			}
		}
	}
	return 0
}

// scrape reads cybertrade_db_queries_total from a Prometheus endpoint.
func scrape(client *http.Client, url string) float64 {
	if url == "" {
		return 0
	}
	resp, err := client.Get(url)
	if err != nil {
		return math.NaN()
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "cybertrade_db_queries_total ") {
			v, _ := strconv.ParseFloat(strings.TrimSpace(strings.TrimPrefix(line, "cybertrade_db_queries_total ")), 64)
			return v
		}
	}
	return math.NaN()
}

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
