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
func UnmarshalText(v any) (string, error) { return checked(graphql.UnmarshalString, v, "a text") }

// MarshalID writes the ID scalar (gqlgen's own encoding).
func MarshalID(s string) graphql.Marshaler { return graphql.MarshalID(s) }

// UnmarshalID reads the ID scalar with the checks of UnmarshalText.
func UnmarshalID(v any) (string, error) { return checked(graphql.UnmarshalID, v, "an id") }

// checked reads v with gqlgen's unmarshal and refuses, as what ("a text", "an id"), a string
// that textcheck finds a problem in.
func checked(unmarshal func(any) (string, error), v any, what string) (string, error) {
	s, err := unmarshal(v)
	if err != nil {
		return s, err
	}
	if p := textcheck.Problem(s); p != "" {
		return "", apperr.Errorf(apperr.Invalid, "%s %s", what, p)
	}
	return s, nil
}
