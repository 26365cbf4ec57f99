# The SQLite writer's file layer (src/store/sqlite_vfs.c, which gathers the writes to the
# write-ahead log) under failed writes, kills and a reader in another process:
#  1. every write to the log of an ingest of six files made to fail in turn (ENOSPC; EIO
#     at every third; a disk that stays full from every fourth on), and the last write of a
#     160,000-row file's commit, which SQLite writes alone (it rewrites the frames'
#     checksums of a transaction that wrote a page twice): the ingest exits 1 with a
#     message, the database is sound, every file in it whole, and ingesting again
#     completes it;
#  2. the ingest of those files and a 20,000-row one killed with SIGKILL at 12 points (one
#     at random, seeded, in each twelfth): sound, every file whole or absent, ingesting
#     again completes it;
#  3. a reader process polling while the writer ingests them finds every file whole.
# Regression test: that last write was gathered and went out at the barrier, where SQLite
# cannot hear a failure: the ingest exited 0 (and a crash then lost the commit).
# tests/e2e/wal_faults.c is the LD_PRELOAD shim that fails the Nth write to a "-wal" file.
. "$(dirname "$0")/lib.bash"
if under_valgrind; then
    skipped "wal_faults: an LD_PRELOAD shim under valgrind's own preloads"
    exit 0
fi
cd "$SCRATCH" || fail "cd"
cc -O2 -o gen "$TOP/bench/gen.c" || fail "build the generator"
cc -O2 -shared -fPIC -o shim.so "$TOP/tests/e2e/wal_faults.c" -ldl || fail "build the shim"
export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0
label=(--model x --task t --dataset d)
files=()
declare -A rows=([first.csv]=20 [big.csv]=160000 [mid.csv]=20000)
for i in 1 2 3 4 5 6; do
    rows[f$i.csv]=$((i * i * 23 + 11))
    ./gen "${rows[f$i.csv]}" "$i" "f$i.csv" || fail "generate"
    files+=("f$i.csv")
done
./gen 20 99 first.csv || fail "generate"
wp base.db -q ingest "${label[@]}" first.csv || fail "first file"
sqlite3 base.db "PRAGMA wal_checkpoint(TRUNCATE)" > /dev/null || fail "checkpoint"

# check WHAT DB ALL FILES...: sound, first.csv whole, each of FILES whole (ALL=1) or whole
# or absent (its rows all there, as many as the file has and as its source_file says), and
# no other file
check() {
    local what=$1 db=$2 all=$3 ok got f n
    shift 3
    ok=$(sqlite3 "$db" "PRAGMA integrity_check" 2>&1)
    [ "$ok" = ok ] || fail "$what: integrity_check: $ok"
    got=$(sqlite3 "$db" "SELECT sf.name || '|' || COUNT(m.id) || '|' || sf.rows_ingested
                         FROM source_file sf LEFT JOIN measurement m ON m.source_file_id = sf.id
                         GROUP BY sf.id")
    n=0
    for f in first.csv "$@"; do
        if ! grep -q "^$f|" <<< "$got"; then
            [ "$all" = 1 ] || [ "$f" = first.csv ] && fail "$what: $f absent"
            continue
        fi
        n=$((n + 1))
        grep -qx "$f|${rows[$f]}|${rows[$f]}" <<< "$got" ||
            fail "$what: $f holds $(grep "^$f|" <<< "$got") (name|rows|rows_ingested), not ${rows[$f]} rows"
    done
    [ "$(wc -l <<< "$got")" -eq "$n" ] || fail "$what: other files: $got"
}

# faulty N ERRNO ALL WHAT FILES...: the ingest with the Nth write to the log failing
faulty() {
    local n=$1 e=$2 all=$3 what=$4 rc
    shift 4
    rm -f w.db w.db-wal w.db-shm writes.log
    cp base.db w.db
    WP_FAIL_LOG=$SCRATCH/writes.log WP_FAIL_NTH=$n WP_FAIL_ERRNO=$e WP_FAIL_ALL=$all \
        LD_PRELOAD=$SCRATCH/shim.so "$WP" --db w.db -q ingest "${label[@]}" "$@" 2> err.txt
    rc=$?
    grep -q failed writes.log || fail "$what: the write was not made"
    [ "$rc" -eq 1 ] || fail "$what: exit $rc after a failed write to the log"
    grep -qE "disk is full|I/O error" err.txt || { cat err.txt >&2; fail "$what: no message"; }
    check "$what" w.db 0 "$@"
    wp w.db -q ingest "${label[@]}" "$@" || fail "$what: ingest again"
    check "$what, ingested again" w.db 1 "$@"
}

# 1. every write of the ingest of the six files, in turn
rm -f w.db* writes.log
cp base.db w.db
WP_FAIL_LOG=$SCRATCH/writes.log LD_PRELOAD=$SCRATCH/shim.so \
    "$WP" --db w.db -q ingest "${label[@]}" "${files[@]}" || fail "ingest with the shim"
check "no failure" w.db 1 "${files[@]}"
total=$(wc -l < writes.log)
[ "$total" -ge 8 ] || fail "only $total writes to the log"
# under ASan ENOSPC alone: EIO and a disk that stays full take the same path through the
# layer (only SQLite's unix layer maps them apart), and make test runs them
variants=1
if under_asan; then
    variants=0
    reduced_asan "wal_faults: each write failed with ENOSPC only (make test: EIO and a full disk too)"
fi
for n in $(seq 1 "$total"); do
    faulty "$n" 28 0 "write $n of $total (ENOSPC)" "${files[@]}"
    [ "$variants" = 1 ] && [ $((n % 3)) -eq 0 ] && faulty "$n" 5 0 "write $n of $total (EIO)" "${files[@]}"
    [ "$variants" = 1 ] && [ $((n % 4)) -eq 1 ] && faulty "$n" 28 1 "writes from $n of $total (ENOSPC)" "${files[@]}"
done
echo "wal_faults: each of $total writes to the log failed in turn: exit 1, sound, files whole"

# the last write of a large file's commit: the rewrite of its commit frame's header (not
# under ASan: three ingests of 160,000 rows; its failure takes the commit's error path that
# the writes above already fail under ASan)
if under_asan; then
    reduced_asan "wal_faults: not the 160,000-row file's rewritten commit header (make test has it)"
else
    ./gen 160000 1000 big.csv || fail "generate"
    rm -f w.db* writes.log
    cp base.db w.db
    WP_FAIL_LOG=$SCRATCH/writes.log LD_PRELOAD=$SCRATCH/shim.so \
        "$WP" --db w.db -q ingest "${label[@]}" big.csv f1.csv || fail "ingest big.csv with the shim"
    rewrite=$(awk '$2 == 24 { n = $1 } END { print n }' writes.log)
    [ -n "$rewrite" ] || fail "big.csv: no frame header rewritten alone (SQLite's checksum rewrite)"
    faulty "$rewrite" 28 0 "big.csv: the rewritten commit header (write $rewrite)" big.csv f1.csv
    echo "wal_faults: big.csv's rewritten commit header (write $rewrite) failed: exit 1"
fi

# 2. kills at seeded points over the ingest of the six files and mid.csv
./gen 20000 1001 mid.csv || fail "generate"
all=("${files[@]}" mid.csv)
start=$(date +%s%N)
cp base.db t.db
wp t.db -q ingest "${label[@]}" "${all[@]}" || fail "timing ingest"
span=$(( ($(date +%s%N) - start) / 1000 ))   # microseconds
committed=0
kills=12
if under_asan; then
    kills=4
    reduced_asan "wal_faults: $kills kill points (make test: 12)"
fi
for i in $(seq 1 "$kills"); do
    rm -f k.db k.db-wal k.db-shm
    cp base.db k.db
    "$WP" --db k.db -q ingest "${label[@]}" "${all[@]}" 2> /dev/null &
    pid=$!
    # one point at random (seeded) in each of $kills equal parts of the ingest and a bit
    sleep "$(awk -v i="$i" -v k="$kills" -v s="$span" \
        'BEGIN { srand(i); printf "%.6f", (i - 1 + rand()) / k * s * 1.05 / 1e6 }')"
    kill -9 "$pid" 2> /dev/null
    wait "$pid" 2> /dev/null
    check "kill $i" k.db 0 "${all[@]}"
    [ "$(sqlite3 k.db "SELECT COUNT(*) FROM source_file")" -eq 8 ] && committed=$((committed + 1))
    wp k.db -q ingest "${label[@]}" "${all[@]}" || fail "kill $i: ingest again"
    check "kill $i, ingested again" k.db 1 "${all[@]}"
done
[ "$committed" -lt "$kills" ] || fail "no kill hit the ingest"
echo "wal_faults: $kills kills over a $span us ingest: sound, files whole or absent ($committed after its end)"

# 3. a reader in another process while the writer ingests (not under ASan: the reader is
# the sqlite3 shell, and concurrency.sh runs readers beside an ASan writer)
if under_asan; then
    reduced_asan "wal_faults: no reader beside the writer (make test has it)"
    exit 0
fi
rm -f r.db r.db-wal r.db-shm
cp base.db r.db
"$WP" --db r.db -q ingest "${label[@]}" "${all[@]}" &
pid=$!
polls=0
while kill -0 "$pid" 2> /dev/null; do
    out=$(sqlite3 r.db "PRAGMA quick_check;
        SELECT COUNT(*) FROM source_file sf
         WHERE sf.rows_ingested != (SELECT COUNT(*) FROM measurement m WHERE m.source_file_id = sf.id);
        SELECT COUNT(*) FROM source_file;" 2>&1)
    case "$out" in
        *"database is locked"*) continue ;;
        ok$'\n'0$'\n'*) polls=$((polls + 1)) ;;
        *) kill "$pid"; fail "reader, poll $polls: $out" ;;
    esac
done
wait "$pid" || fail "the writer beside the reader"
check "beside the reader" r.db 1 "${all[@]}"
[ "$polls" -ge 3 ] || fail "the reader polled only $polls times"
echo "wal_faults: a reader polled $polls times during the ingest: every file whole each time"
