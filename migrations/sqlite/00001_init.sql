-- +goose Up
CREATE TABLE countries (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    code          TEXT NOT NULL UNIQUE CHECK (length(code) = 2 AND code GLOB '[A-Z][A-Z]'),
    alpha3        TEXT UNIQUE CHECK (alpha3 GLOB '[A-Z][A-Z][A-Z]'),
    name          TEXT NOT NULL CHECK (name <> ''),
    region        TEXT NOT NULL,
    supranational BOOLEAN NOT NULL DEFAULT 0 CHECK (supranational IN (0,1)),
    created_at    DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at    DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE companies (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    slug            TEXT NOT NULL UNIQUE CHECK (slug <> '' AND slug NOT GLOB '*[^a-z0-9-]*' AND slug NOT GLOB '-*' AND slug NOT GLOB '*-' AND slug NOT GLOB '*--*'),
    name            TEXT NOT NULL CHECK (name <> ''),
    home_country_id INTEGER REFERENCES countries(id) ON DELETE RESTRICT,
    sector          TEXT NOT NULL DEFAULT '',
    description     TEXT NOT NULL DEFAULT '',
    aliases         TEXT NOT NULL DEFAULT '[]',
    created_at      DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at      DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX companies_name_idx ON companies (name, id);
CREATE INDEX companies_home_idx ON companies (home_country_id);

CREATE TABLE products (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    slug        TEXT NOT NULL UNIQUE CHECK (slug <> '' AND slug NOT GLOB '*[^a-z0-9-]*' AND slug NOT GLOB '-*' AND slug NOT GLOB '*-' AND slug NOT GLOB '*--*'),
    name        TEXT NOT NULL CHECK (name <> ''),
    category    TEXT NOT NULL CHECK (category IN ('TELECOM_EQUIPMENT','IT_HARDWARE','SECURITY_SOFTWARE','SOFTWARE','ONLINE_SERVICE','MOBILE_DEVICE','CONSUMER_IOT','SURVEILLANCE_CAMERA','DRONE','INDUSTRIAL_CONTROL','VEHICLE','SEMICONDUCTOR')),
    description TEXT NOT NULL DEFAULT '',
    company_id  INTEGER NOT NULL REFERENCES companies(id) ON DELETE RESTRICT,
    created_at  DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at  DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX products_company_idx ON products (company_id, name, id);

CREATE TABLE cases (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    slug       TEXT NOT NULL UNIQUE CHECK (slug <> '' AND slug NOT GLOB '*[^a-z0-9-]*' AND slug NOT GLOB '-*' AND slug NOT GLOB '*-' AND slug NOT GLOB '*--*'),
    title      TEXT NOT NULL CHECK (title <> ''),
    summary    TEXT NOT NULL DEFAULT '',
    start_date TEXT,
    end_date   TEXT,
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX cases_start_idx ON cases (start_date, id);

CREATE TABLE sources (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    key            TEXT NOT NULL UNIQUE CHECK (key <> '' AND key NOT GLOB '*[^a-z0-9-]*' AND key NOT GLOB '-*' AND key NOT GLOB '*-' AND key NOT GLOB '*--*'),
    title          TEXT NOT NULL CHECK (title <> ''),
    publisher      TEXT NOT NULL CHECK (publisher <> ''),
    date           TEXT NOT NULL,
    date_precision TEXT NOT NULL CHECK (date_precision IN ('YEAR','MONTH','DAY')),
    url            TEXT NOT NULL CHECK (url GLOB 'http://?*' OR url GLOB 'https://?*'),
    research_ref   TEXT NOT NULL DEFAULT '',
    note           TEXT,
    created_at     DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at     DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX sources_date_idx ON sources (date, id);

CREATE TABLE moves (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    slug           TEXT NOT NULL UNIQUE CHECK (slug <> '' AND slug NOT GLOB '*[^a-z0-9-]*' AND slug NOT GLOB '-*' AND slug NOT GLOB '*-' AND slug NOT GLOB '*--*'),
    kind           TEXT NOT NULL CHECK (kind IN ('ACTION','RESPONSE')),
    country_option TEXT CHECK (country_option IN ('DO_NOTHING','IMPORT_BARRIER','PROCUREMENT_RESTRICTION','NORMS','AMPLIFY')),
    company_option TEXT CHECK (company_option IN ('RECOMMEND','ACQUIESCE','COMPROMISE','AVOID','DEFY','COLLABORATE')),
    case_id        INTEGER NOT NULL REFERENCES cases(id) ON DELETE RESTRICT,
    country_id     INTEGER NOT NULL REFERENCES countries(id) ON DELETE RESTRICT,
    company_id     INTEGER REFERENCES companies(id) ON DELETE RESTRICT,
    actor          TEXT,
    date           TEXT NOT NULL,
    date_precision TEXT NOT NULL CHECK (date_precision IN ('YEAR','MONTH','DAY')),
    date_start     TEXT NOT NULL,
    date_end       TEXT NOT NULL,
    title          TEXT NOT NULL CHECK (title <> ''),
    summary        TEXT NOT NULL DEFAULT '',
    confidence     TEXT NOT NULL DEFAULT 'HIGH' CHECK (confidence IN ('HIGH','MEDIUM','LOW')),
    coding_note    TEXT,
    created_at     DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at     DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
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
    move_id INTEGER NOT NULL REFERENCES moves(id) ON DELETE CASCADE,
    concern TEXT NOT NULL CHECK (concern IN ('ESPIONAGE','PRIVACY','IP_THEFT','SABOTAGE','DATA_SOVEREIGNTY','CONTENT_CONTROL','SUPPLY_CHAIN','HUMAN_RIGHTS','SANCTIONS','NATIONAL_SECURITY')),
    PRIMARY KEY (move_id, concern)
);
CREATE INDEX move_concerns_concern_idx ON move_concerns (concern, move_id);

CREATE TABLE move_companies (
    move_id    INTEGER NOT NULL REFERENCES moves(id) ON DELETE CASCADE,
    company_id INTEGER NOT NULL REFERENCES companies(id) ON DELETE RESTRICT,
    PRIMARY KEY (move_id, company_id)
);
CREATE INDEX move_companies_company_idx ON move_companies (company_id, move_id);

CREATE TABLE move_products (
    move_id    INTEGER NOT NULL REFERENCES moves(id) ON DELETE CASCADE,
    product_id INTEGER NOT NULL REFERENCES products(id) ON DELETE RESTRICT,
    PRIMARY KEY (move_id, product_id)
);
CREATE INDEX move_products_product_idx ON move_products (product_id, move_id);

CREATE TABLE move_counterparts (
    move_id    INTEGER NOT NULL REFERENCES moves(id) ON DELETE CASCADE,
    country_id INTEGER NOT NULL REFERENCES countries(id) ON DELETE RESTRICT,
    PRIMARY KEY (move_id, country_id)
);

CREATE TABLE move_links (
    reply_id  INTEGER NOT NULL REFERENCES moves(id) ON DELETE CASCADE,
    target_id INTEGER NOT NULL REFERENCES moves(id) ON DELETE CASCADE,
    PRIMARY KEY (reply_id, target_id),
    CHECK (reply_id <> target_id)
);
CREATE INDEX move_links_target_idx ON move_links (target_id, reply_id);

CREATE TABLE move_sources (
    move_id   INTEGER NOT NULL REFERENCES moves(id) ON DELETE CASCADE,
    source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE RESTRICT,
    PRIMARY KEY (move_id, source_id)
);
CREATE INDEX move_sources_source_idx ON move_sources (source_id, move_id);

CREATE TABLE case_sources (
    case_id   INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE RESTRICT,
    PRIMARY KEY (case_id, source_id)
);

CREATE TABLE dataset_meta (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    version     TEXT NOT NULL,
    title       TEXT NOT NULL,
    license     TEXT NOT NULL,
    license_url TEXT NOT NULL,
    citation    TEXT NOT NULL,
    loaded_at   DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
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
