package dataset

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Problem is one reason a dataset is invalid, pointing at the file and line at fault.
type Problem struct {
	File    string
	Line    int
	Record  string
	Message string
}

func (p Problem) String() string {
	var b strings.Builder
	b.WriteString(p.File)
	if p.Line > 0 {
		fmt.Fprintf(&b, ":%d", p.Line)
	}
	b.WriteString(": ")
	if p.Record != "" {
		b.WriteString(p.Record + ": ")
	}
	b.WriteString(p.Message)
	return b.String()
}

// Problems is a non-empty list of problems; it is the error Read and Validate return.
type Problems []Problem

func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.String()
	}
	return fmt.Sprintf("%d problem(s) in the dataset:\n%s", len(ps), strings.Join(lines, "\n"))
}

// Read parses every file of the dataset from fsys (laid out as data/ is) and validates it.
// The error, when not nil, is Problems listing every problem found.
func Read(fsys fs.FS) (*Dataset, error) {
	r := reader{fsys: fsys}
	ds := &Dataset{}
	r.decodeFile("dataset.yaml", &ds.Meta)
	r.decodeSeq("countries.yaml", &ds.Countries, func(n *yaml.Node, i int) { ds.Countries[i].Line = n.Line })
	for _, name := range append([]string{"companies.yaml"}, r.glob("companies/*.yaml")...) {
		var cs []Company
		r.decodeSeq(name, &cs, func(n *yaml.Node, i int) { cs[i].Line = n.Line })
		for i := range cs {
			cs[i].File = name
		}
		ds.Companies = append(ds.Companies, cs...)
	}
	for _, name := range r.glob("cases/*.yaml") {
		var c Case
		root := r.decodeFile(name, &c)
		if root == nil {
			continue
		}
		c.File = name
		if seq := mappingValue(root, "moves"); seq != nil && seq.Kind == yaml.SequenceNode {
			for i, n := range seq.Content {
				if i < len(c.Moves) {
					c.Moves[i].Line = n.Line
				}
			}
		}
		if seq := mappingValue(root, "bibliography"); seq != nil && seq.Kind == yaml.SequenceNode {
			for i, n := range seq.Content {
				if i < len(c.Bibliography) {
					c.Bibliography[i].Line = n.Line
				}
			}
		}
		ds.Cases = append(ds.Cases, c)
	}
	for _, name := range r.glob("excluded/*.yaml") {
		var ex []Excluded
		r.decodeFile(name, &ex)
		for i := range ex {
			ex[i].File = name
		}
		ds.Excluded = append(ds.Excluded, ex...)
	}
	if len(r.problems) > 0 {
		return ds, r.problems
	}
	if ps := Validate(ds); len(ps) > 0 {
		return ds, ps
	}
	return ds, nil
}

type reader struct {
	fsys     fs.FS
	problems Problems
}

func (r *reader) add(file string, line int, format string, args ...any) {
	r.problems = append(r.problems, Problem{File: file, Line: line, Message: fmt.Sprintf(format, args...)})
}

func (r *reader) glob(pattern string) []string {
	names, err := fs.Glob(r.fsys, pattern)
	if err != nil {
		r.add(pattern, 0, "%v", err)
	}
	sort.Strings(names)
	return names
}

// decodeFile strictly decodes a YAML file into v (unknown keys are problems) and returns its
// root node for line numbers, or nil when the file could not be read.
func (r *reader) decodeFile(name string, v any) *yaml.Node {
	raw, err := fs.ReadFile(r.fsys, name)
	if err != nil {
		r.add(name, 0, "cannot read: %v", err)
		return nil
	}
	dec := yaml.NewDecoder(bytes.NewReader(raw))
	dec.KnownFields(true)
	if err := dec.Decode(v); err != nil {
		var te *yaml.TypeError
		if errors.As(err, &te) {
			for _, msg := range te.Errors {
				line := 0
				fmt.Sscanf(msg, "line %d:", &line)
				r.add(name, line, "%s", strings.TrimPrefix(msg, fmt.Sprintf("line %d: ", line)))
			}
		} else {
			line := 0
			fmt.Sscanf(err.Error(), "yaml: line %d:", &line)
			r.add(name, line, "%v", err)
		}
		return nil
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(raw, &doc); err != nil || len(doc.Content) == 0 {
		return nil
	}
	return doc.Content[0]
}

// decodeSeq decodes a file holding a YAML sequence into v and calls setLine for each item.
func (r *reader) decodeSeq(name string, v any, setLine func(n *yaml.Node, i int)) {
	root := r.decodeFile(name, v)
	if root == nil || root.Kind != yaml.SequenceNode {
		return
	}
	for i, n := range root.Content {
		setLine(n, i)
	}
}

func mappingValue(n *yaml.Node, key string) *yaml.Node {
	if n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

// caseFileSlug is the slug a case file's name implies.
func caseFileSlug(name string) string { return strings.TrimSuffix(path.Base(name), ".yaml") }
