package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/cybertrade/cybertrade/httpapi"
	"github.com/cybertrade/cybertrade/internal/readiness"
	"github.com/cybertrade/cybertrade/internal/testdb"
	"github.com/cybertrade/cybertrade/store"
)

// syncBuffer is a log sink safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

// TestObservability checks the health endpoints, the metrics families and the JSON request
// log (request id, operation, status, duration, cost), on both engines.
func TestObservability(t *testing.T) {
	forEngine(t, func(t *testing.T, e testdb.Engine) {
		var logs syncBuffer
		log := slog.New(slog.NewJSONHandler(&logs, nil))
		env := newEnvOpts(t, e, httpapi.Options{Logger: log})

		for path, want := range map[string]string{"/healthz": "ok", "/readyz": `"status":"ready"`} {
			resp, err := http.Get(env.srv.URL + path)
			if err != nil {
				t.Fatal(err)
			}
			var b bytes.Buffer
			_, _ = b.ReadFrom(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 || !strings.Contains(b.String(), want) {
				t.Fatalf("%s: %d %s", path, resp.StatusCode, b.String())
			}
		}
		r := env.postBody(t, `{"query":"query Countries { countries(first: 2) { totalCount } }"}`, map[string]string{"X-Request-Id": "obs-1"})
		expect(t, r, 200, "")
		expect(t, env.postQuery(t, nestedReplies(30), nil), 400, "QUERY_TOO_DEEP")

		m := metricsText(t, env)
		for _, want := range []string{
			`cybertrade_graphql_requests_total{operation="Countries",status="200"} 1`,
			`cybertrade_graphql_requests_total{operation="anonymous",status="400"} 1`,
			`cybertrade_graphql_request_duration_seconds_bucket{operation="Countries"`,
			`cybertrade_http_request_duration_seconds_bucket{route="/graphql"`,
			`cybertrade_db_queries_total`,
			`go_sql_open_connections{db_name="cybertrade"}`,
			`go_sql_wait_count_total{db_name="cybertrade"}`,
			`cybertrade_limit_refusals_total{code="QUERY_TOO_DEEP"} 1`,
			`cybertrade_graphql_cost_count`,
		} {
			if !strings.Contains(m, want) {
				t.Errorf("/metrics lacks %s", want)
			}
		}

		var found bool
		for line := range strings.SplitSeq(strings.TrimSpace(logs.String()), "\n") {
			var rec map[string]any
			if err := json.Unmarshal([]byte(line), &rec); err != nil {
				t.Fatalf("log line is not JSON: %s", line)
			}
			if rec["msg"] == "request" && rec["request_id"] == "obs-1" {
				found = true
				if rec["operation"] != "Countries" || rec["status"] != float64(200) || rec["cost"] != float64(1+scanCost(t, env)) || rec["path"] != "/graphql" {
					t.Fatalf("request log: %s", line)
				}
				if _, ok := rec["duration_ms"].(float64); !ok {
					t.Fatalf("request log without duration: %s", line)
				}
			}
		}
		if !found {
			t.Fatalf("no request log for obs-1 in:\n%s", logs.String())
		}

		// Every route is logged at the default level (Info), not only /graphql.
		for _, path := range []string{"/", "/schema.graphql", "/export/countries.csv"} {
			resp, err := http.Get(env.srv.URL + path)
			if err != nil {
				t.Fatal(err)
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
		routes := []string{"/", "/schema.graphql", "/export", "/healthz", "/readyz", "/metrics"}
		allLogged := func() bool { // the line is written once the handler returns, just after the client has its answer
			logged := map[string]bool{}
			for line := range strings.SplitSeq(strings.TrimSpace(logs.String()), "\n") {
				var rec map[string]any
				if err := json.Unmarshal([]byte(line), &rec); err == nil && rec["msg"] == "request" && rec["level"] == "INFO" {
					logged[rec["path"].(string)] = true
				}
			}
			for _, path := range routes {
				if !logged[path] {
					return false
				}
			}
			return true
		}
		waitFor(t, allLogged)
	})
}

// TestNotReadyRefusesAtOnce: with the gate not ready, GraphQL requests get 503
// SERVICE_UNAVAILABLE and /readyz 503, while /healthz and the schema still answer.
func TestNotReadyRefusesAtOnce(t *testing.T) {
	gate := readiness.New(nil, nil)
	env := newEnvOpts(t, testdb.Engines()[0], httpapi.Options{Ready: gate})
	r := env.postQuery(t, "{ dataset { version } }", nil)
	expect(t, r, http.StatusServiceUnavailable, "SERVICE_UNAVAILABLE")
	if r.Header.Get("Retry-After") == "" {
		t.Fatal("503 must carry Retry-After")
	}
	for path, want := range map[string]int{"/readyz": 503, "/healthz": 200, "/schema.graphql": 200} {
		resp, err := http.Get(env.srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("%s: %d, want %d", path, resp.StatusCode, want)
		}
	}
}

// TestReadyzNeedsMigrations: a database that answers but is not migrated is not ready.
func TestReadyzNeedsMigrations(t *testing.T) {
	forEngine(t, func(t *testing.T, e testdb.Engine) {
		dsn, drop, err := e.DSN(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		st, err := store.Open(context.Background(), dsn, store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = st.Close(); _ = drop() })
		srv := httptest.NewServer(httpapi.New(st, httpapi.Options{}))
		t.Cleanup(srv.Close)
		readyz := func() (int, string) {
			resp, err := http.Get(srv.URL + "/readyz")
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var b bytes.Buffer
			_, _ = b.ReadFrom(resp.Body)
			return resp.StatusCode, b.String()
		}
		if code, body := readyz(); code != 503 || !strings.Contains(body, `"migrations":"pending"`) {
			t.Fatalf("unmigrated: %d %s", code, body)
		}
		if err := st.Migrate(context.Background()); err != nil {
			t.Fatal(err)
		}
		if code, body := readyz(); code != 200 || !strings.Contains(body, `"migrations":"applied"`) {
			t.Fatalf("migrated: %d %s", code, body)
		}
	})
}

// TestInternalErrorsAreLoggedOnce breaks the store under the handler (its pool is closed): the
// client gets INTERNAL with only a request id (the one in X-Request-Id), and the log has the
// cause exactly once under that id.
func TestInternalErrorsAreLoggedOnce(t *testing.T) {
	forEngine(t, func(t *testing.T, e testdb.Engine) {
		var logs syncBuffer
		env := newEnvOpts(t, e, httpapi.Options{Logger: slog.New(slog.NewJSONHandler(&logs, nil))})
		if err := env.st.Close(); err != nil {
			t.Fatal(err)
		}
		r := env.postQuery(t, "{ dataset { version } }", nil)
		if r.Code() != "INTERNAL" {
			t.Fatalf("want INTERNAL: %s", r.Body)
		}
		id := r.Header.Get("X-Request-Id")
		if id == "" || r.Errors[0].Extensions["requestId"] != id || !strings.Contains(r.Errors[0].Message, id) {
			t.Fatalf("the client must get the request id %q: %s", id, r.Body)
		}
		if strings.Contains(r.Body, "closed") || strings.Contains(r.Body, "sql") {
			t.Fatalf("the cause leaked to the client: %s", r.Body)
		}
		n := 0
		for line := range strings.SplitSeq(logs.String(), "\n") {
			if strings.Contains(line, `"msg":"internal error"`) && strings.Contains(line, id) {
				n++
				if !strings.Contains(line, "closed") {
					t.Errorf("the log must keep the cause: %s", line)
				}
			}
		}
		if n != 1 {
			t.Fatalf("internal error logged %d times, want once:\n%s", n, logs.String())
		}
	})
}
