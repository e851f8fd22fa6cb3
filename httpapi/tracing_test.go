package httpapi_test

import (
	"context"
	"testing"

	"go.opentelemetry.io/otel/attribute"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/cybertrade/cybertrade/httpapi"
	"github.com/cybertrade/cybertrade/internal/testdb"
	"github.com/cybertrade/cybertrade/internal/tracing"
)

// TestTracing records spans in memory: a GraphQL request gives a server span with its status
// and request id, and a child span for the operation with its name and cost.
func TestTracing(t *testing.T) {
	exp := tracetest.NewInMemoryExporter()
	tp := tracing.NewProvider(sdktrace.WithSyncer(exp))
	t.Cleanup(func() { _ = tp.Shutdown(context.Background()) })
	env := newEnvOpts(t, testdb.Engines()[0], httpapi.Options{Tracer: tp})
	r := env.postBody(t, `{"query":"query Versions { dataset { version } }"}`, map[string]string{"X-Request-Id": "trace-me"})
	expect(t, r, 200, "")

	spans := exp.GetSpans()
	byName := map[string]tracetest.SpanStub{}
	for _, s := range spans {
		byName[s.Name] = s
	}
	server, ok := byName["POST /graphql"]
	if !ok {
		t.Fatalf("no server span among %d spans", len(spans))
	}
	op, ok := byName["graphql Versions"]
	if !ok {
		t.Fatalf("no operation span among %v", spanNames(spans))
	}
	if op.Parent.SpanID() != server.SpanContext.SpanID() || op.SpanContext.TraceID() != server.SpanContext.TraceID() {
		t.Fatal("the operation span is not a child of the request span")
	}
	want := map[attribute.Key]attribute.Value{
		"http.response.status_code": attribute.IntValue(200),
		"cybertrade.request_id":     attribute.StringValue("trace-me"),
	}
	checkAttrs(t, server.Attributes, want)
	checkAttrs(t, op.Attributes, map[attribute.Key]attribute.Value{
		"graphql.operation.name": attribute.StringValue("Versions"),
		"graphql.operation.type": attribute.StringValue("query"),
		"cybertrade.cost":        attribute.IntValue(2),
	})
	if got := resourceService(server); got != "cybertrade" {
		t.Fatalf("service.name %q", got)
	}
}

// TestTracingOffWithoutEndpoint: no OTEL endpoint, no tracer.
func TestTracingOffWithoutEndpoint(t *testing.T) {
	tp, shutdown, err := tracing.Setup(context.Background(), func(string) string { return "" })
	if err != nil || tp != nil || shutdown(context.Background()) != nil {
		t.Fatalf("tracing without an endpoint: %v %v", tp, err)
	}
	tp, shutdown, err = tracing.Setup(context.Background(), func(k string) string {
		return map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:1"}[k]
	})
	if err != nil || tp == nil {
		t.Fatalf("tracing with an endpoint: %v %v", tp, err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // nothing listens there: flushing must not hang
	_ = shutdown(ctx)
}

func spanNames(spans tracetest.SpanStubs) []string {
	var out []string
	for _, s := range spans {
		out = append(out, s.Name)
	}
	return out
}

func checkAttrs(t *testing.T, attrs []attribute.KeyValue, want map[attribute.Key]attribute.Value) {
	t.Helper()
	got := map[attribute.Key]attribute.Value{}
	for _, a := range attrs {
		got[a.Key] = a.Value
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("attribute %s = %v, want %v", k, got[k].String(), v.String())
		}
	}
}

func resourceService(s tracetest.SpanStub) string {
	for _, a := range s.Resource.Attributes() {
		if a.Key == "service.name" {
			return a.Value.AsString()
		}
	}
	return ""
}
