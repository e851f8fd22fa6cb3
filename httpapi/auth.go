package httpapi

import (
	"context"
	"log/slog"
	"net/http"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/cybertrade/cybertrade/internal/apperr"
	"github.com/cybertrade/cybertrade/internal/auth"
	"github.com/cybertrade/cybertrade/internal/limits"
	"github.com/cybertrade/cybertrade/store/core"
)

// Authentication and authorization of GraphQL requests:
//   - authenticate (HTTP middleware) reads `Authorization: Bearer <token>` on every request and
//     looks the token up (one indexed statement, so a revocation counts at once). A malformed,
//     unknown or revoked token is refused with 401 UNAUTHENTICATED whatever the request, a valid
//     one puts its identity in the context and becomes the rate-limit key;
//   - authorize (a gqlgen operationCheck) refuses a mutation, after validation and before it runs,
//     with UNAUTHENTICATED (401) when no token came, and with FORBIDDEN when the token's role is
//     below what a root field's @requires(role:) asks (403 in application/graphql-response+json).

// tokenChecker looks bearer tokens up; *store.Store is one.
type tokenChecker interface {
	Authenticate(ctx context.Context, token string) (*auth.Identity, error)
}

func authenticate(tokens tokenChecker, log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if len(r.Header.Values("Authorization")) > 1 {
			// Which one would count is a guess a client should not have to make.
			refuseUnauthenticated(w, r, "invalid_request", "send one Authorization header, not several")
			return
		}
		header := r.Header.Get("Authorization")
		if header == "" {
			next.ServeHTTP(w, r)
			return
		}
		token, err := auth.ParseBearer(header)
		if err != nil {
			refuseUnauthenticated(w, r, "invalid_request", err.Error())
			return
		}
		id, err := tokens.Authenticate(r.Context(), token)
		switch {
		case apperr.Code(err) == apperr.Unauthenticated:
			refuseUnauthenticated(w, r, "invalid_token", err.Error())
			return
		case core.IsUnavailable(err):
			w.Header().Set("Retry-After", "2")
			writeError(w, r, http.StatusServiceUnavailable, apperr.Unavailable, "the database is unavailable; retry in a few seconds")
			return
		case apperr.Code(err) == apperr.Timeout:
			writeError(w, r, http.StatusGatewayTimeout, apperr.Timeout, "the request took too long and was cancelled")
			return
		case err != nil:
			log.ErrorContext(r.Context(), "token lookup failed", "err", err.Error(), "request_id", RequestID(r.Context()))
			writeError(w, r, http.StatusInternalServerError, apperr.Internal, "internal error; quote request id "+RequestID(r.Context())+" when reporting it")
			return
		}
		if req := limits.RequestFrom(r.Context()); req != nil {
			req.SetClient("token:" + id.Name) // budgets follow the token, not the address
		}
		// A curator reads from the primary: what they read after their own writes must not lag
		// behind on a read replica.
		next.ServeHTTP(w, r.WithContext(core.PreferPrimary(auth.With(r.Context(), id))))
	})
}

// challenge is the WWW-Authenticate header of a 401 (RFC 6750): errCode is "" when the
// request carried no credentials at all.
func challenge(errCode, desc string) string {
	c := `Bearer realm="cybertrade"`
	if errCode != "" {
		c += `, error="` + errCode + `", error_description="` + strings.ReplaceAll(desc, `"`, `'`) + `"`
	}
	return c
}

func refuseUnauthenticated(w http.ResponseWriter, r *http.Request, errCode, msg string) {
	w.Header().Set("WWW-Authenticate", challenge(errCode, msg))
	writeError(w, r, http.StatusUnauthorized, apperr.Unauthenticated, msg)
}

// authorize checks a mutation's token and roles before it runs (the operationCheck named
// Authorization).
func authorize(ctx context.Context, rc *graphql.OperationContext) *gqlerror.Error {
	if rc.Operation == nil || rc.Operation.Operation != ast.Mutation {
		return nil
	}
	id := auth.From(ctx)
	if id == nil {
		return limits.Refusal(apperr.Unauthenticated, nil,
			"a mutation needs an API token: send Authorization: Bearer <token> (tokens are made with `cybertrade token create`)")
	}
	for _, f := range graphql.CollectFields(rc, rc.Operation.SelectionSet, []string{"Mutation"}) {
		if f.Name == "__typename" {
			continue
		}
		need := requiredRole(f.Definition)
		if !id.Role.Allows(need) {
			return limits.Refusal(apperr.Forbidden, map[string]any{"field": f.Name, "role": strings.ToUpper(string(need))},
				"%s needs a token with the %s role; the token %q is %s", f.Name, strings.ToUpper(string(need)), id.Name, id.Role)
		}
	}
	return nil
}

// requiredRole reads a mutation field's @requires(role:); a field without it needs an
// editor, so that a mutation added without thought is never open to all.
func requiredRole(def *ast.FieldDefinition) auth.Role {
	if def == nil {
		return auth.Editor
	}
	if d := def.Directives.ForName("requires"); d != nil {
		if a := d.Arguments.ForName("role"); a != nil && a.Value != nil {
			if r, ok := auth.ParseRole(a.Value.Raw); ok {
				return r
			}
		}
	}
	return auth.Editor
}
