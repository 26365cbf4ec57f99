-- wattprint schema, version 10: PostgreSQL checks the runs a batch of measurements names by
-- one count of their range of ids where it can (schema/pg/010_run_range_check.sql).
-- Nothing changes in the SQLite schema.
SELECT 1;
