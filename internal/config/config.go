// Package config is the server's one configuration: every setting, read once at start from the
// environment (github.com/caarlos0/env) into one typed struct that the rest receives. A value
// that does not parse, or is out of range, stops the program with a message naming the
// variable and what it accepts. The README's Configuration table lists every setting;
// TestREADMEListsEverySetting keeps the two in step.
package config

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/netip"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/caarlos0/env/v11"

	"github.com/cybertrade/cybertrade/internal/connlimit"
	"github.com/cybertrade/cybertrade/internal/limits"
)

// Config is every setting. The tag `env` names the variable, `accepts` says what it takes (the
// message of a refusal) and `min` is the smallest number a numeric setting takes. Defaults
// come from Defaults, not from tags, so that computed ones (MAX_CONNECTIONS) sit beside the rest.
type Config struct {
	DatabaseURL string `env:"DATABASE_URL" accepts:"a postgres:// URL"`
	SQLitePath  string `env:"SQLITE_PATH" accepts:"a file path"`
	ReadURL     string `env:"DATABASE_READ_URL" accepts:"a postgres:// URL"`
	Addr        string `env:"ADDR" accepts:"a listen address such as :8080"`
	PprofAddr   string `env:"PPROF_ADDR" accepts:"a listen address such as 127.0.0.1:6060"`
	// GOGC and GOMEMLIMIT are read by the Go runtime itself; serve only needs to know whether
	// they are set (gc.go applies its defaults otherwise).
	GOGC       string     `env:"GOGC" accepts:"a percentage or off"`
	GOMemLimit string     `env:"GOMEMLIMIT" accepts:"a size such as 512MiB"`
	LogLevel   slog.Level `env:"LOG_LEVEL" accepts:"debug, info, warn or error"`
	LogFormat  LogFormat  `env:"LOG_FORMAT" accepts:"json or text"`

	IdleTimeout    time.Duration `env:"IDLE_TIMEOUT" min:"1" accepts:"a duration > 0 such as 30s"`
	DBRetry        time.Duration `env:"DB_RETRY_INTERVAL" min:"1" accepts:"a duration > 0 such as 1s"`
	MaxConnections int           `env:"MAX_CONNECTIONS" min:"0" accepts:"a whole number >= 0 (0: no cap)"`
	CORSOrigins    []string      `env:"CORS_ORIGINS" accepts:"origins, comma separated"`
	// ExportDir keeps the bulk exports of the current data version; default: beside the SQLite
	// file, or a folder of the system's temp dir named after the PostgreSQL URL (ExportDirectory).
	ExportDir string `env:"EXPORT_DIR" accepts:"a folder path"`

	RedisURL       string        `env:"REDIS_URL" accepts:"a redis:// URL"`
	RedisPrefix    string        `env:"REDIS_PREFIX" accepts:"a key prefix"`
	Cache          OnOff         `env:"RESPONSE_CACHE" accepts:"on or off"`
	CacheEntries   int           `env:"RESPONSE_CACHE_ENTRIES" min:"1" accepts:"a whole number > 0 (RESPONSE_CACHE=off turns the cache off)"`
	CacheBytes     int64         `env:"RESPONSE_CACHE_BYTES" min:"1" accepts:"a number of bytes > 0"`
	CacheTTL       time.Duration `env:"RESPONSE_CACHE_TTL" min:"1" accepts:"a duration > 0 such as 10m"`
	TrustedProxies Prefixes      `env:"TRUSTED_PROXIES" accepts:"addresses or CIDR prefixes, comma separated"`

	OTLPEndpoint       string `env:"OTEL_EXPORTER_OTLP_ENDPOINT" accepts:"a URL"`
	OTLPTracesEndpoint string `env:"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT" accepts:"a URL"`

	Limits LimitVars

	// Not read from the environment.
	ReadHeaderTimeout time.Duration
	ReadTimeout       time.Duration
	WriteTimeout      time.Duration
	ShutdownTimeout   time.Duration
	APQTTL            time.Duration // how long Redis keeps a persisted query after its last use
}

// LimitVars are the LIMIT_* settings; Config.LimitConfig hands them to internal/limits.
type LimitVars struct {
	BodyBytes     int64         `env:"LIMIT_BODY_BYTES" min:"1" accepts:"a number of bytes > 0"`
	Tokens        int           `env:"LIMIT_TOKENS" min:"0" accepts:"a whole number >= 0"`
	Depth         int           `env:"LIMIT_DEPTH" min:"0" accepts:"a whole number >= 0"`
	Aliases       int           `env:"LIMIT_ALIASES" min:"0" accepts:"a whole number >= 0"`
	Directives    int           `env:"LIMIT_DIRECTIVES" min:"0" accepts:"a whole number >= 0"`
	RootFields    int           `env:"LIMIT_ROOT_FIELDS" min:"0" accepts:"a whole number >= 0"`
	Repeats       int           `env:"LIMIT_REPEATED_FIELDS" min:"0" accepts:"a whole number >= 0"`
	Cost          int           `env:"LIMIT_COST" min:"0" accepts:"a whole number >= 0"`
	RatePerMinute int           `env:"LIMIT_RATE_PER_MINUTE" min:"0" accepts:"a whole number >= 0 (0: no rate limit)"`
	Timeout       time.Duration `env:"LIMIT_TIMEOUT" min:"1" accepts:"a duration > 0 such as 10s"`
}

// Defaults is the configuration with nothing set.
func Defaults() Config {
	l := limits.Defaults()
	return Config{
		SQLitePath:        "cybertrade.db",
		Addr:              ":8080",
		LogLevel:          slog.LevelInfo,
		LogFormat:         "json",
		IdleTimeout:       30 * time.Second, // keep-alive connections are closed sooner at MAX_CONNECTIONS
		DBRetry:           time.Second,
		MaxConnections:    connlimit.DefaultMax(),
		RedisPrefix:       "cybertrade:",
		Cache:             true,
		CacheEntries:      1000,
		CacheBytes:        32 << 20,
		CacheTTL:          10 * time.Minute,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       15 * time.Second,
		WriteTimeout:      30 * time.Second,
		ShutdownTimeout:   20 * time.Second,
		APQTTL:            7 * 24 * time.Hour,
		Limits: LimitVars{
			BodyBytes: l.MaxBodyBytes, Tokens: l.MaxTokens, Depth: l.MaxDepth, Aliases: l.MaxAliases,
			Directives: l.MaxDirectives, RootFields: l.MaxRootFields, Repeats: l.MaxRepeats,
			Cost: l.MaxCost, RatePerMinute: l.RatePerMinute, Timeout: l.Timeout,
		},
	}
}

// Parse returns Defaults overridden by the variables getenv reports set (non-empty), or the
// first setting refused, naming the variable, the value and what it accepts.
func Parse(getenv func(string) string) (Config, error) {
	c := Defaults()
	vars := map[string]string{}
	for _, f := range fields() {
		if v := getenv(f.key); v != "" {
			vars[f.key] = v
		}
	}
	err := env.ParseWithOptions(&c, env.Options{Environment: vars})
	var agg env.AggregateError
	if errors.As(err, &agg) {
		for _, e := range agg.Errors {
			var pe env.ParseError
			if errors.As(e, &pe) {
				if f, ok := byField()[pe.Name]; ok {
					return c, f.refuse(vars[f.key])
				}
			}
		}
	}
	if err != nil {
		return c, err
	}
	for _, f := range fields() {
		if f.min == "" || vars[f.key] == "" {
			continue
		}
		n, err := strconv.ParseInt(f.min, 10, 64)
		if err != nil {
			return c, fmt.Errorf("config: field %s: min %q: %w", f.name, f.min, err)
		}
		if f.value(&c).Int() < n {
			return c, f.refuse(vars[f.key])
		}
	}
	c.CORSOrigins = trimmed(c.CORSOrigins)
	return c, nil
}

// LimitConfig is the configuration of internal/limits.
func (c Config) LimitConfig() limits.Config {
	l := limits.Defaults()
	v := c.Limits
	l.MaxBodyBytes, l.MaxTokens, l.MaxDepth, l.MaxAliases = v.BodyBytes, v.Tokens, v.Depth, v.Aliases
	l.MaxDirectives, l.MaxRootFields, l.MaxRepeats = v.Directives, v.RootFields, v.Repeats
	l.MaxCost, l.RatePerMinute, l.Timeout = v.Cost, v.RatePerMinute, v.Timeout
	return l
}

// Tracing reports whether an OTLP endpoint is set, which turns tracing on.
func (c Config) Tracing() bool { return c.OTLPEndpoint != "" || c.OTLPTracesEndpoint != "" }

// ExportDirectory is where the server keeps the bulk exports (see ExportDir).
func (c Config) ExportDirectory() string {
	switch {
	case c.ExportDir != "":
		return c.ExportDir
	case c.DatabaseURL == "":
		return c.SQLitePath + ".exports"
	}
	sum := sha256.Sum256([]byte(c.DatabaseURL))
	return filepath.Join(os.TempDir(), "cybertrade-exports-"+hex.EncodeToString(sum[:6]))
}

// DSN is what store.Open takes.
func (c Config) DSN() string {
	if c.DatabaseURL != "" {
		return c.DatabaseURL
	}
	return c.SQLitePath
}

// MaskedDSN is the database for logs, with the password of a URL hidden.
func (c Config) MaskedDSN() string {
	if c.DatabaseURL == "" {
		return "sqlite:" + c.SQLitePath
	}
	return Masked(c.DatabaseURL)
}

// Masked hides the password of a URL for logs.
func Masked(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable URL)"
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}

// Logger is the structured logger LOG_LEVEL and LOG_FORMAT ask for, on standard error.
func (c Config) Logger() *slog.Logger {
	opts := &slog.HandlerOptions{Level: c.LogLevel}
	if c.LogFormat == "text" {
		return slog.New(slog.NewTextHandler(os.Stderr, opts))
	}
	return slog.New(slog.NewJSONHandler(os.Stderr, opts))
}

// Keys lists every variable Config reads, in declaration order.
func Keys() []string {
	var out []string
	for _, f := range fields() {
		out = append(out, f.key)
	}
	return out
}

// LogFormat is json or text.
type LogFormat string

// UnmarshalText accepts json or text, in any case.
func (f *LogFormat) UnmarshalText(b []byte) error {
	switch s := strings.ToLower(string(b)); s {
	case "json", "text":
		*f = LogFormat(s)
		return nil
	}
	return errors.New("unknown log format")
}

// OnOff is a switch: on, true or 1; off, false or 0.
type OnOff bool

// UnmarshalText accepts on/true/1 and off/false/0, in any case.
func (o *OnOff) UnmarshalText(b []byte) error {
	switch strings.ToLower(string(b)) {
	case "on", "true", "1":
		*o = true
	case "off", "false", "0":
		*o = false
	default:
		return errors.New("not on or off")
	}
	return nil
}

// Prefixes are network prefixes; a bare address is a prefix of its full length.
type Prefixes []netip.Prefix

// UnmarshalText reads addresses or CIDR prefixes, comma separated.
func (p *Prefixes) UnmarshalText(b []byte) error {
	out, err := ParsePrefixes(string(b))
	*p = out
	return err
}

// ParsePrefixes reads a comma-separated list of addresses or CIDR prefixes; a bare address is
// a prefix of its full length.
func ParsePrefixes(s string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for part := range strings.SplitSeq(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		if !strings.Contains(part, "/") {
			a, err := netip.ParseAddr(part)
			if err != nil {
				return nil, err
			}
			out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
			continue
		}
		pre, err := netip.ParsePrefix(part)
		if err != nil {
			return nil, err
		}
		out = append(out, pre.Masked())
	}
	return out, nil
}

func trimmed(ss []string) []string {
	var out []string
	for _, s := range ss {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// field is one setting as its struct tags describe it.
type field struct {
	name, key, accepts, min string
	index                   []int
}

func (f field) refuse(value string) error {
	return fmt.Errorf("%s=%q: want %s", f.key, value, f.accepts)
}

func (f field) value(c *Config) reflect.Value { return reflect.ValueOf(c).Elem().FieldByIndex(f.index) }

func fields() []field {
	var out []field
	var walk func(t reflect.Type, index []int)
	walk = func(t reflect.Type, index []int) {
		for i := range t.NumField() {
			sf := t.Field(i)
			idx := append(append([]int(nil), index...), i)
			if sf.Type.Kind() == reflect.Struct && sf.Tag.Get("env") == "" && sf.Type.PkgPath() == t.PkgPath() {
				walk(sf.Type, idx)
				continue
			}
			if key := sf.Tag.Get("env"); key != "" {
				out = append(out, field{name: sf.Name, key: key, accepts: sf.Tag.Get("accepts"), min: sf.Tag.Get("min"), index: idx})
			}
		}
	}
	walk(reflect.TypeFor[Config](), nil)
	return out
}

func byField() map[string]field {
	m := map[string]field{}
	for _, f := range fields() {
		m[f.name] = f
	}
	return m
}
