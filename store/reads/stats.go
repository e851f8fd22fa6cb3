package reads

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/cybertrade/cybertrade/internal/apperr"
	"github.com/cybertrade/cybertrade/model"
	"github.com/cybertrade/cybertrade/store/core"
	"github.com/cybertrade/cybertrade/store/version"
)

// Dimension is what moves are counted by.
type Dimension string

// Dimensions of GroupMoves. A move with several values (concerns, product categories, target
// companies) counts once under each, so buckets may sum to more than the moves counted.
const (
	ByOption        Dimension = "OPTION"         // the country or company option
	ByKind          Dimension = "KIND"           // ACTION or RESPONSE
	ByCountry       Dimension = "COUNTRY"        // the acting country, or the country answered
	ByYear          Dimension = "YEAR"           // the year of the move's date
	ByConcern       Dimension = "CONCERN"        // the move's own concerns (actions)
	ByCategory      Dimension = "CATEGORY"       // the categories of the products it concerns
	ByCompany       Dimension = "COMPANY"        // the responding company
	ByTargetCompany Dimension = "TARGET_COMPANY" // the companies an action targets
	ByHomeCountry   Dimension = "HOME_COUNTRY"   // the responding company's home country
	ByInstrument    Dimension = "INSTRUMENT"     // the move's instrument
)

// dimensionSQL gives the joins, the bucket value and the bucket label of a dimension.
func dimensionSQL(d Dimension) (joins, value, label string, ok bool) {
	switch d {
	case ByOption:
		return "", "COALESCE(m.country_option, m.company_option)", "NULL", true
	case ByKind:
		return "", "m.kind", "NULL", true
	case ByInstrument:
		return "", "m.instrument", "NULL", true
	case ByCountry:
		return "JOIN countries gc ON gc.id = m.country_id AND gc.deleted_at IS NULL", "gc.code", "gc.name", true
	case ByYear:
		return "", "SUBSTR(m.date, 1, 4)", "NULL", true
	case ByConcern:
		return "JOIN move_concerns gcn ON gcn.move_id = m.id", "gcn.concern", "NULL", true
	case ByCategory:
		return "JOIN move_products gmp ON gmp.move_id = m.id JOIN products gp ON gp.id = gmp.product_id AND gp.deleted_at IS NULL",
			"gp.category", "NULL", true
	case ByCompany:
		return "JOIN companies gco ON gco.id = m.company_id AND gco.deleted_at IS NULL", "gco.slug", "gco.name", true
	case ByTargetCompany:
		return "JOIN move_companies gmc ON gmc.move_id = m.id JOIN companies gco ON gco.id = gmc.company_id AND gco.deleted_at IS NULL",
			"gco.slug", "gco.name", true
	case ByHomeCountry:
		return "JOIN companies gco ON gco.id = m.company_id JOIN countries gh ON gh.id = gco.home_country_id AND gh.deleted_at IS NULL",
			"gh.code", "gh.name", true
	}
	return "", "", "", false
}

type bucketRow struct {
	ParentKey int64
	Value     string
	Label     *string
	N         int
}

// GroupMoves counts the moves a query matches by a dimension, in one GROUP BY statement: for
// every parent of a nested scope at once, or (ScopeNone, parents nil) for the whole list, whose
// buckets are under key 0. Buckets come ordered by value.
func (s *Reader) GroupMoves(ctx context.Context, sc MoveScope, parents []int64, q MoveQuery, d Dimension) (map[int64][]model.Bucket, error) {
	joins, value, label, ok := dimensionSQL(d)
	if !ok {
		return nil, apperr.Errorf(apperr.Invalid, "unknown dimension %q", d)
	}
	l, parent, err := s.moveSpec(ctx, sc, q)
	if err != nil {
		return nil, err
	}
	out := map[int64][]model.Bucket{}
	var extra []core.Clause
	if sc == ScopeNone {
		parent = "0"
	} else {
		if len(parents) == 0 {
			return out, nil
		}
		extra = append(extra, core.Clause{SQL: parent + " IN ?", Args: []any{parents}})
	}
	where, args := l.whereSQL(extra...)
	group := []string{value}
	if sc != ScopeNone {
		group = append(group, parent)
	}
	if label != "NULL" {
		group = append(group, label)
	}
	sql := fmt.Sprintf("SELECT %s AS parent_key, %s AS value, %s AS label, COUNT(DISTINCT m.id) AS n FROM %s %s%s GROUP BY %s",
		parent, value, label, l.from, joins, where, strings.Join(group, ", "))
	read := func() ([]bucketRow, error) {
		var rows []bucketRow
		err := s.db.Read(ctx).Raw(sql, args...).Scan(&rows).Error
		return rows, err
	}
	var rows []bucketRow
	if sc == ScopeNone {
		// A whole-list aggregation reads every matching row: kept per data version.
		rows, err = version.Cached(ctx, s.ver, aggKey(sql, args), read)
	} else {
		rows, err = read()
	}
	if err != nil {
		return nil, core.Translate(err, "counts")
	}
	rows = slices.Clone(rows) // sorted below; the cached slice stays as read
	// Ordered here, bytewise, so both engines agree (PostgreSQL would follow its collation).
	sort.Slice(rows, func(i, j int) bool {
		if rows[i].ParentKey != rows[j].ParentKey {
			return rows[i].ParentKey < rows[j].ParentKey
		}
		return rows[i].Value < rows[j].Value
	})
	for _, r := range rows {
		out[r.ParentKey] = append(out[r.ParentKey], model.Bucket{Value: r.Value, Label: r.Label, Count: r.N})
	}
	return out, nil
}

// OptionPair is one cell of a matrix of options: how many moves of one option are linked to
// moves of the other.
type OptionPair struct {
	Row string `gorm:"column:row_opt"`
	Col string `gorm:"column:col_opt"`
	N   int
}

// ActionResponseMatrix counts, for each pair of a country option and a company option, the
// responses with that company option that answered an action with that country option, in one
// statement. actions and responses narrow the two sides.
func (s *Reader) ActionResponseMatrix(ctx context.Context, actions, responses MoveQuery) ([]OptionPair, error) {
	return s.linkMatrix(ctx, actions, responses, "a.country_option", "r.company_option", "r.id", "l.target_id", "l.reply_id")
}

// AfterResponse counts, for each pair of a company option and a country option, the country
// actions with that option that replied to a response with that company option, in one
// statement. responses and actions narrow the two sides.
func (s *Reader) AfterResponse(ctx context.Context, responses, actions MoveQuery) ([]OptionPair, error) {
	return s.linkMatrix(ctx, actions, responses, "r.company_option", "a.country_option", "a.id", "l.reply_id", "l.target_id")
}

// linkMatrix counts links between actions (a) and responses (r); aCol and rCol say which end of
// the link each is.
func (s *Reader) linkMatrix(ctx context.Context, actions, responses MoveQuery, row, col, counted, aCol, rCol string) ([]OptionPair, error) {
	actions.Kinds, actions.CompanyOptions = []model.MoveKind{model.MoveKindAction}, nil
	responses.Kinds, responses.CountryOptions = []model.MoveKind{model.MoveKindResponse}, nil
	al, _, err := s.moveSpec(ctx, ScopeNone, actions)
	if err != nil {
		return nil, err
	}
	rl, _, err := s.moveSpec(ctx, ScopeNone, responses)
	if err != nil {
		return nil, err
	}
	aw, aargs := al.whereSQL()
	rw, rargs := rl.whereSQL()
	sql := fmt.Sprintf(`SELECT %s AS row_opt, %s AS col_opt, COUNT(DISTINCT %s) AS n
		FROM move_links l JOIN moves a ON a.id = %s JOIN moves r ON r.id = %s
		WHERE a.id IN (SELECT m.id FROM moves m%s) AND r.id IN (SELECT m.id FROM moves m%s)
		GROUP BY %s, %s`, row, col, counted, aCol, rCol, aw, rw, row, col)
	args := append(aargs, rargs...)
	out, err := version.Cached(ctx, s.ver, aggKey(sql, args), func() ([]OptionPair, error) {
		var out []OptionPair
		err := s.db.Read(ctx).Raw(sql, args...).Scan(&out).Error
		return out, err
	})
	return out, core.Translate(err, "counts")
}

// aggKey identifies an aggregation by its statement and arguments.
func aggKey(sql string, args []any) string {
	return sql + "\x00" + fmt.Sprintf("%#v", args)
}
