// Command cybertrade serves the cybertrade GraphQL research API over the curated dataset of
// cybersecurity-driven trade conflicts, and manages its database and data files.
//
//	cybertrade [serve] [-addr :8080]   serve the API (migrates and loads the dataset when empty)
//	cybertrade migrate up|down|status  manage the schema
//	cybertrade load [-dir DIR]         validate and upsert the dataset files
//	cybertrade load [-file F] [-prune]  the same from one JSON document; -prune soft-deletes what left the files
//	cybertrade validate [-dir DIR]     check the dataset files
//	cybertrade export -format F -out D write csv, json (dataset.json), graphml or the data files
//	cybertrade token create|list|revoke API tokens for edits (create --name N --role editor|admin)
//
// DATABASE_URL selects PostgreSQL (postgres://...); without it the data lives in an embedded
// SQLite file (SQLITE_PATH, default cybertrade.db). The commands live in package cli; every
// setting is read once by internal/config (the README's "Running it" table).
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/cybertrade/cybertrade/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := cli.Run(ctx, os.Args[1:], os.Getenv, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "cybertrade:", err)
		os.Exit(1)
	}
}
