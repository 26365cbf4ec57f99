# A database made by an older schema version upgrades in place and keeps its data.
. "$(dirname "$0")/lib.bash"
db=$SCRATCH/old.db
sqlite3 "$db" "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL);" || fail "setup"
sqlite3 "$db" < "$TOP/schema/001_init.sql" || fail "schema 1"
sqlite3 "$db" "INSERT INTO schema_migrations VALUES (1, 'init', '2026-01-01T00:00:00Z');"
sqlite3 "$db" "INSERT INTO source_file (path, name, format, sha256, size_bytes, consumed_bytes, prefix_sha256, ingested_at) VALUES ('old.csv', 'old.csv', 'codecarbon', 'x', 1, 1, 'x', '2026-01-01T00:00:00Z');
INSERT INTO run (uid) VALUES (NULL);
INSERT INTO measurement (run_id, source_file_id, line, energy_j) VALUES (1, 1, 2, 3600000);"
wp "$db" runs --format csv > "$SCRATCH/runs" || fail "open an old database"
grep -q "^1,.*old.csv,2,,,1," "$SCRATCH/runs" || fail "old data kept: $(cat "$SCRATCH/runs")"
v=$(sqlite3 "$db" "SELECT MAX(version) FROM schema_migrations")
latest=$(ls "$TOP"/schema/[0-9][0-9][0-9]_*.sql | wc -l)
[ "$v" -eq "$latest" ] || fail "schema version $v, expected $latest"
sqlite3 "$db" "SELECT COUNT(*) FROM v_unlabeled_run" | grep -q '^1$' || fail "new view works on old data"
# a database newer than the binary is refused, untouched
sqlite3 "$db" "INSERT INTO schema_migrations VALUES (999, 'future', '2030-01-01T00:00:00Z');"
wp "$db" runs 2>"$SCRATCH/err"; [ $? -eq 1 ] || fail "newer schema must fail"
grep -q "newer than this wattprint" "$SCRATCH/err" || fail "newer schema message"
