package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// rowKeys are the natural keys (slug, key, code) in a response, sorted: two servers that
// return the same rows return the same keys whatever their schemas call the fields.
func rowKeys(doc []byte) []string {
	var v any
	_ = json.Unmarshal(doc, &v)
	var out []string
	walk(v, func(k string, x any) {
		if s, ok := x.(string); ok && (k == "slug" || k == "key" || k == "code") {
			out = append(out, k+"="+s)
		}
	})
	sort.Strings(out)
	return out
}

// checkRows compares every target's sample response with the first target's.
func checkRows(targets []*target, names []string) []string {
	var out []string
	base := targets[0]
	for _, n := range names {
		bq := base.queries[n]
		for _, t := range targets[1:] {
			q := t.queries[n]
			if q == nil {
				continue
			}
			if bq == nil || bq.Skip != "" || q.Skip != "" {
				out = append(out, fmt.Sprintf("%s %s vs %s: not compared (%s)", n, t.Name, base.Name, strings.TrimSpace(bq.Skip+" "+q.Skip)))
				continue
			}
			if bq.walk != nil && q.walk != nil {
				out = append(out, checkPages(n, t, base, q, bq))
				continue
			}
			a, b := rowKeys(bq.sample), rowKeys(q.sample)
			ca, cb := cells(bq.sample), cells(q.sample)
			switch {
			case len(a) == 0 && len(b) == 0 && len(ca) > 0 && len(cb) > 0 && maps.Equal(ca, cb):
				out = append(out, fmt.Sprintf("%s %s vs %s: same counts (%d cells, %d in all)", n, t.Name, base.Name, len(ca), sum(ca)))
			case len(a) == 0 && len(b) == 0 && (len(ca) > 0 || len(cb) > 0):
				out = append(out, fmt.Sprintf("%s %s vs %s: COUNTS DIFFER (%d vs %d cells, %d vs %d in all)", n, t.Name, base.Name, len(cb), len(ca), sum(cb), sum(ca)))
			case len(a) == 0 && len(b) == 0:
				out = append(out, fmt.Sprintf("%s %s vs %s: no row keys to compare", n, t.Name, base.Name))
			case slices.Equal(a, b):
				out = append(out, fmt.Sprintf("%s %s vs %s: same rows (%d keys)", n, t.Name, base.Name, len(a)))
			default:
				out = append(out, fmt.Sprintf("%s %s vs %s: ROWS DIFFER (%d vs %d keys)", n, t.Name, base.Name, len(b), len(a)))
			}
			if len(t.Only) > 0 && sameJSON(bq.sample, q.sample) {
				out = append(out, fmt.Sprintf("%s %s vs %s: identical JSON", n, t.Name, base.Name))
			} else if len(t.Only) > 0 {
				out = append(out, fmt.Sprintf("%s %s vs %s: JSON DIFFERS", n, t.Name, base.Name))
			}
		}
	}
	return out
}

// cells reads the counts of an aggregation, whatever the schema: PostGraphile's grouped
// aggregates ({keys: [k1, k2], distinctCount: {id: n}} or count) and cybertrade's buckets under
// an alias ({ALIAS: [{value: k2, count: n}]}) both give "k1|k2" → n.
func cells(doc []byte) map[string]int64 {
	var v any
	if json.Unmarshal(doc, &v) != nil {
		return nil
	}
	out := map[string]int64{}
	var visit func(v any)
	visit = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			if keys, ok := x["keys"].([]any); ok {
				var parts []string
				for _, k := range keys {
					parts = append(parts, fmt.Sprint(k))
				}
				n, ok := number(x["count"])
				if dc, isMap := x["distinctCount"].(map[string]any); !ok && isMap {
					n, ok = number(dc["id"])
				}
				if ok {
					out[strings.Join(parts, "|")] += n
				}
				return
			}
			for k, e := range x {
				if list, ok := e.([]any); ok {
					for _, b := range list {
						if bm, ok := b.(map[string]any); ok {
							if val, ok := bm["value"].(string); ok {
								if n, ok := number(bm["count"]); ok {
									out[k+"|"+val] += n
									continue
								}
							}
						}
						visit(b)
					}
					continue
				}
				visit(e)
			}
		case []any:
			for _, e := range x {
				visit(e)
			}
		}
	}
	visit(v)
	return out
}

// number reads a JSON number, or a number written as a string (PostgreSQL's bigint).
func number(v any) (int64, bool) {
	switch x := v.(type) {
	case float64:
		return int64(x), true
	case string:
		n, err := strconv.ParseInt(x, 10, 64)
		return n, err == nil
	}
	return 0, false
}

func sum(m map[string]int64) int64 {
	var n int64
	for _, v := range m {
		n += v
	}
	return n
}

// sameJSON compares the data of two answers (extensions, such as cybertrade's cost, aside).
func sameJSON(a, b []byte) bool {
	var x, y struct {
		Data any `json:"data"`
	}
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	ca, _ := json.Marshal(x)
	cb, _ := json.Marshal(y)
	return bytes.Equal(ca, cb)
}
