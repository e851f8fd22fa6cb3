// Package cli is the cybertrade command line: serve (the API), migrate, load, validate, export,
// token and synth. Run takes the arguments, the environment and the output, so that every
// command runs in tests as in the binary; main (server.go) only wires the process to it.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/cybertrade/cybertrade/data"
	"github.com/cybertrade/cybertrade/dataset"
	"github.com/cybertrade/cybertrade/httpapi"
	"github.com/cybertrade/cybertrade/internal/config"
	"github.com/cybertrade/cybertrade/internal/connlimit"
	"github.com/cybertrade/cybertrade/internal/readiness"
	"github.com/cybertrade/cybertrade/internal/tracing"
	"github.com/cybertrade/cybertrade/migrations"
	"github.com/cybertrade/cybertrade/store"
	"github.com/cybertrade/cybertrade/store/load"
)

const usage = `usage: cybertrade [command] [flags]

commands:
  serve      serve the API (default): -addr ADDR (or ADDR, default :8080), -pprof ADDR (or PPROF_ADDR)
  migrate    up | down | status
  load       validate and upsert the dataset: -dir DIR (default: the embedded files) or
             -file dataset.json (one JSON document, as /export/dataset.json); -prune also
             soft-deletes records no longer in the files
  validate   check the dataset files: -dir DIR or -file dataset.json
  export     write the dataset: -format csv|json|graphml|files -out DIR
  token      API tokens for edits: create --name NAME --role editor|admin | list | revoke NAME
  synth      write a synthetic dataset for tests and benchmarks: --cases N --seed S
  release    publish the data files' version: writes data/releases/{version}/ (dataset.json,
             CSVs, datapackage.json) once; -dir data -out data/releases -date YYYY-MM-DD

environment: DATABASE_URL (postgres://...; default: SQLite file SQLITE_PATH=cybertrade.db),
ADDR, PPROF_ADDR, LOG_LEVEL (debug|info|warn|error), LOG_FORMAT (json|text), LIMIT_*; several
replicas: DATABASE_READ_URL, REDIS_URL, REDIS_PREFIX, RESPONSE_CACHE (see docs/deploy.md);
every setting: the README's "Running it" table`

// Run is the whole program: main only wires signals and the process environment to it.
func Run(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	cfg, err := config.Parse(getenv)
	if err != nil {
		return err
	}
	cmd := "serve"
	if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	commands := map[string]func(context.Context, config.Config, []string, io.Writer) error{
		"serve": serve, "migrate": migrate, "load": loadCmd, "export": exportCmd, "token": tokenCmd, "synth": synthesize,
		"validate": func(_ context.Context, _ config.Config, args []string, stdout io.Writer) error {
			return validate(args, stdout)
		},
		"release": func(ctx context.Context, _ config.Config, args []string, stdout io.Writer) error {
			return releaseCmd(ctx, args, stdout)
		},
	}
	if f, ok := commands[cmd]; ok {
		return f(ctx, cfg, args, stdout)
	}
	if cmd == "help" || cmd == "-h" || cmd == "--help" {
		_, err := fmt.Fprintln(stdout, usage)
		return err
	}
	return fmt.Errorf("unknown command %q\n%s", cmd, usage)
}

// dataFlags parses -dir or -file: the dataset to read, the embedded files by default. The
// returned function reads and validates it.
func dataFlags(fl *flag.FlagSet, args []string) (func() (*dataset.Dataset, error), error) {
	dir := fl.String("dir", "", "read the dataset from this folder instead of the embedded files")
	file := fl.String("file", "", "read the dataset from one JSON document (as /export/dataset.json writes it)")
	if err := fl.Parse(args); err != nil {
		return nil, err
	}
	switch {
	case *dir != "" && *file != "":
		return nil, errors.New("give -dir or -file, not both")
	case *file != "":
		return func() (*dataset.Dataset, error) { return dataset.ReadFile(*file) }, nil
	case *dir != "":
		return func() (*dataset.Dataset, error) { return dataset.Read(os.DirFS(*dir)) }, nil
	}
	return func() (*dataset.Dataset, error) { return dataset.Read(data.FS) }, nil
}

func validate(args []string, stdout io.Writer) error {
	read, err := dataFlags(flag.NewFlagSet("validate", flag.ContinueOnError), args)
	if err != nil {
		return err
	}
	ds, err := read()
	if err != nil {
		return err
	}
	actions, responses := 0, 0
	for _, c := range ds.Cases {
		for _, m := range c.Moves {
			if m.Type == dataset.TypeAction {
				actions++
			} else {
				responses++
			}
		}
	}
	warnings := dataset.Warnings(ds)
	for _, w := range warnings {
		if _, err := fmt.Fprintf(stdout, "warning: %s\n", w); err != nil {
			return err
		}
	}
	_, err = fmt.Fprintf(stdout, "dataset %s is valid: %d cases, %d actions, %d responses, %d companies, %d countries; %d warnings\n",
		ds.Meta.Version, len(ds.Cases), actions, responses, len(ds.Companies), len(ds.Countries), len(warnings))
	return err
}

func openStore(ctx context.Context, cfg config.Config, opts store.Options) (*store.Store, error) {
	return store.Open(ctx, cfg.DSN(), opts)
}

// openMigrated opens the configured database and applies pending migrations, as every
// command that reads or writes data needs; the caller closes the store.
func openMigrated(ctx context.Context, cfg config.Config) (*store.Store, error) {
	st, err := openStore(ctx, cfg, store.Options{})
	if err != nil {
		return nil, err
	}
	if err := st.Migrate(ctx); err != nil {
		_ = st.Close()
		return nil, fmt.Errorf("migrate: %w", err)
	}
	return st, nil
}

// withMigrated runs f on the configured database, migrated, and closes it after: what every
// command that reads or writes the data does.
func withMigrated(ctx context.Context, cfg config.Config, f func(*store.Store) error) error {
	st, err := openMigrated(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	return f(st)
}

func migrate(ctx context.Context, cfg config.Config, args []string, stdout io.Writer) error {
	if len(args) != 1 {
		return errors.New("usage: cybertrade migrate up|down|status")
	}
	st, err := openStore(ctx, cfg, store.Options{})
	if err != nil {
		return err
	}
	defer st.Close()
	sqlDB, err := st.SQLDB()
	if err != nil {
		return err
	}
	p, err := migrations.Provider(sqlDB, st.Engine())
	if err != nil {
		return err
	}
	switch args[0] {
	case "up":
		res, err := p.Up(ctx)
		for _, r := range res {
			fmt.Fprintf(stdout, "applied %s (%s)\n", r.Source.Path, r.Duration)
		}
		if err == nil && len(res) == 0 {
			fmt.Fprintln(stdout, "no pending migrations")
		}
		return err
	case "down":
		r, err := p.Down(ctx)
		if r != nil {
			fmt.Fprintf(stdout, "rolled back %s\n", r.Source.Path)
		}
		return err
	case "status":
		sts, err := p.Status(ctx)
		for _, s := range sts {
			applied := "pending"
			if s.State == "applied" {
				applied = "applied " + s.AppliedAt.Format("2006-01-02 15:04:05")
			}
			fmt.Fprintf(stdout, "%05d %-40s %s\n", s.Source.Version, s.Source.Path, applied)
		}
		return err
	}
	return fmt.Errorf("unknown migrate command %q: use up, down or status", args[0])
}

// loadData validates the dataset in fsys and upserts it.
func loadData(ctx context.Context, st *store.Store, fsys fs.FS) (load.Stats, error) {
	ds, err := dataset.Read(fsys)
	if err != nil {
		return load.Stats{}, err
	}
	return st.Load(ctx, ds)
}

func loadCmd(ctx context.Context, cfg config.Config, args []string, stdout io.Writer) error {
	fl := flag.NewFlagSet("load", flag.ContinueOnError)
	prune := fl.Bool("prune", false, "soft-delete records whose code, slug or key is no longer in the files (same transaction)")
	read, err := dataFlags(fl, args)
	if err != nil {
		return err
	}
	ds, err := read()
	if err != nil {
		return err
	}
	return withMigrated(ctx, cfg, func(st *store.Store) error {
		stats, err := st.LoadWith(ctx, ds, load.Options{Prune: *prune})
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(stdout, "loaded dataset: %s\n", stats)
		return err
	})
}

func serve(ctx context.Context, cfg config.Config, args []string, stdout io.Writer) error {
	fl := flag.NewFlagSet("serve", flag.ContinueOnError)
	fl.StringVar(&cfg.Addr, "addr", cfg.Addr, "listen address")
	fl.StringVar(&cfg.PprofAddr, "pprof", cfg.PprofAddr, "serve net/http/pprof on this address (e.g. 127.0.0.1:6060)")
	if err := fl.Parse(args); err != nil {
		return err
	}
	log := cfg.Logger()
	tuneGC(cfg, log)
	metrics := httpapi.NewMetrics()
	st, err := openStore(ctx, cfg, store.Options{OnStatement: metrics.OnStatement, Logger: log, ReadDSN: cfg.ReadURL})
	if err != nil {
		return err
	}
	defer st.Close()
	log.Info("database", "dsn", cfg.MaskedDSN(), "engine", st.Engine())
	if cfg.ReadURL != "" {
		log.Info("read replica", "dsn", config.Masked(cfg.ReadURL))
	}
	tp, stopTracing, err := tracing.Setup(ctx, cfg.Tracing())
	if err != nil {
		return fmt.Errorf("tracing: %w", err)
	}
	defer func() { _ = stopTracing(context.Background()) }()
	// The server listens at once; the gate prepares the database (reach, migrate, load the
	// bundled data when empty) in the background, retrying until it can, and answers 503
	// until then, and again while the database is lost.
	gate := readiness.New(log, metrics.SetReady)
	limitCfg := cfg.LimitConfig()
	opts := httpapi.Options{Logger: log, Metrics: metrics, Limits: &limitCfg, Ready: gate, CORSOrigins: cfg.CORSOrigins,
		ExportDir: cfg.ExportDirectory(), Releases: data.Releases()}
	if tp != nil {
		opts.Tracer = tp
	}
	stopScale, err := wireScale(ctx, cfg, st, &opts, log) // response cache, Redis, the data-version watcher
	if err != nil {
		return err
	}
	defer stopScale()

	if cfg.PprofAddr != "" {
		if err := servePprof(ctx, cfg.PprofAddr, log); err != nil {
			return fmt.Errorf("pprof: %w", err)
		}
	}
	tcp, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return err
	}
	ln := connlimit.New(tcp, cfg.MaxConnections)
	srv := &http.Server{
		ConnState:         ln.Track,
		Handler:           httpapi.New(st, opts),
		ReadHeaderTimeout: cfg.ReadHeaderTimeout,
		ReadTimeout:       cfg.ReadTimeout,
		WriteTimeout:      max(cfg.WriteTimeout, cfg.Limits.Timeout+5*time.Second), // room to answer TIMEOUT
		IdleTimeout:       cfg.IdleTimeout,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	gctx, stopGate := context.WithCancel(ctx)
	gateDone := make(chan struct{})
	go func() {
		defer close(gateDone)
		gate.Run(gctx, readiness.Probe{
			Prepare: func(ctx context.Context) error { return prepareDatabase(ctx, st, log) },
			Check:   st.Ping,
			Retry:   cfg.DBRetry,
		})
	}()
	defer func() { stopGate(); <-gateDone }()
	fmt.Fprintf(stdout, "cybertrade listening on http://%s (the data explorer: http://%[1]s/explore; GraphiQL at /, API at /graphql)\n", ln.Addr())
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// prepareDatabase makes the database usable: it drops pooled connections that may predate an
// outage, checks the database answers, applies pending migrations and loads the bundled
// dataset when the database has no cases. Every step is idempotent.
func prepareDatabase(ctx context.Context, st *store.Store, log *slog.Logger) error {
	st.DropIdle()
	if err := st.Ping(ctx); err != nil {
		return fmt.Errorf("reach the database: %w", err)
	}
	if err := st.Migrate(ctx); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	empty, err := st.Empty(ctx)
	if err != nil {
		return err
	}
	if empty {
		stats, err := loadData(ctx, st, data.FS)
		if err != nil {
			return fmt.Errorf("load the bundled dataset: %w", err)
		}
		log.Info("loaded the bundled dataset", "stats", stats.String())
	}
	return nil
}
