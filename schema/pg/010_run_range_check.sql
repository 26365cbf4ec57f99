-- wattprint schema, version 10, PostgreSQL (see ../010_run_range_check.sql): the reference
-- check of version 8 (008_batch_checks.sql) probed the run of every measurement a COPY
-- batch wrote, one index lookup a row: 4.8-6.3 ms for a batch of 4,096 (issue 30).
--
-- The runs a batch of measurements names were mostly added just before it, with
-- consecutive ids: when every id between the batch's smallest and largest run id is a run
-- (one count over that range of the primary key), each one it names is there.  Otherwise,
-- or when that range is more than twice the batch's rows (a batch naming old runs too),
-- each row's run is probed as in version 8.  The same batch: 1.6 ms.
CREATE OR REPLACE FUNCTION wp_check_measurement_refs() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
    what TEXT;
    ref BIGINT;
    bad_id BIGINT;
    lo BIGINT;
    hi BIGINT;
    n_rows BIGINT;
BEGIN
    SELECT MIN(run_id), MAX(run_id), COUNT(*) INTO lo, hi, n_rows FROM wp_new;
    IF n_rows = 0 THEN
        RETURN NULL;
    END IF;
    IF hi - lo >= 2 * n_rows
       OR (SELECT COUNT(*) FROM run r WHERE r.id BETWEEN lo AND hi) <> hi - lo + 1 THEN
        SELECT 'run', n.run_id INTO what, ref FROM wp_new n
         WHERE (SELECT r.id FROM run r WHERE r.id = n.run_id) IS NULL LIMIT 1;
    END IF;
    IF what IS NULL THEN
        SELECT 'source_file', n.v INTO what, ref
          FROM (SELECT DISTINCT source_file_id AS v FROM wp_new) n
         WHERE (SELECT f.id FROM source_file f WHERE f.id = n.v) IS NULL LIMIT 1;
    END IF;
    IF what IS NULL THEN
        SELECT 'tool', n.v INTO what, ref FROM (SELECT DISTINCT tool_id AS v FROM wp_new) n
         WHERE n.v IS NOT NULL AND (SELECT t.id FROM tool t WHERE t.id = n.v) IS NULL LIMIT 1;
    END IF;
    IF what IS NULL THEN
        SELECT 'hardware', n.v INTO what, ref
          FROM (SELECT DISTINCT hardware_id AS v FROM wp_new) n
         WHERE n.v IS NOT NULL AND (SELECT h.id FROM hardware h WHERE h.id = n.v) IS NULL
         LIMIT 1;
    END IF;
    IF what IS NULL THEN
        SELECT 'location', n.v INTO what, ref
          FROM (SELECT DISTINCT location_id AS v FROM wp_new) n
         WHERE n.v IS NOT NULL AND (SELECT l.id FROM location l WHERE l.id = n.v) IS NULL
         LIMIT 1;
    END IF;
    IF what IS NOT NULL THEN
        EXECUTE format('SELECT MIN(id) FROM wp_new WHERE %I = $1', what || '_id')
            INTO bad_id USING ref;
        RAISE EXCEPTION 'measurement % names % %, which does not exist', bad_id, what, ref
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN NULL;
END $$;
