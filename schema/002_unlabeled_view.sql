-- wattprint schema, version 2: a view of the runs that statistics leave out because a
-- label is missing, with where they came from, for sqlite3 users checking a manifest.
CREATE VIEW v_unlabeled_run AS
SELECT r.id AS run_id,
       r.uid AS run_uid,
       MIN(sf.path) AS source_file,
       MIN(m.line) AS line,
       MIN(m.project_name) AS project_name,
       CASE WHEN e.model_id IS NULL THEN 'model ' ELSE '' END ||
       CASE WHEN e.task_id IS NULL THEN 'task ' ELSE '' END ||
       CASE WHEN e.dataset_id IS NULL THEN 'dataset' ELSE '' END AS missing
FROM run r
JOIN measurement m ON m.run_id = r.id
JOIN source_file sf ON sf.id = m.source_file_id
LEFT JOIN experiment e ON e.id = r.experiment_id
WHERE e.model_id IS NULL OR e.task_id IS NULL OR e.dataset_id IS NULL
GROUP BY r.id, r.uid, e.model_id, e.task_id, e.dataset_id;
