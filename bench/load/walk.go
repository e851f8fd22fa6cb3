package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
)

// A query whose cursor file holds the line `# bench: pages` pages through a whole list, as a
// notebook pulling every row does (query 6): every request sends the cursor an earlier answer
// ended at, and a walk that reaches the end starts over at the first page. The walks start
// spread over the list and advance evenly, so no request repeats another until the whole list
// has been asked once: a response cache cannot answer them from an entry.
const pagesMarker = "# bench: pages"

// walkState is where a paging query's pages start and where each walk is.
type walkState struct {
	// starts[i] is the cursor page i starts after (nil for the first page), found beforehand by
	// walking the list with the cursor file.
	starts []any
	// walks holds the cursor each walk sends next. A client takes the walk that waited longest,
	// sends its request and puts the walk back advanced to the answer's end cursor: the walks
	// (as many as the highest concurrency) advance evenly whatever the concurrency, and persist
	// across phases and rounds.
	walks chan any
	// checked are the answers to the pages of checkedPages, for the row check.
	checked [][]byte
}

// checkedPages are the pages whose rows every target must return alike: the first, the middle
// and the last.
func (w *walkState) checkedPages() []int {
	n := len(w.starts)
	return slices.Compact([]int{0, n / 2, n - 1})
}

// spread starts n walks, walk k at page (2k+1)·P/2n: evenly over the list, and off the pages
// the row check asked.
func (w *walkState) spread(n int) {
	w.walks = make(chan any, n)
	for k := range n {
		w.walks <- w.starts[(2*k+1)*len(w.starts)/(2*n)]
	}
}

// bodyAfter is the query's request body for the page after cursor.
func (q *query) bodyAfter(cursor any) []byte {
	vars := make(map[string]any, len(q.Vars)+1)
	for k, v := range q.Vars {
		vars[k] = v
	}
	vars["after"] = cursor
	b, _ := json.Marshal(map[string]any{"query": q.Text, "variables": vars})
	return b
}

// walkPages walks the whole list with the cursor file's query, 100 (or its page size) at a
// time, and returns the cursor each page starts after.
func walkPages(ctx context.Context, client *http.Client, url, text string) ([]any, error) {
	starts := []any{nil}
	var cursor any
	for range 1_000_000 {
		b, _ := json.Marshal(map[string]any{"query": text, "variables": map[string]any{"after": cursor}})
		resp, err := post(ctx, client, url, b)
		if err != nil {
			return nil, err
		}
		next, more := pageEnd(resp)
		if !more {
			return starts, nil
		}
		cursor = next
		starts = append(starts, next)
	}
	return nil, errors.New("more than a million pages")
}

// pageEnd reads pageInfo's endCursor and hasNextPage from an answer without decoding all of
// it (the load generator shares the machine with the servers): the cursor to send next, and
// whether there is a next page.
func pageEnd(doc []byte) (string, bool) {
	var more bool
	var next string
	if valueAfter(doc, "hasNextPage", &more) != nil || !more {
		return "", false
	}
	if valueAfter(doc, "endCursor", &next) != nil || next == "" {
		return "", false
	}
	return next, true
}

// valueAfter decodes into v the JSON value after the last occurrence of "key": in doc.
func valueAfter(doc []byte, key string, v any) error {
	i := bytes.LastIndex(doc, []byte(`"`+key+`"`))
	if i < 0 {
		return fmt.Errorf("no %s", key)
	}
	rest := bytes.TrimLeft(doc[i+len(key)+2:], " \t\r\n")
	rest, ok := bytes.CutPrefix(rest, []byte(":"))
	if !ok {
		return fmt.Errorf("no value for %s", key)
	}
	return json.NewDecoder(bytes.NewReader(rest)).Decode(v)
}

// pageRows are the rows of a page in order, each written as its sorted leaf values: the
// elements of a `nodes` list or the `node` of each element of an `edges` list. Identifiers
// (id, nodeId, rowId, cursor, __typename) are left out: each server writes its own. Two
// servers that return the same rows in the same order give equal lists whatever their schemas
// call the fields.
func pageRows(doc []byte) []string {
	var v any
	_ = json.Unmarshal(doc, &v)
	var out []string
	walk(v, func(k string, x any) {
		list, ok := x.([]any)
		if !ok || (k != "nodes" && k != "edges") {
			return
		}
		for _, e := range list {
			if m, ok := e.(map[string]any); ok && k == "edges" {
				e = m["node"]
			}
			out = append(out, rowSignature(e))
		}
	})
	return out
}

func rowSignature(row any) string {
	var leaves []string
	var visit func(k string, x any)
	visit = func(k string, x any) {
		switch y := x.(type) {
		case map[string]any:
			for kk, e := range y {
				visit(kk, e)
			}
		case []any:
			for _, e := range y {
				visit(k, e)
			}
		case nil:
		default:
			switch k {
			case "id", "nodeId", "rowId", "cursor", "__typename":
			default:
				leaves = append(leaves, fmt.Sprint(y))
			}
		}
	}
	visit("", row)
	slices.Sort(leaves)
	return strings.Join(leaves, "|")
}

// checkPages compares the checked pages of a paging query on two targets, row by row.
func checkPages(n string, t, base *target, q, bq *query) string {
	w, bw := q.walk, bq.walk
	head := fmt.Sprintf("%s %s vs %s", n, t.Name, base.Name)
	if len(w.starts) != len(bw.starts) {
		return fmt.Sprintf("%s: PAGES DIFFER (%d vs %d pages)", head, len(w.starts), len(bw.starts))
	}
	rows := 0
	var pages []string
	for i, p := range bw.checkedPages() {
		a, b := pageRows(bw.checked[i]), pageRows(w.checked[i])
		if len(a) == 0 || !slices.Equal(a, b) {
			return fmt.Sprintf("%s: ROWS DIFFER on page %d of %d (%d vs %d rows)", head, p+1, len(bw.starts), len(b), len(a))
		}
		rows += len(a)
		pages = append(pages, fmt.Sprint(p+1))
	}
	return fmt.Sprintf("%s: same rows in the same order on pages %s of %d (%d rows)", head, strings.Join(pages, ", "), len(bw.starts), rows)
}
