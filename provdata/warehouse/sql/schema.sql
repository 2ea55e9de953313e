-- Warehouse schema (SCHEMA_VERSION in provdata/basics/config.py). Derived from data/ and geo/; rebuildable.
CREATE TABLE meta (
    schema_version INTEGER NOT NULL,
    build_id       VARCHAR NOT NULL,
    built_at       TIMESTAMP NOT NULL,
    inputs_sha256  VARCHAR NOT NULL,
    synthetic      BOOLEAN NOT NULL,
    state_seq      BIGINT,               -- the state store's sequence it was built at (provdata/exchange/follow.py)
    shipped_sha256 VARCHAR               -- the release's files it was built from (build/incremental.py; NULL: unknown)
);

CREATE TABLE area (
    code      VARCHAR PRIMARY KEY,          -- DOPA code: 2-digit province, 4-digit district
    level     VARCHAR NOT NULL,             -- 'province' | 'district'
    parent    VARCHAR,                      -- province code of a district
    name_th   VARCHAR NOT NULL,
    name_en   VARCHAR NOT NULL,
    region    VARCHAR,                      -- 6-region grouping, English
    region_th VARCHAR,
    cohort    VARCHAR NOT NULL,             -- 'pilot' | 'all'
    area_km2  DOUBLE,
    alt_names VARCHAR
);

CREATE TABLE agency (
    id          VARCHAR PRIMARY KEY,
    name_th     VARCHAR NOT NULL,
    name_en     VARCHAR NOT NULL,
    short_th    VARCHAR NOT NULL,
    short_en    VARCHAR NOT NULL,
    ministry_th VARCHAR,
    ministry_en VARCHAR
);

CREATE TABLE source (
    id        VARCHAR PRIMARY KEY,
    agency_id VARCHAR NOT NULL REFERENCES agency (id),
    title_en  VARCHAR NOT NULL,
    title_th  VARCHAR NOT NULL,
    upstream  VARCHAR NOT NULL,
    license   VARCHAR NOT NULL,
    notes     VARCHAR
);

-- Each source's release calendar (data/reference/release_calendar.csv): how often it is published and how
-- many months after the end of the reference period; where each comes from (agency_schedule | shipped_files
-- | not_known). Uploads are sources of their own without a row: they take their indicator's shipped source's.
CREATE TABLE release_calendar (
    source_id        VARCHAR PRIMARY KEY REFERENCES source (id),
    periodicity      VARCHAR NOT NULL,      -- annual | biennial | quarterly | monthly | irregular | unknown
    periodicity_from VARCHAR NOT NULL,
    lag_months       INTEGER,               -- NULL: not known (the source is then never called overdue)
    lag_from         VARCHAR NOT NULL,
    note_en          VARCHAR NOT NULL
);

CREATE TABLE theme (
    id      VARCHAR PRIMARY KEY,
    name_th VARCHAR NOT NULL,
    name_en VARCHAR NOT NULL,
    sort    INTEGER NOT NULL
);

CREATE TABLE indicator (
    id               VARCHAR PRIMARY KEY,
    name_th          VARCHAR NOT NULL,
    name_en          VARCHAR NOT NULL,
    source_label_th  VARCHAR,               -- the source's own Thai label, where it had one
    unit_th          VARCHAR NOT NULL,
    unit_en          VARCHAR NOT NULL,
    theme            VARCHAR NOT NULL REFERENCES theme (id),
    definition_th    VARCHAR NOT NULL,
    definition_en    VARCHAR NOT NULL,
    aggregation      VARCHAR NOT NULL,
    higher_is_better BOOLEAN,               -- NULL: no direction (a size, not a goal)
    frequency        VARCHAR NOT NULL,
    source_ids       VARCHAR NOT NULL,      -- ';'-separated source ids
    agency_id        VARCHAR NOT NULL REFERENCES agency (id),
    official         BOOLEAN NOT NULL,
    profile_sort     INTEGER,               -- headline candidates' order (data/reference/profile_indicators.csv), NULL: not a card
    profile_card     VARCHAR,               -- the headline card (concept) the indicator is a candidate for
    kind             VARCHAR NOT NULL,      -- count | amount | rate | ratio | index | stock | area
    per_capita_factor DOUBLE,               -- value × factor ÷ registered population; NULL: no per-capita form
    per_capita_unit_th VARCHAR,
    per_capita_unit_en VARCHAR
);

CREATE TABLE series_break (
    indicator_id     VARCHAR NOT NULL REFERENCES indicator (id),
    last_year_before INTEGER NOT NULL,
    first_year_after INTEGER NOT NULL,
    note_th          VARCHAR NOT NULL,
    note_en          VARCHAR NOT NULL
);

CREATE TABLE load (
    id            INTEGER PRIMARY KEY,
    file_name     VARCHAR NOT NULL,
    sha256        VARCHAR NOT NULL,
    rows_in       INTEGER NOT NULL,
    rows_accepted INTEGER NOT NULL,
    rows_rejected INTEGER NOT NULL,
    loaded_by     VARCHAR NOT NULL,
    loaded_at     TIMESTAMP NOT NULL,
    note          VARCHAR,
    agency_id     VARCHAR,                  -- the steward's agency (NULL: shipped seed files)
    license       VARCHAR,
    status        VARCHAR NOT NULL DEFAULT 'active',  -- 'active' | 'rolled_back' (its rows are gone)
    rolled_back_by VARCHAR,
    rolled_back_at TIMESTAMP
);

CREATE TABLE observation (
    indicator_id VARCHAR NOT NULL REFERENCES indicator (id),
    area_code    VARCHAR NOT NULL REFERENCES area (code),
    year         INTEGER NOT NULL,          -- Gregorian
    value        DOUBLE NOT NULL,
    source_id    VARCHAR NOT NULL REFERENCES source (id),
    load_id      INTEGER NOT NULL REFERENCES load (id),
    PRIMARY KEY (indicator_id, area_code, year)
);

-- Earlier vintages: a figure replaced by a later load (a revision) is kept here, never lost.
CREATE TABLE observation_vintage (
    indicator_id VARCHAR NOT NULL,
    area_code    VARCHAR NOT NULL,
    year         INTEGER NOT NULL,
    value        DOUBLE NOT NULL,
    source_id    VARCHAR NOT NULL,
    load_id      INTEGER NOT NULL,          -- the load that published this value
    replaced_by  INTEGER NOT NULL           -- the load that published the next value
);
