package cli

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/cybertrade/cybertrade/internal/apitest"
	"github.com/cybertrade/cybertrade/internal/testdb"
)

// scaleRedisURL is the Redis the scale-out test uses: TEST_REDIS_URL, or the machine's.
func scaleRedisURL() string {
	if u := os.Getenv("TEST_REDIS_URL"); u != "" {
		return u
	}
	return "redis://127.0.0.1:6379/0"
}

// replica is one server process of the scale-out test.
type replica struct {
	base string
	cmd  *exec.Cmd
	log  *strings.Builder
}

func startReplica(t *testing.T, bin string, env []string) *replica {
	t.Helper()
	cmd := exec.Command(bin, "serve")
	cmd.Env = append(os.Environ(), env...)
	out := newAddrWriter()
	cmd.Stdout = out
	log := &strings.Builder{}
	cmd.Stderr = log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
		if t.Failed() {
			t.Logf("server log:\n%s", log.String())
		}
	})
	r := &replica{base: out.wait(t), cmd: cmd, log: log}
	waitStatus(t, r.base+"/readyz", http.StatusOK, 30*time.Second)
	return r
}

// answer is one GraphQL answer as a client of the scale-out test sees it.
type answer struct {
	status    int
	header    http.Header
	body      string
	data      json.RawMessage
	code      string
	remaining int
}

func (r *replica) post(t *testing.T, token string, body map[string]any) answer {
	t.Helper()
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest(http.MethodPost, r.base+"/graphql", bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	got := apitest.Send(t, req)
	a := answer{status: got.Status, header: got.Header, body: got.Body, data: got.Data, code: got.Code()}
	a.remaining, _ = strconv.Atoi(got.Header.Get("X-RateLimit-Remaining"))
	return a
}

// metric reads one sample from the replica's /metrics (0 when absent).
func (r *replica) metric(t *testing.T, series string) float64 {
	t.Helper()
	resp, err := http.Get(r.base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	for line := range strings.SplitSeq(string(raw), "\n") {
		if v, ok := strings.CutPrefix(line, series+" "); ok {
			f, _ := strconv.ParseFloat(v, 64)
			return f
		}
	}
	return 0
}

// TestScaleOutTwoProcesses runs two server processes of the built binary over one PostgreSQL
// database and one Redis, as two replicas behind a load balancer would run: a query persisted
// (APQ) through one is served by the other from its hash alone; the rate budget of a client is
// one budget across both; an answer cached by one is served by the other, and an edit through
// one invalidates what the other caches.
func TestScaleOutTwoProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary twice")
	}
	pg := testdb.Postgres(t, "the scale-out test needs PostgreSQL")
	ropts, err := redis.ParseURL(scaleRedisURL())
	if err != nil {
		t.Fatal(err)
	}
	rdb := redis.NewClient(ropts)
	defer rdb.Close()
	if err := rdb.Ping(context.Background()).Err(); err != nil {
		t.Skipf("no Redis at %s (%v): the scale-out test needs one (redis-server --daemonize yes --port 6379)", scaleRedisURL(), err)
	}
	var rnd [6]byte
	_, _ = rand.Read(rnd[:])
	prefix := "cybertrade-test-" + hex.EncodeToString(rnd[:]) + ":"
	t.Cleanup(func() {
		ctx := context.Background()
		iter := rdb.Scan(ctx, 0, prefix+"*", 100).Iterator()
		var keys []string
		for iter.Next(ctx) {
			keys = append(keys, iter.Val())
		}
		if len(keys) > 0 {
			_ = rdb.Del(ctx, keys...).Err()
		}
	})

	dir, bin := buildBinary(t)
	dsn := testdb.Fresh(t, pg)
	// As a deployment does: migrations and the data load run once, as a job, before the
	// replicas start; a curator's token is made with the CLI.
	for _, args := range [][]string{{"migrate", "up"}, {"load"}} {
		cmd := exec.Command(bin, args...)
		cmd.Env = append(os.Environ(), "DATABASE_URL="+dsn)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%v: %v\n%s", args, err, out)
		}
	}
	cmd := exec.Command(bin, "token", "create", "--name", "curator", "--role", "editor")
	cmd.Env = append(os.Environ(), "DATABASE_URL="+dsn)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("token create: %v", err)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	token := strings.TrimSpace(lines[len(lines)-1])

	const budget = 5000
	env := []string{"DATABASE_URL=" + dsn, "DATABASE_READ_URL=" + dsn, "REDIS_URL=" + scaleRedisURL(), "REDIS_PREFIX=" + prefix,
		"ADDR=127.0.0.1:0", "LOG_LEVEL=warn", "LIMIT_RATE_PER_MINUTE=" + strconv.Itoa(budget), "SQLITE_PATH=" + filepath.Join(dir, "unused.db")}
	a, b := startReplica(t, bin, env), startReplica(t, bin, env)

	t.Run("a query persisted through one is served by the other by hash", func(t *testing.T) {
		q := `query Persisted { countries(first: 3) { nodes { code name } } }`
		sum := sha256.Sum256([]byte(q))
		ext := map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": hex.EncodeToString(sum[:])}}
		if r := b.post(t, "", map[string]any{"extensions": ext}); r.code != "PERSISTED_QUERY_NOT_FOUND" {
			t.Fatalf("hash unknown to both: want PERSISTED_QUERY_NOT_FOUND, got %d %s", r.status, r.body)
		}
		if r := a.post(t, "", map[string]any{"query": q, "extensions": ext}); r.status != http.StatusOK || r.code != "" {
			t.Fatalf("registering through the first: %d %s", r.status, r.body)
		}
		r := b.post(t, "", map[string]any{"extensions": ext})
		if r.status != http.StatusOK || r.code != "" || !strings.Contains(string(r.data), `"code"`) {
			t.Fatalf("the hash alone through the second: %d %s", r.status, r.body)
		}
	})

	t.Run("an edit through one invalidates the cache of the other", func(t *testing.T) {
		const id = "Q291bnRyeUFjdGlvbjpydS1ibG9ja3MtbGlua2VkaW4" // ru-blocks-linkedin
		read := map[string]any{"query": `query Read($id: ID!) { node(id: $id) { ... on CountryAction { title version } } }`,
			"variables": map[string]any{"id": id}}
		hits := func(r *replica) float64 { return r.metric(t, `cybertrade_response_cache_total{result="hit"}`) }
		first := b.post(t, "", read)
		if first.status != http.StatusOK || !strings.Contains(first.body, "version") {
			t.Fatalf("first read through the second replica: %d %s", first.status, first.body)
		}
		h := hits(b)
		if again := b.post(t, "", read); again.body != first.body || hits(b) != h+1 {
			t.Fatalf("repeat through the second replica: not a cache hit (%v → %v)", h, hits(b))
		}
		ha := hits(a)
		if shared := a.post(t, "", read); shared.body != first.body || hits(a) != ha+1 {
			t.Fatalf("the first replica did not find the second's answer in Redis (%v → %v)", ha, hits(a))
		}
		var before struct {
			Node struct {
				Title   string
				Version int
			}
		}
		_ = json.Unmarshal(first.data, &before)
		edit := a.post(t, token, map[string]any{"query": `mutation($in: UpdateCountryActionInput!) { updateCountryAction(input: $in) { countryAction { title } } }`,
			"variables": map[string]any{"in": map[string]any{"id": id, "expectedVersion": before.Node.Version, "title": "Edited through replica A"}}})
		if edit.status != http.StatusOK || edit.code != "" {
			t.Fatalf("edit through the first replica: %d %s", edit.status, edit.body)
		}
		start := time.Now()
		for {
			r := b.post(t, "", read)
			if strings.Contains(r.body, "Edited through replica A") {
				t.Logf("the second replica answered the edit %s after it committed", time.Since(start))
				break
			}
			if r.body != first.body {
				t.Fatalf("unexpected answer: %d %s", r.status, r.body)
			}
			if time.Since(start) > 5*time.Second {
				t.Fatal("the second replica still serves the answer cached before the edit")
			}
			time.Sleep(5 * time.Millisecond)
		}
	})

	t.Run("the rate budget is shared", func(t *testing.T) {
		// The curator's token is the client here (a request with a token is metered under the
		// token's name): the anonymous budget of 127.0.0.1 stays for the other subtests.
		q := map[string]any{"query": `{ countries(first: 100) { nodes { code name region } } }`}
		for attempt := 0; ; attempt++ {
			r1 := a.post(t, token, q)
			r2 := b.post(t, token, q)
			if r1.status != http.StatusOK || r2.status != http.StatusOK {
				t.Fatalf("answers: %d %s / %d %s", r1.status, r1.body, r2.status, r2.body)
			}
			var ext struct {
				Extensions struct{ Cost int }
			}
			_ = json.Unmarshal([]byte(r1.body), &ext)
			if r1.header.Get("X-RateLimit-Reset") != r2.header.Get("X-RateLimit-Reset") && attempt < 2 {
				continue // a minute began between the two requests: measure again in the new one
			}
			cost := ext.Extensions.Cost
			if cost <= 1 || r2.remaining != r1.remaining-cost {
				t.Fatalf("remaining after the first replica: %d, after the second: %d, cost %d: one budget must count both", r1.remaining, r2.remaining, cost)
			}
			// Spend the rest through the first; the second must then refuse.
			for r := a.post(t, token, q); r.status == http.StatusOK; r = a.post(t, token, q) {
			}
			if r := b.post(t, token, q); r.status != http.StatusTooManyRequests || r.code != "RATE_LIMITED" {
				t.Fatalf("the second replica after the budget was spent through the first: %d %s", r.status, r.body)
			}
			return
		}
	})
}
