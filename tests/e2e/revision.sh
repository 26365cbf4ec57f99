# A file changed at the same path other than by growing (a benchmark run again, a CodeCarbon
# file rewritten in "update" mode) is a new version: without --replace it is refused, the
# database unchanged, since its runs would count beside the old version's; with --replace
# the new version takes the place of the old in one transaction.  Regression test of
# energy counted twice when a changed whole-file log was ingested again.
. "$(dirname "$0")/lib.bash"
db=$SCRATCH/a.db
energy() { wp "$db" runs --format csv | python3 -c '
import csv, sys
rows = list(csv.DictReader(sys.stdin))
print(len(rows), round(sum(float(r["energy_kwh"] or 0) for r in rows), 12))'; }

# a whole-file JSON report, run again with other numbers
ob=$FIX/formats/optimum-benchmark/pytorch/benchmark.json
mkdir -p "$SCRATCH/run"
f=$SCRATCH/run/benchmark.json
cp "$ob" "$f"
wp "$db" -q ingest "$f" || fail "first version"
first=$(energy)
python3 - "$f" <<'EOF'
import json, sys
p = sys.argv[1]
d = json.load(open(p))
def scale(x):
    if isinstance(x, dict):
        return {k: (v * 2 if k in ("cpu", "gpu", "ram", "total") and isinstance(v, (int, float))
                    else scale(v)) for k, v in x.items()}
    if isinstance(x, list):
        return [scale(v) for v in x]
    return x
json.dump(scale(d), open(p, "w"), indent=2)
EOF
cmp -s "$ob" "$f" && fail "the test did not change the file"
before=$(dbsum "$db")
"$WP" --db "$db" ingest "$f" 2>"$SCRATCH/err" && fail "a changed file was ingested beside its old version"
grep -q "benchmark.json: changed since it was ingested, other than by growing" "$SCRATCH/err" ||
    fail "message: $(cat "$SCRATCH/err")"
grep -q -- "--replace" "$SCRATCH/err" || fail "the message does not say what to do"
[ "$(dbsum "$db")" = "$before" ] || fail "the refused version changed the database"
[ "$(energy)" = "$first" ] || fail "energy changed: $(energy) vs $first"
# --replace: the new version's energy, once
wp "$db" ingest --replace "$f" 2>"$SCRATCH/err" || fail "--replace: $(cat "$SCRATCH/err")"
grep -q "replaced the earlier version" "$SCRATCH/err" || fail "no replace note: $(cat "$SCRATCH/err")"
runs1=${first% *} kwh1=${first#* }
now=$(energy)
[ "${now% *}" = "$runs1" ] || fail "runs after --replace: ${now% *}, expected $runs1"
python3 -c "import sys; a, b = float(sys.argv[1]), float(sys.argv[2]); assert abs(b - 2 * a) <= 1e-9 * b, (a, b)" \
    "$kwh1" "${now#* }" || fail "energy after --replace: ${now#* }, expected twice $kwh1"
[ "$(wp "$db" sources --format csv | tail -n +2 | wc -l)" = 1 ] || fail "the old version is still a source"
# the same version again, with or without --replace, changes nothing
before=$(dbsum "$db")
wp "$db" ingest --replace "$f" 2>"$SCRATCH/err" || fail "unchanged with --replace"
grep -q unchanged "$SCRATCH/err" || fail "not unchanged: $(cat "$SCRATCH/err")"
wp "$db" -q ingest "$f" || fail "unchanged"
[ "$(dbsum "$db")" = "$before" ] || fail "an unchanged file changed the database"
sqlite3 "$db" 'PRAGMA foreign_key_check; PRAGMA integrity_check;' > "$SCRATCH/check"
[ "$(cat "$SCRATCH/check")" = ok ] || fail "database: $(cat "$SCRATCH/check")"

# CodeCarbon rewritten in place: a run's row updated, the others kept. A run whose other
# phases live in another file keeps them; the updated whole-run row replaces the old one.
src=$FIX/synth/complete/extractive_qa__squad.csv
c=$SCRATCH/emissions.csv
cp "$src" "$c"
wp "$db" -q ingest --task extractive_qa --model m --dataset d --inferences 1000 "$c" || fail "codecarbon"
runs_before=$(wp "$db" runs --format csv | tail -n +2 | wc -l)
# the last row's energy_consumed and duration change, as CodeCarbon's update mode rewrites
python3 - "$c" <<'EOF'
import csv, sys
p = sys.argv[1]
rows = list(csv.reader(open(p, newline="")))
h = rows[0]
for k in ("duration", "energy_consumed", "cpu_energy", "gpu_energy", "ram_energy", "emissions"):
    rows[-1][h.index(k)] = repr(float(rows[-1][h.index(k)]) * 1.5)
csv.writer(open(p, "w", newline=""), lineterminator="\n").writerows(rows)
EOF
"$WP" --db "$db" -q ingest "$c" 2>"$SCRATCH/err" && fail "rewritten CodeCarbon file accepted"
grep -q "emissions.csv: changed since it was ingested" "$SCRATCH/err" || fail "message: $(cat "$SCRATCH/err")"
wp "$db" -q ingest --replace "$c" || fail "codecarbon --replace"
[ "$(wp "$db" runs --format csv | tail -n +2 | wc -l)" = "$runs_before" ] ||
    fail "runs after replacing a rewritten CodeCarbon file: not $runs_before"
sqlite3 "$db" 'PRAGMA foreign_key_check; PRAGMA integrity_check;' > "$SCRATCH/check"
[ "$(cat "$SCRATCH/check")" = ok ] || fail "database: $(cat "$SCRATCH/check")"
# labels given for a file already ingested relabel its runs: said, not silent (relabel.sh)
wp "$db" -q ingest --model other --task t --dataset d --inferences 1000 "$c" 2>"$SCRATCH/err" ||
    fail "relabel"
grep -q "emissions.csv: relabelled [0-9]* runs\?: model .* -> other" "$SCRATCH/err" ||
    fail "relabel not said: $(cat "$SCRATCH/err")"
wp "$db" runs --format csv | grep -q ',other,' || fail "an unchanged file was not relabelled"
exit 0
