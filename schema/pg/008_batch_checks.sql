-- wattprint schema, version 8, PostgreSQL: the references of a measurement (run, source
-- file, tool, hardware, location) and of a run (experiment) checked once per statement
-- instead of once per row.  A foreign key runs one lookup per inserted row (five per
-- measurement): 40,000 measurements copied in took 3.4 s with them, 0.9 s without.  Here
-- each COPY batch or UPDATE is checked once, set-wise, at the end of its statement (an AFTER
-- ... FOR EACH STATEMENT trigger over its transition table), inside the same transaction,
-- so a batch with one dangling reference is refused whole and the writer's transaction
-- rolls back: integrity is still the database's, whoever writes.  The referenced side is
-- guarded the same way: a run, source file, tool, hardware, location or experiment that a
-- row still names cannot be deleted, renumbered or truncated away.  What a foreign key
-- did besides, and this does not: lock the referenced rows (FOR KEY SHARE) against a
-- concurrent delete; wattprint's writers take turns under one advisory lock
-- (src/store/pg.c), so only a session that bypasses wattprint could race.  The checks run
-- as the schema's owner (SECURITY DEFINER), as a foreign key's do: the ingest role of
-- roles.sql may not read measured values.
ALTER TABLE measurement DROP CONSTRAINT measurement_run_id_fkey,
    DROP CONSTRAINT measurement_source_file_id_fkey,
    DROP CONSTRAINT measurement_tool_id_fkey,
    DROP CONSTRAINT measurement_hardware_id_fkey,
    DROP CONSTRAINT measurement_location_id_fkey;
ALTER TABLE run DROP CONSTRAINT run_experiment_id_fkey;

-- The rows a statement wrote into a referencing table (wp_new) whose references are not
-- there: the first one is named in the error, SQLSTATE 23503 as a foreign key's.  Each
-- reference is looked up by its primary key once per distinct value (a scalar subquery per
-- row: an index probe whatever the planner thinks of the tables' sizes, never a scan of a
-- table of millions of runs for a batch of a few thousand).
CREATE FUNCTION wp_check_measurement_refs() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
    what TEXT;
    ref BIGINT;
    bad_id BIGINT;
BEGIN
    SELECT 'run', n.run_id INTO what, ref FROM wp_new n
     WHERE (SELECT r.id FROM run r WHERE r.id = n.run_id) IS NULL LIMIT 1;
    IF NOT FOUND THEN
        SELECT 'source_file', n.v INTO what, ref
          FROM (SELECT DISTINCT source_file_id AS v FROM wp_new) n
         WHERE (SELECT f.id FROM source_file f WHERE f.id = n.v) IS NULL LIMIT 1;
    END IF;
    IF NOT FOUND THEN
        SELECT 'tool', n.v INTO what, ref FROM (SELECT DISTINCT tool_id AS v FROM wp_new) n
         WHERE n.v IS NOT NULL AND (SELECT t.id FROM tool t WHERE t.id = n.v) IS NULL LIMIT 1;
    END IF;
    IF NOT FOUND THEN
        SELECT 'hardware', n.v INTO what, ref
          FROM (SELECT DISTINCT hardware_id AS v FROM wp_new) n
         WHERE n.v IS NOT NULL AND (SELECT h.id FROM hardware h WHERE h.id = n.v) IS NULL
         LIMIT 1;
    END IF;
    IF NOT FOUND THEN
        SELECT 'location', n.v INTO what, ref
          FROM (SELECT DISTINCT location_id AS v FROM wp_new) n
         WHERE n.v IS NOT NULL AND (SELECT l.id FROM location l WHERE l.id = n.v) IS NULL
         LIMIT 1;
    END IF;
    IF FOUND THEN
        EXECUTE format('SELECT MIN(id) FROM wp_new WHERE %I = $1', what || '_id')
            INTO bad_id USING ref;
        RAISE EXCEPTION 'measurement % names % %, which does not exist', bad_id, what, ref
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION wp_check_run_refs() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
    ref BIGINT;
    bad_id BIGINT;
BEGIN
    SELECT n.v INTO ref FROM (SELECT DISTINCT experiment_id AS v FROM wp_new) n
     WHERE n.v IS NOT NULL AND (SELECT e.id FROM experiment e WHERE e.id = n.v) IS NULL
     LIMIT 1;
    IF FOUND THEN
        SELECT MIN(id) INTO bad_id FROM wp_new WHERE experiment_id = ref;
        RAISE EXCEPTION 'run % names experiment %, which does not exist', bad_id, ref
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN NULL;
END $$;

-- The referenced side: rows a DELETE (wp_old) or an UPDATE (wp_old but not wp_new) took
-- away, or a TRUNCATE, while a row of TG_ARGV[0] still names them in column TG_ARGV[1].
-- (Truncating a referenced table with its referencing one: truncate the referencing first.)
CREATE FUNCTION wp_check_still_named() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
    gone BIGINT;
    child TEXT := TG_ARGV[0];
    col TEXT := TG_ARGV[1];
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        EXECUTE format('SELECT %I FROM %I WHERE %I IS NOT NULL LIMIT 1', col, child, col)
            INTO gone;
    ELSIF TG_OP = 'DELETE' THEN
        EXECUTE format('SELECT o.id FROM wp_old o WHERE EXISTS'
                       ' (SELECT 1 FROM %I c WHERE c.%I = o.id) LIMIT 1', child, col)
            INTO gone;
    ELSE
        -- an UPDATE that renumbers nothing (labelling runs: thousands a statement) is done
        -- when its ids before and after, sorted, are the same (two sorts, whatever plan a
        -- join of the two transition tables would get)
        IF (SELECT array_agg(id ORDER BY id) FROM wp_old) =
           (SELECT array_agg(id ORDER BY id) FROM wp_new) THEN
            RETURN NULL;
        END IF;
        EXECUTE format('SELECT o.id FROM wp_old o WHERE NOT EXISTS'
                       ' (SELECT 1 FROM wp_new n WHERE n.id = o.id) AND EXISTS'
                       ' (SELECT 1 FROM %I c WHERE c.%I = o.id) LIMIT 1', child, col)
            INTO gone;
    END IF;
    IF gone IS NOT NULL THEN
        RAISE EXCEPTION '% % is still named by %.%', TG_TABLE_NAME, gone, child, col
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER measurement_refs_insert AFTER INSERT ON measurement
    REFERENCING NEW TABLE AS wp_new FOR EACH STATEMENT
    EXECUTE FUNCTION wp_check_measurement_refs();
CREATE TRIGGER measurement_refs_update AFTER UPDATE ON measurement
    REFERENCING NEW TABLE AS wp_new FOR EACH STATEMENT
    EXECUTE FUNCTION wp_check_measurement_refs();
CREATE TRIGGER run_refs_insert AFTER INSERT ON run
    REFERENCING NEW TABLE AS wp_new FOR EACH STATEMENT EXECUTE FUNCTION wp_check_run_refs();
CREATE TRIGGER run_refs_update AFTER UPDATE ON run
    REFERENCING NEW TABLE AS wp_new FOR EACH STATEMENT EXECUTE FUNCTION wp_check_run_refs();

-- the referenced side, for each reference above: (table, referencing table, column)
DO $$
DECLARE
    r RECORD;
BEGIN
    FOR r IN SELECT * FROM (VALUES ('run', 'measurement', 'run_id'),
                                   ('source_file', 'measurement', 'source_file_id'),
                                   ('tool', 'measurement', 'tool_id'),
                                   ('hardware', 'measurement', 'hardware_id'),
                                   ('location', 'measurement', 'location_id'),
                                   ('experiment', 'run', 'experiment_id')) AS v (t, c, col)
    LOOP
        EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %I REFERENCING OLD TABLE AS wp_old'
                       ' FOR EACH STATEMENT EXECUTE FUNCTION wp_check_still_named(%L, %L)',
                       r.t || '_named_by_' || r.c || '_delete', r.t, r.c, r.col);
        EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %I REFERENCING OLD TABLE AS wp_old'
                       ' NEW TABLE AS wp_new FOR EACH STATEMENT'
                       ' EXECUTE FUNCTION wp_check_still_named(%L, %L)',
                       r.t || '_named_by_' || r.c || '_update', r.t, r.c, r.col);
        EXECUTE format('CREATE TRIGGER %I BEFORE TRUNCATE ON %I'
                       ' FOR EACH STATEMENT EXECUTE FUNCTION wp_check_still_named(%L, %L)',
                       r.t || '_named_by_' || r.c || '_truncate', r.t, r.c, r.col);
    END LOOP;
END $$;
