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

// MarshalDate writes the Date scalar: a day as the store keeps it, `YYYY-MM-DD`.
func MarshalDate(d string) graphql.Marshaler { return graphql.MarshalString(d) }

// UnmarshalDate reads the Date scalar; anything but a real `YYYY-MM-DD` day is the client's
// mistake (INVALID_ARGUMENT).
func UnmarshalDate(v any) (string, error) {
	s, ok := v.(string)
	if ok {
		if _, err := time.Parse(time.DateOnly, s); err == nil {
			return s, nil
		}
	}
	return "", apperr.Errorf(apperr.Invalid, "%v is not a day as YYYY-MM-DD, such as 2016-11-17", v)
}
