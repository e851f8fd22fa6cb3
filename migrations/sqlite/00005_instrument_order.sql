-- Dataset 1.1 (issue 10): the instrument of every move, causal order, and no pointers to
-- research notes outside the repository.
--
-- instrument: by what means a move was made (docs/codebook.md). Rows that predate this
-- migration get a provisional instrument derived from their option; the next load of the data
-- files sets the coded one.
--
-- sort_key: the position of a move in every ordered list: its date's first day, raised to the
-- latest sort date of the moves it answers, then a four-digit depth that puts a reply after
-- a move it answers when the two share a day ("2016-11-17.0001"). The store computes it on
-- every write (store/order.go); '' marks a row the store must compute at start.
--
-- research_ref(s): row ids and source numbers of research notes that are not in the
-- repository; each fact now cites its sources directly.

-- +goose Up
-- SQLite cannot make an added column NOT NULL without a default; the CHECK keeps out
-- any value but the twelve, and the store never writes NULL.
ALTER TABLE moves ADD COLUMN instrument TEXT CHECK (instrument IN ('LEGISLATION','REGULATORY_ORDER','PROCUREMENT_DECISION','GUIDANCE','COURT_RULING','ENFORCEMENT','AGREEMENT','STATEMENT','LAWSUIT','LOBBYING','BUSINESS_DECISION','VERIFICATION'));
UPDATE moves SET instrument = CASE
    WHEN country_option = 'NORMS' THEN 'AGREEMENT'
    WHEN country_option = 'PROCUREMENT_RESTRICTION' THEN 'PROCUREMENT_DECISION'
    WHEN country_option = 'AMPLIFY' THEN 'ENFORCEMENT'
    WHEN country_option = 'DO_NOTHING' THEN 'STATEMENT'
    WHEN country_option IS NOT NULL THEN 'REGULATORY_ORDER'
    WHEN company_option = 'DEFY' THEN 'STATEMENT'
    WHEN company_option = 'RECOMMEND' THEN 'LOBBYING'
    WHEN company_option = 'COLLABORATE' THEN 'VERIFICATION'
    ELSE 'BUSINESS_DECISION' END;
ALTER TABLE moves ADD COLUMN sort_key TEXT NOT NULL DEFAULT '';
-- code_status: whether a country code is officially assigned in ISO 3166-1, or the exceptionally
-- reserved EU, or the user-assigned XK for Kosovo.
ALTER TABLE countries ADD COLUMN code_status TEXT NOT NULL DEFAULT 'OFFICIAL' CHECK (code_status IN ('OFFICIAL','EXCEPTIONALLY_RESERVED','USER_ASSIGNED'));
UPDATE countries SET code_status = 'EXCEPTIONALLY_RESERVED' WHERE code = 'EU';
CREATE INDEX moves_instrument_idx ON moves (instrument, sort_key, id);
DROP INDEX moves_date_idx;
CREATE INDEX moves_date_idx ON moves (sort_key, id);
DROP INDEX moves_kind_date_idx;
CREATE INDEX moves_kind_date_idx ON moves (kind, sort_key, id);
DROP INDEX moves_case_idx;
CREATE INDEX moves_case_idx ON moves (case_id, sort_key, id);
DROP INDEX moves_country_idx;
CREATE INDEX moves_country_idx ON moves (country_id, sort_key, id);
DROP INDEX moves_company_idx;
CREATE INDEX moves_company_idx ON moves (company_id, sort_key, id);
DROP INDEX moves_country_option_idx;
CREATE INDEX moves_country_option_idx ON moves (country_option, sort_key, id);
DROP INDEX moves_company_option_idx;
CREATE INDEX moves_company_option_idx ON moves (company_option, sort_key, id);
DROP INDEX moves_country_kind_date_idx;
CREATE INDEX moves_country_kind_date_idx ON moves (country_id, kind, sort_key, id);
ALTER TABLE moves DROP COLUMN research_refs;
ALTER TABLE sources DROP COLUMN research_ref;
-- The two new product categories: SQLite cannot alter a CHECK, so migration 6 (a Go
-- migration, migrations/sqlite_categories.go) rebuilds the products table.

-- +goose Down
ALTER TABLE sources ADD COLUMN research_ref TEXT NOT NULL DEFAULT '';
ALTER TABLE moves ADD COLUMN research_refs TEXT NOT NULL DEFAULT '[]';
DROP INDEX moves_date_idx;
CREATE INDEX moves_date_idx ON moves (date, id);
DROP INDEX moves_kind_date_idx;
CREATE INDEX moves_kind_date_idx ON moves (kind, date, id);
DROP INDEX moves_case_idx;
CREATE INDEX moves_case_idx ON moves (case_id, date, id);
DROP INDEX moves_country_idx;
CREATE INDEX moves_country_idx ON moves (country_id, date, id);
DROP INDEX moves_company_idx;
CREATE INDEX moves_company_idx ON moves (company_id, date, id);
DROP INDEX moves_country_option_idx;
CREATE INDEX moves_country_option_idx ON moves (country_option, date, id);
DROP INDEX moves_company_option_idx;
CREATE INDEX moves_company_option_idx ON moves (company_option, date, id);
DROP INDEX moves_country_kind_date_idx;
CREATE INDEX moves_country_kind_date_idx ON moves (country_id, kind, date, id);
DROP INDEX moves_instrument_idx;
ALTER TABLE moves DROP COLUMN sort_key;
ALTER TABLE countries DROP COLUMN code_status;
ALTER TABLE moves DROP COLUMN instrument;
