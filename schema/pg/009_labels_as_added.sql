-- wattprint schema, version 9, PostgreSQL (see ../009_labels_as_added.sql): the labelling
-- pass after a file reads each run's experiment (a run stored in its experiment as it was
-- added is not updated again), so the ingest role of roles.sql may read run.experiment_id,
-- as it may already update it.  For a database whose roles exist already; roles.sql grants
-- the same to new ones.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'wattprint_ingest') THEN
        GRANT SELECT (experiment_id) ON run TO wattprint_ingest;
    END IF;
END $$;
