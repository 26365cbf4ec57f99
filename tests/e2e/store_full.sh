# A database on a file system that fills up during an ingest: the ingest fails with exit 1
# and a message, the database stays sound (integrity_check ok) and holds exactly what it held
# before, and the same ingest completes once there is room.  The free space left before the
# second file goes from a few KiB (the first write fails) to enough (it lands), so that the
# commit itself meets the full disk at some point.  Regression test: the SQLite writer's
# file layer (src/store/sqlite_vfs.c) gathered a commit's log writes and handed them on at
# the barrier, where a failure cannot be told to SQLite: the ingest exited 0 and the
# database was malformed.  Needs root (mount); says so otherwise.
. "$(dirname "$0")/lib.bash"
cd "$SCRATCH" || fail "cd"
m=$SCRATCH/m
mkdir -p "$m"
if ! mount -t tmpfs -o size=2m tmpfs "$m" 2>/dev/null; then
    echo "store full: not tried (mount needs root)"
    exit 0
fi
trap 'umount "$m" 2>/dev/null; rm -rf "$SCRATCH"' EXIT
cc -O2 -o gen "$TOP/bench/gen.c" || fail "build the generator"
./gen 200 3 a.csv && ./gen 30 5 c.csv || fail "generate"
label=(--model x --task t --dataset d)
steps="4 8 12 16 20 24 28 32 36 40 44 48 56 64 80 96 128"
under_valgrind && { steps="8 32 40 64"; reduced "store full: 4 amounts of free space (17 otherwise)"; }
failed=0
for left in $steps; do
    rm -f "$m"/*
    wp "$m/w.db" -q ingest "${label[@]}" a.csv || fail "left $left: first file"
    sqlite3 "$m/w.db" "PRAGMA wal_checkpoint(TRUNCATE)" > /dev/null || fail "checkpoint"
    avail=$(df -k "$m" | awk 'NR == 2 { print $4 }')
    [ "$avail" -gt "$left" ] || fail "left $left: only $avail KiB free"
    dd if=/dev/zero of="$m/fill" bs=1k count=$((avail - left)) 2> /dev/null
    wp "$m/w.db" -q ingest "${label[@]}" c.csv > out.txt 2> err.txt
    rc=$?
    rm -f "$m/fill"
    ok=$(sqlite3 "$m/w.db" "PRAGMA integrity_check" 2>&1)
    [ "$ok" = ok ] || fail "left $left KiB: exit $rc, integrity_check: $ok"
    n=$(sqlite3 "$m/w.db" "SELECT COUNT(*) FROM measurement")
    if [ "$rc" -eq 0 ]; then
        [ "$n" -eq 230 ] || fail "left $left KiB: exit 0 but $n measurements (want 230)"
    else
        [ "$rc" -eq 1 ] || fail "left $left KiB: exit $rc"
        [ "$n" -eq 200 ] || fail "left $left KiB: a failed ingest left $n measurements (want 200)"
        grep -qE "full|I/O error" err.txt || { cat err.txt >&2; fail "left $left KiB: no message"; }
        failed=$((failed + 1))
        wp "$m/w.db" -q ingest "${label[@]}" c.csv || fail "left $left KiB: ingest again with room"
        n=$(sqlite3 "$m/w.db" "SELECT COUNT(*) FROM measurement")
        [ "$n" -eq 230 ] || fail "left $left KiB: $n measurements after the second try (want 230)"
    fi
done
[ "$failed" -ge 2 ] || fail "only $failed of the amounts of free space made the ingest fail"
echo "store full: $(echo $steps | wc -w) amounts of free space, $failed ingests failed cleanly"
