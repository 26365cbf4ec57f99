# compare --by on a column of the runs' logs (issue 29): one experiment (model, task,
# dataset) measured in three releases, the release a column of each log (kept as the run's
# configuration, not a manifest column), so --by release splits the experiment.  v2 costs
# exactly 30% more than v1 in both models: costlier, exit 1, ratio 1.3; v3 is v1 with its
# jitter mirrored: same, exit 0.  The same key works as --where in stats, and a value the
# runs do not have is said with the values they have.
. "$(dirname "$0")/lib.bash"
M=$FIX/measure
db=$SCRATCH/r.db
wp "$db" -q ingest --map "$M/measure.map" "$M/release_ma.csv" "$M/release_mb.csv" || fail "ingest"
wp "$db" compare --by release --baseline v1 --candidate v2 --format json > "$SCRATCH/c.json"
[ $? -eq 1 ] || fail "a 30% regression did not fail the gate"
python3 - "$SCRATCH/c.json" <<'PY' || fail "v2 row"
import json, sys
j = json.load(open(sys.argv[1]))
rows = j if isinstance(j, list) else j.get("rows", j)
r = rows[0]
assert r["verdict"] == "costlier" and r["pairing"] == "paired", r
assert abs(r["ratio"] - 1.3) < 1e-9 and r["runs_candidate"] == 10 and r["runs_baseline"] == 10, r
PY
wp "$db" compare --by release --baseline v1 --candidate v3 > "$SCRATCH/same.txt" \
    || fail "no change failed the gate"
grep -q "same" "$SCRATCH/same.txt" || fail "v3 not same"
# three values: the candidate must be named
wp "$db" compare --by release --baseline v1 2> "$SCRATCH/many.err" && fail "ambiguous candidate"
grep -q 'column "release" has more than one value besides "v1"' "$SCRATCH/many.err" \
    || fail "ambiguous message"
# --where on the same key in stats: ma's v2 runs are 130,000 J +/- jitter, mean 130,000 J
wp "$db" stats --by model --where release=v2 --format csv > "$SCRATCH/s.csv" || fail "stats where"
python3 - "$SCRATCH/s.csv" <<'PY' || fail "stats --where release=v2"
import csv, sys
g = {r["model"]: r for r in csv.DictReader(open(sys.argv[1]))}
assert g["ma"]["runs"] == "5" and abs(float(g["ma"]["mean_kwh_per_1k"]) - 130000 / 3.6e6) < 1e-12, g
PY
wp "$db" stats --where release=v9 2> "$SCRATCH/v9.err" && fail "v9 matched"
grep -q "the runs' values of release are: v1, v2, v3" "$SCRATCH/v9.err" || fail "v9 message"
echo ok
