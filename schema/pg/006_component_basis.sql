-- wattprint schema, version 6, PostgreSQL dialect (TEXT COLLATE "C"; see ../006_component_basis.sql).
-- wattprint schema, version 6: whether each component energy of a measurement was measured
-- (read from counters: RAPL, NVML, a meter) or modelled (a constant or a formula), as the
-- log says it at ingest (src/ingest/basis.c holds the rules).  Values: 'measured',
-- 'measured:all-gpus' (NVML counters of every GPU the node has, idle ones included),
-- 'modelled:ram' (RAM power from the memory size), 'modelled:tdp' (CPU power from a TDP
-- table), or '' when the log does not tell.
ALTER TABLE measurement ADD COLUMN cpu_basis TEXT COLLATE "C" NOT NULL DEFAULT '';
ALTER TABLE measurement ADD COLUMN gpu_basis TEXT COLLATE "C" NOT NULL DEFAULT '';
ALTER TABLE measurement ADD COLUMN ram_basis TEXT COLLATE "C" NOT NULL DEFAULT '';
-- Measurements stored before version 6: CodeCarbon never measures RAM (3 W per 8 GB before
-- 3.0, 5 W per DIMM slot after), so its RAM energy is marked modelled; the rest stays ''.
UPDATE measurement SET ram_basis = 'modelled:ram'
WHERE ram_energy_j IS NOT NULL
  AND tool_id IN (SELECT id FROM tool WHERE name = 'codecarbon');
