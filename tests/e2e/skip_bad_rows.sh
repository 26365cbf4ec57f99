# --skip-bad-rows keeps the good rows of a damaged file and every bad line verbatim with
# its reason; without it the file is refused whole and files before it stay ingested.
. "$(dirname "$0")/lib.bash"
db=$SCRATCH/a.db
good=$FIX/synth/complete/masked_lm__c4.csv
bad=$FIX/bad/bad_nonnumber_energy.csv
"$WP" --db "$db" ingest "$good" "$bad" 2>"$SCRATCH/err"
[ $? -eq 1 ] || fail "a damaged file must fail the ingest"
grep -q "bad_nonnumber_energy.csv:3:13: energy_consumed" "$SCRATCH/err" || fail "message: $(cat "$SCRATCH/err")"
n=$(wp "$db" runs --format csv | tail -n +2 | wc -l)
good_rows=$(($(wc -l < "$good") - 1))
[ "$n" -eq "$good_rows" ] || fail "the good file before it must stay: $n runs"
wp "$db" ingest --skip-bad-rows "$bad" 2>"$SCRATCH/err" || fail "skip-bad-rows: $(cat "$SCRATCH/err")"
n2=$(wp "$db" runs --format csv | tail -n +2 | wc -l)
[ "$n2" -eq $((good_rows + 2)) ] || fail "2 good rows of the damaged file expected, got $((n2 - good_rows))"
wp "$db" rejected --format csv > "$SCRATCH/rej"
[ "$(tail -n +2 "$SCRATCH/rej" | wc -l)" -eq 1 ] || fail "one rejected line: $(cat "$SCRATCH/rej")"
grep -q '0.0x3' "$SCRATCH/rej" || fail "the rejected line is kept verbatim"
grep -q 'is not a number' "$SCRATCH/rej" || fail "with its reason"
# --keep-going goes on after a failed file
db3=$SCRATCH/c.db
"$WP" --db "$db3" -q ingest --keep-going "$bad" "$good" 2>/dev/null
[ $? -eq 1 ] || fail "keep-going still exits 1"
n3=$(wp "$db3" runs --format csv | tail -n +2 | wc -l)
[ "$n3" -eq "$good_rows" ] || fail "keep-going ingests the next file: $n3"
# A file stored with --skip-bad-rows and read again without it is unchanged (exit 0, nothing
# stored), as every file stored before is, gzipped or not, alone or read ahead among
# others, and so is a copy of its bytes under another name: its content is known stored
# before it is parsed.  Gzipped, it used to be parsed again, stop at the bad row and fail.
mkdir -p "$SCRATCH/g"
gzip -c "$bad" > "$SCRATCH/g/bad.csv.gz"
cp "$bad" "$SCRATCH/g/plain.csv"
for f in bad.csv.gz plain.csv; do
    db4=$SCRATCH/$f.db
    wp "$db4" -q ingest --skip-bad-rows "$SCRATCH/g/$f" || fail "$f with --skip-bad-rows"
    before=$(dbsum "$db4")
    wp "$db4" ingest "$SCRATCH/g/$f" 2> "$SCRATCH/err" || fail "$f again, without --skip-bad-rows: $(cat "$SCRATCH/err")"
    grep -q "$f: unchanged" "$SCRATCH/err" || fail "$f again: $(cat "$SCRATCH/err")"
    cp "$SCRATCH/g/$f" "$SCRATCH/g/copy_$f"
    wp "$db4" ingest "$SCRATCH/g/$f" "$SCRATCH/g/copy_$f" 2> "$SCRATCH/err" ||
        fail "$f and a copy, read ahead: $(cat "$SCRATCH/err")"
    grep -q "2 files ingested (2 unchanged" "$SCRATCH/err" || fail "$f and a copy: $(cat "$SCRATCH/err")"
    [ "$(dbsum "$db4")" = "$before" ] || fail "$f: the database changed by files read again"
done
# the hint to --skip-bad-rows follows a bad row only: a header or map error stops the whole
# file, and --skip-bad-rows would not change that
printf 'start,kwh,secs,model\n2026-01-01T00:00:00Z,0.1,10,m\n' > "$SCRATCH/hint.csv"
wp "$SCRATCH/hint.db" ingest --map 'timestamp=start,energy_kwh=kwh,duration_s=secs,model=mm' \
    "$SCRATCH/hint.csv" 2> "$SCRATCH/err" && fail "a map naming a missing column passed"
grep -q 'column "mm" (model, --map:1) is not in the header' "$SCRATCH/err" || fail "map error: $(cat "$SCRATCH/err")"
grep -q "skip-bad-rows" "$SCRATCH/err" && fail "a header error pointed at --skip-bad-rows"
printf 'start,kwh,secs,model\n2026-01-01T00:00:00Z,abc,10,m\n' > "$SCRATCH/hint2.csv"
wp "$SCRATCH/hint.db" ingest --map 'timestamp=start,energy_kwh=kwh,duration_s=secs,model=model' \
    "$SCRATCH/hint2.csv" 2> "$SCRATCH/err" && fail "a bad row passed"
grep -q "nothing from this file was ingested (--skip-bad-rows keeps its good rows)" "$SCRATCH/err" \
    || fail "bad row: no hint: $(cat "$SCRATCH/err")"
