package httpapi

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// operationCheck is a gqlgen extension that runs check on each operation once gqlgen knows
// which operation runs, and before it runs: an error refuses the request. The checks over GET
// (onlyQueriesOverGET) and of a mutation's token (authorize) are two.
type operationCheck struct {
	name  string
	check func(ctx context.Context, rc *graphql.OperationContext) *gqlerror.Error
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = operationCheck{}

// ExtensionName implements graphql.HandlerExtension.
func (c operationCheck) ExtensionName() string { return c.name }

// Validate implements graphql.HandlerExtension.
func (operationCheck) Validate(graphql.ExecutableSchema) error { return nil }

// MutateOperationContext implements graphql.OperationContextMutator.
func (c operationCheck) MutateOperationContext(ctx context.Context, rc *graphql.OperationContext) *gqlerror.Error {
	return c.check(ctx, rc)
}
