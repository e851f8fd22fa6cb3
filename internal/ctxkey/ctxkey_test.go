package ctxkey_test

import (
	"context"
	"testing"

	"github.com/cybertrade/cybertrade/internal/ctxkey"
)

type a struct{ n int }
type b struct{ n int }

// TestValuesOfEachTypeStayApart: a value is found by its type only, a type not carried gives
// nil, and carrying a second value of one type hides the first.
func TestValuesOfEachTypeStayApart(t *testing.T) {
	ctx := context.Background()
	if got := ctxkey.From[*a](ctx); got != nil {
		t.Fatalf("empty context: %v", got)
	}
	ctx = ctxkey.With(ctx, &a{1})
	if got := ctxkey.From[*b](ctx); got != nil {
		t.Fatalf("a *b from a context carrying only an *a: %v", got)
	}
	ctx = ctxkey.With(ctx, &b{2})
	if x, y := ctxkey.From[*a](ctx), ctxkey.From[*b](ctx); x == nil || x.n != 1 || y == nil || y.n != 2 {
		t.Fatalf("got %v and %v, want 1 and 2", x, y)
	}
	if got := ctxkey.From[*a](ctxkey.With(ctx, &a{3})); got.n != 3 {
		t.Fatalf("the later *a should hide the earlier: %d", got.n)
	}
}
