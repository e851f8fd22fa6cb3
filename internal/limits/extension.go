package limits

import (
	"context"
	"math"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/lexer"
	"github.com/vektah/gqlparser/v2/parser"

	"github.com/cybertrade/cybertrade/internal/apperr"
)

// Window is the rate-limit window: budgets are per client per minute.
const Window = time.Minute

// Extension is the gqlgen handler extension that enforces the limits on every operation. It
// runs on the raw parameters, after persisted queries are resolved and before gqlgen
// validates the document, so that validation never runs on a document the limits refuse.
type Extension struct {
	cfg    Config
	rates  RateStore
	schema *ast.Schema
	docs   *Documents
	now    func() time.Time
	rows   func(context.Context) int
}

// NewExtension returns the extension; rates may be nil when cfg.RatePerMinute is 0. rows,
// when not nil, tells how many rows a whole-table read goes through (the data's size), by
// which such reads are priced; nil prices each at 1.
func NewExtension(cfg Config, rates RateStore, rows func(context.Context) int) *Extension {
	if rates == nil {
		rates = NewMemoryRates()
	}
	return &Extension{cfg: cfg, rates: rates, docs: NewDocuments(1000), now: time.Now, rows: rows}
}

// Documents is the extension's cache of parsed documents: give it to gqlgen as its query cache
// (handler.SetQueryCache) so that the limits and the executor parse a query once.
func (e *Extension) Documents() *Documents { return e.docs }

var _ interface {
	graphql.HandlerExtension
	graphql.OperationParameterMutator
	graphql.OperationContextMutator
} = (*Extension)(nil)

// ExtensionName implements graphql.HandlerExtension.
func (e *Extension) ExtensionName() string { return "Limits" }

// Validate implements graphql.HandlerExtension; it keeps the schema for cost analysis.
func (e *Extension) Validate(es graphql.ExecutableSchema) error {
	e.schema = es.Schema()
	return nil
}

// Config is the extension's configuration.
func (e *Extension) Config() Config { return e.cfg }

// Rates is the store the extension charges.
func (e *Extension) Rates() RateStore { return e.rates }

// Refusal builds a GraphQL error carrying code and extra extensions.
func Refusal(code string, ext map[string]any, format string, args ...any) *gqlerror.Error {
	err := gqlerror.Errorf(format, args...)
	err.Extensions = map[string]any{"code": code}
	for k, v := range ext {
		err.Extensions[k] = v
	}
	return err
}

// MutateOperationParameters implements graphql.OperationParameterMutator. It refuses, before
// gqlgen validates anything, a document of which any operation or fragment (used or not) is
// over a limit: validation works on the whole document, and some of its rules are quadratic.
func (e *Extension) MutateOperationParameters(ctx context.Context, raw *graphql.RawParams) *gqlerror.Error {
	req := RequestFrom(ctx)
	if req == nil {
		req = NewRequest("")
	}
	doc, perr := e.parse(raw.Query)
	if perr != nil {
		if perr == errTooManyTokens || strings.Contains(perr.Message, "exceeded token limit") {
			return Refusal(apperr.QueryTooLarge, map[string]any{"limit": e.cfg.MaxTokens},
				"the query has more than %d tokens; split it into smaller queries", e.cfg.MaxTokens)
		}
		return nil // gqlgen reports the syntax error with its position
	}
	weight := e.scanWeight(ctx)
	all := AnalyzeDocument(e.schema, doc, raw.Variables, e.cfg.DefaultPage)
	allCost := sat(all.Cost + mul(all.Scans, weight))
	op := doc.Operations.ForName(raw.OperationName)
	if op != nil {
		st := Analyze(e.schema, doc, op, raw.Variables, e.cfg.DefaultPage)
		cost := sat(st.Cost + mul(st.Scans, weight))
		req.analyzed(op.Name, cost, e.cfg.MaxCost)
		if len(doc.Operations) == 1 {
			allCost = cost // the one operation: priced with its own defaults
		}
		allCost = max(allCost, cost)
	}
	checks := []struct {
		code        string
		value, max  int
		what, fixIt string
	}{
		{apperr.QueryTooDeep, all.Depth, e.cfg.MaxDepth, "nests fields %d deep; the maximum is %d", "flatten it or fetch the deeper part by id with node(id:)"},
		{apperr.TooManyAliases, all.Aliases, e.cfg.MaxAliases, "has %d aliases; the maximum is %d", "use nodes(ids:) or a filter instead of aliased copies"},
		{apperr.TooManyDirectives, all.Directives, e.cfg.MaxDirectives, "has %d directives; the maximum is %d", "remove the repeated directives"},
		{apperr.TooManyRootFields, all.RootFields, e.cfg.MaxRootFields, "selects %d root fields; the maximum is %d", "split it into several queries"},
		{apperr.TooManyRepeats, all.Repeats, e.cfg.MaxRepeats, "selects one field %d times in one place; the maximum is %d", "select each field once"},
		{apperr.QueryTooCostly, allCost, e.cfg.MaxCost, "costs %d; the maximum is %d", "ask for smaller pages (first/last), fewer nested lists or fewer counts and aggregations"},
	}
	for _, c := range checks {
		if c.max > 0 && c.value > c.max {
			return Refusal(c.code, map[string]any{"limit": c.max, "value": c.value},
				"the query "+c.what+" (in any operation or fragment of the document): "+c.fixIt, c.value, c.max)
		}
	}
	return nil
}

// MutateOperationContext implements graphql.OperationContextMutator: it charges the operation's
// cost to the client's budget once gqlgen has validated it and every other check has passed
// (register the extension last), so that a request refused for any reason costs nothing.
func (e *Extension) MutateOperationContext(ctx context.Context, _ *graphql.OperationContext) *gqlerror.Error {
	req := RequestFrom(ctx)
	if req == nil || !req.Operation().Analyzed {
		return nil
	}
	if e.cfg.RatePerMinute <= 0 {
		req.admitted()
		return nil
	}
	cost := max(req.Operation().Cost, 1)
	u, err := e.rates.Take(ctx, req.Client(), cost, e.cfg.RatePerMinute, Window, e.now())
	if err != nil {
		req.admitted()
		return nil // a failing shared store must not take the API down: serve, unmetered
	}
	req.charged(req.Operation().Cost, u)
	if !u.Allowed {
		retry := RetryAfter(u, e.now())
		return Refusal(apperr.RateLimited, map[string]any{"limit": u.Limit, "remaining": u.Remaining,
			"resetAt": u.Reset.UTC().Format(time.RFC3339), "retryAfter": retry},
			"this query costs %d but %d of your budget of %d per minute remain; retry after %d s",
			cost, u.Remaining, u.Limit, retry)
	}
	req.admitted()
	return nil
}

// ScanUnit is how many rows of data one unit of cost pays for in a whole-table read
// (totalCount, search, a stats or facets field): such a field costs 1 + rows/ScanUnit.
const ScanUnit = 100

// scanWeight is the cost of one whole-table read with the data as large as it is now.
func (e *Extension) scanWeight(ctx context.Context) int {
	if e.rows == nil {
		return 1
	}
	return 1 + max(e.rows(ctx), 0)/ScanUnit
}

// RetryAfter is the whole number of seconds until u's window resets (at least 1).
func RetryAfter(u Usage, now time.Time) int {
	return max(1, int(math.Ceil(u.Reset.Sub(now).Seconds())))
}

// parse parses query under the token limit, caching documents by the query's hash.
func (e *Extension) parse(query string) (*ast.QueryDocument, *gqlerror.Error) {
	if doc, ok := e.docs.Lookup(query); ok {
		return doc, nil
	}
	if e.cfg.MaxTokens > 0 && TooManyTokens(query, e.cfg.MaxTokens) {
		return nil, errTooManyTokens
	}
	doc, err := parser.ParseQueryWithTokenLimit(&ast.Source{Input: query}, e.cfg.ParserTokenLimit())
	if err != nil {
		if ge, ok := err.(*gqlerror.Error); ok {
			return nil, ge
		}
		return nil, gqlerror.Errorf("%s", err)
	}
	e.docs.addParsed(query, doc)
	return doc, nil
}

var errTooManyTokens = gqlerror.Errorf("too many tokens")

// TooManyTokens tells whether query has more than max tokens as gqlgen's parser counts them:
// punctuators, names, values and comments (commas and whitespace are not tokens). It stops
// reading at max+1. A lexical error counts as not too many: the parser
// reports it.
func TooManyTokens(query string, max int) bool {
	lx := lexer.New(&ast.Source{Input: query})
	for n := 0; n <= max; n++ {
		tok, err := lx.ReadToken()
		if err != nil || tok.Kind == lexer.EOF {
			return false
		}
	}
	return true
}
