package model

import (
	"time"

	"github.com/99designs/gqlgen/graphql"

	"github.com/cybertrade/cybertrade/internal/apperr"
)

// MarshalTime writes the Time scalar as RFC 3339 (gqlgen's own encoding).
func MarshalTime(t time.Time) graphql.Marshaler { return graphql.MarshalTime(t) }

// UnmarshalTime reads the Time scalar; a value that is not an RFC 3339 time is the client's
// mistake (INVALID_ARGUMENT), not an internal error.
func UnmarshalTime(v any) (time.Time, error) {
	t, err := graphql.UnmarshalTime(v)
	if err != nil {
		return t, apperr.Errorf(apperr.Invalid, "%v is not an RFC 3339 time such as 2026-11-25T10:00:00Z", v)
	}
	return t, nil
}
