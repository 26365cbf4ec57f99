# The synthetic study-shaped fixtures ingest with their manifest into the expected runs
# and per-task summary (golden file); a second ingest changes nothing.
. "$(dirname "$0")/lib.bash"
db=$SCRATCH/a.db
wp "$db" -q ingest --manifest "$FIX/synth/manifest.csv" "$FIX/synth" || fail "ingest"
runs=$(wp "$db" runs --format csv | tail -n +2 | wc -l)
[ "$runs" -eq 543 ] || fail "543 runs expected, got $runs"
unlabeled=$(wp "$db" runs --unlabeled --format csv | tail -n +2 | wc -l)
[ "$unlabeled" -eq 0 ] || fail "$unlabeled unlabelled runs"
wp "$db" summary --format csv > "$SCRATCH/summary.csv" || fail "summary"
golden summary.csv "$SCRATCH/summary.csv"
wp "$db" summary --format json > "$SCRATCH/summary.json" || fail "summary json"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert len(d) == 10, d' \
    "$SCRATCH/summary.json" || fail "summary json is not 10 tasks"
before=$(dbsum "$db")
wp "$db" ingest --manifest "$FIX/synth/manifest.csv" "$FIX/synth" 2>"$SCRATCH/err" || fail "re-ingest"
grep -q "58 files ingested (58 unchanged" "$SCRATCH/err" || fail "re-ingest not unchanged: $(cat "$SCRATCH/err")"
[ "$(dbsum "$db")" = "$before" ] || fail "re-ingest changed the database"
# task-level rows joined their whole-run row through the UUID run id
phases=$(wp "$db" runs --phase "query model" --format csv | tail -n +2 | wc -l)
[ "$phases" -ge 20 ] || fail "query model phases: $phases"
# units: energy per 1,000 inferences is energy_kwh * 1000 / inferences for every run
wp "$db" runs --format csv | python3 -c '
import csv, sys
for r in csv.DictReader(sys.stdin):
    e, n, k = float(r["energy_kwh"]), int(r["inferences"]), float(r["kwh_per_1k_inferences"])
    assert abs(e * 1000 / n - k) <= 1e-12 * k, r
' || fail "per-1k normalisation"
