# Crash safety of a many-file ingest, whose WAL is checkpointed by a thread of its own
# (src/store/sqlite_ckpt.c): `wattprint ingest` of the study's 6,569 files killed with
# SIGKILL at points where the checkpoint thread is at work leaves a sound database whose
# every file is whole or absent; ingesting again completes it to what one clean ingest
# gives.  Not under valgrind (one ingest takes minutes there).
. "$(dirname "$0")/lib.bash"
if under_valgrind; then
    skipped "crash_many: the study's 6,569 files, killed at three points"
    exit 0
fi
S=$FIX/study
clean=$SCRATCH/clean.db
start=$(date +%s%N)
wp "$clean" -q ingest --manifest "$S/manifest.csv" "$S/emissions" || fail "clean ingest"
span=$(( ($(date +%s%N) - start) / 1000000 ))   # milliseconds
counts() {
    sqlite3 "$1" "SELECT (SELECT COUNT(*) FROM source_file), (SELECT COUNT(*) FROM run),
                  (SELECT COUNT(*) FROM measurement), (SELECT COUNT(*) FROM file_version),
                  (SELECT COUNT(*) FROM run WHERE experiment_id IS NOT NULL)"
}
want=$(counts "$clean")
# each kill point runs the same code (a kill, then the recovery of the next ingest) at
# another moment of the checkpoint thread; under ASan one of them checks that code for
# memory errors, the plain run takes all three
points="35 60 85"
if under_asan; then
    points=60
    reduced_asan "crash_many: 1 of the 3 kill points (60%; make test kills at 35, 60 and 85%)"
fi
for pct in $points; do
    db=$SCRATCH/k$pct.db
    "$WP" --db "$db" -q ingest --manifest "$S/manifest.csv" "$S/emissions" 2>/dev/null &
    pid=$!
    sleep "$(awk -v s="$span" -v p="$pct" 'BEGIN { printf "%.3f", s * p / 100000 }')"
    kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    [ "$(sqlite3 "$db" 'PRAGMA integrity_check')" = ok ] || fail "killed at $pct%: integrity"
    # a file is whole or absent: every source has its version and its hash
    half=$(sqlite3 "$db" "SELECT COUNT(*) FROM source_file sf WHERE sf.sha256 = ''
                          OR NOT EXISTS (SELECT 1 FROM file_version v WHERE v.source_file_id = sf.id)")
    [ "$half" = 0 ] || fail "killed at $pct%: $half files half ingested"
    wp "$db" -q ingest --manifest "$S/manifest.csv" "$S/emissions" 2>/dev/null ||
        fail "killed at $pct%: ingest again"
    [ "$(counts "$db")" = "$want" ] ||
        fail "killed at $pct%: $(counts "$db") after ingesting again, not $want"
    [ -s "$db-wal" ] && fail "killed at $pct%: a WAL was left after the second ingest"
done
exit 0
