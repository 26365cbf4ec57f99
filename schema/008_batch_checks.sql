-- wattprint schema, version 8: on PostgreSQL, the references of a measurement (its run,
-- source file, tool, hardware and location) and of a run (its experiment) are checked once
-- per statement (a COPY batch, an UPDATE) instead of once per row; see
-- pg/008_batch_checks.sql.  SQLite keeps its foreign keys (checked in the process, a
-- lookup in an index it already has in memory): nothing changes here.
SELECT 1;
