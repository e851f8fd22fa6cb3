package graph

import (
	"cmp"
	"slices"
)

// sortBy orders records by a text key, in place.
func sortBy[T any](xs []*T, key func(*T) string) {
	slices.SortStableFunc(xs, func(a, b *T) int { return cmp.Compare(key(a), key(b)) })
}
