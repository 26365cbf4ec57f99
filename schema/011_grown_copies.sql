-- wattprint schema, version 11: each version of a source file also records how many rows
-- it has (rows_count) and the sum of its first two rows' SHA-256 (head_sum, hex), both as
-- src/ingest/reader.c counts and adds them up for rows_sha256.  A file under another name
-- that begins with the rows of a stored version (a copy of a log that grew after it was
-- ingested, or a log that grew after its copy was) is found by its first two rows, and
-- only its rows after that version's are added: they were counted again before.  NULL for
-- versions ingested before version 11, for logs hashed by their values (JSON), and for
-- logs whose every row names its run's uid (CodeCarbon 2+: those rows join their runs
-- wherever they are read, and cannot count twice); the index holds the others alone.
ALTER TABLE file_version ADD COLUMN rows_count INTEGER;
ALTER TABLE file_version ADD COLUMN head_sum TEXT;
CREATE INDEX file_version_head ON file_version (head_sum) WHERE head_sum IS NOT NULL;
