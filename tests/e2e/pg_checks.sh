# The PostgreSQL store's reference checks (schema/pg/008_batch_checks.sql: once per
# statement instead of a foreign key's lookup per row) still refuse what the foreign keys
# refused: a measurement naming a missing run, source file, tool, hardware or location, a
# run naming a missing experiment, a referenced row deleted, renumbered or truncated away;
# a COPY batch with one bad row lands none of its rows, and the store reads on as before.
# Then two ingests with manifests at once into one server lose and double nothing: the
# server holds what a SQLite file holds after the same ingests one after the other.
# Needs the throwaway server of tests/pg/server (not skipped without one, as pg.sh).
. "$(dirname "$0")/lib.bash"
. "$TOP/tests/pg/server"
pg_server_start || fail "cannot start a PostgreSQL server"
pg=$WP_PG_URI
sq=$SCRATCH/a.db
q() { pg_psql wattprint -At -c "$1"; }
cc -O2 -o "$SCRATCH/gen" "$TOP/bench/gen.c" || fail "build the generator"
wp "$pg" -q ingest --manifest "$FIX/synth/manifest.csv" "$FIX/synth" || fail "ingest synth"
before=$("$PG_BIN/pg_dump" -h "$PGSOCK" -U postgres -a wattprint | grep -v '^--\|^\\' | LC_ALL=C sort | sha256sum)
wp "$pg" runs --format csv > "$SCRATCH/runs.before" || fail "runs"
# refused: SQL, what the message must say
refused() {
    pg_psql wattprint -c "$1" > /dev/null 2> "$SCRATCH/err" && fail "accepted: $1"
    grep -q "$2" "$SCRATCH/err" || fail "$1: $(cat "$SCRATCH/err")"
}
m="INSERT INTO measurement (id, run_id, source_file_id, line, tool_id, hardware_id, location_id)"
ok="(SELECT MAX(id) + 1 FROM measurement), (SELECT MAX(id) + 1 FROM run), (SELECT MIN(id) FROM source_file), 1"
ids="(SELECT MIN(tool_id) FROM measurement), (SELECT MIN(hardware_id) FROM measurement), (SELECT MIN(location_id) FROM measurement)"
refused "$m VALUES ($ok, $ids)" "names run [0-9]*, which does not exist"
refused "BEGIN; INSERT INTO run (id) SELECT MAX(id) + 1 FROM run;
         $m VALUES ($ok, $ids); COMMIT" "names run"
refused "INSERT INTO run (id) SELECT MAX(id) + 1 FROM run;
         $m SELECT (SELECT MAX(id) + 1 FROM measurement), (SELECT MAX(id) FROM run), 999999, 1, $ids" \
    "names source_file 999999, which does not exist"
for c in tool hardware location; do
    refused "INSERT INTO run (id) SELECT MAX(id) + 1 FROM run;
             INSERT INTO measurement (id, run_id, source_file_id, line, ${c}_id)
             SELECT MAX(id) + 1, (SELECT MAX(id) FROM run), (SELECT MIN(id) FROM source_file), 1, 424242
             FROM measurement" "names $c 424242, which does not exist"
done
refused "UPDATE measurement SET run_id = 999999 WHERE id = (SELECT MIN(id) FROM measurement)" "names run 999999"
refused "INSERT INTO run (id, experiment_id) SELECT MAX(id) + 1, 777777 FROM run" \
    "names experiment 777777, which does not exist"
refused "UPDATE run SET experiment_id = 777777 WHERE id = (SELECT MIN(id) FROM run)" "names experiment 777777"
# the referenced side
refused "DELETE FROM run WHERE id = (SELECT MIN(run_id) FROM measurement)" "run [0-9]* is still named by measurement.run_id"
refused "UPDATE run SET id = -id WHERE id = (SELECT MIN(run_id) FROM measurement)" "still named by measurement.run_id"
refused "DELETE FROM tool" "still named by measurement.tool_id"
refused "DELETE FROM hardware" "still named by measurement.hardware_id"
refused "DELETE FROM location" "still named by measurement.location_id"
refused "DELETE FROM experiment" "still named by run.experiment_id"
refused "DELETE FROM source_file WHERE id = (SELECT MIN(source_file_id) FROM measurement)" \
    "still named by measurement.source_file_id"
refused "TRUNCATE run" "still named by measurement.run_id"
# a COPY batch as the store sends it: 3 good rows and one naming a missing run land none
next=$(q "SELECT MAX(id) + 1 FROM measurement")
run=$(q "SELECT MAX(id) + 1 FROM run")
src=$(q "SELECT MIN(id) FROM source_file")
for i in 0 1 2; do printf '%s\t%s\tp%s\t%s\t1\n' "$((next + i))" "$run" "$i" "$src"; done > "$SCRATCH/batch.tsv"
printf '%s\t999999\t\t%s\t1\n' "$((next + 3))" "$src" >> "$SCRATCH/batch.tsv"
pg_psql wattprint -c "BEGIN" -c "INSERT INTO run (id) VALUES ($run)" \
    -c "\\copy measurement (id, run_id, phase, source_file_id, line) FROM '$SCRATCH/batch.tsv'" \
    -c "COMMIT" > /dev/null 2> "$SCRATCH/err" && fail "a batch with a dangling run landed"
grep -q "names run 999999" "$SCRATCH/err" || fail "batch: $(cat "$SCRATCH/err")"
[ "$(q "SELECT COUNT(*) FROM measurement WHERE id >= $next")" = 0 ] || fail "part of a refused batch landed"
# the batch's runs in one narrow range of ids (schema/pg/010: one count of that range
# instead of a probe a row): a missing id inside it, or at either end, is still refused
for gap in 0 1 2; do
    for i in 0 1 2; do printf '%s\t%s\tp\t%s\t1\n' "$((next + i))" "$((run + i))" "$src"; done > "$SCRATCH/dense.tsv"
    present=""
    for i in 0 1 2; do [ "$i" = "$gap" ] || present="$present ($((run + i))),"; done
    pg_psql wattprint -c "BEGIN" -c "INSERT INTO run (id) VALUES ${present%,}" \
        -c "\\copy measurement (id, run_id, phase, source_file_id, line) FROM '$SCRATCH/dense.tsv'" \
        -c "COMMIT" > /dev/null 2> "$SCRATCH/err" && fail "a batch missing run $((run + gap)) of its range landed"
    grep -q "names run $((run + gap)), which does not exist" "$SCRATCH/err" || fail "dense gap $gap: $(cat "$SCRATCH/err")"
done
[ "$(q "SELECT COUNT(*) FROM measurement WHERE id >= $next")" = 0 ] || fail "part of a refused batch landed"
pg_psql wattprint -c "BEGIN" -c "INSERT INTO run (id) VALUES ($run), ($((run + 1))), ($((run + 2)))" \
    -c "\\copy measurement (id, run_id, phase, source_file_id, line) FROM '$SCRATCH/dense.tsv'" \
    -c "ROLLBACK" > /dev/null 2> "$SCRATCH/err" || fail "a dense good batch refused: $(cat "$SCRATCH/err")"
# the same batch with its run there lands whole (the check does not refuse good rows)
pg_psql wattprint -c "BEGIN" -c "INSERT INTO run (id) VALUES ($run)" -c "INSERT INTO run (id) VALUES (999999)" \
    -c "\\copy measurement (id, run_id, phase, source_file_id, line) FROM '$SCRATCH/batch.tsv'" \
    -c "ROLLBACK" > /dev/null 2> "$SCRATCH/err" || fail "a good batch refused: $(cat "$SCRATCH/err")"
after=$("$PG_BIN/pg_dump" -h "$PGSOCK" -U postgres -a wattprint | grep -v '^--\|^\\' | LC_ALL=C sort | sha256sum)
[ "$before" = "$after" ] || fail "a refused statement changed the data"
wp "$pg" runs --format csv > "$SCRATCH/runs.after" || fail "runs after the refusals"
cmp -s "$SCRATCH/runs.before" "$SCRATCH/runs.after" || fail "the runs changed"
# through wattprint: a server that drops the runs it is sent (a trigger planted here) makes
# the ingest's measurements name runs that are not there: the store refuses the file
# cleanly (its message, exit 1, nothing of the file kept) and ingests it once the trigger
# is gone
pg_psql wattprint -c "CREATE FUNCTION lose_runs() RETURNS trigger LANGUAGE plpgsql AS
                          \$\$ BEGIN RETURN NULL; END \$\$;
                      CREATE TRIGGER lose_runs BEFORE INSERT ON run FOR EACH ROW EXECUTE FUNCTION lose_runs()" \
    > /dev/null || fail "plant the trigger"
"$SCRATCH/gen" 300 5 "$SCRATCH/lost.csv" || fail "generate"
"$WP" --db "$pg" ingest "$SCRATCH/lost.csv" > /dev/null 2> "$SCRATCH/err" && fail "an ingest whose runs were lost succeeded"
grep -q "lost.csv.*database: add measurements:.*measurement [0-9]* names run [0-9]*, which does not exist" "$SCRATCH/err" ||
    fail "lost runs: $(cat "$SCRATCH/err")"
[ "$(q "SELECT COUNT(*) FROM source_file WHERE name = 'lost.csv'")" = 0 ] || fail "the refused file was kept"
after=$("$PG_BIN/pg_dump" -h "$PGSOCK" -U postgres -a wattprint | grep -v '^--\|^\\' | LC_ALL=C sort | sha256sum)
[ "$before" = "$after" ] || fail "the refused ingest changed the data"
pg_psql wattprint -c "DROP TRIGGER lose_runs ON run" > /dev/null || fail "drop the trigger"
wp "$pg" -q ingest "$SCRATCH/lost.csv" || fail "the file after the trigger is gone"
[ "$(q "SELECT COUNT(*) FROM measurement m JOIN source_file f ON f.id = m.source_file_id WHERE f.name = 'lost.csv'")" = 300 ] ||
    fail "lost.csv: not all rows"

# what the store itself drops (--replace: measurements, then their runs, then the file)
# passes the referenced-side checks
mkdir -p "$SCRATCH/rev"
cp "$FIX/synth/complete/extractive_qa__squad.csv" "$SCRATCH/rev/e.csv"
wp "$pg" -q ingest "$SCRATCH/rev/e.csv" || fail "ingest a copy to replace"
sed -i '$ s/^\([^,]*\),\([^,]*\),\([^,]*\),[^,]*,/\1,\2,\3,9.5,/' "$SCRATCH/rev/e.csv"
wp "$pg" -q ingest --replace "$SCRATCH/rev/e.csv" 2> "$SCRATCH/err" || fail "--replace: $(cat "$SCRATCH/err")"

# ---- two ingests with manifests at once into one server: nothing lost, nothing doubled
pg_psql postgres -c "CREATE DATABASE two" > /dev/null || fail "create two"
two=postgresql:///two
wp "$two" -q migrate || fail "migrate two"
"$SCRATCH/gen" 6000 11 "$SCRATCH/a.csv" "$SCRATCH/m.csv" || fail "generate a"
"$SCRATCH/gen" 6000 12 "$SCRATCH/b.csv" || fail "generate b"
"$WP" --db "$two" -q ingest --manifest "$SCRATCH/m.csv" "$SCRATCH/a.csv" 2> "$SCRATCH/wa" & a=$!
"$WP" --db "$two" -q ingest --manifest "$SCRATCH/m.csv" "$SCRATCH/b.csv" 2> "$SCRATCH/wb" & b=$!
wait "$a" || fail "writer a: $(cat "$SCRATCH/wa")"
wait "$b" || fail "writer b: $(cat "$SCRATCH/wb")"
# the same files into SQLite in the order the server took them (writers take turns, whole
# files): the same run ids, so every statistic sums in the same order
order=$(pg_psql two -At -c "SELECT name FROM source_file ORDER BY id" | sed 's/\.csv$//')
[ "$(echo $order)" = "a b" ] || [ "$(echo $order)" = "b a" ] || fail "files on the server: $order"
for f in $order; do wp "$sq" -q ingest --manifest "$SCRATCH/m.csv" "$SCRATCH/$f.csv" || fail "sqlite $f"; done
[ "$(pg_psql two -At -c "SELECT COUNT(*) FROM measurement")" = 12000 ] || fail "measurements lost or doubled"
[ "$(pg_psql two -At -c "SELECT COUNT(*) FROM run WHERE experiment_id IS NOT NULL")" = 12000 ] || fail "runs left unlabelled"
[ "$(pg_psql two -At -c "SELECT COUNT(*) - COUNT(DISTINCT uid) FROM run")" = 0 ] || fail "doubled runs"
for c in "summary --format csv" "stats --format csv"; do
    # shellcheck disable=SC2086
    wp "$sq" $c > "$SCRATCH/sq.out" && wp "$two" $c > "$SCRATCH/pg.out" || fail "$c"
    cmp -s "$SCRATCH/sq.out" "$SCRATCH/pg.out" || { diff "$SCRATCH/sq.out" "$SCRATCH/pg.out" | head -5 >&2; fail "$c differs after two writers"; }
done
wp "$two" runs --format csv > "$SCRATCH/pg.runs" && wp "$sq" runs --format csv > "$SCRATCH/sq.runs" || fail "runs"
cmp -s "$SCRATCH/sq.runs" "$SCRATCH/pg.runs" || fail "the runs differ after two writers"

# The writer lock held by another session past the ingest's lock_timeout: the ingest's
# first statement (BEGIN and the lock, one round trip) fails; the file is said failed and
# rolled back, the same connection still reads the closing counts, no transaction is left
# open, and once the lock is free the file goes in.
lockdb=$(pg_psql two -At -c "SELECT COUNT(*) FROM measurement")
pg_psql two -c "BEGIN; SELECT pg_advisory_xact_lock(2004318068); SELECT pg_sleep(30); COMMIT" \
    > /dev/null 2>&1 & holder=$!
for _ in $(seq 100); do
    [ "$(pg_psql postgres -At -c "SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND granted")" = 1 ] && break
    sleep 0.05
done
"$SCRATCH/gen" 20 13 "$SCRATCH/locked.csv" || fail "generate locked"
PGOPTIONS="-c lock_timeout=200" "$WP" --db "$two" ingest "$SCRATCH/locked.csv" 2> "$SCRATCH/err" &&
    fail "an ingest ran while another session held the writer lock"
grep -q "locked.csv: .*take the writer lock.*lock timeout" "$SCRATCH/err" || fail "lock timeout: $(cat "$SCRATCH/err")"
grep -q "0 files ingested (.*1 failed)" "$SCRATCH/err" || fail "no closing counts after the timeout: $(cat "$SCRATCH/err")"
[ "$(pg_psql two -At -c "SELECT COUNT(*) FROM measurement")" = "$lockdb" ] || fail "rows stored under another's lock"
[ "$(pg_psql postgres -At -c "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = 'two'
    AND state LIKE 'idle in transaction%'")" = 0 ] || fail "a transaction left open after the lock timeout"
pg_psql postgres -c "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory'" > /dev/null
wait "$holder"
wp "$two" -q ingest "$SCRATCH/locked.csv" || fail "the file once the lock is free"
[ "$(pg_psql two -At -c "SELECT COUNT(*) FROM measurement")" = $((lockdb + 20)) ] || fail "the file after the lock"
# A small file into a database of many runs reads what it needs, not every run or
# measurement, whatever the planner knows of the tables: here 100,000 runs in tables never
# analyzed (a new database that an ingest filled faster than autovacuum came round) and a
# manifest's rules stored.  A file whose run ids are stored has them looked up (pg.c,
# PQ_BATCH_START and PQ_BATCH_RUNS: once `uid = ANY`, read by a scan of every run, and a
# hash join over every measurement); a file whose runs no rule labels has its run keys read
# back through a cursor (once planned for its first rows: a merge join over every run).
pg_psql postgres -c "CREATE DATABASE plan" > /dev/null || fail "create plan"
wp "postgresql:///plan" -q migrate || fail "migrate plan"
pg_psql plan -c "ALTER TABLE run SET (autovacuum_enabled = false);
                 ALTER TABLE measurement SET (autovacuum_enabled = false);
                 ALTER TABLE source_file SET (autovacuum_enabled = false)" > /dev/null ||
    fail "autovacuum off"
"$SCRATCH/gen" 100000 11 "$SCRATCH/many.csv" "$SCRATCH/many_m.csv" || fail "generate many"
wp "postgresql:///plan" -q ingest --manifest "$SCRATCH/many_m.csv" "$SCRATCH/many.csv" ||
    fail "ingest many into plan"
# rows read so far from the two tables, scanned or fetched through an index
tuples_read() {
    pg_psql plan -At -c "SELECT SUM(COALESCE(seq_tup_read, 0) + COALESCE(idx_tup_fetch, 0))
                         FROM pg_stat_user_tables WHERE relname IN ('run', 'measurement')"
}
# READ: the rows tuples_read counts for the ingest of $1
read_by() {
    local t0 t1
    t0=$(tuples_read)
    wp "postgresql:///plan" -q ingest "$1" 2> "$SCRATCH/err" || fail "ingest $1: $(cat "$SCRATCH/err")"
    # the counts reach the statistics when the ingest's server process ends, just after it
    for _ in $(seq 50); do
        t1=$(tuples_read)
        [ "$t1" -gt "$t0" ] && break
        sleep 0.1
    done
    READ=$((t1 - t0))
}
# 40 of its runs again, a year earlier: the same run ids with other values, 40 new runs
head -n 41 "$SCRATCH/many.csv" | sed 's/^2023-/2022-/' > "$SCRATCH/again.csv"
read_by "$SCRATCH/again.csv"
[ "$(grep -c 'already holds different values' "$SCRATCH/err")" = 40 ] || fail "again.csv: $(head -3 "$SCRATCH/err")"
[ "$READ" -gt 0 ] && [ "$READ" -lt 2000 ] || fail "40 runs stored again read $READ rows of 100,000 runs"
# one new run of a project the manifest does not name
"$SCRATCH/gen" 1 99 "$SCRATCH/one.csv" || fail "generate one"
awk -F, -v OFS=, 'NR == 2 { $2 = "unlisted-project" } { print }' "$SCRATCH/one.csv" > "$SCRATCH/lone.csv"
read_by "$SCRATCH/lone.csv"
[ "$READ" -gt 0 ] && [ "$READ" -lt 2000 ] || fail "one unlabelled run read $READ rows of 100,000 runs"
[ "$(pg_psql plan -At -c "SELECT COUNT(*) FROM measurement")" = 100041 ] || fail "rows lost or doubled"

echo "pg_checks: 17 refusals, a refused batch lands nothing, 3 gaps in a dense batch refused, an ingest whose runs were lost refused; two writers 12000 runs; a lock timeout at BEGIN rolled back; a small file reads what it needs"
