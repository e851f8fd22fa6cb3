// Command soak holds a fixed number of concurrent clients against a cybertrade server for a
// fixed time on loopback and reports throughput, latency percentiles, errors and the server's
// peak memory. It exits 1 when any request failed. See bench/README.md.
//
//	go run ./bench/soak -url http://127.0.0.1:8080/graphql -c 64 -d 60s -pid $SERVER_PID
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// mix is the query mix: each client cycles through it. An entry with a path is a download
// (GET of that path on the server, e.g. a bulk export) instead of a GraphQL query.
var mix = []struct{ name, query, path string }{
	{"defy", `query Defy { responses(filter: {options: [DEFY]}, first: 100) { totalCount edges { node { date title company { name } country { code name } replies { ... on CountryAction { option date title } } } } } }`, ""},
	{"country", `query Country { country(code: "US") { name actions(first: 50) { totalCount edges { node { date title option targetCompanies { name } replies { ... on CompanyResponse { option date company { name } } } } } } } }`, ""},
	{"timeline", `query Timeline { cases(first: 10) { edges { node { slug title moves(first: 50) { edges { node { date title sources { url } } } } } } } }`, ""},
	{"dataset", `query Dataset { dataset { version license citation counts { cases actions responses } } }`, ""},
	{"export-actions", "", "/export/actions.csv"},
	{"export-dataset", "", "/export/dataset.json"},
}

type result struct {
	took time.Duration
	err  string
}

func main() {
	target := flag.String("url", "http://127.0.0.1:8080/graphql", "the GraphQL endpoint (loopback only)")
	clients := flag.Int("c", 64, "concurrent clients")
	dur := flag.Duration("d", 60*time.Second, "how long to hold the load")
	pid := flag.Int("pid", 0, "the server's process id, to report its peak memory (VmHWM)")
	only := flag.String("query", "", "run only this entry of the mix (defy, country, timeline, dataset, export-actions, export-dataset)")
	flag.Parse()
	if err := run(*target, *clients, *dur, *pid, *only); err != nil {
		fmt.Fprintln(os.Stderr, "soak:", err)
		os.Exit(1)
	}
}

func run(target string, clients int, dur time.Duration, pid int, only string) error {
	u, err := url.Parse(target)
	if err != nil {
		return err
	}
	if ip := net.ParseIP(u.Hostname()); (ip == nil || !ip.IsLoopback()) && u.Hostname() != "localhost" {
		return fmt.Errorf("refusing to load %s: only loopback addresses are allowed", u.Host)
	}
	queries := mix
	if only != "" {
		queries = nil
		for _, q := range mix {
			if q.name == only {
				queries = append(queries, q)
			}
		}
		if len(queries) == 0 {
			return fmt.Errorf("unknown query %q", only)
		}
	}
	bodies := make([][]byte, len(queries))
	for i, q := range queries {
		if q.path == "" {
			bodies[i], _ = json.Marshal(map[string]string{"query": q.query})
		}
	}
	base := *u
	base.Path, base.RawQuery = "", ""
	tr := &http.Transport{MaxIdleConnsPerHost: clients, MaxConnsPerHost: clients}
	client := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	ctx, cancel := context.WithTimeout(context.Background(), dur)
	defer cancel()

	per := make([][]result, clients)
	var wg sync.WaitGroup
	start := time.Now()
	for c := range clients {
		wg.Go(func() {
			for i := c; ctx.Err() == nil; i++ {
				k := i % len(bodies)
				t0 := time.Now()
				var errMsg string
				if p := queries[k].path; p != "" {
					errMsg = download(client, base.String()+p)
				} else {
					errMsg = do(client, target, bodies[k])
				}
				if ctx.Err() != nil && errMsg != "" {
					break // cut off by the end of the run, not a server error
				}
				per[c] = append(per[c], result{took: time.Since(t0), err: errMsg})
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)

	var lat []time.Duration
	errs := map[string]int{}
	for _, rs := range per {
		for _, r := range rs {
			if r.err != "" {
				errs[r.err]++
				continue
			}
			lat = append(lat, r.took)
		}
	}
	slices.Sort(lat)
	pct := func(p float64) time.Duration {
		if len(lat) == 0 {
			return 0
		}
		return lat[min(len(lat)-1, int(float64(len(lat))*p))]
	}
	nerr := 0
	for _, n := range errs {
		nerr += n
	}
	fmt.Printf("clients %d, duration %s, queries %d\n", clients, elapsed.Round(time.Millisecond), len(queries))
	fmt.Printf("requests %d ok, %d errors\n", len(lat), nerr)
	fmt.Printf("throughput %.0f req/s\n", float64(len(lat))/elapsed.Seconds())
	fmt.Printf("latency p50 %s  p90 %s  p99 %s  max %s\n", pct(0.50).Round(time.Microsecond), pct(0.90).Round(time.Microsecond),
		pct(0.99).Round(time.Microsecond), pct(1).Round(time.Microsecond))
	if pid > 0 {
		fmt.Printf("server peak RSS %s\n", peakRSS(pid))
	}
	fmt.Printf("load generator peak RSS %s\n", peakRSS(os.Getpid()))
	for e, n := range errs {
		fmt.Printf("error x%d: %s\n", n, e)
	}
	if nerr > 0 {
		return fmt.Errorf("%d requests failed", nerr)
	}
	return nil
}

// do sends one query and returns "" or what went wrong.
func do(client *http.Client, target string, body []byte) string {
	resp, err := client.Post(target, "application/json", bytes.NewReader(body))
	if err != nil {
		return "transport: " + err.Error()
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return "read: " + err.Error()
	}
	if resp.StatusCode != http.StatusOK {
		return "status " + strconv.Itoa(resp.StatusCode) + ": " + firstLine(raw)
	}
	var out struct {
		Errors []struct {
			Message string `json:"message"`
		} `json:"errors"`
	}
	if err := json.Unmarshal(raw, &out); err != nil {
		return "not JSON"
	}
	if len(out.Errors) > 0 {
		return "graphql error: " + out.Errors[0].Message
	}
	return ""
}

// download GETs a file (a bulk export) to the end and returns "" or what went wrong.
func download(client *http.Client, target string) string {
	resp, err := client.Get(target)
	if err != nil {
		return "transport: " + err.Error()
	}
	defer resp.Body.Close()
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		return "read: " + err.Error()
	}
	if resp.StatusCode != http.StatusOK {
		return "status " + strconv.Itoa(resp.StatusCode) + " for " + target
	}
	return ""
}

func firstLine(b []byte) string {
	s := string(b)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	if len(s) > 120 {
		s = s[:120]
	}
	return s
}

// peakRSS reads a process's peak resident set size from /proc.
func peakRSS(pid int) string {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return "unknown (" + err.Error() + ")"
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")))
			return fmt.Sprintf("%.1f MiB", float64(kb)/1024)
		}
	}
	return "unknown"
}
