-- wattprint schema, version 7: each version of a source file also records the SHA-256 of its
-- rows, normalized (gzip decoded, no byte-order mark, LF line ends, one newline at the end;
-- src/ingest/reader.c computes it), so that the same log stored another way (gzipped, with
-- CRLF line ends, a trailing newline added) is recognised as a copy and not counted again.
-- NULL for versions ingested before version 7; sha256 (the raw bytes) stays as provenance.
ALTER TABLE file_version ADD COLUMN rows_sha256 TEXT;
CREATE INDEX file_version_rows ON file_version (rows_sha256);
