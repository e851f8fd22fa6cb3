package httpapi

import (
	"context"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// exactEnums refuses an enum value in the variables that is not spelled exactly as the schema
// has it. gqlparser's variable check compares enum values ignoring case (so `"defy"` passed
// it and failed later, in the resolver, as a field error), while a value that is no value at
// all (`"NOPE"`) is a request error: with this check every unknown enum value, however it is
// spelled, is the same request error, GRAPHQL_VALIDATION_FAILED, as the spec has it (enum
// values are case-sensitive). The cost is charged before validation, as for every other
// validation error (the rate-budget charging of refused requests is decided in internal/limits).
type exactEnums struct{ schema *ast.Schema }

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = &exactEnums{}

// ExtensionName implements graphql.HandlerExtension.
func (*exactEnums) ExtensionName() string { return "ExactEnums" }

// Validate implements graphql.HandlerExtension.
func (x *exactEnums) Validate(es graphql.ExecutableSchema) error {
	x.schema = es.Schema()
	return nil
}

// MutateOperationContext implements graphql.OperationContextMutator.
func (x *exactEnums) MutateOperationContext(_ context.Context, rc *graphql.OperationContext) *gqlerror.Error {
	if rc.Operation == nil {
		return nil
	}
	for _, def := range rc.Operation.VariableDefinitions {
		v, ok := rc.Variables[def.Variable]
		if !ok {
			continue
		}
		if err := x.check(def.Type, v, "$"+def.Variable); err != nil {
			errcode.Set(err, errcode.ValidationFailed)
			return err
		}
	}
	return nil
}

// check walks a coerced variable value along its type.
func (x *exactEnums) check(t *ast.Type, v any, path string) *gqlerror.Error {
	if v == nil {
		return nil
	}
	if t.Elem != nil {
		var list []any
		switch l := v.(type) {
		case []any:
			list = l
		case []string: // a single value given for a list, wrapped by the coercion
			for _, e := range l {
				list = append(list, e)
			}
		default:
			list = []any{v}
		}
		for _, e := range list {
			if err := x.check(t.Elem, e, path+"[]"); err != nil {
				return err
			}
		}
		return nil
	}
	def := x.schema.Types[t.NamedType]
	if def == nil {
		return nil
	}
	switch def.Kind {
	case ast.Enum:
		s, ok := v.(string)
		if !ok || def.EnumValues.ForName(s) != nil {
			return nil
		}
		names := make([]string, len(def.EnumValues))
		for i, ev := range def.EnumValues {
			names[i] = ev.Name
		}
		return gqlerror.Errorf("variable %s: %q is not a %s value (enum values are case-sensitive): %s", path, s, def.Name, strings.Join(names, ", "))
	case ast.InputObject:
		obj, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		for _, f := range def.Fields {
			if err := x.check(f.Type, obj[f.Name], path+"."+f.Name); err != nil {
				return err
			}
		}
	}
	return nil
}
