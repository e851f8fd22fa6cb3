package reads

import (
	"context"
	"strings"

	"gorm.io/gorm"
)

// SearchPlanForTest returns the PostgreSQL plan of a search over every type, with sequential
// scans disabled, so a test can check that the query's tsvector expressions match the indexes.
func (s *Reader) SearchPlanForTest(ctx context.Context, text string) (string, error) {
	st, err := parseSearchText(text)
	if err != nil {
		return "", err
	}
	q, args := s.searchHits(st, nil)
	var plan []string
	err = s.db.Primary(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Exec("SET LOCAL enable_seqscan = off").Error; err != nil {
			return err
		}
		rows, err := tx.Raw("EXPLAIN "+q, args...).Rows()
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var line string
			if err := rows.Scan(&line); err != nil {
				return err
			}
			plan = append(plan, line)
		}
		return rows.Err()
	})
	return strings.Join(plan, "\n"), err
}
