package httpapi

import (
	"context"
	"net/http"

	"github.com/99designs/gqlgen/graphql"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"

	"github.com/cybertrade/cybertrade/internal/limits"
)

const tracerName = "github.com/cybertrade/cybertrade/httpapi"

// traceRequests opens a server span for every HTTP request.
func traceRequests(tp trace.TracerProvider, next http.Handler) http.Handler {
	tr := tp.Tracer(tracerName)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, span := tr.Start(r.Context(), r.Method+" "+route(r), trace.WithSpanKind(trace.SpanKindServer),
			trace.WithAttributes(
				attribute.String("http.request.method", r.Method),
				attribute.String("url.path", route(r)),
				attribute.String("cybertrade.request_id", RequestID(r.Context())),
			))
		defer span.End()
		sw := &statusWriter{ResponseWriter: w, code: http.StatusOK}
		next.ServeHTTP(sw, r.WithContext(ctx))
		span.SetAttributes(attribute.Int("http.response.status_code", sw.code))
		if sw.code >= 500 {
			span.SetStatus(codes.Error, http.StatusText(sw.code))
		}
	})
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
		if req := limits.RequestFrom(ctx); req != nil && req.Analyzed {
			attrs = append(attrs, attribute.Int("cybertrade.cost", req.Cost))
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
