-- Research queries (issue 4): soft deletes with tombstones for mirrors, indexes for
-- `updatedAfter`, full-text search, and the fields a lossless dataset.json export needs.

-- +goose Up
-- Soft deletes: a record that leaves the data files (`load -prune`) keeps its row with
-- deleted_at set; every read skips it and `deletions(since:)` lists it as a tombstone.
ALTER TABLE countries ADD COLUMN deleted_at TIMESTAMPTZ;
ALTER TABLE companies ADD COLUMN deleted_at TIMESTAMPTZ;
ALTER TABLE products  ADD COLUMN deleted_at TIMESTAMPTZ;
ALTER TABLE cases     ADD COLUMN deleted_at TIMESTAMPTZ;
ALTER TABLE sources   ADD COLUMN deleted_at TIMESTAMPTZ;
ALTER TABLE moves     ADD COLUMN deleted_at TIMESTAMPTZ;

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

-- Full-text search: expression GIN indexes. The expressions must stay identical to the ones
-- in store/search.go (TestSearchUsesIndexes checks the planner uses them).
CREATE INDEX cases_search_idx ON cases USING GIN ((
    setweight(to_tsvector('english', title), 'A') || setweight(to_tsvector('english', summary), 'B')));
CREATE INDEX moves_search_idx ON moves USING GIN ((
    setweight(to_tsvector('english', title), 'A') || setweight(to_tsvector('english', summary), 'B')
    || setweight(to_tsvector('english', coalesce(actor, '')), 'C') || setweight(to_tsvector('english', coalesce(coding_note, '')), 'D')));
CREATE INDEX companies_search_idx ON companies USING GIN ((
    setweight(to_tsvector('english', name || ' ' || aliases), 'A') || setweight(to_tsvector('english', description), 'B')
    || setweight(to_tsvector('english', sector), 'C')));
CREATE INDEX products_search_idx ON products USING GIN ((
    setweight(to_tsvector('english', name), 'A') || setweight(to_tsvector('english', description), 'B')
    || setweight(to_tsvector('english', replace(category, '_', ' ')), 'C')));

-- +goose Down
DROP INDEX products_search_idx;
DROP INDEX companies_search_idx;
DROP INDEX moves_search_idx;
DROP INDEX cases_search_idx;
ALTER TABLE dataset_meta DROP COLUMN framework;
ALTER TABLE dataset_meta DROP COLUMN description;
ALTER TABLE moves DROP COLUMN research_refs;
DROP INDEX moves_updated_idx;
DROP INDEX sources_updated_idx;
DROP INDEX cases_updated_idx;
DROP INDEX products_updated_idx;
DROP INDEX companies_updated_idx;
DROP INDEX countries_updated_idx;
ALTER TABLE moves     DROP COLUMN deleted_at;
ALTER TABLE sources   DROP COLUMN deleted_at;
ALTER TABLE cases     DROP COLUMN deleted_at;
ALTER TABLE products  DROP COLUMN deleted_at;
ALTER TABLE companies DROP COLUMN deleted_at;
ALTER TABLE countries DROP COLUMN deleted_at;
