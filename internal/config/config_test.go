package config

import (
	"log/slog"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func getenv(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestDefaults(t *testing.T) {
	c, err := Parse(getenv(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != ":8080" || c.SQLitePath != "cybertrade.db" || c.LogLevel != slog.LevelInfo || c.LogFormat != "json" ||
		c.DBRetry != time.Second || !c.Cache || c.CacheEntries != 1000 || c.Limits.Depth != 12 || c.LimitConfig().MaxCost != 10000 {
		t.Fatalf("defaults: %+v", c)
	}
	if c.Tracing() {
		t.Fatal("tracing on without an endpoint")
	}
}

func TestParseSetsEverySetting(t *testing.T) {
	c, err := Parse(getenv(map[string]string{
		"LOG_LEVEL": "debug", "LOG_FORMAT": "TEXT", "DB_RETRY_INTERVAL": "250ms", "LIMIT_DEPTH": "3",
		"LIMIT_TIMEOUT": "2s", "LIMIT_BODY_BYTES": "100", "MAX_CONNECTIONS": "0", "RESPONSE_CACHE": "off",
		"CORS_ORIGINS": " https://a.example , ,https://b.example", "TRUSTED_PROXIES": "10.0.0.0/8, 192.168.1.1",
		"OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4318",
	}))
	if err != nil {
		t.Fatal(err)
	}
	l := c.LimitConfig()
	if c.LogLevel != slog.LevelDebug || c.LogFormat != "text" || c.DBRetry != 250*time.Millisecond ||
		l.MaxDepth != 3 || l.Timeout != 2*time.Second || l.MaxBodyBytes != 100 || l.DefaultPage != 20 ||
		c.MaxConnections != 0 || bool(c.Cache) || !c.Tracing() {
		t.Fatalf("parsed: %+v", c)
	}
	if strings.Join(c.CORSOrigins, "|") != "https://a.example|https://b.example" {
		t.Fatalf("CORS_ORIGINS: %q", c.CORSOrigins)
	}
	want := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("192.168.1.1/32")}
	if len(c.TrustedProxies) != 2 || c.TrustedProxies[0] != want[0] || c.TrustedProxies[1] != want[1] {
		t.Fatalf("TRUSTED_PROXIES: %v", c.TrustedProxies)
	}
}

// Each refusal names the variable, the value and what the variable accepts.
func TestInvalidValuesAreRefused(t *testing.T) {
	for _, tc := range []struct{ key, value, accepts string }{
		{"LOG_LEVEL", "verbose", "debug, info, warn or error"},
		{"LOG_FORMAT", "xml", "json or text"},
		{"DB_RETRY_INTERVAL", "abc", "a duration > 0"},
		{"DB_RETRY_INTERVAL", "-1s", "a duration > 0"},
		{"LIMIT_DEPTH", "-3", "a whole number >= 0"},
		{"LIMIT_COST", "lots", "a whole number >= 0"},
		{"LIMIT_BODY_BYTES", "0", "a number of bytes > 0"},
		{"LIMIT_TIMEOUT", "soon", "a duration > 0"},
		{"MAX_CONNECTIONS", "x", "a whole number >= 0"},
		{"IDLE_TIMEOUT", "0s", "a duration > 0"},
		{"RESPONSE_CACHE", "maybe", "on or off"},
		{"RESPONSE_CACHE_ENTRIES", "0", "a whole number > 0"},
		{"RESPONSE_CACHE_TTL", "1", "a duration > 0"},
		{"TRUSTED_PROXIES", "10.0.0.0/99", "addresses or CIDR prefixes"},
	} {
		_, err := Parse(getenv(map[string]string{tc.key: tc.value}))
		if err == nil {
			t.Errorf("%s=%s accepted", tc.key, tc.value)
			continue
		}
		if msg := err.Error(); !strings.HasPrefix(msg, tc.key+"=\""+tc.value+"\"") || !strings.Contains(msg, tc.accepts) {
			t.Errorf("%s=%s: %q does not name the variable and %q", tc.key, tc.value, msg, tc.accepts)
		}
	}
}

// The README's Configuration table lists every variable Config reads.
func TestREADMEListsEverySetting(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range Keys() {
		if !strings.Contains(string(b), "| `"+k+"` |") {
			t.Errorf("README's Configuration table has no row for %s", k)
		}
	}
}
