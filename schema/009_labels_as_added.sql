-- wattprint schema, version 9: runs are stored in their experiment as they are added (an
-- ingest decides a new run's labels from the manifest's rules before it stores the run),
-- and the labelling pass after a file reads each run's experiment to leave alone the runs
-- already in theirs.  Nothing changes in the SQLite schema; PostgreSQL's ingest role
-- (schema/pg/roles.sql) may now read that column (schema/pg/009_labels_as_added.sql).
SELECT 1;
