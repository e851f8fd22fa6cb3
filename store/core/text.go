package core

import (
	"strings"
	"unicode/utf8"
)

// Singular names one record of a table in messages ("countries" → "country").
func Singular(table string) string {
	if s, ok := strings.CutSuffix(table, "ies"); ok {
		return s + "y"
	}
	return strings.TrimSuffix(table, "s")
}

// TruncateText shortens s to at most n characters for an error message, marking the cut.
func TruncateText(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n]) + "…"
}

// TruncateAll applies TruncateText to each of ss.
func TruncateAll(ss []string, n int) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = TruncateText(s, n)
	}
	return out
}
