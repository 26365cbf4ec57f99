-- wattprint schema, version 11: each version of a source file also records how many rows
-- it has (rows_count) and the rows hash of its first two rows (head_sha256), both as
-- src/ingest/reader.c counts and hashes them for rows_sha256.  A file under another name
-- that begins with the rows of a stored version (a copy of a log that grew after it was
-- ingested, or a log that grew after its copy was) is found by its first two rows, and
-- only its rows after that version's are added: they were counted again before.  NULL for
-- versions ingested before version 11, and for logs hashed by their values (JSON).
ALTER TABLE file_version ADD COLUMN rows_count INTEGER;
ALTER TABLE file_version ADD COLUMN head_sha256 TEXT;
CREATE INDEX file_version_head ON file_version (head_sha256);
