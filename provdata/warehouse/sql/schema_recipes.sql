-- Cells of the agencies' raw files (data/inbox/) that a recipe (data/recipes/) did not put in observation:
-- left out with the recipe's reason ('excluded'), or a copy outranked by the indicator's precedence whose
-- figure differs from the kept one ('conflict'; 'rounding' when they differ by at most one unit).
CREATE TABLE recipe_cell (
    outcome        VARCHAR NOT NULL,        -- 'excluded' | 'conflict' | 'rounding'
    indicator_id   VARCHAR NOT NULL,
    area_code      VARCHAR NOT NULL,
    year           INTEGER NOT NULL,
    source_id      VARCHAR NOT NULL,        -- the copy whose figure was not kept
    value          DOUBLE NOT NULL,
    kept_source_id VARCHAR,                 -- the copy kept (NULL: excluded, nothing kept)
    kept_value     DOUBLE,
    reason         VARCHAR NOT NULL,
    recipe         VARCHAR NOT NULL,        -- data/recipes/<file>
    file           VARCHAR NOT NULL,        -- inside the source's data/inbox/ folder
    sheet          VARCHAR,
    "row"          INTEGER,
    "column"       VARCHAR
);
