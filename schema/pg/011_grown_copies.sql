-- wattprint schema, version 11, PostgreSQL dialect (TEXT COLLATE "C"; see
-- ../011_grown_copies.sql): each version's first rows (the sum of its first two rows'
-- hashes, its rows count and their hash), by which one log stored at two lengths under two
-- names is found.  The ingest role (roles.sql) may read them; for a database whose roles
-- exist already, granted here too.
ALTER TABLE file_version ADD COLUMN rows_count BIGINT;
ALTER TABLE file_version ADD COLUMN head_sum TEXT COLLATE "C";
ALTER TABLE file_version ADD COLUMN complete_sha256 TEXT COLLATE "C";
CREATE INDEX file_version_head ON file_version (head_sum) WHERE head_sum IS NOT NULL;
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'wattprint_ingest') THEN
        GRANT SELECT (rows_count, head_sum, complete_sha256) ON file_version
            TO wattprint_ingest;
    END IF;
END $$;
