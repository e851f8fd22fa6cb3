// Package httpapi builds the HTTP handler: GraphiQL at /, the GraphQL endpoint at /graphql,
// the schema as SDL at /schema.graphql, bulk exports at /export/, Prometheus metrics at
// /metrics and health checks.
package httpapi

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/99designs/gqlgen/graphql/playground"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/formatter"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/cybertrade/cybertrade/export"
	"github.com/cybertrade/cybertrade/graph"
	"github.com/cybertrade/cybertrade/internal/apperr"
	"github.com/cybertrade/cybertrade/store"
)

// Options configures the handler.
type Options struct {
	Logger  *slog.Logger
	Metrics *Metrics
}

// New returns the API's HTTP handler over the store.
func New(st *store.Store, opts Options) http.Handler {
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	m := opts.Metrics
	if m == nil {
		m = NewMetrics()
	}
	schema := graph.NewExecutableSchema(graph.Config{Resolvers: &graph.Resolver{Store: st, Logger: log}})
	gql := handler.New(schema)
	gql.AddTransport(transport.Options{})
	gql.AddTransport(transport.GET{})
	gql.AddTransport(transport.POST{})
	gql.SetQueryCache(lru.New[*ast.QueryDocument](1000))
	gql.Use(extension.Introspection{})
	gql.Use(extension.AutomaticPersistedQuery{Cache: lru.New[string](1000)})
	gql.SetErrorPresenter(errorPresenter(log))
	gql.SetRecoverFunc(func(ctx context.Context, p any) error {
		log.ErrorContext(ctx, "panic in resolver", "panic", fmt.Sprint(p), "request_id", RequestID(ctx))
		return errors.New("internal panic")
	})
	gql.AroundResponses(m.observeOperation)
	gql.AroundFields(graph.TrackFields)

	var sdl bytes.Buffer
	formatter.NewFormatter(&sdl, formatter.WithComments()).FormatSchema(schema.Schema())

	mux := http.NewServeMux()
	mux.Handle("GET /{$}", playground.Handler("cybertrade GraphiQL", "/graphql"))
	mux.Handle("/graphql", graph.WithLoaders(st, gql))
	mux.HandleFunc("GET /schema.graphql", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write(sdl.Bytes())
	})
	mux.Handle("GET /export/", export.Handler(st, log)) // bulk CSV, JSON and GraphML
	mux.Handle("GET /metrics", m.Handler())
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("ok\n"))
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		if err := st.Ping(ctx); err != nil {
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = w.Write([]byte("database unreachable\n"))
			return
		}
		_, _ = w.Write([]byte("ready\n"))
	})
	return withRequestID(m.instrument(mux))
}

// errorPresenter maps errors to GraphQL errors with a stable extensions.code. Errors with an
// apperr code are shown as they are; anything else is logged once with the request id and
// shown as a generic internal error carrying that id.
func errorPresenter(log *slog.Logger) graphql.ErrorPresenterFunc {
	return func(ctx context.Context, err error) *gqlerror.Error {
		gqlErr := graphql.DefaultErrorPresenter(ctx, err)
		var ae *apperr.Error
		if errors.As(err, &ae) {
			gqlErr.Message = ae.Message
			setCode(gqlErr, ae.Code)
			if ae.Field != "" {
				gqlErr.Extensions["field"] = ae.Field
			}
			return gqlErr
		}
		if errors.Is(err, context.DeadlineExceeded) {
			gqlErr.Message = "the request took too long and was cancelled"
			setCode(gqlErr, apperr.Timeout)
			return gqlErr
		}
		if code, ok := gqlErr.Extensions["code"].(string); ok && code != "" {
			return gqlErr // parse and validation errors from gqlgen carry their own code
		}
		id := RequestID(ctx)
		log.ErrorContext(ctx, "internal error", "err", err.Error(), "request_id", id, "path", gqlErr.Path.String())
		gqlErr.Message = "internal error; quote request id " + id + " when reporting it"
		setCode(gqlErr, apperr.Internal)
		gqlErr.Extensions["requestId"] = id
		return gqlErr
	}
}

func setCode(e *gqlerror.Error, code string) {
	if e.Extensions == nil {
		e.Extensions = map[string]any{}
	}
	e.Extensions["code"] = code
}

type requestIDKey struct{}

// RequestID returns the request's id ("" outside a request).
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}

// withRequestID gives every request an id, taken from X-Request-Id when the client sent a
// sane one, and echoes it in the response.
func withRequestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get("X-Request-Id")
		if len(id) == 0 || len(id) > 64 {
			var b [8]byte
			_, _ = rand.Read(b[:])
			id = hex.EncodeToString(b[:])
		}
		w.Header().Set("X-Request-Id", id)
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), requestIDKey{}, id)))
	})
}
