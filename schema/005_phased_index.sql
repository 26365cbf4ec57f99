-- wattprint schema, version 5: the runs measured only in phases, read for run totals (the
-- phases' sums), are found through an index of the phased measurements alone.  Without it
-- every report over run totals scanned the whole measurement table to find them, even on a
-- store where no run has phases (10 M runs on a server: 0.7 s of every summary).  Whole-run
-- measurements (phase '') are most rows and stay out of it, so ingest pays only for phases.
-- By phase within a run, as the unique (run_id, phase) index it replaces for this read: a
-- run's phases are summed and listed in phase order on both backends (SQLite's aggregates
-- take rows in the order the index gives them).
CREATE INDEX measurement_phased ON measurement (run_id, phase) WHERE phase <> '';
