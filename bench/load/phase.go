package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
)

// phase is one run of one query against one target at one concurrency.
type phase struct {
	requests, errors int
	elapsed          time.Duration
	lat              []time.Duration
	statements       float64
	hwmKB            int
	firstErr         string
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
	var walks chan any // a paging query's walks
	if q.walk != nil {
		walks = q.walk.walks
	}
	for range c {
		wg.Add(1)
		go func() {
			defer wg.Done()
			lat := make([]time.Duration, 0, 1024)
			n, errs, first := 0, 0, ""
			for time.Now().Before(deadline) {
				body := q.body
				var cursor any
				if walks != nil {
					cursor = <-walks
					body = q.bodyAfter(cursor)
				}
				t0 := time.Now()
				resp, err := post(ctx, client, t.URL, body)
				lat = append(lat, time.Since(t0))
				if walks != nil {
					// The walk goes on from the cursor the answer ended at; at the end (or
					// after an error) it starts over at the first page.
					if next, more := pageEnd(resp); more && err == nil {
						cursor = next
					} else {
						cursor = nil
					}
					walks <- cursor
				}
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
