package httpapi

import (
	"context"
	"database/sql"
	"log/slog"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/cybertrade/cybertrade/internal/limits"
)

// Metrics holds the server's Prometheus collectors on a registry of its own.
type Metrics struct {
	reg        *prometheus.Registry
	dbQueries  prometheus.Counter
	requests   *prometheus.CounterVec
	latency    *prometheus.HistogramVec
	operations *prometheus.CounterVec
	gqlReqs    *prometheus.CounterVec
	gqlLatency *prometheus.HistogramVec
	cost       prometheus.Histogram
	refusals   *prometheus.CounterVec
	ready      prometheus.Gauge
	// cacheResults counts the response cache's answers: hit, miss or bypass.
	cacheResults *prometheus.CounterVec
	poolOnce     sync.Once
	names        opNames
}

// NewMetrics builds the collectors.
func NewMetrics() *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		dbQueries: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "cybertrade_db_queries_total", Help: "SQL statements run against the database.",
		}),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "cybertrade_http_requests_total", Help: "HTTP requests by route and status code.",
		}, []string{"route", "code"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "cybertrade_http_request_duration_seconds", Help: "HTTP request latency by route.",
			Buckets: prometheus.ExponentialBuckets(0.001, 2, 14),
		}, []string{"route"}),
		operations: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "cybertrade_graphql_operations_total", Help: "GraphQL operations by operation name and outcome.",
		}, []string{"operation", "outcome"}),
	}
	m.gqlReqs = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "cybertrade_graphql_requests_total", Help: "GraphQL requests by operation name and HTTP status.",
	}, []string{"operation", "status"})
	m.gqlLatency = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "cybertrade_graphql_request_duration_seconds", Help: "GraphQL request latency by operation name.",
		Buckets: prometheus.ExponentialBuckets(0.001, 2, 14),
	}, []string{"operation"})
	m.cost = prometheus.NewHistogram(prometheus.HistogramOpts{
		Name: "cybertrade_graphql_cost", Help: "Cost of the GraphQL operations analysed (see the README's limits).",
		Buckets: prometheus.ExponentialBuckets(1, 4, 9),
	})
	m.refusals = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "cybertrade_limit_refusals_total", Help: "Requests refused by a limit or the HTTP layer, by extensions.code.",
	}, []string{"code"})
	m.ready = prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "cybertrade_ready", Help: "1 when the database is reachable and migrated, else 0.",
	})
	m.cacheResults = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "cybertrade_response_cache_total", Help: "GraphQL requests by what the response cache did: hit, miss or bypass (not cacheable).",
	}, []string{"result"})
	m.reg.MustRegister(m.cacheResults)
	m.names = opNames{seen: map[string]bool{}}
	m.reg.MustRegister(m.gqlReqs, m.gqlLatency, m.cost, m.refusals, m.ready)
	m.reg.MustRegister(m.dbQueries, m.requests, m.latency, m.operations,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Registry is the registry the collectors are on, for extra collectors (pool stats).
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// WatchPool exports the connection pool's statistics (open, in use, idle, waits); only the
// first pool given is watched.
func (m *Metrics) WatchPool(db *sql.DB) {
	m.poolOnce.Do(func() { m.reg.MustRegister(collectors.NewDBStatsCollector(db, "cybertrade")) })
}

// Refused counts a refusal by its code.
func (m *Metrics) Refused(code string) { m.refusals.WithLabelValues(code).Inc() }

// SetReady records the readiness; pass it to readiness.New.
func (m *Metrics) SetReady(ready bool) {
	if ready {
		m.ready.Set(1)
	} else {
		m.ready.Set(0)
	}
}

// OnStatement counts one SQL statement; pass it to store.Options.
func (m *Metrics) OnStatement() { m.dbQueries.Inc() }

// Handler serves the metrics in the Prometheus text format.
func (m *Metrics) Handler() http.Handler { return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{}) }

type statusWriter struct {
	http.ResponseWriter
	code int
}

func (w *statusWriter) WriteHeader(code int) {
	w.code = code
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func route(r *http.Request) string {
	switch r.URL.Path {
	case "/graphql", "/", "/schema.graphql", "/metrics", "/healthz", "/readyz":
		return r.URL.Path
	}
	if strings.HasPrefix(r.URL.Path, "/export/") {
		return "/export"
	}
	return "other"
}

// instrument counts and times every request (GraphQL, exports, schema, GraphiQL, health and
// metrics alike) and logs it at Info as one JSON line with its request id, status and
// duration, and for GraphQL the operation name and cost. It puts the limits.Request the GraphQL layer
// fills in into the context.
func (m *Metrics) instrument(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w, code: http.StatusOK}
		req := limits.NewRequest(clientIP(r))
		next.ServeHTTP(sw, r.WithContext(limits.WithRequest(r.Context(), req)))
		took := time.Since(start)
		rt := route(r)
		m.requests.WithLabelValues(rt, strconv.Itoa(sw.code)).Inc()
		m.latency.WithLabelValues(rt).Observe(took.Seconds())
		attrs := []slog.Attr{
			slog.String("request_id", RequestID(r.Context())),
			slog.String("method", r.Method),
			slog.String("path", rt),
			slog.Int("status", sw.code),
			slog.Float64("duration_ms", float64(took.Microseconds())/1000),
			slog.String("client", req.Client()),
		}
		if rt == "/graphql" {
			op := m.names.label(req.Operation().Name, req.Operation().Admitted)
			m.gqlReqs.WithLabelValues(op, strconv.Itoa(sw.code)).Inc()
			m.gqlLatency.WithLabelValues(op).Observe(took.Seconds())
			attrs = append(attrs, slog.String("operation", op))
			if o := req.Operation(); o.Analyzed {
				m.cost.Observe(float64(o.Cost))
				attrs = append(attrs, slog.Int("cost", o.Cost))
			}
		}
		log.LogAttrs(r.Context(), slog.LevelInfo, "request", attrs...) // every route, at the default level
	})
}

// opNames bounds the operation-name label: names are client-chosen, so only well-formed
// names are kept, only names of operations that were admitted (they passed every limit and
// were charged) take a slot, and only the first maxOpNames distinct ones; the rest count as
// "other". A refused operation is labelled by its name only when that name has a slot.
type opNames struct {
	mu   sync.Mutex
	seen map[string]bool
}

const maxOpNames = 200

var opNameRE = regexp.MustCompile(`^[_A-Za-z][_0-9A-Za-z]{0,63}$`)

func (o *opNames) label(name string, admitted bool) string {
	if name == "" {
		return "anonymous"
	}
	if !opNameRE.MatchString(name) {
		return "other"
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.seen[name] {
		return name
	}
	if !admitted || len(o.seen) >= maxOpNames {
		return "other"
	}
	o.seen[name] = true
	return name
}

func (m *Metrics) observeOperation(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	resp := next(ctx)
	name := "anonymous"
	if graphql.HasOperationContext(ctx) {
		req := limits.RequestFrom(ctx)
		name = m.names.label(operationName(graphql.GetOperationContext(ctx)), req == nil || req.Operation().Admitted)
	}
	outcome := "ok"
	if resp != nil && len(resp.Errors) > 0 {
		outcome = "error"
	}
	m.operations.WithLabelValues(name, outcome).Inc()
	return resp
}
