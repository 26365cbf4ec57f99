# A file cut off mid-write ingests its complete rows with a warning; once CodeCarbon has
# appended to it, a second ingest adds only the new rows; the same content twice adds none.
. "$(dirname "$0")/lib.bash"
db=$SCRATCH/a.db
src=$FIX/synth/complete/extractive_qa__squad.csv
total=$(($(wc -l < "$src") - 1))
f=$SCRATCH/emissions.csv
head -n 4 "$src" > "$f"                     # header + 3 rows
sed -n 5p "$src" | head -c 100 >> "$f"       # the 4th row, cut mid-field
wp "$db" ingest "$f" 2>"$SCRATCH/err" || fail "cut file: $(cat "$SCRATCH/err")"
grep -q "emissions.csv:5: last line cut off" "$SCRATCH/err" || fail "no cut-off warning: $(cat "$SCRATCH/err")"
n=$(wp "$db" runs --format csv | tail -n +2 | wc -l)
[ "$n" -eq 3 ] || fail "3 runs after the cut file, got $n"
cp "$src" "$f"                               # CodeCarbon finished writing and went on
wp "$db" ingest "$f" 2>"$SCRATCH/err" || fail "grown file"
grep -q "appended" "$SCRATCH/err" || fail "not seen as appended: $(cat "$SCRATCH/err")"
n=$(wp "$db" runs --format csv | tail -n +2 | wc -l)
[ "$n" -eq "$total" ] || fail "$total runs after the append, got $n"
before=$(dbsum "$db")
wp "$db" ingest "$f" 2>"$SCRATCH/err" || fail "third ingest"
grep -q unchanged "$SCRATCH/err" || fail "not unchanged"
[ "$(dbsum "$db")" = "$before" ] || fail "third ingest changed the database"
# the same content under another name is the same file
cp "$src" "$SCRATCH/copy.csv"
wp "$db" ingest "$SCRATCH/copy.csv" 2>"$SCRATCH/err" || fail "copy"
[ "$(dbsum "$db")" = "$before" ] || fail "a copy of an ingested file changed the database"
# gzip and standard input read the same rows
db2=$SCRATCH/b.db
gzip -c "$src" > "$SCRATCH/e.csv.gz"
wp "$db2" -q ingest "$SCRATCH/e.csv.gz" || fail "gz"
wp "$db2" -q ingest - < "$src" || fail "stdin"
n=$(wp "$db2" runs --format csv | tail -n +2 | wc -l)
[ "$n" -eq "$total" ] || fail "gz then stdin of the same rows: $n runs, expected $total (duplicates kept out by run id)"
# the same rows (byte for byte) are a copy of the gzipped file (tests/e2e/copies.sh)
cp "$src" "$SCRATCH/copy.csv"
wp "$db2" ingest "$SCRATCH/copy.csv" 2>"$SCRATCH/err" || fail "a copy of the same rows"
grep -q "note: $SCRATCH/copy.csv: same rows as $SCRATCH/e.csv.gz" "$SCRATCH/err" ||
    fail "not a copy: $(cat "$SCRATCH/err")"
# rows held in another order are the same rows: a copy (tests/e2e/copies.sh); some of the
# rows, reordered, are a note of the rows already held (by run id), which -q keeps quiet
# like every other note
{ head -n 1 "$src"; tail -n +2 "$src" | tac; } >"$SCRATCH/reordered.csv"
wp "$db2" ingest "$SCRATCH/reordered.csv" 2>"$SCRATCH/err" || fail "the same rows reordered"
grep -q "note: $SCRATCH/reordered.csv: same rows as $SCRATCH/e.csv.gz" "$SCRATCH/err" ||
    fail "reordered rows not a copy: $(cat "$SCRATCH/err")"
{ head -n 1 "$src"; tail -n +3 "$src" | tac; } >"$SCRATCH/some.csv"
wp "$db2" ingest "$SCRATCH/some.csv" 2>"$SCRATCH/err" || fail "some of the rows reordered"
grep -q "some.csv: $((total - 1)) rows were already in the database" "$SCRATCH/err" ||
    fail "no note of the rows already held: $(cat "$SCRATCH/err")"
{ head -n 1 "$src"; tail -n +3 "$src"; } >"$SCRATCH/some2.csv"
wp "$db2" -q ingest "$SCRATCH/some2.csv" 2>"$SCRATCH/err" || fail "rows held already (-q)"
[ -s "$SCRATCH/err" ] && fail "-q printed: $(cat "$SCRATCH/err")"
exit 0
