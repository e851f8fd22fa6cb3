package store

import (
	"context"
	"fmt"
	"strings"
)

// dumpQueries read every table by natural keys, in a stable order, so two databases loaded
// different ways can be compared row by row.
var dumpQueries = []string{
	"SELECT code, alpha3, name, region, supranational FROM countries ORDER BY code",
	"SELECT co.slug, co.name, h.code, co.sector, co.description, co.aliases FROM companies co LEFT JOIN countries h ON h.id = co.home_country_id ORDER BY co.slug",
	"SELECT p.slug, p.name, p.category, p.description, co.slug FROM products p JOIN companies co ON co.id = p.company_id ORDER BY p.slug",
	"SELECT key, title, publisher, date, date_precision, url, note FROM sources ORDER BY key",
	"SELECT slug, title, summary, start_date, end_date FROM cases ORDER BY slug",
	`SELECT m.slug, m.kind, m.country_option, m.company_option, k.slug, c.code, co.slug, m.actor, m.date, m.date_precision,
		m.date_start, m.date_end, m.title, m.summary, m.confidence, m.coding_note
		FROM moves m JOIN cases k ON k.id = m.case_id JOIN countries c ON c.id = m.country_id LEFT JOIN companies co ON co.id = m.company_id ORDER BY m.slug`,
	"SELECT k.slug, s.key FROM case_sources x JOIN cases k ON k.id = x.case_id JOIN sources s ON s.id = x.source_id ORDER BY 1, 2",
	"SELECT m.slug, x.concern FROM move_concerns x JOIN moves m ON m.id = x.move_id ORDER BY 1, 2",
	"SELECT m.slug, co.slug FROM move_companies x JOIN moves m ON m.id = x.move_id JOIN companies co ON co.id = x.company_id ORDER BY 1, 2",
	"SELECT m.slug, p.slug FROM move_products x JOIN moves m ON m.id = x.move_id JOIN products p ON p.id = x.product_id ORDER BY 1, 2",
	"SELECT m.slug, c.code FROM move_counterparts x JOIN moves m ON m.id = x.move_id JOIN countries c ON c.id = x.country_id ORDER BY 1, 2",
	"SELECT m.slug, s.key FROM move_sources x JOIN moves m ON m.id = x.move_id JOIN sources s ON s.id = x.source_id ORDER BY 1, 2",
	"SELECT r.slug, t.slug FROM move_links x JOIN moves r ON r.id = x.reply_id JOIN moves t ON t.id = x.target_id ORDER BY 1, 2",
	"SELECT version, title, license, license_url, citation FROM dataset_meta",
}

// DumpForTest renders every table by natural keys, one line per row.
func (s *Store) DumpForTest(ctx context.Context) (string, error) {
	var b strings.Builder
	for _, q := range dumpQueries {
		rows, err := s.Primary(ctx).Raw(q).Rows()
		if err != nil {
			return "", err
		}
		cols, _ := rows.Columns()
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				rows.Close()
				return "", err
			}
			for i, v := range vals {
				if bs, ok := v.([]byte); ok {
					v = string(bs)
				}
				if i > 0 {
					b.WriteByte('|')
				}
				fmt.Fprint(&b, v)
			}
			b.WriteByte('\n')
		}
		rows.Close()
		b.WriteString("--\n")
	}
	return b.String(), nil
}
