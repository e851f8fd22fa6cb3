-- Research queries (issue 4): soft deletes with tombstones for mirrors, indexes for
-- `updatedAfter`, full-text search, and the fields a lossless dataset.json export needs.

-- +goose Up
-- Soft deletes: a record that leaves the data files (`load -prune`) keeps its row with
-- deleted_at set; every read skips it and `deletions(since:)` lists it as a tombstone.
ALTER TABLE countries ADD COLUMN deleted_at DATETIME;
ALTER TABLE companies ADD COLUMN deleted_at DATETIME;
ALTER TABLE products  ADD COLUMN deleted_at DATETIME;
ALTER TABLE cases     ADD COLUMN deleted_at DATETIME;
ALTER TABLE sources   ADD COLUMN deleted_at DATETIME;
ALTER TABLE moves     ADD COLUMN deleted_at DATETIME;

CREATE INDEX countries_deleted_idx ON countries (deleted_at, id) WHERE deleted_at IS NOT NULL;
CREATE INDEX companies_deleted_idx ON companies (deleted_at, id) WHERE deleted_at IS NOT NULL;
CREATE INDEX products_deleted_idx  ON products  (deleted_at, id) WHERE deleted_at IS NOT NULL;
CREATE INDEX cases_deleted_idx     ON cases     (deleted_at, id) WHERE deleted_at IS NOT NULL;
CREATE INDEX sources_deleted_idx   ON sources   (deleted_at, id) WHERE deleted_at IS NOT NULL;
CREATE INDEX moves_deleted_idx     ON moves     (deleted_at, id) WHERE deleted_at IS NOT NULL;

-- Incremental sync: `updatedAfter` filters.
CREATE INDEX countries_updated_idx ON countries (updated_at);
CREATE INDEX companies_updated_idx ON companies (updated_at);
CREATE INDEX products_updated_idx  ON products  (updated_at);
CREATE INDEX cases_updated_idx     ON cases     (updated_at);
CREATE INDEX sources_updated_idx   ON sources   (updated_at);
CREATE INDEX moves_updated_idx     ON moves     (updated_at);

-- Fields of the data files the database did not keep, so dataset.json is lossless.
ALTER TABLE moves ADD COLUMN research_refs TEXT NOT NULL DEFAULT '[]';
ALTER TABLE dataset_meta ADD COLUMN description TEXT NOT NULL DEFAULT '';
ALTER TABLE dataset_meta ADD COLUMN framework TEXT NOT NULL DEFAULT '';

-- Full-text search: one FTS5 table over cases, moves, companies and products, kept in sync by
-- triggers. Its rowid encodes the record: id * 8 + 1 (case), 2 (move), 3 (company),
-- 4 (product). Columns a..d carry the text by weight, as PostgreSQL's setweight A..D does.
CREATE VIRTUAL TABLE search_fts USING fts5(a, b, c, d, tokenize = 'porter unicode61 remove_diacritics 2');

INSERT INTO search_fts (rowid, a, b, c, d) SELECT id * 8 + 1, title, summary, '', '' FROM cases;
INSERT INTO search_fts (rowid, a, b, c, d) SELECT id * 8 + 2, title, summary, coalesce(actor, ''), coalesce(coding_note, '') FROM moves;
INSERT INTO search_fts (rowid, a, b, c, d) SELECT id * 8 + 3, name || ' ' || aliases, description, sector, '' FROM companies;
INSERT INTO search_fts (rowid, a, b, c, d) SELECT id * 8 + 4, name, description, replace(category, '_', ' '), '' FROM products;

-- +goose StatementBegin
CREATE TRIGGER cases_search_ins AFTER INSERT ON cases BEGIN
    INSERT INTO search_fts (rowid, a, b, c, d) VALUES (new.id * 8 + 1, new.title, new.summary, '', '');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER cases_search_upd AFTER UPDATE OF title, summary ON cases BEGIN
    DELETE FROM search_fts WHERE rowid = old.id * 8 + 1;
    INSERT INTO search_fts (rowid, a, b, c, d) VALUES (new.id * 8 + 1, new.title, new.summary, '', '');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER cases_search_del AFTER DELETE ON cases BEGIN
    DELETE FROM search_fts WHERE rowid = old.id * 8 + 1;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER moves_search_ins AFTER INSERT ON moves BEGIN
    INSERT INTO search_fts (rowid, a, b, c, d)
    VALUES (new.id * 8 + 2, new.title, new.summary, coalesce(new.actor, ''), coalesce(new.coding_note, ''));
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER moves_search_upd AFTER UPDATE OF title, summary, actor, coding_note ON moves BEGIN
    DELETE FROM search_fts WHERE rowid = old.id * 8 + 2;
    INSERT INTO search_fts (rowid, a, b, c, d)
    VALUES (new.id * 8 + 2, new.title, new.summary, coalesce(new.actor, ''), coalesce(new.coding_note, ''));
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER moves_search_del AFTER DELETE ON moves BEGIN
    DELETE FROM search_fts WHERE rowid = old.id * 8 + 2;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER companies_search_ins AFTER INSERT ON companies BEGIN
    INSERT INTO search_fts (rowid, a, b, c, d) VALUES (new.id * 8 + 3, new.name || ' ' || new.aliases, new.description, new.sector, '');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER companies_search_upd AFTER UPDATE OF name, aliases, description, sector ON companies BEGIN
    DELETE FROM search_fts WHERE rowid = old.id * 8 + 3;
    INSERT INTO search_fts (rowid, a, b, c, d) VALUES (new.id * 8 + 3, new.name || ' ' || new.aliases, new.description, new.sector, '');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER companies_search_del AFTER DELETE ON companies BEGIN
    DELETE FROM search_fts WHERE rowid = old.id * 8 + 3;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER products_search_ins AFTER INSERT ON products BEGIN
    INSERT INTO search_fts (rowid, a, b, c, d) VALUES (new.id * 8 + 4, new.name, new.description, replace(new.category, '_', ' '), '');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER products_search_upd AFTER UPDATE OF name, description, category ON products BEGIN
    DELETE FROM search_fts WHERE rowid = old.id * 8 + 4;
    INSERT INTO search_fts (rowid, a, b, c, d) VALUES (new.id * 8 + 4, new.name, new.description, replace(new.category, '_', ' '), '');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER products_search_del AFTER DELETE ON products BEGIN
    DELETE FROM search_fts WHERE rowid = old.id * 8 + 4;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER products_search_del;
DROP TRIGGER products_search_upd;
DROP TRIGGER products_search_ins;
DROP TRIGGER companies_search_del;
DROP TRIGGER companies_search_upd;
DROP TRIGGER companies_search_ins;
DROP TRIGGER moves_search_del;
DROP TRIGGER moves_search_upd;
DROP TRIGGER moves_search_ins;
DROP TRIGGER cases_search_del;
DROP TRIGGER cases_search_upd;
DROP TRIGGER cases_search_ins;
DROP TABLE search_fts;
ALTER TABLE dataset_meta DROP COLUMN framework;
ALTER TABLE dataset_meta DROP COLUMN description;
ALTER TABLE moves DROP COLUMN research_refs;
DROP INDEX moves_updated_idx;
DROP INDEX sources_updated_idx;
DROP INDEX cases_updated_idx;
DROP INDEX products_updated_idx;
DROP INDEX companies_updated_idx;
DROP INDEX countries_updated_idx;
DROP INDEX moves_deleted_idx;
DROP INDEX sources_deleted_idx;
DROP INDEX cases_deleted_idx;
DROP INDEX products_deleted_idx;
DROP INDEX companies_deleted_idx;
DROP INDEX countries_deleted_idx;
ALTER TABLE moves     DROP COLUMN deleted_at;
ALTER TABLE sources   DROP COLUMN deleted_at;
ALTER TABLE cases     DROP COLUMN deleted_at;
ALTER TABLE products  DROP COLUMN deleted_at;
ALTER TABLE companies DROP COLUMN deleted_at;
ALTER TABLE countries DROP COLUMN deleted_at;
