package httpapi

import (
	"context"
	"net/http"

	"github.com/99designs/gqlgen/graphql"
	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"

	"github.com/cybertrade/cybertrade/internal/limits"
)

const tracerName = "github.com/cybertrade/cybertrade/httpapi"

// traceRequests opens a server span for every HTTP request (otelhttp): an incoming W3C
// traceparent makes it a child of the caller's span, so the caller's trace continues here.
func traceRequests(tp trace.TracerProvider, next http.Handler) http.Handler {
	tag := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		trace.SpanFromContext(r.Context()).SetAttributes(
			attribute.String("http.route", route(r)),
			attribute.String("cybertrade.request_id", RequestID(r.Context())),
		)
		next.ServeHTTP(w, r)
	})
	return otelhttp.NewHandler(tag, "http",
		otelhttp.WithTracerProvider(tp),
		otelhttp.WithPropagators(propagation.TraceContext{}),
		otelhttp.WithSpanNameFormatter(func(_ string, r *http.Request) string { return r.Method + " " + route(r) }),
	)
}

// traceOperation opens a span for every GraphQL operation, with its name, type and cost.
func traceOperation(tp trace.TracerProvider) graphql.OperationMiddleware {
	tr := tp.Tracer(tracerName)
	return func(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
		oc := graphql.GetOperationContext(ctx)
		name := operationName(oc)
		if name == "" {
			name = "anonymous"
		}
		ctx, span := tr.Start(ctx, "graphql "+name)
		attrs := []attribute.KeyValue{attribute.String("graphql.operation.name", name)}
		if oc.Operation != nil {
			attrs = append(attrs, attribute.String("graphql.operation.type", string(oc.Operation.Operation)))
		}
		if req := limits.RequestFrom(ctx); req != nil && req.Operation().Analyzed {
			attrs = append(attrs, attribute.Int("cybertrade.cost", req.Operation().Cost))
		}
		span.SetAttributes(attrs...)
		handler := next(ctx)
		return func(ctx context.Context) *graphql.Response {
			resp := handler(ctx)
			if resp != nil && len(resp.Errors) > 0 {
				span.SetStatus(codes.Error, resp.Errors[0].Message)
				span.SetAttributes(attribute.Int("graphql.errors", len(resp.Errors)))
			}
			span.End()
			return resp
		}
	}
}

// operationName is the name of the operation run: the one asked for, else the document's.
func operationName(oc *graphql.OperationContext) string {
	if oc.OperationName == "" && oc.Operation != nil {
		return oc.Operation.Name
	}
	return oc.OperationName
}
