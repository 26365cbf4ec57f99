-- Least-privilege roles for a team server (not a migration: an administrator runs this
-- once per database, after `wattprint --db postgresql://... migrate`, as the owner):
--   psql -d wattprint -f schema/pg/roles.sql
--   CREATE ROLE gpu17 LOGIN PASSWORD '...' IN ROLE wattprint_ingest;
--   CREATE ROLE alice LOGIN PASSWORD '...' IN ROLE wattprint_read;
-- Both are NOLOGIN group roles; grant them to login roles.  Re-running this file is safe.
--
-- wattprint_read: SELECT on every table and view, nothing else: runs, summary, stats,
-- charts, reports, cards, xlsx.  It cannot ingest, label or delete.
--
-- wattprint_ingest: for hosts that only send measurements (`wattprint ingest`, manifests,
-- `wattprint tokens`).  It INSERTs rows; it UPDATEs only the columns an ingest updates
-- (a source file's totals, a run's experiment, a model's parameters and training energy,
-- an experiment's or rule's attribute value); it DELETEs only what a re-applied manifest
-- or token-count file replaces (its label rules, its token counts) and nothing measured;
-- not names or experiments (so its `ingest --manifest` adds none before the manifest is
-- applied: ingest/label.c asks the server whether it may).
-- It SELECTs only the columns ingest compares to stay idempotent (file content and rows hashes,
-- run ids, the dimension rows it reuses, the energy, duration, emissions and start a
-- duplicate row is recognised by) and the labelling rules it applies: it cannot list runs
-- or run statistics or reports, since those read columns it is not granted.
DO $$ BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'wattprint_read') THEN
        CREATE ROLE wattprint_read NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'wattprint_ingest') THEN
        CREATE ROLE wattprint_ingest NOLOGIN;
    END IF;
END $$;

GRANT USAGE ON SCHEMA public TO wattprint_read, wattprint_ingest;
GRANT SELECT ON ALL TABLES IN SCHEMA public TO wattprint_read;

GRANT SELECT ON schema_migrations TO wattprint_ingest;
GRANT INSERT ON source_file, file_version, tool, hardware, location, model, task, dataset,
    experiment, experiment_attr, run, measurement, measurement_extra, rejected_line,
    label_rule, label_rule_attr, token_count TO wattprint_ingest;
GRANT SELECT (id, path, name, size_bytes, consumed_bytes, sha256, prefix_sha256,
    rows_ingested, rows_rejected),
    UPDATE (sha256, size_bytes, consumed_bytes, prefix_sha256, rows_ingested, rows_rejected)
    ON source_file TO wattprint_ingest;
-- rows_sha256 (schema 7) with the file and date it came from: a copy of a file stored another
-- way is recognised by its rows and named; rows_count, head_sum and complete_sha256
-- (schema 11): one log at two lengths, by its first rows
GRANT SELECT (id, sha256, rows_sha256, source_file_id, ingested_at, rows_count, head_sum,
    complete_sha256) ON file_version TO wattprint_ingest;
GRANT SELECT ON tool, hardware, location, task, dataset, experiment, label_rule,
    label_rule_attr TO wattprint_ingest;
GRANT SELECT (id, name), UPDATE (parameters, training_energy_j) ON model TO wattprint_ingest;
GRANT SELECT, UPDATE (value) ON experiment_attr TO wattprint_ingest;
GRANT SELECT (id, uid, experiment_id), UPDATE (experiment_id) ON run TO wattprint_ingest;
GRANT SELECT (id, run_id, phase, source_file_id, line, run_label, project_name,
    experiment_label, started_at, duration_s, energy_j, emissions_g)
    ON measurement TO wattprint_ingest;
GRANT SELECT (measurement_id, key) ON measurement_extra TO wattprint_ingest;
GRANT SELECT (id) ON rejected_line TO wattprint_ingest;
GRANT UPDATE (value) ON label_rule_attr TO wattprint_ingest;
GRANT DELETE ON label_rule TO wattprint_ingest;
GRANT SELECT (model, dataset, source_path, logged_model, logged_dataset), DELETE
    ON token_count TO wattprint_ingest;
