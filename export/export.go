// Package export writes the whole dataset for tools that do not speak GraphQL: one CSV file per
// entity (RFC 4180, ids equal to the API's global ids) with a Frictionless datapackage.json
// that describes them, the dataset as one JSON document in the format the loader reads
// (dataset.ReadJSON), and the graph as GraphML. Writers stream from a consistent snapshot
// through the store; Cache keeps every file of the current data version on disk, Handler
// serves them and the published releases over HTTP, and WriteDir writes them to a folder.
package export

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"

	"github.com/cybertrade/cybertrade/dataset"
	"github.com/cybertrade/cybertrade/internal/globalid"
	"github.com/cybertrade/cybertrade/model"
	"github.com/cybertrade/cybertrade/store/reads"
)

// Source is what the writers read from; a *reads.Reader (and the *store.Store holding it) is one.
type Source interface {
	Snapshot(ctx context.Context) (*reads.Snapshot, error)
}

// Formats of WriteDir.
const (
	FormatCSV     = "csv"
	FormatJSON    = "json"
	FormatGraphML = "graphml"
	// FormatFiles writes the data folder the loader reads (dataset.WriteFiles), in canonical form.
	FormatFiles = "files"
)

// File is one export: its name and its writer.
type File struct {
	Name, ContentType string
	write             func(w io.Writer, v *view) error
}

// Files lists every export by format.
var Files = map[string][]File{
	FormatCSV: {
		{"countries.csv", csvType, writeCountries}, {"companies.csv", csvType, writeCompanies},
		{"products.csv", csvType, writeProducts}, {"actions.csv", csvType, writeActions},
		{"responses.csv", csvType, writeResponses}, {"cases.csv", csvType, writeCases},
		{"sources.csv", csvType, writeSources}, {"links.csv", csvType, writeLinks}, {"moves.csv", csvType, writeMoves},
		{"datapackage.json", "application/json", writeDataPackage},
	},
	FormatJSON:    {{"dataset.json", "application/json", writeJSON}},
	FormatGraphML: {{"graph.graphml", "application/graphml+xml", writeGraphML}},
}

// formats is the order exports are listed and built in.
var formats = []string{FormatCSV, FormatJSON, FormatGraphML}

const csvType = "text/csv; charset=utf-8; header=present"

// file finds an export by name.
func file(name string) (File, bool) {
	for _, fs := range Files {
		for _, f := range fs {
			if f.Name == name {
				return f, true
			}
		}
	}
	return File{}, false
}

// WriteDir writes every file of a format into dir (created if needed) from one snapshot, and
// returns their paths. Each file is streamed to disk as it is written.
func WriteDir(ctx context.Context, src Source, format, dir string) ([]string, error) {
	files, ok := Files[format]
	if !ok && format != FormatFiles {
		return nil, fmt.Errorf("unknown export format %q: use csv, json, graphml or files", format)
	}
	snap, err := src.Snapshot(ctx)
	if err != nil {
		return nil, err
	}
	if format == FormatFiles {
		return []string{dir}, dataset.WriteFiles(dir, newView(snap).Dataset())
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	v := newView(snap)
	var paths []string
	for _, f := range files {
		p := filepath.Join(dir, f.Name)
		if err := writeFile(p, func(w io.Writer) error { return f.write(w, v) }); err != nil {
			return paths, fmt.Errorf("%s: %w", f.Name, err)
		}
		paths = append(paths, p)
	}
	return paths, nil
}

// writeFile writes path through write, flushing and closing it; a failed file is removed.
func writeFile(path string, write func(io.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	err = write(f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		_ = os.Remove(path)
	}
	return err
}

// view indexes a snapshot by row id, with every list in a content order (natural keys, dates)
// that does not depend on row ids, so two databases holding the same data export the same bytes.
type view struct {
	*reads.Snapshot
	country map[int64]*model.Country
	company map[int64]*model.Company
	product map[int64]*model.Product
	kase    map[int64]*model.Case
	source  map[int64]*model.Source
	move    map[int64]*model.MoveRecord
	inReply map[int64][]int64 // reply -> targets
}

func byID[T any](xs []T, id func(*T) int64) map[int64]*T {
	out := make(map[int64]*T, len(xs))
	for i := range xs {
		out[id(&xs[i])] = &xs[i]
	}
	return out
}

func newView(s *reads.Snapshot) *view {
	slices.SortFunc(s.Countries, func(a, b model.Country) int { return cmp.Compare(a.Code, b.Code) })
	slices.SortFunc(s.Companies, func(a, b model.Company) int { return cmp.Compare(a.Slug, b.Slug) })
	slices.SortFunc(s.Products, func(a, b model.Product) int { return cmp.Compare(a.Slug, b.Slug) })
	slices.SortFunc(s.Cases, func(a, b model.Case) int { return cmp.Compare(a.Slug, b.Slug) })
	slices.SortFunc(s.Sources, func(a, b model.Source) int { return cmp.Compare(a.Key, b.Key) })
	slices.SortFunc(s.Moves, func(a, b model.MoveRecord) int {
		return cmp.Or(cmp.Compare(a.SortKey, b.SortKey), cmp.Compare(a.Slug, b.Slug)) // causal date order
	})
	v := &view{Snapshot: s,
		country: byID(s.Countries, func(x *model.Country) int64 { return x.RowID }),
		company: byID(s.Companies, func(x *model.Company) int64 { return x.RowID }),
		product: byID(s.Products, func(x *model.Product) int64 { return x.RowID }),
		kase:    byID(s.Cases, func(x *model.Case) int64 { return x.RowID }),
		source:  byID(s.Sources, func(x *model.Source) int64 { return x.RowID }),
		move:    byID(s.Moves, func(x *model.MoveRecord) int64 { return x.RowID }),
		inReply: map[int64][]int64{},
	}
	// Records whose parent is not live would dangle; leave them out (the loader never writes
	// such a state, but an edit might).
	s.Products = slices.DeleteFunc(s.Products, func(p model.Product) bool { return v.company[p.CompanyID] == nil })
	s.Moves = slices.DeleteFunc(s.Moves, func(m model.MoveRecord) bool {
		return v.kase[m.CaseID] == nil || v.country[m.CountryID] == nil || (m.CompanyID != nil && v.company[*m.CompanyID] == nil)
	})
	v.product = byID(s.Products, func(x *model.Product) int64 { return x.RowID })
	v.move = byID(s.Moves, func(x *model.MoveRecord) int64 { return x.RowID })
	s.Links = slices.DeleteFunc(s.Links, func(l reads.Pair) bool { return v.move[l.Parent] == nil || v.move[l.Child] == nil })
	for _, l := range s.Links {
		v.inReply[l.Parent] = append(v.inReply[l.Parent], l.Child)
	}
	slices.SortFunc(s.Links, func(a, b reads.Pair) int {
		return cmp.Or(cmp.Compare(v.move[a.Parent].Slug, v.move[b.Parent].Slug), cmp.Compare(v.move[a.Child].Slug, v.move[b.Child].Slug))
	})
	return v
}

// moveID is the global id of a move.
func moveID(m *model.MoveRecord) string {
	if m.Kind == model.MoveKindResponse {
		return globalid.Encode(globalid.CompanyResponse, m.Slug)
	}
	return globalid.Encode(globalid.CountryAction, m.Slug)
}

func moveType(m *model.MoveRecord) string {
	if m.Kind == model.MoveKindResponse {
		return globalid.CompanyResponse
	}
	return globalid.CountryAction
}

// keys maps row ids to sorted strings (slugs, codes, global ids).
func keys[T any](ids []int64, rec map[int64]*T, key func(*T) string) []string {
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		if r, ok := rec[id]; ok {
			out = append(out, key(r))
		}
	}
	sort.Strings(out)
	return out
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
