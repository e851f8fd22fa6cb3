-- Curation (issue 6): API tokens, a version per record for optimistic concurrency, the history
-- of every change, and a counter of data changes (a response cache can key on it).

-- +goose Up
-- Every curated record carries a version, bumped by each change (loader and API alike); an
-- update names the version it read and is refused with CONFLICT when it is stale.
ALTER TABLE countries ADD COLUMN version INTEGER NOT NULL DEFAULT 1 CHECK (version > 0);
ALTER TABLE companies ADD COLUMN version INTEGER NOT NULL DEFAULT 1 CHECK (version > 0);
ALTER TABLE products  ADD COLUMN version INTEGER NOT NULL DEFAULT 1 CHECK (version > 0);
ALTER TABLE cases     ADD COLUMN version INTEGER NOT NULL DEFAULT 1 CHECK (version > 0);
ALTER TABLE sources   ADD COLUMN version INTEGER NOT NULL DEFAULT 1 CHECK (version > 0);
ALTER TABLE moves     ADD COLUMN version INTEGER NOT NULL DEFAULT 1 CHECK (version > 0);

-- Bearer tokens: only the SHA-256 of a token is kept; a revoked token stays (names are not
-- reused, so history keeps meaning who acted).
CREATE TABLE api_tokens (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    name       TEXT NOT NULL UNIQUE CHECK (name <> '' AND length(name) <= 64 AND name NOT GLOB '*[^A-Za-z0-9._@-]*' AND name GLOB '[A-Za-z0-9]*' AND name <> 'loader'),
    role       TEXT NOT NULL CHECK (role IN ('editor', 'admin')),
    token_hash TEXT NOT NULL UNIQUE CHECK (length(token_hash) = 64 AND token_hash NOT GLOB '*[^0-9a-f]*'),
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    revoked_at DATETIME
);

-- History: one row per change of one record. before/after are the record's full values as
-- JSON (link sets included); before_values is NULL for a create or restore, after_values for a
-- delete.
CREATE TABLE revisions (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    at                  DATETIME NOT NULL,
    actor               TEXT NOT NULL CHECK (actor <> ''),
    action              TEXT NOT NULL CHECK (action IN ('create', 'update', 'delete', 'restore', 'revert')),
    record_type         TEXT NOT NULL CHECK (record_type IN ('Country', 'Company', 'Product', 'Case', 'Source', 'CountryAction', 'CompanyResponse')),
    node_id             TEXT NOT NULL,
    version             INTEGER NOT NULL CHECK (version > 0),
    before_values       TEXT,
    after_values        TEXT,
    reverts_revision_id INTEGER REFERENCES revisions(id) ON DELETE RESTRICT,
    CHECK (before_values IS NOT NULL OR after_values IS NOT NULL),
    CHECK ((action = 'revert') = (reverts_revision_id IS NOT NULL))
);
CREATE INDEX revisions_node_idx ON revisions (node_id, id);
CREATE INDEX revisions_actor_idx ON revisions (actor, id);
CREATE INDEX revisions_type_idx ON revisions (record_type, id);
CREATE INDEX revisions_at_idx ON revisions (at, id);

-- One row counting every write to the data (loader and API), bumped in the writing
-- transaction. Writers take its row lock first, so writes are serialized.
CREATE TABLE data_changes (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    version    BIGINT NOT NULL,
    changed_at DATETIME NOT NULL
);
INSERT INTO data_changes (id, version, changed_at) VALUES (1, 0, CURRENT_TIMESTAMP);

-- +goose Down
DROP TABLE data_changes;
DROP TABLE revisions;
DROP TABLE api_tokens;
ALTER TABLE moves     DROP COLUMN version;
ALTER TABLE sources   DROP COLUMN version;
ALTER TABLE cases     DROP COLUMN version;
ALTER TABLE products  DROP COLUMN version;
ALTER TABLE companies DROP COLUMN version;
ALTER TABLE countries DROP COLUMN version;
