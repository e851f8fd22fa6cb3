-- Scale (issue 7): an index for a country's page of actions, and a notification on every
-- counted write so that every server process learns the data version at once.

-- +goose Up
-- A country page lists the country's latest actions. moves_country_idx (country_id, date, id)
-- also holds the responses that answered the country, which the scan reads and drops; with
-- the kind in the key the page reads exactly the rows it returns (bench/explain).
CREATE INDEX moves_country_kind_date_idx ON moves (country_id, kind, date, id);

-- Every write bumps data_changes.version in its own transaction (store/write.go); the trigger
-- announces the new version on the channel cybertrade_data_changes when the write commits.
-- Server processes LISTEN on it to invalidate their response caches at once (store/version.go).
-- +goose StatementBegin
CREATE FUNCTION cybertrade_notify_data_change() RETURNS trigger AS $$
BEGIN
    PERFORM pg_notify('cybertrade_data_changes', NEW.version::text);
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
-- +goose StatementEnd
CREATE TRIGGER data_changes_notify AFTER UPDATE ON data_changes
    FOR EACH ROW WHEN (NEW.version IS DISTINCT FROM OLD.version)
    EXECUTE FUNCTION cybertrade_notify_data_change();

-- +goose Down
DROP TRIGGER data_changes_notify ON data_changes;
DROP FUNCTION cybertrade_notify_data_change();
DROP INDEX moves_country_kind_date_idx;
