-- wattprint schema, version 11: each version of a source file also records its first rows
-- as src/ingest/reader.c counts and hashes them for rows_sha256: the sum of its first two
-- rows' SHA-256 (head_sum, hex), and how many rows it has (rows_count) with their rows hash
-- (complete_sha256; its rows_sha256 but for a last line cut mid-write, which is left out of
-- both).  A file under another name that begins with the rows of a stored version (a copy
-- of a log taken after it grew, or a log grown after its copy was ingested), or whose rows
-- begin a stored version's log (a copy taken before it grew), is found by its first two
-- rows, and only its rows after that version's are added: they were counted again before.
-- NULL for versions ingested before version 11, for logs hashed by their values (JSON),
-- and for logs whose every row names its run's uid (CodeCarbon 2+: those rows join their
-- runs wherever they are read, and cannot count twice); the index holds the others alone.
ALTER TABLE file_version ADD COLUMN rows_count INTEGER;
ALTER TABLE file_version ADD COLUMN head_sum TEXT;
ALTER TABLE file_version ADD COLUMN complete_sha256 TEXT;
CREATE INDEX file_version_head ON file_version (head_sum) WHERE head_sum IS NOT NULL;
