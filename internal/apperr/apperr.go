// Package apperr is the API's one error type: a stable machine-readable code and a message a
// researcher understands. The GraphQL error presenter maps it into `extensions.code`; any other
// error is internal and is logged, never shown.
package apperr

import (
	"errors"
	"fmt"
)

// Codes, stable across releases: clients may switch on them.
const (
	Invalid            = "INVALID_ARGUMENT"
	NotFound           = "NOT_FOUND"
	Conflict           = "CONFLICT"
	Unauthenticated    = "UNAUTHENTICATED"
	Forbidden          = "FORBIDDEN"
	Internal           = "INTERNAL"
	Unavailable        = "SERVICE_UNAVAILABLE"
	Timeout            = "TIMEOUT"
	GraphQLParseFailed = "GRAPHQL_PARSE_FAILED"
	GraphQLValidation  = "GRAPHQL_VALIDATION_FAILED"

	// Refusals of the HTTP layer and the request limits (see internal/limits).
	BadRequest           = "BAD_REQUEST"
	PayloadTooLarge      = "PAYLOAD_TOO_LARGE"
	MethodNotAllowed     = "METHOD_NOT_ALLOWED"
	UnsupportedMediaType = "UNSUPPORTED_MEDIA_TYPE"
	NotAcceptable        = "NOT_ACCEPTABLE"
	QueryTooLarge        = "QUERY_TOO_LARGE"
	QueryTooDeep         = "QUERY_TOO_DEEP"
	TooManyAliases       = "TOO_MANY_ALIASES"
	TooManyDirectives    = "TOO_MANY_DIRECTIVES"
	TooManyRootFields    = "TOO_MANY_ROOT_FIELDS"
	TooManyRepeats       = "TOO_MANY_REPEATED_FIELDS"
	QueryTooCostly       = "QUERY_TOO_COSTLY"
	RateLimited          = "RATE_LIMITED"
	PersistedNotFound    = "PERSISTED_QUERY_NOT_FOUND"
)

// Error is an error with a code and a message safe to show to a client.
type Error struct {
	Code    string
	Message string
	// Field, when set, names the input field at fault (e.g. "filter.from").
	Field string
}

func (e *Error) Error() string { return e.Message }

// Errorf builds an *Error with a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// InvalidField builds an INVALID_ARGUMENT error naming the field at fault.
func InvalidField(field, format string, args ...any) *Error {
	return &Error{Code: Invalid, Field: field, Message: field + ": " + fmt.Sprintf(format, args...)}
}

// Code returns the code of err: its *Error's code, or INTERNAL.
func Code(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return Internal
}
