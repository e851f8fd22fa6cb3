// Package tracing sets up OpenTelemetry tracing when OTEL_EXPORTER_OTLP_ENDPOINT is set:
// spans are batched to an OTLP/HTTP collector. Without it there is no tracer at all, so
// tracing costs nothing unless asked for.
package tracing

import (
	"context"

	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"
)

// Setup returns a tracer provider exporting over OTLP/HTTP when enabled (the configuration
// has OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT), with a shutdown
// function that flushes it; nil and a no-op otherwise. The exporter reads the standard OTEL_*
// variables itself.
func Setup(ctx context.Context, enabled bool) (trace.TracerProvider, func(context.Context) error, error) {
	if !enabled {
		return nil, func(context.Context) error { return nil }, nil
	}
	exp, err := otlptracehttp.New(ctx)
	if err != nil {
		return nil, nil, err
	}
	tp := NewProvider(sdktrace.WithBatcher(exp))
	return tp, tp.Shutdown, nil
}

// NewProvider returns an SDK tracer provider for the cybertrade service with the given
// options (an exporter: WithBatcher or WithSyncer).
func NewProvider(opts ...sdktrace.TracerProviderOption) *sdktrace.TracerProvider {
	res := resource.NewWithAttributes(semconv.SchemaURL, semconv.ServiceName("cybertrade"))
	return sdktrace.NewTracerProvider(append([]sdktrace.TracerProviderOption{sdktrace.WithResource(res)}, opts...)...)
}
