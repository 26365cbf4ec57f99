-- wattprint schema, version 3: no query looks measurements up by project name (labels are
-- matched in C over the keys of each run), and the index cost every insert about a sixth
-- of the ingest time (bench/README.md).
DROP INDEX measurement_project;
