# The raw CodeCarbon logs of "Power Hungry Processing" (Luccioni, Jernite, Strubell, FAccT
# 2024), all 56 run files and 6,513 task-level files, ingest with the study's manifest
# (fixtures/study/manifest.csv), and the tasks that have no dataset variants reproduce the
# published per-task mean and sd of kWh per 1,000 inferences (query model phase, 240 runs)
# within one unit of the printed digit.  The logs ship gzipped in fixtures/study/.
. "$(dirname "$0")/lib.bash"
DATA=$FIX/study
db=$SCRATCH/study.db
wp "$db" -q ingest --manifest "$FIX/study/manifest.csv" "$DATA/emissions" 2>"$SCRATCH/err" ||
    fail "ingest: $(cat "$SCRATCH/err")"
[ ! -s "$SCRATCH/err" ] || fail "warnings on the study's logs: $(cat "$SCRATCH/err")"
files=$(wp "$db" sources --format csv | tail -n +2 | wc -l)
[ "$files" -eq 6569 ] || fail "6569 files expected, got $files"
wp "$db" runs --phase "query model" --format csv > "$SCRATCH/q.csv" || fail "runs"
python3 - "$SCRATCH/q.csv" <<'PY' || fail "published values not reproduced"
import csv, statistics, sys
by = {}
for r in csv.DictReader(open(sys.argv[1])):
    if r["task"] and r["kwh_per_1k_inferences"]:
        by.setdefault(r["task"], []).append(float(r["kwh_per_1k_inferences"]))
# published (mean, sd) and printed decimals, Luccioni et al. 2024, table of tasks
published = {"masked_lm": (0.003, 0.001), "token_classification": (0.004, 0.002),
             "text_generation": (0.047, 0.03)}
for task, (mean, sd) in published.items():
    x = by[task]
    assert len(x) == 240, (task, len(x))
    m, s = statistics.mean(x), statistics.stdev(x)
    assert abs(m - mean) <= 0.001, (task, m, mean)
    assert abs(s - sd) <= (0.01 if sd == 0.03 else 0.001), (task, s, sd)
PY
