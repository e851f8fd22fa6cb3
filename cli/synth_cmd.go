package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/cybertrade/cybertrade/dataset"
	"github.com/cybertrade/cybertrade/internal/config"
	"github.com/cybertrade/cybertrade/store"
	"github.com/cybertrade/cybertrade/store/load"
	"github.com/cybertrade/cybertrade/synth"
)

// synthesize writes a deterministic synthetic dataset of --cases cases into the configured
// database, in chunks of --chunk cases (one transaction each) through the store's bulk upsert.
// Running it again with the same flags changes nothing. It refuses a database that holds the
// curated dataset, and never changes a dataset version already set.
func synthesize(ctx context.Context, cfg config.Config, args []string, stdout io.Writer) error {
	fl := flag.NewFlagSet("synth", flag.ContinueOnError)
	cases := fl.Int("cases", 1000, "number of cases (about cases/2 companies, 5×cases moves, 2×cases reply links)")
	seed := fl.Uint64("seed", 1, "random seed: the same cases and seed give the same dataset")
	chunk := fl.Int("chunk", 2000, "cases per transaction")
	check := fl.Bool("validate", false, "validate the whole dataset with the file rules first (holds it in memory)")
	if err := fl.Parse(args); err != nil {
		return err
	}
	if *cases < 1 || *chunk < 1 {
		return errors.New("synth: --cases and --chunk must be positive")
	}
	if *check {
		if ps := dataset.Validate(synth.Generate(*cases, *seed)); len(ps) > 0 {
			return ps
		}
	}
	return withMigrated(ctx, cfg, func(st *store.Store) error {
		return synthInto(ctx, st, cfg.MaskedDSN(), *cases, *seed, *chunk, stdout)
	})
}

// synthInto streams the synthetic dataset of cases and seed into st (where names it, for the
// messages), chunk cases a transaction.
func synthInto(ctx context.Context, st *store.Store, where string, cases int, seed uint64, chunk int, stdout io.Writer) error {
	// Synthetic records never mix with the curated dataset: they would enter every answer
	// (and the DEFY count) as if they were research data.
	held, err := st.Dataset(ctx)
	if err != nil {
		return err
	}
	if held.Version != "" && held.Title != synth.Title {
		return fmt.Errorf("synth: %s holds the curated dataset %s (%d cases); synthetic records would mix with it, so nothing was written.\n"+
			"Write them to a separate SQLite file or database: `SQLITE_PATH=synth.db cybertrade synth ...` or `DATABASE_URL=postgres://…/cybertrade_synth cybertrade synth ...`",
			where, held.Version, held.Counts.Cases)
	}
	// A dataset version already set (by an earlier synth) is kept: synth never changes it.
	keepMeta := held.Version != ""
	start := time.Now()
	var total load.BulkStats
	done := 0
	err = synth.Stream(cases, seed, chunk, func(ds *dataset.Dataset) error {
		if keepMeta {
			ds.Meta = dataset.Meta{}
		}
		s, err := st.BulkLoad(ctx, ds)
		if err != nil {
			return err
		}
		total = total.Add(s)
		done += len(ds.Cases)
		fmt.Fprintf(stdout, "synth: %d/%d cases (%s)\n", done, cases, time.Since(start).Round(time.Millisecond))
		return nil
	})
	if err != nil {
		return fmt.Errorf("synth: %w", err)
	}
	_, err = fmt.Fprintf(stdout, "synthesised %d cases (seed %d) into %s in %s: %s\n", cases, seed, where, time.Since(start).Round(time.Millisecond), total)
	return err
}
