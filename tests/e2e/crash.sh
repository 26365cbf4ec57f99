# Crash safety: `wattprint ingest` killed with SIGKILL at many points while it ingests a
# large file leaves a sound database (integrity_check ok) holding either all of the file or
# none of it; ingesting again then completes the job with exactly the expected rows.
# WP_CRASH_POINTS (default 50) and WP_CRASH_ROWS (default 10000) make it longer; under
# valgrind the defaults are 4 points of a 2,000-row file, under ASan 12 points (the same
# code runs at every point: make test kills at all 50).
. "$(dirname "$0")/lib.bash"
points=${WP_CRASH_POINTS:-50}
rows=${WP_CRASH_ROWS:-10000}
if under_valgrind; then
    points=${WP_CRASH_POINTS:-4}
    rows=${WP_CRASH_ROWS:-2000}
    reduced "crash: $points kill points of a $rows-row ingest (50 of 10,000 rows otherwise)"
elif under_asan; then
    points=${WP_CRASH_POINTS:-12}
    echo "reduced under ASan: crash: $points kill points (make test: 50)"
fi
cc -O2 -o "$SCRATCH/gen" "$TOP/bench/gen.c" || fail "build the generator"
"$SCRATCH/gen" "$rows" 7 "$SCRATCH/big.csv" || fail "generate"
"$SCRATCH/gen" 100 8 "$SCRATCH/small.csv" || fail "generate"
base=$SCRATCH/base.db
wp "$base" -q ingest "$SCRATCH/small.csv" || fail "first file"
sqlite3 "$base" "PRAGMA wal_checkpoint(TRUNCATE)" > /dev/null
# how long a whole ingest takes, to spread the kill points over it
start=$(date +%s%N)
wp "$SCRATCH/t.db" -q ingest "$SCRATCH/big.csv" || fail "timing ingest"
span=$(( ($(date +%s%N) - start) / 1000 ))   # microseconds
committed=0
i=0
while [ "$i" -lt "$points" ]; do
    i=$((i + 1))
    db=$SCRATCH/k$i.db
    cp "$base" "$db"
    "$WP" --db "$db" -q ingest "$SCRATCH/big.csv" 2>/dev/null &
    pid=$!
    # kill points spread evenly over the ingest, from its start to just past its end
    sleep "$(awk -v i="$i" -v n="$points" -v s="$span" 'BEGIN { printf "%.6f", i / n * s * 1.05 / 1e6 }')"
    kill -9 "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    ok=$(sqlite3 "$db" "PRAGMA integrity_check")
    [ "$ok" = ok ] || fail "kill point $i: integrity_check: $ok"
    n=$(sqlite3 "$db" "SELECT COUNT(*) FROM measurement")
    case "$n" in
        100) ;;                                           # none of the killed file
        $((100 + rows))) committed=$((committed + 1)) ;;  # all of it: it committed first
        *) fail "kill point $i: $n measurements: a file is half-present" ;;
    esac
    wp "$db" -q ingest "$SCRATCH/big.csv" || fail "kill point $i: re-ingest"
    n=$(sqlite3 "$db" "SELECT COUNT(*) FROM measurement")
    [ "$n" -eq $((100 + rows)) ] || fail "kill point $i: $n measurements after re-ingest"
    rm -f "$db" "$db-wal" "$db-shm"
done
echo "crash: $points kill points over a ${span} us ingest; database sound after each; the file had committed at $committed of them; re-ingest always completed it"
[ "$committed" -lt "$points" ] || fail "no kill point hit the ingest"
