// Package ctxkey carries one value of a type in a context, under a key of that type that no
// other package can collide with: ctxkey.With(ctx, id) and ctxkey.From[*auth.Identity](ctx)
// in place of a private key type and a WithValue / Value pair in each package. Give it a
// pointer to a type of your own, never a string or a bool, which another package might carry
// too.
package ctxkey

import "context"

// key is the context key of values of type T.
type key[T any] struct{}

// With returns ctx carrying v.
func With[T any](ctx context.Context, v T) context.Context {
	return context.WithValue(ctx, key[T]{}, v)
}

// From returns the T that ctx carries, or T's zero value (nil for a pointer) when none.
func From[T any](ctx context.Context) T {
	v, _ := ctx.Value(key[T]{}).(T)
	return v
}
