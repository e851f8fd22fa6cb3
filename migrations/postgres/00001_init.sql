-- +goose Up
CREATE TABLE countries (
    id            BIGSERIAL PRIMARY KEY,
    code          TEXT NOT NULL UNIQUE CHECK (code ~ '^[A-Z]{2}$'),
    alpha3        TEXT UNIQUE CHECK (alpha3 ~ '^[A-Z]{3}$'),
    name          TEXT NOT NULL CHECK (name <> ''),
    region        TEXT NOT NULL,
    supranational BOOLEAN NOT NULL DEFAULT FALSE,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE companies (
    id              BIGSERIAL PRIMARY KEY,
    slug            TEXT NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    name            TEXT NOT NULL CHECK (name <> ''),
    home_country_id BIGINT REFERENCES countries(id) ON DELETE RESTRICT,
    sector          TEXT NOT NULL DEFAULT '',
    description     TEXT NOT NULL DEFAULT '',
    aliases         TEXT NOT NULL DEFAULT '[]',
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX companies_name_idx ON companies (name, id);
CREATE INDEX companies_home_idx ON companies (home_country_id);

CREATE TABLE products (
    id          BIGSERIAL PRIMARY KEY,
    slug        TEXT NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    name        TEXT NOT NULL CHECK (name <> ''),
    category    TEXT NOT NULL CHECK (category IN ('TELECOM_EQUIPMENT','IT_HARDWARE','SECURITY_SOFTWARE','SOFTWARE','ONLINE_SERVICE','MOBILE_DEVICE','CONSUMER_IOT','SURVEILLANCE_CAMERA','DRONE','INDUSTRIAL_CONTROL','VEHICLE','SEMICONDUCTOR')),
    description TEXT NOT NULL DEFAULT '',
    company_id  BIGINT NOT NULL REFERENCES companies(id) ON DELETE RESTRICT,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX products_company_idx ON products (company_id, name, id);

CREATE TABLE cases (
    id         BIGSERIAL PRIMARY KEY,
    slug       TEXT NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    title      TEXT NOT NULL CHECK (title <> ''),
    summary    TEXT NOT NULL DEFAULT '',
    start_date TEXT,
    end_date   TEXT,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX cases_start_idx ON cases (start_date, id);

CREATE TABLE sources (
    id             BIGSERIAL PRIMARY KEY,
    key            TEXT NOT NULL UNIQUE CHECK (key ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    title          TEXT NOT NULL CHECK (title <> ''),
    publisher      TEXT NOT NULL CHECK (publisher <> ''),
    date           TEXT NOT NULL,
    date_precision TEXT NOT NULL CHECK (date_precision IN ('YEAR','MONTH','DAY')),
    url            TEXT NOT NULL CHECK (url ~ '^https?://'),
    research_ref   TEXT NOT NULL DEFAULT '',
    note           TEXT,
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX sources_date_idx ON sources (date, id);

CREATE TABLE moves (
    id             BIGSERIAL PRIMARY KEY,
    slug           TEXT NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    kind           TEXT NOT NULL CHECK (kind IN ('ACTION','RESPONSE')),
    country_option TEXT CHECK (country_option IN ('DO_NOTHING','IMPORT_BARRIER','PROCUREMENT_RESTRICTION','NORMS','AMPLIFY')),
    company_option TEXT CHECK (company_option IN ('RECOMMEND','ACQUIESCE','COMPROMISE','AVOID','DEFY','COLLABORATE')),
    case_id        BIGINT NOT NULL REFERENCES cases(id) ON DELETE RESTRICT,
    country_id     BIGINT NOT NULL REFERENCES countries(id) ON DELETE RESTRICT,
    company_id     BIGINT REFERENCES companies(id) ON DELETE RESTRICT,
    actor          TEXT,
    date           TEXT NOT NULL,
    date_precision TEXT NOT NULL CHECK (date_precision IN ('YEAR','MONTH','DAY')),
    date_start     TEXT NOT NULL,
    date_end       TEXT NOT NULL,
    title          TEXT NOT NULL CHECK (title <> ''),
    summary        TEXT NOT NULL DEFAULT '',
    confidence     TEXT NOT NULL DEFAULT 'HIGH' CHECK (confidence IN ('HIGH','MEDIUM','LOW')),
    coding_note    TEXT,
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK ((kind = 'ACTION' AND country_option IS NOT NULL AND company_option IS NULL AND company_id IS NULL)
        OR (kind = 'RESPONSE' AND company_option IS NOT NULL AND country_option IS NULL AND company_id IS NOT NULL)),
    CHECK (date_start <= date_end)
);
CREATE INDEX moves_date_idx ON moves (date, id);
CREATE INDEX moves_kind_date_idx ON moves (kind, date, id);
CREATE INDEX moves_case_idx ON moves (case_id, date, id);
CREATE INDEX moves_country_idx ON moves (country_id, date, id);
CREATE INDEX moves_company_idx ON moves (company_id, date, id);
CREATE INDEX moves_country_option_idx ON moves (country_option, date, id);
CREATE INDEX moves_company_option_idx ON moves (company_option, date, id);

CREATE TABLE move_concerns (
    move_id BIGINT NOT NULL REFERENCES moves(id) ON DELETE CASCADE,
    concern TEXT NOT NULL CHECK (concern IN ('ESPIONAGE','PRIVACY','IP_THEFT','SABOTAGE','DATA_SOVEREIGNTY','CONTENT_CONTROL','SUPPLY_CHAIN','HUMAN_RIGHTS','SANCTIONS','NATIONAL_SECURITY')),
    PRIMARY KEY (move_id, concern)
);
CREATE INDEX move_concerns_concern_idx ON move_concerns (concern, move_id);

CREATE TABLE move_companies (
    move_id    BIGINT NOT NULL REFERENCES moves(id) ON DELETE CASCADE,
    company_id BIGINT NOT NULL REFERENCES companies(id) ON DELETE RESTRICT,
    PRIMARY KEY (move_id, company_id)
);
CREATE INDEX move_companies_company_idx ON move_companies (company_id, move_id);

CREATE TABLE move_products (
    move_id    BIGINT NOT NULL REFERENCES moves(id) ON DELETE CASCADE,
    product_id BIGINT NOT NULL REFERENCES products(id) ON DELETE RESTRICT,
    PRIMARY KEY (move_id, product_id)
);
CREATE INDEX move_products_product_idx ON move_products (product_id, move_id);

CREATE TABLE move_counterparts (
    move_id    BIGINT NOT NULL REFERENCES moves(id) ON DELETE CASCADE,
    country_id BIGINT NOT NULL REFERENCES countries(id) ON DELETE RESTRICT,
    PRIMARY KEY (move_id, country_id)
);

CREATE TABLE move_links (
    reply_id  BIGINT NOT NULL REFERENCES moves(id) ON DELETE CASCADE,
    target_id BIGINT NOT NULL REFERENCES moves(id) ON DELETE CASCADE,
    PRIMARY KEY (reply_id, target_id),
    CHECK (reply_id <> target_id)
);
CREATE INDEX move_links_target_idx ON move_links (target_id, reply_id);

CREATE TABLE move_sources (
    move_id   BIGINT NOT NULL REFERENCES moves(id) ON DELETE CASCADE,
    source_id BIGINT NOT NULL REFERENCES sources(id) ON DELETE RESTRICT,
    PRIMARY KEY (move_id, source_id)
);
CREATE INDEX move_sources_source_idx ON move_sources (source_id, move_id);

CREATE TABLE case_sources (
    case_id   BIGINT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    source_id BIGINT NOT NULL REFERENCES sources(id) ON DELETE RESTRICT,
    PRIMARY KEY (case_id, source_id)
);

CREATE TABLE dataset_meta (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    version     TEXT NOT NULL,
    title       TEXT NOT NULL,
    license     TEXT NOT NULL,
    license_url TEXT NOT NULL,
    citation    TEXT NOT NULL,
    loaded_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- +goose Down
DROP TABLE dataset_meta;
DROP TABLE case_sources;
DROP TABLE move_sources;
DROP TABLE move_links;
DROP TABLE move_counterparts;
DROP TABLE move_products;
DROP TABLE move_companies;
DROP TABLE move_concerns;
DROP TABLE moves;
DROP TABLE sources;
DROP TABLE cases;
DROP TABLE products;
DROP TABLE companies;
DROP TABLE countries;
