package httpapi_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// The README cannot drift: TestREADMEExamples runs every GraphQL query the README shows (each
// ```graphql block, and the query of each `curl … -d '{"query": …}'` line) against the bundled
// data on both engines, and compares each shown answer (a ```json block right after a query)
// with the real one as a pattern (the ```json block that follows the query's, at most ten lines
// below it):
//
//   - an object shows some of the answer's keys: each one shown must be there and match, keys
//     not shown are not compared (the README leaves out engine-specific values such as search
//     scores);
//   - an array with `…` among its items is an excerpt: each item shown must match a distinct
//     item of the real array, in any order (the rest is left out, so a curator adding a case
//     changes nothing shown); an array without `…` must match item by item, length included;
//   - strings, numbers, booleans and null must be equal; a pattern starting with "data" is the
//     whole answer, any other is the value of the query's one root field.
//
// So the README shows stable facts (LinkedIn's DEFY in Russia, its causal chain, the shapes)
// rather than counts of the whole dataset, and a shown value that stops being true fails with
// the README's line. The examples' output block (```text after `python3 examples/defy.py`) is
// compared with the real output of examples/defy.py: every line shown must appear in it, in
// order, except lines holding `…`.

// readmeBlock is a fenced block of README.md.
type readmeBlock struct {
	lang, body string
	line, end  int // of the opening and closing fences
}

func readmeBlocks(t *testing.T) []readmeBlock {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []readmeBlock
	var cur *readmeBlock
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		switch {
		case cur == nil && strings.HasPrefix(line, "```"):
			cur = &readmeBlock{lang: strings.TrimPrefix(line, "```"), line: n}
		case cur != nil && line == "```":
			cur.end = n
			out = append(out, *cur)
			cur = nil
		case cur != nil:
			cur.body += line + "\n"
		}
	}
	return out
}

// curlQuery matches the JSON body of a README curl line.
var curlQuery = regexp.MustCompile(`(?s)-d '(\{"query":.*?\})'`)

// readmeVariables gives the README's queries with variables the values a reader would send.
var readmeVariables = map[string]any{"since": "2026-01-01T00:00:00Z", "in": nil}

func TestREADMEExamples(t *testing.T) {
	blocks := readmeBlocks(t)
	type example struct {
		query   string
		pattern *readmeBlock
		line    int
	}
	var examples []example
	for i, b := range blocks {
		switch b.lang {
		case "graphql":
			ex := example{query: b.body, line: b.line}
			if i+1 < len(blocks) && blocks[i+1].lang == "json" && blocks[i+1].line <= b.end+10 {
				ex.pattern = &blocks[i+1]
			}
			examples = append(examples, ex)
		case "sh":
			for _, m := range curlQuery.FindAllStringSubmatch(b.body, -1) {
				var body struct{ Query string }
				if err := json.Unmarshal([]byte(m[1]), &body); err != nil {
					t.Fatalf("README.md:%d: the curl body is not JSON: %v", b.line, err)
				}
				if !strings.HasPrefix(strings.TrimSpace(body.Query), "mutation") {
					examples = append(examples, example{query: body.Query, line: b.line})
				}
			}
		}
	}
	patterns := 0
	for _, ex := range examples {
		if ex.pattern != nil {
			patterns++
		}
	}
	if len(examples) < 8 || patterns < 3 {
		t.Fatalf("found only %d GraphQL examples and %d answers shown in README.md", len(examples), patterns)
	}
	forEnv(t, bundledData, func(t *testing.T, env *env) {
		for _, ex := range examples {
			vars := map[string]any{}
			for k, v := range readmeVariables {
				if strings.Contains(ex.query, "$"+k) && v != nil {
					vars[k] = v
				}
			}
			r := env.post(t, ex.query, vars)
			if r.Status != 200 || len(r.Errors) > 0 {
				t.Errorf("README.md:%d: the query fails: %s", ex.line, r.Raw)
				continue
			}
			if ex.pattern == nil {
				continue
			}
			want, err := parsePattern(ex.pattern.body)
			if err != nil {
				t.Errorf("README.md:%d: the shown answer does not parse: %v", ex.pattern.line, err)
				continue
			}
			var got any
			dec := json.NewDecoder(strings.NewReader(r.Raw))
			dec.UseNumber()
			if err := dec.Decode(&got); err != nil {
				t.Fatal(err)
			}
			path := ""
			if m, ok := want.(map[string]any); !ok || m["data"] == nil {
				data := got.(map[string]any)["data"].(map[string]any)
				if len(data) != 1 {
					t.Fatalf("README.md:%d: a pattern without \"data\" needs a query with one root field", ex.pattern.line)
				}
				for k, v := range data {
					got, path = v, "data."+k
				}
			}
			for _, msg := range matchPattern(want, got, path) {
				t.Errorf("README.md:%d (the answer shown): %s", ex.pattern.line, msg)
			}
		}
	})
}

// parsePattern reads a shown answer: JSON with `…` standing for left-out array items.
func parsePattern(s string) (any, error) {
	var b strings.Builder
	inString, escaped := false, false
	for _, r := range s {
		switch {
		case inString && escaped:
			escaped = false
		case inString && r == '\\':
			escaped = true
		case r == '"':
			inString = !inString
		case !inString && r == '…':
			b.WriteString(`"\u2026"`)
			continue
		}
		b.WriteRune(r)
	}
	dec := json.NewDecoder(strings.NewReader(b.String()))
	dec.UseNumber()
	var v any
	err := dec.Decode(&v)
	return v, err
}

const ellipsis = "…"

// matchPattern lists how got fails the pattern want (see the comment at the top).
func matchPattern(want, got any, path string) []string {
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			return []string{fmt.Sprintf("%s: shows an object, the answer has %s", path, short(got))}
		}
		var out []string
		for k, wv := range w {
			gv, ok := g[k]
			if !ok {
				out = append(out, fmt.Sprintf("%s.%s: shown, but not in the answer", path, k))
				continue
			}
			out = append(out, matchPattern(wv, gv, path+"."+k)...)
		}
		return out
	case []any:
		g, ok := got.([]any)
		if !ok {
			return []string{fmt.Sprintf("%s: shows a list, the answer has %s", path, short(got))}
		}
		var items []any
		excerpt := false
		for _, x := range w {
			if x == ellipsis {
				excerpt = true
			} else {
				items = append(items, x)
			}
		}
		if !excerpt {
			if len(items) != len(g) {
				return []string{fmt.Sprintf("%s: shows %d items, the answer has %d (mark an excerpt with …)", path, len(items), len(g))}
			}
			var out []string
			for i := range items {
				out = append(out, matchPattern(items[i], g[i], fmt.Sprintf("%s[%d]", path, i))...)
			}
			return out
		}
		used := make([]bool, len(g))
		var out []string
	items:
		for i, x := range items {
			for j, y := range g {
				if !used[j] && len(matchPattern(x, y, "")) == 0 {
					used[j] = true
					continue items
				}
			}
			out = append(out, fmt.Sprintf("%s: the item shown %d (%s) is not in the answer", path, i+1, short(x)))
		}
		return out
	default:
		if fmt.Sprint(want) != fmt.Sprint(got) {
			return []string{fmt.Sprintf("%s: shows %s, the answer has %s", path, short(want), short(got))}
		}
		return nil
	}
}

func short(v any) string {
	b, _ := json.Marshal(v)
	if len(b) > 200 {
		return string(b[:200]) + "…"
	}
	return string(b)
}

// TestREADMEExampleOutput runs examples/defy.py against the bundled data and compares the
// output block the README shows after it.
func TestREADMEExampleOutput(t *testing.T) {
	python, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 is not installed: the README's example output cannot be checked")
	}
	var shown *readmeBlock
	blocks := readmeBlocks(t)
	for i, b := range blocks {
		if b.lang == "sh" && strings.Contains(b.body, "python3 examples/defy.py") && i+1 < len(blocks) && blocks[i+1].lang == "text" &&
			blocks[i+1].line <= b.end+1 {
			shown = &blocks[i+1]
		}
	}
	if shown == nil {
		t.Fatal("README.md shows no output block (```text) after `python3 examples/defy.py`")
	}
	forEnv(t, bundledData, func(t *testing.T, env *env) {
		cmd := exec.Command(python, filepath.Join("..", "examples", "defy.py"), env.srv.URL)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("examples/defy.py: %v\n%s", err, stderr.String())
		}
		real := strings.Split(strings.TrimRight(string(out), "\n"), "\n")
		at := 0
		for i, line := range strings.Split(strings.TrimRight(shown.body, "\n"), "\n") {
			if strings.Contains(line, ellipsis) {
				continue
			}
			for at < len(real) && strings.TrimRight(real[at], " ") != strings.TrimRight(line, " ") {
				at++
			}
			if at == len(real) {
				t.Errorf("README.md:%d: this line is not in examples/defy.py's output (in this order):\n%s\nthe output:\n%s",
					shown.line+1+i, line, out)
				return
			}
			at++
		}
	})
}
