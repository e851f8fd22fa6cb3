// Package httpapi builds the HTTP handler: GraphiQL at / and the data explorer at /explore
// (both embedded, package web), the GraphQL endpoint at /graphql,
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
	"io/fs"
	"log/slog"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/vektah/gqlparser/v2/formatter"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"go.opentelemetry.io/otel/trace"

	"github.com/cybertrade/cybertrade/export"
	"github.com/cybertrade/cybertrade/graph"
	"github.com/cybertrade/cybertrade/graph/render"
	"github.com/cybertrade/cybertrade/internal/apperr"
	"github.com/cybertrade/cybertrade/internal/limits"
	"github.com/cybertrade/cybertrade/internal/readiness"
	"github.com/cybertrade/cybertrade/internal/respcache"
	"github.com/cybertrade/cybertrade/store"
	"github.com/cybertrade/cybertrade/store/core"
	"github.com/cybertrade/cybertrade/web"
)

// Options configures the handler.
type Options struct {
	Logger  *slog.Logger
	Metrics *Metrics
	// Limits are the request limits; nil means limits.Defaults().
	Limits *limits.Config
	// Rates keeps the clients' rate-limit budgets; nil means an in-memory store.
	Rates limits.RateStore
	// APQ caches automatic persisted queries by hash; nil means an in-memory LRU of 1,000.
	APQ graphql.Cache[string]
	// Ready gates GraphQL requests on the database; nil means always ready (for tests that
	// prepare the database themselves).
	Ready *readiness.Gate
	// CORSOrigins are the origins allowed to read the API from a browser; nil means any ("*").
	CORSOrigins []string
	// Tracer, when set, traces every request and operation (OpenTelemetry).
	Tracer trace.TracerProvider
	// TrustedProxies are the load balancers whose X-Forwarded-For names the client (for rate
	// limits); nil: the peer address is the client.
	TrustedProxies []netip.Prefix
	// Cache keeps whole answers to anonymous queries by data version (see respcache.go); nil
	// means no response cache. It serves only while the store's data-version watcher runs.
	Cache respcache.Store
	// ExportDir is the folder the bulk exports of the current data version are kept in; empty
	// means a new temporary folder.
	ExportDir string
	// Releases holds the published releases (data.Releases), served at /export/releases/ and
	// listed by `dataset { releases }`; nil means none.
	Releases fs.FS
	// FieldByField leaves every field to gqlgen's executor, without the renderer
	// (graph/render): for tests that compare the two answers.
	FieldByField bool
}

// ExportCostPerMiB is what a download from /export/ costs the client's rate budget per
// started MiB sent (compressed size when gzipped; a range's length), capped at the whole
// budget so that any file can be had once a minute. The same budget pays for GraphQL queries.
const ExportCostPerMiB = 250

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
	cfg := limits.Defaults()
	if opts.Limits != nil {
		cfg = *opts.Limits
	}
	rates := opts.Rates
	if rates == nil {
		rates = limits.NewMemoryRates()
	}
	if opts.APQ == nil {
		opts.APQ = lru.New[string](1000)
	}
	if sqlDB, err := st.SQLDB(); err == nil {
		m.WatchPool(sqlDB)
	}
	schema := graph.NewExecutableSchema(graph.Config{Resolvers: &graph.Resolver{Store: st, Logger: log, Releases: opts.Releases}})
	var sdl bytes.Buffer
	formatter.NewFormatter(&sdl, formatter.WithComments()).FormatSchema(schema.Schema())
	gql := handler.New(schema)
	// Last: it refuses over-limit documents before validation, and charges the client only
	// once every other check has passed, so a refused request costs nothing. Its documents
	// are gqlgen's query cache: one parse per query for the limits, the cost and the executor.
	lim := limits.NewExtension(cfg, rates, st.DataRows)
	gql.AddTransport(transport{cfg: cfg, onRefusal: m.Refused, cache: newCacher(opts.Cache, st, sdl.Bytes(), m), release: st.Release, docs: lim.Documents()})
	gql.SetQueryCache(lim.Documents())
	gql.SetParserTokenLimit(cfg.ParserTokenLimit())
	gql.Use(extension.Introspection{})
	gql.Use(extension.AutomaticPersistedQuery{Cache: opts.APQ})
	gql.Use(&exactEnums{})                                            // an enum value in the variables must be spelled as the schema has it
	gql.Use(operationCheck{"OnlyQueriesOverGET", onlyQueriesOverGET}) // whatever carried the text: a persisted-query hash too
	gql.Use(operationCheck{"Authorization", authorize})               // mutations: a token, with the role each field @requires
	gql.Use(lim)                                                      // last: see above
	gql.SetErrorPresenter(errorPresenter(log, opts.Ready))
	gql.SetRecoverFunc(func(ctx context.Context, p any) error {
		log.ErrorContext(ctx, "panic in resolver", "panic", fmt.Sprint(p), "request_id", RequestID(ctx))
		return errAlreadyLogged
	})
	gql.AroundResponses(m.observeOperation)
	if !opts.FieldByField {
		gql.AroundFields(render.New(schema.Schema()).Field) // pages of moves written straight to JSON
	}
	if opts.Tracer != nil {
		gql.AroundOperations(traceOperation(opts.Tracer))
	}

	mux := http.NewServeMux()
	pages := web.Handler() // GraphiQL at /, the data explorer at /explore, offline
	mux.Handle("GET /{$}", pages)
	mux.Handle("GET /explore", pages)
	mux.Handle("GET /explore/", pages)
	mux.Handle("GET /assets/", pages)
	api := withTimeout(cfg.Timeout, graph.WithLoaders(st, gql))
	mux.Handle("/graphql", graphqlMethods(whenReady(opts.Ready, m, authenticate(st, log, api))))
	mux.HandleFunc("GET /schema.graphql", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write(sdl.Bytes())
	})
	exports := export.Handler(export.NewCache(st, opts.ExportDir, log), export.HandlerOptions{Log: log, Releases: opts.Releases,
		Ready: func() bool { return opts.Ready == nil || opts.Ready.Ready() }, Charge: chargeDownload(cfg, rates)})
	mux.Handle("GET /export/", authenticate(st, log, exports)) // bulk CSV, JSON and GraphML, and the releases
	mux.Handle("GET /metrics", m.Handler())
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("ok\n"))
	})
	mux.Handle("GET /readyz", readyz(st, opts.Ready))
	var h http.Handler = withCORS(opts.CORSOrigins, mux)
	h = recoverer(log, h)
	h = forwardedFor(opts.TrustedProxies, h)
	h = m.instrument(log, h)
	if opts.Tracer != nil {
		h = traceRequests(opts.Tracer, h)
	}
	return withRequestID(h)
}

// errorPresenter maps errors to GraphQL errors with a stable extensions.code. Errors with an
// apperr code are shown as they are; anything else is logged once with the request id and
// shown as a generic internal error carrying that id.
func errorPresenter(log *slog.Logger, gate *readiness.Gate) graphql.ErrorPresenterFunc {
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
		if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
			gqlErr.Message = "the request took too long and was cancelled"
			setCode(gqlErr, apperr.Timeout)
			return gqlErr
		}
		if code, ok := gqlErr.Extensions["code"].(string); ok && code != "" {
			return gqlErr // parse and validation errors from gqlgen carry their own code
		}
		if msg, ok := inputError(err); ok {
			// A value gqlgen could not unmarshal into an input (an unknown enum value inside an
			// input object): the client's mistake, named with its path.
			gqlErr.Message = msg
			setCode(gqlErr, apperr.Invalid)
			return gqlErr
		}
		if core.IsUnavailable(err) {
			if gate != nil {
				gate.Kick()
			}
			log.WarnContext(ctx, "database unavailable", "err", err.Error(), "request_id", RequestID(ctx))
			gqlErr.Message = "the database is unavailable; retry in a few seconds"
			setCode(gqlErr, apperr.Unavailable)
			return gqlErr
		}
		if ge, ok := err.(*gqlerror.Error); ok && ge.Err == nil && len(ge.Path) == 0 {
			// A request error raised by gqlgen itself (e.g. malformed persisted-query data):
			// the message is meant for the client.
			setCode(gqlErr, apperr.BadRequest)
			return gqlErr
		}
		id := RequestID(ctx)
		if !errors.Is(err, errAlreadyLogged) {
			log.ErrorContext(ctx, "internal error", "err", err.Error(), "request_id", id, "path", gqlErr.Path.String())
		}
		gqlErr.Message = "internal error; quote request id " + id + " when reporting it"
		setCode(gqlErr, apperr.Internal)
		gqlErr.Extensions["requestId"] = id
		return gqlErr
	}
}

// errAlreadyLogged is what a recovered panic becomes: the recover function logged it (with
// the panic value), so the presenter does not log it again.
var errAlreadyLogged = errors.New("internal panic")

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

// inputMistakes are the messages of gqlgen's generated unmarshalers for values of the wrong
// kind (the validator does not catch all of them inside input objects).
var inputMistakes = []string{" is not a valid ", " is not an int", " is not a string", " is not a bool", " is not a float", " is not an Int", " is not a String", " is not a Boolean", " is not a Float"}

// inputError recognises an input-unmarshalling error and returns a message naming the path.
func inputError(err error) (string, bool) {
	var ge *gqlerror.Error
	if !errors.As(err, &ge) || ge.Err == nil || len(ge.Path) == 0 {
		return "", false
	}
	var ae *apperr.Error
	if errors.As(ge.Err, &ae) {
		return "", false
	}
	inner := ge.Err.Error()
	for _, m := range inputMistakes {
		if strings.Contains(inner, m) {
			return "invalid value at " + ge.Path.String() + ": " + truncate(inner, 200), true
		}
	}
	return "", false
}

// chargeDownload charges an export download to the client's rate budget (ExportCostPerMiB);
// it returns the seconds to wait when the budget cannot pay for it, else 0. Like GraphQL
// queries, a failing shared rate store lets the download through. The answer reports the
// budget in X-RateLimit-*, as GraphQL answers do.
func chargeDownload(cfg limits.Config, rates limits.RateStore) func(http.ResponseWriter, *http.Request, int64) int {
	return func(w http.ResponseWriter, r *http.Request, n int64) int {
		cost := int(min((n+(1<<20)-1)>>20*ExportCostPerMiB, int64(cfg.RatePerMinute)))
		cost = max(cost, 1)
		now := time.Now()
		u := limits.ChargeDownload(r.Context(), cfg, rates, cost, now)
		if u == nil {
			return 0
		}
		h := w.Header()
		h.Set("X-RateLimit-Limit", strconv.Itoa(u.Limit))
		h.Set("X-RateLimit-Remaining", strconv.Itoa(u.Remaining))
		h.Set("X-RateLimit-Reset", strconv.FormatInt(u.Reset.Unix(), 10))
		if !u.Allowed {
			return limits.RetryAfter(*u, now)
		}
		return 0
	}
}
