package reads

import (
	"context"
	"fmt"
	"strings"

	"github.com/cybertrade/cybertrade/internal/apperr"
	"github.com/cybertrade/cybertrade/model"
	"github.com/cybertrade/cybertrade/store/core"
)

// MaxChainDepth bounds how many links a chain follows from its start.
const MaxChainDepth = 10

// ChainStep is a move reached from a chain's start: Depth links forward (positive, through
// replies) or backward (negative, through inReplyTo), from Via, the move one link closer to
// the start.
type ChainStep struct {
	model.MoveRecord
	Depth int    `gorm:"column:chain_depth"`
	Via   *int64 `gorm:"column:chain_via"`
}

// chainWalk is one direction of the recursive walk over move_links: from the start's column
// `from` to the column `to`, never through a deleted move, never twice through one move (the
// path holds the ids visited, so cycles end).
func chainWalk(name, from, to string) string {
	return fmt.Sprintf(`%[1]s(id, via, depth, path) AS (
		SELECT l.%[3]s, l.%[2]s, 1, CAST(',' || l.%[2]s || ',' || l.%[3]s || ',' AS TEXT)
		FROM move_links l JOIN moves x ON x.id = l.%[3]s AND x.deleted_at IS NULL
		WHERE l.%[2]s = ?
		UNION ALL
		SELECT l.%[3]s, l.%[2]s, w.depth + 1, w.path || l.%[3]s || ','
		FROM %[1]s w JOIN move_links l ON l.%[2]s = w.id JOIN moves x ON x.id = l.%[3]s AND x.deleted_at IS NULL
		WHERE w.depth < ? AND w.path NOT LIKE ('%%,' || l.%[3]s || ',%%'))`, name, from, to)
}

// Chain follows the causal links of a move, in one statement (a recursive CTE): forward through
// the moves that replied to it, backward through the moves it answered, or both, up to
// maxDepth links. Each move comes once per direction, at its shortest distance; steps are
// ordered by depth (backward ones first), then date, then id. The start itself is not among them.
func (s *Reader) Chain(ctx context.Context, start int64, forward, backward bool, maxDepth int) ([]ChainStep, error) {
	if maxDepth < 0 || maxDepth > MaxChainDepth {
		return nil, apperr.InvalidField("maxDepth", "%d is outside 0..%d", maxDepth, MaxChainDepth)
	}
	if maxDepth == 0 || (!forward && !backward) {
		return []ChainStep{}, nil
	}
	var ctes, steps []string
	var args []any
	if forward {
		ctes = append(ctes, chainWalk("fwd", "target_id", "reply_id"))
		steps = append(steps, "SELECT id, via, depth FROM fwd")
		args = append(args, start, maxDepth)
	}
	if backward {
		ctes = append(ctes, chainWalk("bwd", "reply_id", "target_id"))
		steps = append(steps, "SELECT id, via, -depth FROM bwd")
		args = append(args, start, maxDepth)
	}
	sql := "WITH RECURSIVE " + strings.Join(ctes, ", ") + `,
		steps(id, via, depth) AS (` + strings.Join(steps, " UNION ALL ") + `),
		best AS (SELECT id, via, depth, ROW_NUMBER() OVER (PARTITION BY id, depth > 0 ORDER BY ABS(depth), via) AS rn FROM steps)
		SELECT m.*, b.depth AS chain_depth, b.via AS chain_via FROM best b JOIN moves m ON m.id = b.id
		WHERE b.rn = 1 ORDER BY b.depth, m.sort_key, m.id`
	var out []ChainStep
	if err := s.db.Read(ctx).Raw(sql, args...).Scan(&out).Error; err != nil {
		return nil, core.Translate(err, "chain")
	}
	return out, nil
}
