-- Scale (issue 7): an index for a country's page of actions. (PostgreSQL also gets a
-- notification trigger on data_changes; SQLite has no LISTEN/NOTIFY, so a server polls the
-- data version instead: store/version.go.)

-- +goose Up
-- A country page lists the country's latest actions. moves_country_idx (country_id, date, id)
-- also holds the responses that answered the country, which the scan reads and drops; with
-- the kind in the key the page reads exactly the rows it returns.
CREATE INDEX moves_country_kind_date_idx ON moves (country_id, kind, date, id);

-- +goose Down
DROP INDEX moves_country_kind_date_idx;
