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

// TestTracingContinuesTheCallersTrace: a request carrying a W3C traceparent gets a server span
// in the caller's trace, child of the caller's span, and the operation span below it.
func TestTracingContinuesTheCallersTrace(t *testing.T) {
	exp := tracetest.NewInMemoryExporter()
	tp := tracing.NewProvider(sdktrace.WithSyncer(exp))
	t.Cleanup(func() { _ = tp.Shutdown(context.Background()) })
	env := newEnvOpts(t, testdb.Engines()[0], httpapi.Options{Tracer: tp})
	const traceID, parentID = "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7"
	r := env.postBody(t, `{"query":"query Versions { dataset { version } }"}`,
		map[string]string{"traceparent": "00-" + traceID + "-" + parentID + "-01"})
	expect(t, r, 200, "")
	byName := map[string]tracetest.SpanStub{}
	for _, s := range exp.GetSpans() {
		byName[s.Name] = s
	}
	server, ok := byName["POST /graphql"]
	if !ok {
		t.Fatalf("no server span among %v", spanNames(exp.GetSpans()))
	}
	if got := server.SpanContext.TraceID().String(); got != traceID {
		t.Fatalf("server span in trace %s, want the caller's %s", got, traceID)
	}
	if got := server.Parent.SpanID().String(); got != parentID || !server.Parent.IsRemote() {
		t.Fatalf("server span's parent %s (remote %v), want the caller's span %s", got, server.Parent.IsRemote(), parentID)
	}
	if op := byName["graphql Versions"]; op.SpanContext.TraceID().String() != traceID || op.Parent.SpanID() != server.SpanContext.SpanID() {
		t.Fatal("the operation span is not in the caller's trace under the server span")
	}
	// Without a traceparent the request starts a trace of its own.
	exp.Reset()
	expect(t, env.postBody(t, `{"query":"query Versions { dataset { version } }"}`, nil), 200, "")
	for _, s := range exp.GetSpans() {
		if s.Name == "POST /graphql" && (s.SpanContext.TraceID().String() == traceID || s.Parent.IsValid()) {
			t.Fatal("a request without traceparent joined another trace")
		}
	}
}

// TestTracingOffWithoutEndpoint: no OTEL endpoint, no tracer.
func TestTracingOffWithoutEndpoint(t *testing.T) {
	tp, shutdown, err := tracing.Setup(context.Background(), false)
	if err != nil || tp != nil || shutdown(context.Background()) != nil {
		t.Fatalf("tracing without an endpoint: %v %v", tp, err)
	}
	tp, shutdown, err = tracing.Setup(context.Background(), true) // internal/config: an OTEL endpoint turns it on
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
