package cli

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/cybertrade/cybertrade/export"
	"github.com/cybertrade/cybertrade/internal/config"
	"github.com/cybertrade/cybertrade/store"
)

// exportCmd writes the database's dataset to a folder: every CSV file, dataset.json (the
// loader's format: `load -file` reads it back) or graph.graphml.
func exportCmd(ctx context.Context, cfg config.Config, args []string, stdout io.Writer) error {
	fl := flag.NewFlagSet("export", flag.ContinueOnError)
	format := fl.String("format", export.FormatCSV, "csv (one file per entity), json (dataset.json), graphml (graph.graphml), or files (the data/ folder layout the loader reads, e.g. -out data to write API edits back to the repository)")
	out := fl.String("out", ".", "the folder to write into (created if needed)")
	if err := fl.Parse(args); err != nil {
		return err
	}
	if _, ok := export.Files[*format]; !ok && *format != export.FormatFiles {
		return fmt.Errorf("unknown format %q: use csv, json, graphml or files", *format)
	}
	return withMigrated(ctx, cfg, func(st *store.Store) error {
		paths, err := export.WriteDir(ctx, st, *format, *out)
		for _, p := range paths {
			fmt.Fprintln(stdout, "wrote", p)
		}
		return err
	})
}
