package store

import (
	"strings"
	"unicode/utf8"
)

// MaxFilterText is the longest text filter (companies(filter: {text})), as for search(text:).
const MaxFilterText = 200

// likeEscaper escapes the LIKE wildcards of a text matched with ESCAPE '\'.
var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// singular names one record of a table in messages ("countries" → "country").
func singular(table string) string {
	if s, ok := strings.CutSuffix(table, "ies"); ok {
		return s + "y"
	}
	return strings.TrimSuffix(table, "s")
}

// truncateText shortens s to at most n characters for an error message, marking the cut.
func truncateText(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n]) + "…"
}

// truncateAll applies truncateText to each of ss.
func truncateAll(ss []string, n int) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = truncateText(s, n)
	}
	return out
}
