package main

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/cybertrade/cybertrade/internal/connlimit"
	"github.com/cybertrade/cybertrade/internal/limits"
)

// config is read once from the environment; flags override it.
type config struct {
	DatabaseURL string // DATABASE_URL: postgres://... ; empty selects SQLite
	SQLitePath  string // SQLITE_PATH: the SQLite file, default cybertrade.db
	Addr        string // ADDR or -addr: listen address, default :8080
	PprofAddr   string // PPROF_ADDR or -pprof: debug listener for net/http/pprof; empty: none
	GOGC        string // GOGC as set in the environment; empty: serve applies its GC defaults (gc.go)
	GOMemLimit  string // GOMEMLIMIT as set in the environment; empty: serve applies its default
	LogLevel    slog.Level
	LogFormat   string // LOG_FORMAT: json (default) or text
	// ExportDir (EXPORT_DIR) keeps the bulk exports of the current data version; default:
	// beside the SQLite file (cybertrade.db.exports), or a folder in the system's temporary
	// folder named after the PostgreSQL database.
	ExportDir string

	ReadHeaderTimeout time.Duration
	ReadTimeout       time.Duration
	WriteTimeout      time.Duration
	IdleTimeout       time.Duration
	ShutdownTimeout   time.Duration
	// MaxConnections (MAX_CONNECTIONS) caps the open connections: at the cap a new one closes
	// the connection idle the longest, or is refused when all are busy. Default 1,000, or half
	// the open-file limit when that is lower; 0 turns the cap off.
	MaxConnections int

	Limits      limits.Config // LIMIT_*: see internal/limits and the README
	CORSOrigins []string      // CORS_ORIGINS: comma-separated origins allowed to read the API; default *
	DBRetry     time.Duration // DB_RETRY_INTERVAL: pause between attempts to reach the database; default 1s
	err         error         // a malformed setting, reported by run

	getenv func(string) string
}

func loadConfig(getenv func(string) string) config {
	c := config{
		DatabaseURL:       getenv("DATABASE_URL"),
		SQLitePath:        or(getenv("SQLITE_PATH"), "cybertrade.db"),
		Addr:              or(getenv("ADDR"), ":8080"),
		PprofAddr:         getenv("PPROF_ADDR"),
		GOGC:              getenv("GOGC"),
		GOMemLimit:        getenv("GOMEMLIMIT"),
		LogFormat:         or(getenv("LOG_FORMAT"), "json"),
		ExportDir:         getenv("EXPORT_DIR"),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       15 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       30 * time.Second, // IDLE_TIMEOUT; keep-alive connections are closed sooner at MAX_CONNECTIONS
		MaxConnections:    connlimit.DefaultMax(),
		ShutdownTimeout:   20 * time.Second,
		DBRetry:           time.Second,
		getenv:            getenv,
	}
	_ = c.LogLevel.UnmarshalText([]byte(or(getenv("LOG_LEVEL"), "info")))
	c.Limits, c.err = limits.FromEnv(getenv)
	for o := range strings.SplitSeq(getenv("CORS_ORIGINS"), ",") {
		if o = strings.TrimSpace(o); o != "" {
			c.CORSOrigins = append(c.CORSOrigins, o)
		}
	}
	if s := getenv("MAX_CONNECTIONS"); s != "" {
		if n, err := strconv.Atoi(s); err == nil && n >= 0 {
			c.MaxConnections = n
		} else if c.err == nil {
			c.err = fmt.Errorf("MAX_CONNECTIONS=%q: want a whole number >= 0", s)
		}
	}
	if s := getenv("IDLE_TIMEOUT"); s != "" {
		if d, err := time.ParseDuration(s); err == nil && d > 0 {
			c.IdleTimeout = d
		} else if c.err == nil {
			c.err = fmt.Errorf("IDLE_TIMEOUT=%q: want a duration such as 30s", s)
		}
	}
	if s := getenv("DB_RETRY_INTERVAL"); s != "" {
		if d, err := time.ParseDuration(s); err == nil && d > 0 {
			c.DBRetry = d
		}
	}
	return c
}

// exportDir is where the server keeps the bulk exports (see ExportDir).
func (c config) exportDir() string {
	switch {
	case c.ExportDir != "":
		return c.ExportDir
	case c.DatabaseURL == "":
		return c.SQLitePath + ".exports"
	}
	sum := sha256.Sum256([]byte(c.DatabaseURL))
	return filepath.Join(os.TempDir(), "cybertrade-exports-"+hex.EncodeToString(sum[:6]))
}

// dsn is what store.Open takes.
func (c config) dsn() string {
	if c.DatabaseURL != "" {
		return c.DatabaseURL
	}
	return c.SQLitePath
}

// maskedDSN hides the password of a database URL for logs.
func (c config) maskedDSN() string {
	if c.DatabaseURL == "" {
		return "sqlite:" + c.SQLitePath
	}
	u, err := url.Parse(c.DatabaseURL)
	if err != nil {
		return "postgres://(unparsable URL)"
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}

func (c config) logger() *slog.Logger {
	opts := &slog.HandlerOptions{Level: c.LogLevel}
	if strings.EqualFold(c.LogFormat, "text") {
		return slog.New(slog.NewTextHandler(os.Stderr, opts))
	}
	return slog.New(slog.NewJSONHandler(os.Stderr, opts))
}

func or(v, def string) string {
	if v == "" {
		return def
	}
	return v
}
