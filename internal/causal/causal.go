// Package causal orders moves by date without ever listing a reply before a move it answers.
//
// Dates come at three precisions, and a reply known only to the year ("2023") may answer an
// action known to the day ("2023-06-01"): sorted by its first day, the reply would come first.
// Key gives each move a sort key that is its own first day, raised to the key date of every
// move it answers, followed by a depth that separates a reply from what it answers when both
// fall on that day. Along every link the key strictly grows, so every list ordered by key (then
// by a stable id) lists each answered move before its replies, whatever the precisions; moves
// without links keep plain date order.
package causal

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
)

// Key is the sort key of a move whose period starts on start (YYYY-MM-DD) at the given depth.
func Key(start string, depth int) string { return fmt.Sprintf("%s.%04d", start, depth) }

// split reads a key back into its date and depth.
func split(key string) (string, int) {
	date, depth, _ := strings.Cut(key, ".")
	n, _ := strconv.Atoi(depth)
	return date, n
}

type entry struct {
	date  string
	depth int
}

// Keys computes the sort key of every move of start, which holds each move's first day
// (YYYY-MM-DD); answers holds, for a reply, the moves it answers. A move answered that is not in
// start counts with its key in fixed (the keys of moves not being recomputed), or not at all.
// Moves of one day may answer each other in a cycle; inside a cycle a move comes after only the
// moves of lower key it answers, so the cycle keeps the order of its keys, as ties do. The
// result depends only on the input.
func Keys[K cmp.Ordered](start map[K]string, answers map[K][]K, fixed map[K]string) map[K]string {
	done := make(map[K]entry, len(start)+len(fixed))
	for k, key := range fixed {
		if _, own := start[k]; !own {
			date, depth := split(key)
			done[k] = entry{date, depth}
		}
	}
	comp := components(start, answers)
	var visit func(k K) entry
	visit = func(k K) entry {
		if e, ok := done[k]; ok {
			return e
		}
		e := entry{date: start[k]}
		for _, t := range answers[k] {
			_, own := start[t]
			_, known := done[t]
			if (!own && !known) || (own && comp[t] == comp[k] && t >= k) {
				continue // unknown, or in k's cycle and not before it
			}
			te := visit(t)
			switch {
			case te.date > e.date:
				e = entry{date: te.date, depth: te.depth + 1}
			case te.date == e.date && te.depth >= e.depth:
				e.depth = te.depth + 1
			}
		}
		done[k] = e
		return e
	}
	keys := make(map[K]string, len(start))
	for k := range start {
		e := visit(k)
		keys[k] = Key(e.date, e.depth)
	}
	return keys
}

// components numbers the strongly connected components of the answers graph over start
// (Tarjan's algorithm): moves that answer each other, directly or not, share a number.
func components[K cmp.Ordered](start map[K]string, answers map[K][]K) map[K]int {
	index, low, comp := map[K]int{}, map[K]int{}, map[K]int{}
	onStack := map[K]bool{}
	var stack []K
	next, n := 0, 0
	var connect func(k K)
	connect = func(k K) {
		index[k], low[k] = next, next
		next++
		stack = append(stack, k)
		onStack[k] = true
		for _, t := range answers[k] {
			if _, own := start[t]; !own {
				continue
			}
			if _, seen := index[t]; !seen {
				connect(t)
				low[k] = min(low[k], low[t])
			} else if onStack[t] {
				low[k] = min(low[k], index[t])
			}
		}
		if low[k] == index[k] {
			for {
				top := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				onStack[top] = false
				comp[top] = n
				if top == k {
					break
				}
			}
			n++
		}
	}
	order := slices.Sorted(maps.Keys(start))
	for _, k := range order {
		if _, seen := index[k]; !seen {
			connect(k)
		}
	}
	return comp
}
