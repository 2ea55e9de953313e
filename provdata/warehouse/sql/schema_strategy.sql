-- Provincial strategy chains (data/strategy/*.csv): issue → CSF → indicator link.
CREATE TABLE strategy_issue (
    province_code  VARCHAR NOT NULL REFERENCES area (code),
    issue_id       VARCHAR NOT NULL,
    title_th       VARCHAR NOT NULL,
    title_en       VARCHAR NOT NULL,
    value_chain_th VARCHAR,
    value_chain_en VARCHAR,
    example        BOOLEAN NOT NULL,
    sort           INTEGER NOT NULL,
    PRIMARY KEY (province_code, issue_id)
);

CREATE TABLE csf (
    province_code VARCHAR NOT NULL,
    issue_id      VARCHAR NOT NULL,
    csf_id        VARCHAR NOT NULL,
    title_th      VARCHAR NOT NULL,
    title_en      VARCHAR NOT NULL,
    sort          INTEGER NOT NULL,
    PRIMARY KEY (province_code, csf_id)
);

CREATE TABLE issue_indicator (
    province_code VARCHAR NOT NULL,
    issue_id      VARCHAR NOT NULL,
    csf_id        VARCHAR NOT NULL,
    indicator_id  VARCHAR REFERENCES indicator (id),  -- NULL: needed but no dataset holds it
    needed_th     VARCHAR,
    needed_en     VARCHAR,
    role          VARCHAR NOT NULL,                  -- 'key' | 'supporting'
    dataset_th    VARCHAR NOT NULL,
    dataset_en    VARCHAR NOT NULL,
    agency_id     VARCHAR NOT NULL REFERENCES agency (id),
    sort          INTEGER NOT NULL,
    target_value     DOUBLE,                         -- from the provincial plan; NULL: no target
    target_year      INTEGER,
    target_direction VARCHAR,                        -- 'increase' | 'decrease'
    target_note_th   VARCHAR,
    target_note_en   VARCHAR
);

-- Progress of development-plan lines (data/strategy/plan_status.csv), marked by planners.
CREATE TABLE plan_status (
    province_code VARCHAR NOT NULL,
    link          VARCHAR NOT NULL,   -- the indicator id, or the English name of a needed-but-missing one
    status        VARCHAR NOT NULL,   -- 'open' | 'in_progress' | 'done'
    note          VARCHAR,
    updated_at    VARCHAR,
    PRIMARY KEY (province_code, link)
);
