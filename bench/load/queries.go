package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// query is one query of the mix as written for one target.
type query struct {
	Name     string
	Text     string
	Optional bool
	Vars     map[string]any
	Skip     string // why it does not run on this target
	body     []byte
	sample   []byte     // one response, for the row check
	walk     *walkState // a query paging through a whole list (query 6); nil for the others
}

var varRef = regexp.MustCompile(`\$([A-Za-z_][A-Za-z0-9_]*)`)

// loadQueries reads dir/*.graphql (not *.cursor.graphql), keeping the names in only if given.
func loadQueries(dir string, only []string, vars map[string]any) (map[string]*query, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.graphql"))
	if err != nil {
		return nil, err
	}
	out := map[string]*query{}
	for _, f := range files {
		if strings.HasSuffix(f, ".cursor.graphql") {
			continue
		}
		name := strings.TrimSuffix(filepath.Base(f), ".graphql")
		if len(only) > 0 && !slices.Contains(only, name) {
			continue
		}
		raw, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		q := &query{Name: name, Text: string(raw), Optional: strings.Contains(string(raw), "# bench: optional"), Vars: map[string]any{}}
		for _, m := range varRef.FindAllStringSubmatch(q.Text, -1) {
			if v, ok := vars[m[1]]; ok {
				q.Vars[m[1]] = v
			}
		}
		q.encode()
		out[name] = q
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no queries in %s", dir)
	}
	return out, nil
}

func (q *query) encode() {
	q.body, _ = json.Marshal(map[string]any{"query": q.Text, "variables": q.Vars})
}

// prepareCursor finds the deep page's cursor with the target's q5 cursor file: a `#
// cursor-walk: N` line walks the list N at a time (taking endCursor), otherwise one request
// with $offset (taking the last cursor) is enough. A cursor file with the line `# bench:
// pages` walks the whole list and keeps where every page starts (walk.go).
func prepareCursor(ctx context.Context, client *http.Client, t *target, dir string, offset int) error {
	files, _ := filepath.Glob(filepath.Join(dir, t.Dir, "*.cursor.graphql"))
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".cursor.graphql")
		q := t.queries[name]
		if q == nil {
			continue
		}
		raw, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		text := string(raw)
		if strings.Contains(text, pagesMarker) {
			starts, err := walkPages(ctx, client, t.URL, text)
			if err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
			q.walk = &walkState{starts: starts}
			continue
		}
		var cursor any
		if m := regexp.MustCompile(`# cursor-walk: (\d+)`).FindStringSubmatch(text); m != nil {
			step, _ := strconv.Atoi(m[1])
			for range offset / step {
				b, _ := json.Marshal(map[string]any{"query": text, "variables": map[string]any{"after": cursor}})
				resp, err := post(ctx, client, t.URL, b)
				if err != nil {
					return err
				}
				c := lastString(resp, "endCursor")
				if c == "" {
					return fmt.Errorf("the list ended before position %d", offset)
				}
				cursor = c
			}
		} else {
			b, _ := json.Marshal(map[string]any{"query": text, "variables": map[string]any{"offset": offset - 1}})
			resp, err := post(ctx, client, t.URL, b)
			if err != nil {
				return err
			}
			c := lastString(resp, "cursor")
			if c == "" {
				return fmt.Errorf("no cursor at offset %d", offset-1)
			}
			cursor = c
		}
		q.Vars["after"] = cursor
		q.encode()
	}
	return nil
}

// lastString is the last string value under key anywhere in a JSON document.
func lastString(doc []byte, key string) string {
	var v any
	if json.Unmarshal(doc, &v) != nil {
		return ""
	}
	last := ""
	walk(v, func(k string, x any) {
		if s, ok := x.(string); ok && k == key {
			last = s
		}
	})
	return last
}

func walk(v any, f func(k string, x any)) {
	switch x := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			f(k, x[k])
			walk(x[k], f)
		}
	case []any:
		for _, e := range x {
			walk(e, f)
		}
	}
}
