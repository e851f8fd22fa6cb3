package cli

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestDatabaseFaults runs the server against a PostgreSQL server the test controls:
//  1. the database is down at start: the server starts, /healthz is 200, /readyz 503, and
//     GraphQL requests get 503 SERVICE_UNAVAILABLE at once;
//  2. the database comes up: the server migrates, loads the bundled data and becomes ready
//     by itself, with no restart;
//  3. under load, the database stops and starts again: no request hangs past the timeout,
//     no panic or 500, only 200 or 503 SERVICE_UNAVAILABLE, and once ready again the first
//     requests all succeed.
func TestDatabaseFaults(t *testing.T) {
	pg := startablePostgres(t)
	const timeout = 2 * time.Second
	env := map[string]string{
		"DATABASE_URL":          pg.url(),
		"ADDR":                  "127.0.0.1:0",
		"LOG_LEVEL":             "error",
		"DB_RETRY_INTERVAL":     "100ms",
		"LIMIT_TIMEOUT":         timeout.String(),
		"LIMIT_RATE_PER_MINUTE": "0",
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out := newAddrWriter()
	done := make(chan error, 1)
	go func() { done <- Run(ctx, nil, envFunc(env), out) }()
	base := out.wait(t)
	client := &http.Client{Timeout: 3 * timeout}

	// 1. Down at start.
	waitStatus(t, base+"/healthz", 200, 5*time.Second)
	if resp, err := http.Get(base + "/readyz"); err != nil || resp.StatusCode != 503 {
		t.Fatalf("/readyz with the database down: %v %v", resp, err)
	}
	r := postGraphQL(client, base, defyBody)
	if r.err != nil || r.status != 503 || !has(r.codes, "SERVICE_UNAVAILABLE") || r.took > 500*time.Millisecond {
		t.Fatalf("GraphQL with the database down: %d %v %v in %s", r.status, r.codes, r.err, r.took)
	}
	exportUnavailable(t, client, base, "down at start")

	// 2. Up: ready by itself.
	pg.start(t)
	waitStatus(t, base+"/readyz", 200, 30*time.Second)
	r = postGraphQL(client, base, defyBody)
	var defy struct {
		Responses struct{ TotalCount int }
	}
	if r.status != 200 || len(r.codes) > 0 || json.Unmarshal(r.data, &defy) != nil || defy.Responses.TotalCount == 0 {
		t.Fatalf("after the database came up: %d %v %s", r.status, r.codes, r.data)
	}

	// 3. Lost and back under load.
	var (
		mu       sync.Mutex
		statuses = map[int]int{}
		bad      []gqlResult
		stop     atomic.Bool
		wg       sync.WaitGroup
	)
	for range 8 {
		wg.Go(func() {
			for !stop.Load() {
				r := postGraphQL(client, base, defyBody)
				mu.Lock()
				statuses[r.status]++
				ok := r.err == nil && r.took < timeout+time.Second &&
					((r.status == 200 && len(r.codes) == 0) || (r.status == 503 && has(r.codes, "SERVICE_UNAVAILABLE")))
				if !ok {
					bad = append(bad, r)
				}
				mu.Unlock()
				if r.status == 503 {
					time.Sleep(10 * time.Millisecond)
				}
			}
		})
	}
	time.Sleep(300 * time.Millisecond)
	pg.stop(t)
	time.Sleep(time.Second)
	if resp, err := http.Get(base + "/readyz"); err != nil || resp.StatusCode != 503 {
		t.Fatalf("/readyz with the database lost: %v %v", resp, err)
	}
	exportUnavailable(t, client, base, "lost") // F13: exports answered 500
	pg.start(t)
	waitStatus(t, base+"/readyz", 200, 30*time.Second)
	stop.Store(true)
	wg.Wait()
	t.Logf("statuses under load: %v", statuses)
	for _, b := range bad {
		t.Errorf("bad answer during the outage: status %d codes %v err %v after %s", b.status, b.codes, b.err, b.took)
	}
	if statuses[200] == 0 || statuses[503] == 0 {
		t.Fatalf("the load saw %v: want answers both before and during the outage", statuses)
	}
	// Ready again: the first requests all succeed (no stale pooled connection fails them).
	for i := range 20 {
		r := postGraphQL(client, base, defyBody)
		if r.err != nil || r.status != 200 || len(r.codes) > 0 {
			t.Fatalf("request %d after the database came back: %d %v %v", i, r.status, joinCodes(r.codes), r.err)
		}
	}
	resp, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	m, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, want := range []string{`cybertrade_limit_refusals_total{code="SERVICE_UNAVAILABLE"}`, "cybertrade_ready 1", `go_sql_in_use_connections{db_name="cybertrade"}`, `cybertrade_graphql_requests_total{operation="Defy",status="200"}`} {
		if !strings.Contains(string(m), want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("run: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the server did not stop")
	}
}

// exportUnavailable checks that an export answers 503 with Retry-After while the database is
// unreachable (F13: it answered 500 with no Retry-After).
func exportUnavailable(t *testing.T, client *http.Client, base, when string) {
	t.Helper()
	resp, err := client.Get(base + "/export/countries.csv")
	if err != nil {
		t.Fatalf("export with the database %s: %v", when, err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" {
		t.Errorf("export with the database %s: %d, Retry-After %q; want 503 with Retry-After", when, resp.StatusCode, resp.Header.Get("Retry-After"))
	}
}
