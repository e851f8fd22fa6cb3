package migrations

import (
	"context"
	"database/sql"
	"fmt"
	"slices"

	"github.com/pressly/goose/v3"
)

// sqliteCategories is SQLite's migration 6: it adds the product categories TELECOM_SERVICE and
// TELECOM_INFRASTRUCTURE to the CHECK on products.category (PostgreSQL alters the constraint in
// its 00005). SQLite cannot alter a CHECK, and rebuilding products is not possible inside a
// transaction while foreign keys are on (renaming the table re-points the references of
// move_products). A wider CHECK changes nothing on disk, so the migration takes the way SQLite's
// documentation gives for such changes (https://www.sqlite.org/lang_altertable.html, "Making
// Other Kinds Of Table Schema Changes"): it writes the table's new definition into
// sqlite_schema and bumps the schema version, inside goose's transaction. The definition is the
// whole table as migrations 1 to 3 left it, columns in their order on disk.
func sqliteCategories() *goose.Migration {
	return goose.NewGoMigration(6,
		&goose.GoFunc{RunTx: func(ctx context.Context, tx *sql.Tx) error { return redefineProducts(ctx, tx, productsTable14) }},
		&goose.GoFunc{RunTx: func(ctx context.Context, tx *sql.Tx) error { return redefineProducts(ctx, tx, productsTable12) }})
}

// The products table, with the category CHECK of each version.
const productsTable = `CREATE TABLE products (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    slug        TEXT NOT NULL UNIQUE CHECK (slug <> '' AND slug NOT GLOB '*[^a-z0-9-]*' AND slug NOT GLOB '-*' AND slug NOT GLOB '*-' AND slug NOT GLOB '*--*'),
    name        TEXT NOT NULL CHECK (name <> ''),
    category    TEXT NOT NULL CHECK (category IN (%s)),
    description TEXT NOT NULL DEFAULT '',
    company_id  INTEGER NOT NULL REFERENCES companies(id) ON DELETE RESTRICT,
    created_at  DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at  DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    deleted_at  DATETIME,
    version     INTEGER NOT NULL DEFAULT 1 CHECK (version > 0)
)`

const categories12 = "'TELECOM_EQUIPMENT','IT_HARDWARE','SECURITY_SOFTWARE','SOFTWARE','ONLINE_SERVICE','MOBILE_DEVICE','CONSUMER_IOT','SURVEILLANCE_CAMERA','DRONE','INDUSTRIAL_CONTROL','VEHICLE','SEMICONDUCTOR'"

var (
	productsTable12 = fmt.Sprintf(productsTable, categories12)
	productsTable14 = fmt.Sprintf(productsTable, categories12+",'TELECOM_SERVICE','TELECOM_INFRASTRUCTURE'")
)

// productsColumns are the columns products must have, in order, for the definition to match
// the rows on disk.
var productsColumns = []string{"id", "slug", "name", "category", "description", "company_id", "created_at", "updated_at", "deleted_at", "version"}

func redefineProducts(ctx context.Context, tx *sql.Tx, create string) error {
	rows, err := tx.QueryContext(ctx, "SELECT name FROM pragma_table_info('products') ORDER BY cid")
	if err != nil {
		return err
	}
	var cols []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			rows.Close()
			return err
		}
		cols = append(cols, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if !slices.Equal(cols, productsColumns) {
		return fmt.Errorf("products has columns %v, not %v: refusing to redefine it", cols, productsColumns)
	}
	var version int
	if err := tx.QueryRowContext(ctx, "PRAGMA schema_version").Scan(&version); err != nil {
		return err
	}
	for _, step := range []struct {
		sql  string
		args []any
	}{
		{"PRAGMA writable_schema = ON", nil},
		{"UPDATE sqlite_schema SET sql = ? WHERE type = 'table' AND name = 'products'", []any{create}},
		{fmt.Sprintf("PRAGMA schema_version = %d", version+1), nil},
		{"PRAGMA writable_schema = OFF", nil},
	} {
		if _, err := tx.ExecContext(ctx, step.sql, step.args...); err != nil {
			return fmt.Errorf("redefining products: %w", err)
		}
	}
	var check string
	if err := tx.QueryRowContext(ctx, "PRAGMA quick_check(products)").Scan(&check); err != nil {
		return err
	}
	if check != "ok" {
		return fmt.Errorf("redefining products: quick_check says %s", check)
	}
	return nil
}
