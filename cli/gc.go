package cli

import (
	"cmp"
	"log/slog"
	"runtime/debug"

	"github.com/cybertrade/cybertrade/internal/config"
)

// GC defaults for serve. A GraphQL response allocates many short-lived objects (a field
// context per field, a goroutine per resolver field, rows scanned by reflection); with Go's
// default GOGC=100 and a small live heap the collector ran several times per request and took
// a large share of the CPU. A/B under the benchmark (bench/run, the DEFY question and the
// country page at concurrency 16, 10,000 cases): GOGC=400 with a 192 MiB soft limit served
// 1.3–1.6× the requests of GOGC=100, and the limit keeps the peak RSS under 64 clients near
// 200 MiB (GOGC=200 without a limit: 276 MiB). GOGC and GOMEMLIMIT in the environment win.
const (
	defaultGCPercent   = 400
	defaultMemoryLimit = 192 << 20
)

// tuneGC applies the defaults above unless the environment sets GOGC or GOMEMLIMIT.
func tuneGC(cfg config.Config, log *slog.Logger) {
	if cfg.GOGC == "" {
		debug.SetGCPercent(defaultGCPercent)
	}
	if cfg.GOMemLimit == "" {
		debug.SetMemoryLimit(defaultMemoryLimit)
	}
	// SetMemoryLimit with a negative value only reads the limit.
	log.Debug("garbage collector", "GOGC", cmp.Or(cfg.GOGC, "400 (default)"), "memory_limit", debug.SetMemoryLimit(-1))
}
