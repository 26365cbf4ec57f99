-- wattprint schema, version 1, PostgreSQL dialect: the same tables, columns, constraints,
-- indexes and views as ../001_init.sql, with the types that differ (README.md, "The database"):
-- BIGINT for SQLite's 64-bit INTEGER, DOUBLE PRECISION for REAL, TEXT COLLATE "C" so that
-- comparisons and ORDER BY sort bytes as SQLite's BINARY does whatever the server's locale.
-- Ids carry no default: wattprint assigns MAX(id) + 1 under its writer lock, as SQLite
-- assigns rowids, so the same inputs give the same ids (and outputs) on both backends.

-- Every input file that was ingested, with what identifies its content.
CREATE TABLE source_file (
    id             BIGINT  PRIMARY KEY,
    path           TEXT COLLATE "C"    NOT NULL,      -- as given on the command line ('-' for stdin)
    name           TEXT COLLATE "C"    NOT NULL,      -- base name, what manifest globs match
    format         TEXT COLLATE "C"    NOT NULL,      -- e.g. 'codecarbon'
    sha256         TEXT COLLATE "C"    NOT NULL,      -- of the whole file as last ingested
    size_bytes     BIGINT  NOT NULL,
    consumed_bytes BIGINT  NOT NULL,      -- bytes up to the end of the last complete row
    prefix_sha256  TEXT COLLATE "C"    NOT NULL,      -- sha256 of those consumed bytes (append detection)
    rows_ingested  BIGINT  NOT NULL DEFAULT 0,
    rows_rejected  BIGINT  NOT NULL DEFAULT 0,
    ingested_at    TEXT COLLATE "C"    NOT NULL       -- UTC, ISO 8601, when first ingested
);
CREATE INDEX source_file_path ON source_file (path);

-- Each distinct content of a source file that was ingested (a file that grew has several).
-- A content seen before is skipped: that is what makes ingest idempotent.
CREATE TABLE file_version (
    id             BIGINT  PRIMARY KEY,
    source_file_id BIGINT  NOT NULL REFERENCES source_file (id) ON DELETE CASCADE,
    sha256         TEXT COLLATE "C"    NOT NULL UNIQUE,
    size_bytes     BIGINT  NOT NULL,
    rows_added     BIGINT  NOT NULL,
    ingested_at    TEXT COLLATE "C"    NOT NULL
);

CREATE TABLE tool (
    id      BIGINT  PRIMARY KEY,
    name    TEXT COLLATE "C" NOT NULL,                -- 'codecarbon', 'nvidia-smi', ...
    version TEXT COLLATE "C" NOT NULL DEFAULT '',     -- '' when the log does not say
    UNIQUE (name, version)
);

CREATE TABLE hardware (
    id              BIGINT  PRIMARY KEY,
    cpu_model       TEXT COLLATE "C"    NOT NULL DEFAULT '',
    cpu_count       BIGINT ,
    gpu_model       TEXT COLLATE "C"    NOT NULL DEFAULT '',
    gpu_count       BIGINT ,
    ram_total_bytes DOUBLE PRECISION,
    os              TEXT COLLATE "C"    NOT NULL DEFAULT '',
    python_version  TEXT COLLATE "C"    NOT NULL DEFAULT ''
);

CREATE TABLE location (
    id               BIGINT  PRIMARY KEY,
    country_name     TEXT COLLATE "C" NOT NULL DEFAULT '',
    country_iso_code TEXT COLLATE "C" NOT NULL DEFAULT '',
    region           TEXT COLLATE "C" NOT NULL DEFAULT '',
    cloud_provider   TEXT COLLATE "C" NOT NULL DEFAULT '',
    cloud_region     TEXT COLLATE "C" NOT NULL DEFAULT '',
    on_cloud         TEXT COLLATE "C" NOT NULL DEFAULT '',  -- 'Y', 'N' or ''
    UNIQUE (country_name, country_iso_code, region, cloud_provider, cloud_region, on_cloud)
);

CREATE TABLE model (
    id                BIGINT  PRIMARY KEY,
    name              TEXT COLLATE "C" NOT NULL UNIQUE,
    parameters        BIGINT ,              -- count of parameters, NULL when unknown
    training_energy_j DOUBLE PRECISION                  -- for inferences-to-parity, NULL when unknown
);

CREATE TABLE task (
    id   BIGINT  PRIMARY KEY,
    name TEXT COLLATE "C" NOT NULL UNIQUE
);

CREATE TABLE dataset (
    id   BIGINT  PRIMARY KEY,
    name TEXT COLLATE "C" NOT NULL UNIQUE
);

-- What a run measured.  Labels may be partial (a manifest that names only the model);
-- statistics use experiments whose model, task and dataset are all known.
CREATE TABLE experiment (
    id         BIGINT  PRIMARY KEY,
    model_id   BIGINT  REFERENCES model (id),
    task_id    BIGINT  REFERENCES task (id),
    dataset_id BIGINT  REFERENCES dataset (id),
    inferences BIGINT ,                     -- inferences per run
    batch_size BIGINT 
);
CREATE INDEX experiment_task ON experiment (task_id, model_id);
CREATE INDEX experiment_model ON experiment (model_id);

-- Free-form attributes of models and experiments (manifest columns without a home, such
-- as purpose = task-specific | multi-purpose).
CREATE TABLE model_attr (
    model_id BIGINT  NOT NULL REFERENCES model (id) ON DELETE CASCADE,
    key      TEXT COLLATE "C"    NOT NULL,
    value    TEXT COLLATE "C"    NOT NULL,
    PRIMARY KEY (model_id, key)
);
CREATE TABLE experiment_attr (
    experiment_id BIGINT  NOT NULL REFERENCES experiment (id) ON DELETE CASCADE,
    key           TEXT COLLATE "C"    NOT NULL,
    value         TEXT COLLATE "C"    NOT NULL,
    PRIMARY KEY (experiment_id, key)
);

-- A run: one execution of a measured program.  A log row that covers a whole run, and the
-- task-level rows of the same run (CodeCarbon's 'load model', 'query model'), are its
-- measurements.  uid holds the tool's run id when it is a UUID (globally unique by
-- construction); other run ids are not identities and stay on the measurement.
CREATE TABLE run (
    id            BIGINT  PRIMARY KEY,
    uid           TEXT COLLATE "C",
    experiment_id BIGINT  REFERENCES experiment (id)
);
CREATE INDEX run_uid ON run (uid);
CREATE INDEX run_experiment ON run (experiment_id);

CREATE TABLE measurement (
    id                         BIGINT  PRIMARY KEY,
    run_id                     BIGINT  NOT NULL REFERENCES run (id),
    phase                      TEXT COLLATE "C"    NOT NULL DEFAULT '',  -- '' = the whole run
    source_file_id             BIGINT  NOT NULL REFERENCES source_file (id),
    line                       BIGINT  NOT NULL,             -- 1-based line in the file
    run_label                  TEXT COLLATE "C"    NOT NULL DEFAULT '',  -- run_id as logged
    project_name               TEXT COLLATE "C"    NOT NULL DEFAULT '',
    experiment_label           TEXT COLLATE "C"    NOT NULL DEFAULT '',  -- the tool's experiment_id
    started_at                 TEXT COLLATE "C",                         -- ISO 8601 as logged
    duration_s                 DOUBLE PRECISION,
    energy_j                   DOUBLE PRECISION,                         -- total; NULL when unknown
    cpu_energy_j               DOUBLE PRECISION,
    gpu_energy_j               DOUBLE PRECISION,
    ram_energy_j               DOUBLE PRECISION,
    emissions_g                DOUBLE PRECISION,
    emissions_rate_g_per_s     DOUBLE PRECISION,
    cpu_power_w                DOUBLE PRECISION,
    gpu_power_w                DOUBLE PRECISION,
    ram_power_w                DOUBLE PRECISION,
    carbon_intensity_g_per_kwh DOUBLE PRECISION,                         -- emissions / energy as logged
    pue                        DOUBLE PRECISION,
    water_l                    DOUBLE PRECISION,
    tracking_mode              TEXT COLLATE "C"    NOT NULL DEFAULT '',
    longitude                  DOUBLE PRECISION,
    latitude                   DOUBLE PRECISION,
    tool_id                    BIGINT  REFERENCES tool (id),
    hardware_id                BIGINT  REFERENCES hardware (id),
    location_id                BIGINT  REFERENCES location (id),
    UNIQUE (run_id, phase)
);
CREATE INDEX measurement_source ON measurement (source_file_id);
CREATE INDEX measurement_project ON measurement (project_name);

-- Input columns that have no home above, kept so that nothing the user logged is lost.
CREATE TABLE measurement_extra (
    measurement_id BIGINT  NOT NULL REFERENCES measurement (id) ON DELETE CASCADE,
    key            TEXT COLLATE "C"    NOT NULL,
    value          TEXT COLLATE "C"    NOT NULL,
    PRIMARY KEY (measurement_id, key)
);

-- Lines that --skip-bad-rows left out, verbatim, with why.
CREATE TABLE rejected_line (
    id             BIGINT  PRIMARY KEY,
    source_file_id BIGINT  NOT NULL REFERENCES source_file (id) ON DELETE CASCADE,
    line           BIGINT  NOT NULL,
    col            BIGINT ,
    reason         TEXT COLLATE "C"    NOT NULL,
    text           TEXT COLLATE "C"    NOT NULL
);
CREATE INDEX rejected_line_source ON rejected_line (source_file_id);

-- Labelling rules: manifest rows and command-line labels, kept so that they apply to runs
-- ingested later too.  A NULL match column matches anything; a NULL label sets nothing.
CREATE TABLE label_rule (
    id               BIGINT  PRIMARY KEY,
    origin           TEXT COLLATE "C"    NOT NULL,  -- 'manifest.csv:12' or 'command line'
    manifest         TEXT COLLATE "C",              -- the manifest path, to replace its rules on reload
    match_project    TEXT COLLATE "C",
    match_experiment TEXT COLLATE "C",
    match_run        TEXT COLLATE "C",
    match_file       TEXT COLLATE "C",              -- glob on the source file's base name
    match_source_id  BIGINT  REFERENCES source_file (id) ON DELETE CASCADE,
    model            TEXT COLLATE "C",
    task             TEXT COLLATE "C",
    dataset          TEXT COLLATE "C",
    inferences       BIGINT ,
    batch_size       BIGINT ,
    parameters       BIGINT ,
    training_energy_j DOUBLE PRECISION
);
CREATE TABLE label_rule_attr (
    rule_id BIGINT  NOT NULL REFERENCES label_rule (id) ON DELETE CASCADE,
    key     TEXT COLLATE "C"    NOT NULL,
    value   TEXT COLLATE "C"    NOT NULL,
    PRIMARY KEY (rule_id, key)
);

-- For sqlite3 users: one row per measurement with its labels and the study's units.
-- Energy per 1,000 inferences is the measurement's energy scaled by 1000 / inferences.
CREATE VIEW v_measurement AS
SELECT m.id                      AS measurement_id,
       r.id                      AS run_id,
       r.uid                     AS run_uid,
       m.phase                   AS phase,
       mo.name                   AS model,
       t.name                    AS task,
       d.name                    AS dataset,
       e.inferences              AS inferences,
       m.started_at              AS started_at,
       m.duration_s              AS duration_s,
       m.energy_j                AS energy_j,
       m.energy_j / 3.6e6        AS energy_kwh,
       m.emissions_g             AS emissions_g,
       m.energy_j / 3.6e6 * 1000.0 / e.inferences AS kwh_per_1k_inferences,
       m.emissions_g * 1000.0 / e.inferences       AS g_co2eq_per_1k_inferences,
       sf.name                   AS source_file,
       m.line                    AS line
FROM measurement m
JOIN run r ON r.id = m.run_id
JOIN source_file sf ON sf.id = m.source_file_id
LEFT JOIN experiment e ON e.id = r.experiment_id
LEFT JOIN model mo ON mo.id = e.model_id
LEFT JOIN task t ON t.id = e.task_id
LEFT JOIN dataset d ON d.id = e.dataset_id;

-- For sqlite3 users: per run, its total (the whole-run measurement where there is one,
-- else the sum of its phases), with energy and emissions per 1,000 inferences.
CREATE VIEW v_run AS
SELECT r.id AS run_id,
       r.uid AS run_uid,
       mo.name AS model,
       t.name AS task,
       d.name AS dataset,
       e.inferences AS inferences,
       COALESCE(w.energy_j, p.energy_j) AS energy_j,
       COALESCE(w.emissions_g, p.emissions_g) AS emissions_g,
       COALESCE(w.energy_j, p.energy_j) / 3.6e6 * 1000.0 / e.inferences AS kwh_per_1k_inferences,
       COALESCE(w.emissions_g, p.emissions_g) * 1000.0 / e.inferences AS g_co2eq_per_1k_inferences
FROM run r
LEFT JOIN measurement w ON w.run_id = r.id AND w.phase = ''
LEFT JOIN (SELECT run_id, SUM(energy_j) AS energy_j, SUM(emissions_g) AS emissions_g
           FROM measurement WHERE phase <> '' GROUP BY run_id) p ON p.run_id = r.id
LEFT JOIN experiment e ON e.id = r.experiment_id
LEFT JOIN model mo ON mo.id = e.model_id
LEFT JOIN task t ON t.id = e.task_id
LEFT JOIN dataset d ON d.id = e.dataset_id;
