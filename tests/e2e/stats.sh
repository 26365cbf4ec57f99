# wattprint stats on the synthetic fixtures: every per-task figure equals an independent
# recomputation from `wattprint runs` (Python's statistics module); --over experiments
# weights each experiment once; the bootstrap is reproducible for a seed; JSON parses.
. "$(dirname "$0")/lib.bash"
db=$SCRATCH/a.db
wp "$db" -q ingest --manifest "$FIX/synth/manifest.csv" "$FIX/synth" || fail "ingest"
wp "$db" runs --format csv > "$SCRATCH/runs.csv" || fail "runs"
wp "$db" stats --format csv > "$SCRATCH/runs_stats.csv" || fail "stats"
wp "$db" stats --over experiments --format csv > "$SCRATCH/exp_stats.csv" || fail "stats over experiments"
python3 - "$SCRATCH/runs.csv" "$SCRATCH/runs_stats.csv" "$SCRATCH/exp_stats.csv" <<'PY' || fail "statistics differ from the independent recomputation"
import csv, math, statistics, sys
runs = list(csv.DictReader(open(sys.argv[1])))
by_task, by_exp = {}, {}
for r in runs:
    v = float(r["energy_kwh"]) * 1000 / int(r["inferences"])
    by_task.setdefault(r["task"], []).append(v)
    by_exp.setdefault(r["task"], {}).setdefault((r["model"], r["dataset"]), []).append(v)
def close(a, b, rel=1e-9):
    return abs(a - b) <= rel * max(abs(a), abs(b))
for row in csv.DictReader(open(sys.argv[2])):
    x = by_task[row["task"]]
    assert int(row["n"]) == len(x) == int(row["runs"]), row["task"]
    assert close(float(row["mean_kwh_per_1k"]), statistics.mean(x)), row["task"]
    assert close(float(row["sd_kwh_per_1k"]), statistics.stdev(x)), row["task"]
    assert close(float(row["median_kwh_per_1k"]), statistics.median(x)), row["task"]
    q = statistics.quantiles(x, n=4, method="inclusive")
    assert close(float(row["q1_kwh_per_1k"]), q[0]) and close(float(row["q3_kwh_per_1k"]), q[2])
    g = math.exp(statistics.mean(math.log(v) for v in x))
    assert close(float(row["geomean_kwh_per_1k"]), g), row["task"]
    lo, hi = float(row["ci_t_lo_kwh_per_1k"]), float(row["ci_t_hi_kwh_per_1k"])
    assert lo < statistics.mean(x) < hi
for row in csv.DictReader(open(sys.argv[3])):
    means = [statistics.mean(v) for v in by_exp[row["task"]].values()]
    assert int(row["n"]) == len(means) == int(row["experiments"]), row["task"]
    assert close(float(row["mean_kwh_per_1k"]), statistics.mean(means)), row["task"]
    assert close(float(row["sd_kwh_per_1k"]), statistics.stdev(means)), row["task"]
PY
# the bootstrap is reproducible for a seed and changes with it
wp "$db" stats --format csv --seed 7 > "$SCRATCH/s7a" && wp "$db" stats --format csv --seed 7 > "$SCRATCH/s7b"
cmp -s "$SCRATCH/s7a" "$SCRATCH/s7b" || fail "same seed, different bootstrap"
wp "$db" stats --format csv --seed 8 > "$SCRATCH/s8"
cmp -s "$SCRATCH/s7a" "$SCRATCH/s8" && fail "the seed has no effect"
wp "$db" stats --format json > "$SCRATCH/s.json" || fail "json"
python3 - "$SCRATCH/s.json" <<'PY' || fail "json sections"
import json, sys
d = json.load(open(sys.argv[1]))
assert len(d["groups"]) == 10
assert d["headline"]["most"] == "image_generation" and d["headline"]["least"] == "masked_lm"
assert d["headline"]["ratio_ci_lo"] < d["headline"]["ratio"] < d["headline"]["ratio_ci_hi"]
assert len(d["scaling"]) == 11 and d["scaling"][-1]["task"] is None
assert {p["task"] for p in d["purpose"]} == {"text_classification", "extractive_qa", "summarization"}
PY
# json is every section whatever --show picks for the table: the same document each time
for show in groups headline scaling purpose tokens all; do
    wp "$db" stats --show "$show" --format json > "$SCRATCH/show.json" || fail "json --show $show"
    cmp -s "$SCRATCH/show.json" "$SCRATCH/s.json" || fail "json --show $show: not the whole document"
done
# phases: the task-level set of text_classification/sst2 has query model rows
wp "$db" stats --phase "query model" --format csv > "$SCRATCH/q.csv" || fail "phase"
grep -q "^text_classification," "$SCRATCH/q.csv" || fail "query model phase"
# what-if: emissions at 100 g/kWh and PUE 1.5 = kWh x 150
wp "$db" stats --carbon-intensity 100 --pue 1.5 --format csv > "$SCRATCH/w.csv" || fail "what-if"
python3 - "$SCRATCH/w.csv" <<'PY' || fail "what-if arithmetic"
import csv, sys
for r in csv.DictReader(open(sys.argv[1])):
    k, w = float(r["mean_kwh_per_1k"]), float(r["whatif_g_co2eq_per_1k"])
    assert abs(w - k * 150) <= 1e-9 * w, r
PY
wp "$db" stats --region FRA --format csv > /dev/null || fail "--region"
"$WP" --db "$db" stats --region XXX 2>/dev/null; [ $? -eq 2 ] || fail "unknown region exits 2"
"$WP" --db "$db" stats --by nothing 2>/dev/null; [ $? -eq 2 ] || fail "bad --by exits 2"
for by in model model,task dataset hardware; do
    wp "$db" stats --by "$by" --format csv > /dev/null || fail "--by $by"
done
# an empty database gives an empty table, not a crash
: > "$SCRATCH/empty.db" # an empty file is an empty database (a missing one is an error)
wp "$SCRATCH/empty.db" stats > /dev/null || fail "empty database"
# the per-token csv shows no bootstrap interval, so it skips them: the same bytes whatever
# the resamples
wp "$db" -q tokens --names "$FIX/study/token_names.csv" "$FIX"/study/lengths/*.csv.gz 2>/dev/null ||
    fail "tokens"
wp "$db" stats --show tokens --format csv > "$SCRATCH/t1.csv" || fail "--show tokens csv"
wp "$db" stats --show tokens --format csv --resamples 7 --seed 3 > "$SCRATCH/t2.csv" ||
    fail "--show tokens csv --resamples 7"
cmp -s "$SCRATCH/t1.csv" "$SCRATCH/t2.csv" || fail "the per-token csv depends on the bootstrap"
[ "$(wc -l < "$SCRATCH/t1.csv")" -gt 1 ] || fail "the per-token csv is empty"

# the what-if PUE replaces the PUE a tool applied, not on top of it: CarbonTracker's logged
# energy holds its PUE of 1.58, so --pue 1.2 at 100 g/kWh gives kWh / 1.58 x 1.2 x 100 (it
# gave kWh x 1.2 x 100, 58% high); without --pue the energy stays as logged
ct=$SCRATCH/ct.db
wp "$ct" -q ingest --model m --task t --dataset d --inferences 1000 \
    "$FIX/formats/carbontracker/2024-01-25T160217Z_carbontracker_output.log" || fail "ingest carbontracker"
wp "$ct" stats --carbon-intensity 100 --pue 1.2 --format json > "$SCRATCH/ct1.json" 2>/dev/null || fail "what-if --pue"
wp "$ct" stats --carbon-intensity 100 --format json > "$SCRATCH/ct2.json" 2>/dev/null || fail "what-if"
python3 - "$SCRATCH/ct1.json" "$SCRATCH/ct2.json" <<'PY' || fail "the what-if counts CarbonTracker's PUE twice"
import json, sys
(g1,) = json.load(open(sys.argv[1]))["groups"]
(g2,) = json.load(open(sys.argv[2]))["groups"]
kwh = g1["mean_kwh_per_1k"]
assert abs(g1["whatif_g_co2eq_per_1k"] - kwh / 1.58 * 1.2 * 100) <= 1e-9 * kwh * 100, g1
assert abs(g2["whatif_g_co2eq_per_1k"] - kwh * 100) <= 1e-9 * kwh * 100, g2
PY
