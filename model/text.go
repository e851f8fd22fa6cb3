package model

import (
	"github.com/99designs/gqlgen/graphql"

	"github.com/cybertrade/cybertrade/internal/apperr"
	"github.com/cybertrade/cybertrade/internal/textcheck"
)

// MarshalText writes the String scalar (gqlgen's own encoding).
func MarshalText(s string) graphql.Marshaler { return graphql.MarshalString(s) }

// UnmarshalText reads the String scalar, refusing with INVALID_ARGUMENT a text that the
// databases or the data files cannot hold (NUL and other control characters, non-characters
// such as U+FFFE): every text input of the API, arguments, filters and mutation inputs alike,
// is checked here, the same on both engines.
func UnmarshalText(v any) (string, error) {
	s, err := graphql.UnmarshalString(v)
	if err != nil {
		return s, err
	}
	if p := textcheck.Problem(s); p != "" {
		return "", apperr.Errorf(apperr.Invalid, "a text %s", p)
	}
	return s, nil
}

// MarshalID writes the ID scalar (gqlgen's own encoding).
func MarshalID(s string) graphql.Marshaler { return graphql.MarshalID(s) }

// UnmarshalID reads the ID scalar with the checks of UnmarshalText.
func UnmarshalID(v any) (string, error) {
	s, err := graphql.UnmarshalID(v)
	if err != nil {
		return s, err
	}
	if p := textcheck.Problem(s); p != "" {
		return "", apperr.Errorf(apperr.Invalid, "an id %s", p)
	}
	return s, nil
}
