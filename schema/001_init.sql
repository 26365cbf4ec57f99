-- wattprint schema, version 1.
-- Stores every measurement in SI base units (J, s, W, g CO2eq, bytes) with the unit in the
-- column name.  Repeated text (tool versions, hardware, locations) lives once in small
-- dimension tables.  Keep to standard SQL: a PostgreSQL backend will apply the same file.

-- Every input file that was ingested, with what identifies its content.
CREATE TABLE source_file (
    id             INTEGER PRIMARY KEY,
    path           TEXT    NOT NULL,      -- as given on the command line ('-' for stdin)
    name           TEXT    NOT NULL,      -- base name, what manifest globs match
    format         TEXT    NOT NULL,      -- e.g. 'codecarbon'
    sha256         TEXT    NOT NULL,      -- of the whole file as last ingested
    size_bytes     INTEGER NOT NULL,
    consumed_bytes INTEGER NOT NULL,      -- bytes up to the end of the last complete row
    prefix_sha256  TEXT    NOT NULL,      -- sha256 of those consumed bytes (append detection)
    rows_ingested  INTEGER NOT NULL DEFAULT 0,
    rows_rejected  INTEGER NOT NULL DEFAULT 0,
    ingested_at    TEXT    NOT NULL       -- UTC, ISO 8601, when first ingested
);
CREATE INDEX source_file_path ON source_file (path);

-- Each distinct content of a source file that was ingested (a file that grew has several).
-- A content seen before is skipped: that is what makes ingest idempotent.
CREATE TABLE file_version (
    id             INTEGER PRIMARY KEY,
    source_file_id INTEGER NOT NULL REFERENCES source_file (id) ON DELETE CASCADE,
    sha256         TEXT    NOT NULL UNIQUE,
    size_bytes     INTEGER NOT NULL,
    rows_added     INTEGER NOT NULL,
    ingested_at    TEXT    NOT NULL
);

CREATE TABLE tool (
    id      INTEGER PRIMARY KEY,
    name    TEXT NOT NULL,                -- 'codecarbon', 'nvidia-smi', ...
    version TEXT NOT NULL DEFAULT '',     -- '' when the log does not say
    UNIQUE (name, version)
);

CREATE TABLE hardware (
    id              INTEGER PRIMARY KEY,
    cpu_model       TEXT    NOT NULL DEFAULT '',
    cpu_count       INTEGER,
    gpu_model       TEXT    NOT NULL DEFAULT '',
    gpu_count       INTEGER,
    ram_total_bytes REAL,
    os              TEXT    NOT NULL DEFAULT '',
    python_version  TEXT    NOT NULL DEFAULT ''
);

CREATE TABLE location (
    id               INTEGER PRIMARY KEY,
    country_name     TEXT NOT NULL DEFAULT '',
    country_iso_code TEXT NOT NULL DEFAULT '',
    region           TEXT NOT NULL DEFAULT '',
    cloud_provider   TEXT NOT NULL DEFAULT '',
    cloud_region     TEXT NOT NULL DEFAULT '',
    on_cloud         TEXT NOT NULL DEFAULT '',  -- 'Y', 'N' or ''
    UNIQUE (country_name, country_iso_code, region, cloud_provider, cloud_region, on_cloud)
);

CREATE TABLE model (
    id                INTEGER PRIMARY KEY,
    name              TEXT NOT NULL UNIQUE,
    parameters        INTEGER,              -- count of parameters, NULL when unknown
    training_energy_j REAL                  -- for inferences-to-parity, NULL when unknown
);

CREATE TABLE task (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);

CREATE TABLE dataset (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);

-- What a run measured.  Labels may be partial (a manifest that names only the model);
-- statistics use experiments whose model, task and dataset are all known.
CREATE TABLE experiment (
    id         INTEGER PRIMARY KEY,
    model_id   INTEGER REFERENCES model (id),
    task_id    INTEGER REFERENCES task (id),
    dataset_id INTEGER REFERENCES dataset (id),
    inferences INTEGER,                     -- inferences per run
    batch_size INTEGER
);
CREATE INDEX experiment_task ON experiment (task_id, model_id);
CREATE INDEX experiment_model ON experiment (model_id);

-- Free-form attributes of models and experiments (manifest columns without a home, such
-- as purpose = task-specific | multi-purpose).
CREATE TABLE model_attr (
    model_id INTEGER NOT NULL REFERENCES model (id) ON DELETE CASCADE,
    key      TEXT    NOT NULL,
    value    TEXT    NOT NULL,
    PRIMARY KEY (model_id, key)
);
CREATE TABLE experiment_attr (
    experiment_id INTEGER NOT NULL REFERENCES experiment (id) ON DELETE CASCADE,
    key           TEXT    NOT NULL,
    value         TEXT    NOT NULL,
    PRIMARY KEY (experiment_id, key)
);

-- A run: one execution of a measured program.  A log row that covers a whole run, and the
-- task-level rows of the same run (CodeCarbon's 'load model', 'query model'), are its
-- measurements.  uid holds the tool's run id when it is a UUID (globally unique by
-- construction); other run ids are not identities and stay on the measurement.
CREATE TABLE run (
    id            INTEGER PRIMARY KEY,
    uid           TEXT,
    experiment_id INTEGER REFERENCES experiment (id)
);
CREATE INDEX run_uid ON run (uid);
CREATE INDEX run_experiment ON run (experiment_id);

CREATE TABLE measurement (
    id                         INTEGER PRIMARY KEY,
    run_id                     INTEGER NOT NULL REFERENCES run (id),
    phase                      TEXT    NOT NULL DEFAULT '',  -- '' = the whole run
    source_file_id             INTEGER NOT NULL REFERENCES source_file (id),
    line                       INTEGER NOT NULL,             -- 1-based line in the file
    run_label                  TEXT    NOT NULL DEFAULT '',  -- run_id as logged
    project_name               TEXT    NOT NULL DEFAULT '',
    experiment_label           TEXT    NOT NULL DEFAULT '',  -- the tool's experiment_id
    started_at                 TEXT,                         -- ISO 8601 as logged
    duration_s                 REAL,
    energy_j                   REAL,                         -- total; NULL when unknown
    cpu_energy_j               REAL,
    gpu_energy_j               REAL,
    ram_energy_j               REAL,
    emissions_g                REAL,
    emissions_rate_g_per_s     REAL,
    cpu_power_w                REAL,
    gpu_power_w                REAL,
    ram_power_w                REAL,
    carbon_intensity_g_per_kwh REAL,                         -- emissions / energy as logged
    pue                        REAL,
    water_l                    REAL,
    tracking_mode              TEXT    NOT NULL DEFAULT '',
    longitude                  REAL,
    latitude                   REAL,
    tool_id                    INTEGER REFERENCES tool (id),
    hardware_id                INTEGER REFERENCES hardware (id),
    location_id                INTEGER REFERENCES location (id),
    UNIQUE (run_id, phase)
);
CREATE INDEX measurement_source ON measurement (source_file_id);
CREATE INDEX measurement_project ON measurement (project_name);

-- Input columns that have no home above, kept so that nothing the user logged is lost.
CREATE TABLE measurement_extra (
    measurement_id INTEGER NOT NULL REFERENCES measurement (id) ON DELETE CASCADE,
    key            TEXT    NOT NULL,
    value          TEXT    NOT NULL,
    PRIMARY KEY (measurement_id, key)
);

-- Lines that --skip-bad-rows left out, verbatim, with why.
CREATE TABLE rejected_line (
    id             INTEGER PRIMARY KEY,
    source_file_id INTEGER NOT NULL REFERENCES source_file (id) ON DELETE CASCADE,
    line           INTEGER NOT NULL,
    col            INTEGER,
    reason         TEXT    NOT NULL,
    text           TEXT    NOT NULL
);
CREATE INDEX rejected_line_source ON rejected_line (source_file_id);

-- Labelling rules: manifest rows and command-line labels, kept so that they apply to runs
-- ingested later too.  A NULL match column matches anything; a NULL label sets nothing.
CREATE TABLE label_rule (
    id               INTEGER PRIMARY KEY,
    origin           TEXT    NOT NULL,  -- 'manifest.csv:12' or 'command line'
    manifest         TEXT,              -- the manifest path, to replace its rules on reload
    match_project    TEXT,
    match_experiment TEXT,
    match_run        TEXT,
    match_file       TEXT,              -- glob on the source file's base name
    match_source_id  INTEGER REFERENCES source_file (id) ON DELETE CASCADE,
    model            TEXT,
    task             TEXT,
    dataset          TEXT,
    inferences       INTEGER,
    batch_size       INTEGER,
    parameters       INTEGER,
    training_energy_j REAL
);
CREATE TABLE label_rule_attr (
    rule_id INTEGER NOT NULL REFERENCES label_rule (id) ON DELETE CASCADE,
    key     TEXT    NOT NULL,
    value   TEXT    NOT NULL,
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
