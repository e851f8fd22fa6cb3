// Package limits keeps one client from starving the others: it bounds the size and shape of a
// GraphQL request (body, tokens, depth, aliases, directives, root fields), computes the cost of
// an operation before it runs, charges that cost to the client's per-minute budget, and bounds
// how long a request may run. Each refusal carries a stable `extensions.code`.
package limits

import (
	"time"
)

// Config holds every limit; Defaults gives the documented values. The LIMIT_* variables are
// read once, with every other setting, by internal/config, which hands the result to the server.
type Config struct {
	MaxBodyBytes  int64         // LIMIT_BODY_BYTES: request body (POST) or query string (GET) size; 64 KiB
	MaxTokens     int           // LIMIT_TOKENS: lexical tokens in the query text; 5,000
	MaxDepth      int           // LIMIT_DEPTH: nesting of fields; 12
	MaxAliases    int           // LIMIT_ALIASES: aliased fields in the operation; 30
	MaxDirectives int           // LIMIT_DIRECTIVES: directives in the operation; 50
	MaxRootFields int           // LIMIT_ROOT_FIELDS: fields at the root of the operation; 10
	MaxRepeats    int           // LIMIT_REPEATED_FIELDS: times one name may be selected in one selection set; 20
	MaxCost       int           // LIMIT_COST: cost of one operation; 10,000
	RatePerMinute int           // LIMIT_RATE_PER_MINUTE: cost budget of one client per minute; 0 turns rate limiting off
	Timeout       time.Duration // LIMIT_TIMEOUT: how long one request may run; 10s

	// DefaultPage is what a connection without first/last returns (the API's default page
	// size); cost analysis multiplies by it. Not configurable: it is the API's, not a limit.
	DefaultPage int
}

// Defaults are the limits a public deployment runs with (anchored on graphql-armor's defaults,
// GitHub's published limits and the OWASP GraphQL cheat sheet).
func Defaults() Config {
	return Config{
		MaxBodyBytes:  64 << 10,
		MaxTokens:     5000,
		MaxDepth:      12,
		MaxAliases:    30,
		MaxDirectives: 50,
		MaxRootFields: 10,
		MaxRepeats:    20,
		MaxCost:       10000,
		RatePerMinute: 100000,
		Timeout:       10 * time.Second,
		DefaultPage:   20,
	}
}

// ParserTokenLimit is the backstop given to gqlparser's parser. The extension counts tokens
// exactly with the lexer first (TooManyTokens); the parser's own count can include the end
// of the text, so it gets one more and never refuses what the lexer count allowed.
func (c Config) ParserTokenLimit() int {
	if c.MaxTokens <= 0 {
		return 0
	}
	return c.MaxTokens + 1
}
