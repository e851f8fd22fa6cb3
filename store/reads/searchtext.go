package reads

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/cybertrade/cybertrade/internal/apperr"
)

// MaxSearchText bounds the length of a search text, in characters.
const MaxSearchText = 200

// searchText is a parsed search: alternatives (OR) of terms that must all match (AND), some
// negated. A term is one word or a quoted phrase, lower-cased.
type searchText struct {
	groups [][]searchTerm
}

type searchTerm struct {
	words  []string
	phrase bool
	not    bool
}

// stopwords is PostgreSQL's English stop-word list (snowball english.stop): PostgreSQL drops
// these words from a query, so the SQLite translation drops them too and both engines answer
// "LinkedIn in Russia" alike.
var stopwords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`i me my myself we our ours ourselves you your yours yourself yourselves he him his
		himself she her hers herself it its itself they them their theirs themselves what which who whom this that these
		those am is are was were be been being have has had having do does did doing a an the and but if or because as
		until while of at by for with about against between into through during before after above below to from up down
		in out on off over under again further then once here there when where why how all any both each few more most
		other some such no nor not only own same so than too very s t can will just don should now`) {
		m[w] = true
	}
	return m
}()

// words splits text into runs of letters and digits, lower-cased (as both engines tokenize).
func words(text string) []string {
	return strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// parseSearchText reads a web-search style text: words must all match, `"a phrase"` matches
// the words in order, `or` separates alternatives, `-word` excludes. Common English words are
// ignored outside phrases.
func parseSearchText(text string) (searchText, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return searchText{}, apperr.InvalidField("text", "the search text is empty")
	}
	if n := utf8.RuneCountInString(text); n > MaxSearchText {
		return searchText{}, apperr.InvalidField("text", "the search text has %d characters, over the maximum of %d", n, MaxSearchText)
	}
	var st searchText
	group := []searchTerm{}
	for len(text) > 0 {
		text = strings.TrimLeft(text, " \t\r\n")
		if text == "" {
			break
		}
		not := false
		if text[0] == '-' {
			not, text = true, text[1:]
		}
		var raw string
		phrase := false
		if strings.HasPrefix(text, `"`) {
			end := strings.IndexByte(text[1:], '"')
			if end < 0 {
				raw, text = text[1:], ""
			} else {
				raw, text = text[1:end+1], text[end+2:]
			}
			phrase = true
		} else {
			end := strings.IndexAny(text, " \t\r\n")
			if end < 0 {
				end = len(text)
			}
			raw, text = text[:end], text[end:]
		}
		if !phrase && !not && strings.EqualFold(raw, "or") {
			if len(group) > 0 {
				st.groups = append(st.groups, group)
				group = []searchTerm{}
			}
			continue
		}
		ws := words(raw)
		if !phrase {
			ws = dropStopwords(ws)
			phrase = len(ws) > 1 // "linkedin's" or "e-mail": its words in order
		}
		if len(ws) == 0 {
			continue
		}
		group = append(group, searchTerm{words: ws, phrase: phrase, not: not})
	}
	if len(group) > 0 {
		st.groups = append(st.groups, group)
	}
	if len(st.groups) == 0 {
		return searchText{}, apperr.InvalidField("text", "nothing to search for: the text has only common words or punctuation")
	}
	for _, g := range st.groups {
		positive := false
		for _, t := range g {
			positive = positive || !t.not
		}
		if !positive {
			return searchText{}, apperr.InvalidField("text", "an excluded word (-word) needs a word to look for beside it")
		}
	}
	return st, nil
}

func dropStopwords(ws []string) []string {
	out := ws[:0:0]
	for _, w := range ws {
		if !stopwords[w] {
			out = append(out, w)
		}
	}
	return out
}

// websearch writes the parsed text back in the syntax of PostgreSQL's websearch_to_tsquery.
func (st searchText) websearch() string {
	var alts []string
	for _, g := range st.groups {
		var parts []string
		for _, t := range g {
			s := strings.Join(t.words, " ")
			if t.phrase {
				s = `"` + s + `"`
			}
			if t.not {
				s = "-" + s
			}
			parts = append(parts, s)
		}
		alts = append(alts, strings.Join(parts, " "))
	}
	return strings.Join(alts, " or ")
}

// fts5 writes the parsed text as an SQLite FTS5 query: every term quoted, AND by juxtaposition,
// exclusions as NOT (which binds tighter than AND), alternatives with OR.
func (st searchText) fts5() string {
	var alts []string
	for _, g := range st.groups {
		var pos, neg []string
		for _, t := range g {
			s := `"` + strings.Join(t.words, " ") + `"`
			if t.not {
				neg = append(neg, "NOT "+s)
			} else {
				pos = append(pos, s)
			}
		}
		alts = append(alts, "("+strings.Join(append(pos, neg...), " ")+")")
	}
	return strings.Join(alts, " OR ")
}
