package httpapi

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics holds the server's Prometheus collectors on a registry of its own.
type Metrics struct {
	reg        *prometheus.Registry
	dbQueries  prometheus.Counter
	requests   *prometheus.CounterVec
	latency    *prometheus.HistogramVec
	operations *prometheus.CounterVec
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
	m.reg.MustRegister(m.dbQueries, m.requests, m.latency, m.operations,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Registry is the registry the collectors are on, for extra collectors (pool stats).
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

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

func (m *Metrics) instrument(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w, code: http.StatusOK}
		next.ServeHTTP(sw, r)
		rt := route(r)
		m.requests.WithLabelValues(rt, strconv.Itoa(sw.code)).Inc()
		m.latency.WithLabelValues(rt).Observe(time.Since(start).Seconds())
	})
}

func (m *Metrics) observeOperation(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	resp := next(ctx)
	name := "anonymous"
	if graphql.HasOperationContext(ctx) {
		if oc := graphql.GetOperationContext(ctx); oc.OperationName != "" && len(oc.OperationName) <= 64 {
			name = oc.OperationName
		}
	}
	outcome := "ok"
	if resp != nil && len(resp.Errors) > 0 {
		outcome = "error"
	}
	m.operations.WithLabelValues(name, outcome).Inc()
	return resp
}
