package httpapi

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"github.com/rs/cors"

	"github.com/cybertrade/cybertrade/internal/apperr"
	"github.com/cybertrade/cybertrade/internal/readiness"
	"github.com/cybertrade/cybertrade/store"
)

// withTimeout bounds a request's run time: its context is cancelled after d, which cancels
// every database statement it runs (every store call takes the context), and the transport
// answers TIMEOUT.
func withTimeout(d time.Duration, next http.Handler) http.Handler {
	if d <= 0 {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), d)
		defer cancel()
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// graphqlMethods lets GET and POST through to the GraphQL endpoint, answers OPTIONS with the
// methods allowed, and refuses anything else with 405.
func graphqlMethods(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case http.MethodGet, http.MethodPost:
			next.ServeHTTP(w, r)
		case http.MethodOptions:
			w.Header().Set("Allow", "GET, POST, OPTIONS")
			w.WriteHeader(http.StatusNoContent)
		default:
			writeError(w, r, http.StatusMethodNotAllowed, apperr.MethodNotAllowed,
				fmt.Sprintf("%s is not allowed here; use GET (queries) or POST", truncate(r.Method, 20)))
		}
	})
}

// whenReady refuses GraphQL requests at once with 503 SERVICE_UNAVAILABLE while the database
// is not ready, instead of letting each one wait for a connection that will not come.
func whenReady(gate *readiness.Gate, m *Metrics, next http.Handler) http.Handler {
	if gate == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !gate.Ready() {
			m.Refused(apperr.Unavailable)
			w.Header().Set("Retry-After", "2")
			writeError(w, r, http.StatusServiceUnavailable, apperr.Unavailable,
				"the database is unavailable; the server reconnects by itself, retry in a few seconds")
			return
		}
		next.ServeHTTP(w, r)
	})
}

// writeError writes a GraphQL error response outside the GraphQL handler, in the media type
// the client accepts.
func writeError(w http.ResponseWriter, r *http.Request, status int, code, msg string) {
	media, ok := negotiate(r.Header.Get("Accept"))
	if !ok {
		media = mediaJSON
	}
	ext := map[string]any{"code": code}
	if code == apperr.Internal {
		ext["requestId"] = RequestID(r.Context())
	}
	body, _ := json.Marshal(map[string]any{"errors": []map[string]any{{"message": msg, "extensions": ext}}})
	w.Header().Set("Content-Type", media+"; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if status == http.StatusMethodNotAllowed {
		w.Header().Set("Allow", "GET, POST, OPTIONS")
	}
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// readyz answers 200 when the database answers and every migration is applied, else 503. With
// a read replica (DATABASE_READ_URL) it must answer too: anonymous reads all go to it, so a
// process whose replica is down cannot serve most of its traffic and a load balancer should
// send that traffic elsewhere (curators' token requests would still work there). The body
// says which part is missing, never why in detail (that is in the log).
func readyz(st *store.Store, gate *readiness.Gate) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		out := map[string]string{"status": "ready", "database": "ok", "migrations": "applied"}
		code := http.StatusOK
		switch {
		case gate != nil && !gate.Ready():
			out["status"], out["database"], out["migrations"] = "not ready", "unavailable", "unknown"
			code = http.StatusServiceUnavailable
		case st.Ping(ctx) != nil:
			out["status"], out["database"], out["migrations"] = "not ready", "unreachable", "unknown"
			code = http.StatusServiceUnavailable
			if gate != nil {
				gate.Kick()
			}
		default:
			if pending, err := st.MigrationsPending(ctx); err != nil || pending {
				out["status"], out["migrations"] = "not ready", "pending"
				code = http.StatusServiceUnavailable
			}
		}
		if st.HasReplica() {
			out["replica"] = "ok"
			if code == http.StatusOK && st.PingReplica(ctx) != nil {
				out["status"], out["replica"] = "not ready", "unreachable"
				code = http.StatusServiceUnavailable
			}
		}
		body, _ := json.Marshal(out)
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(code)
		_, _ = w.Write(append(body, '\n'))
	})
}

// withCORS lets browsers on the allowed origins read the API ("*", the default: any origin,
// without credentials) and answers preflight requests with 204 (github.com/rs/cors).
func withCORS(origins []string, next http.Handler) http.Handler {
	if len(origins) == 0 {
		origins = []string{"*"}
	}
	return cors.New(cors.Options{
		AllowedOrigins:       origins,
		AllowedMethods:       []string{http.MethodGet, http.MethodPost, http.MethodOptions},
		AllowedHeaders:       []string{"Content-Type", "Accept", "Authorization", "X-Request-Id", "If-None-Match"},
		ExposedHeaders:       []string{"ETag", "Retry-After", "WWW-Authenticate", "X-Request-Id", "X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"},
		MaxAge:               600,
		OptionsSuccessStatus: http.StatusNoContent,
	}).Handler(next)
}

// recoverer turns a panic outside the GraphQL executor into a 500 carrying the request id,
// logged once with the stack (the client never sees it).
func recoverer(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			p := recover()
			if p == nil || p == http.ErrAbortHandler {
				if p != nil {
					panic(p)
				}
				return
			}
			id := RequestID(r.Context())
			log.ErrorContext(r.Context(), "panic", "panic", fmt.Sprint(p), "request_id", id, "path", r.URL.Path)
			writeError(w, r, http.StatusInternalServerError, apperr.Internal,
				"internal error; quote request id "+id+" when reporting it")
		}()
		next.ServeHTTP(w, r)
	})
}

// clientIP is the rate-limit key of a request: its peer address (see clientKey).
func clientIP(r *http.Request) string {
	if a, ok := parseHop(r.RemoteAddr); ok {
		return clientKey(a)
	}
	return r.RemoteAddr
}

// parseHop reads an address as a peer or a proxy writes it: with or without a port, IPv6 with
// or without brackets, IPv4-mapped IPv6 as the IPv4 address it is.
func parseHop(s string) (netip.Addr, bool) {
	s = strings.TrimSpace(s)
	if ap, err := netip.ParseAddrPort(s); err == nil {
		return ap.Addr().Unmap().WithZone(""), true
	}
	if a, err := netip.ParseAddr(strings.TrimSuffix(strings.TrimPrefix(s, "["), "]")); err == nil {
		return a.Unmap().WithZone(""), true
	}
	return netip.Addr{}, false
}

// clientKey is the rate-limit key of an address: an IPv4 address as it is, an IPv6 address
// as its /64 (one site's or one machine's allocation: a client that holds a /64 has one
// budget, not 2^64 of them).
func clientKey(a netip.Addr) string {
	if a.Is4() {
		return a.String()
	}
	p, err := a.Prefix(64)
	if err != nil {
		return a.String()
	}
	return p.String()
}
