# wattprint export sci: SCI = (E x I + M) / R per task and per model and task, from the runs
# statistics use: E their energy, I their grids' intensity weighted by energy (or a what-if),
# M the embodied emissions given, shared by measured duration (else 0, and said), R the
# functional units (inferences; tokens where counts were loaded, the others left out and
# counted); JSON, CSV and the table agree; the same bytes twice; usage errors.
. "$(dirname "$0")/lib.bash"
db=$SCRATCH/a.db
wp "$db" -q ingest --manifest "$FIX/synth/manifest.csv" "$FIX/synth" || fail "ingest"
wp "$db" runs --format json > "$SCRATCH/runs.json" || fail "runs"
wp "$db" export sci --format json > "$SCRATCH/task.json" 2> "$SCRATCH/notes.txt" || fail "sci"
grep -q "M = 0: embodied emissions not given" "$SCRATCH/notes.txt" || fail "M = 0 is not said"
grep -q "I is the location-based carbon intensity" "$SCRATCH/notes.txt" || fail "I is not said"
wp "$db" -q export sci --format json --by model,task --embodied-g 1000 > "$SCRATCH/mt.json" ||
    fail "sci --by model,task --embodied-g"
wp "$db" -q export sci --format json --region FRA > "$SCRATCH/fra.json" || fail "sci --region"
wp "$db" -q export sci --format csv > "$SCRATCH/task.csv" || fail "sci csv"
wp "$db" -q export sci > "$SCRATCH/task.txt" || fail "sci table"
wp "$db" -q export sci --format json -o "$SCRATCH/out/sci.json" || fail "sci -o"
cmp -s "$SCRATCH/out/sci.json" "$SCRATCH/task.json" || fail "-o and stdout differ"
python3 - "$SCRATCH" <<'PY' || fail "SCI values"
import csv, json, math, sys
d = sys.argv[1]
runs = [r for r in json.load(open(d + "/runs.json")) if r["kwh_per_1k_inferences"] is not None]
def close(a, b, rel=1e-12):
    return abs(a - b) <= rel * max(abs(a), abs(b))
rows = json.load(open(d + "/task.json"))
tasks = sorted({r["task"] for r in runs})
assert [r["task"] for r in rows] == tasks, rows
for row in rows:
    mine = [r for r in runs if r["task"] == row["task"]]
    e = math.fsum(r["energy_kwh"] for r in mine)
    g = math.fsum(r["emissions_g"] for r in mine)
    assert set(row) == {"task", "e_kwh", "i_g_per_kwh", "m_g", "r", "sci_g_per_inference", "runs"}
    assert close(row["e_kwh"], e), (row, e)
    assert row["r"] == sum(r["inferences"] for r in mine) and row["runs"] == len(mine)
    assert close(row["i_g_per_kwh"], g / e), (row, g / e)
    assert row["m_g"] == 0
    assert close(row["sci_g_per_inference"], g / row["r"], 1e-9)
# per model and task, M = 1000 g shared by measured duration
mt = json.load(open(d + "/mt.json"))
assert len(mt) == len({(r["task"], r["model"]) for r in runs})
assert close(math.fsum(r["m_g"] for r in mt), 1000, 1e-9)
total_s = math.fsum(r["duration_s"] for r in runs)
for row in mt:
    s = math.fsum(r["duration_s"] for r in runs if r["task"] == row["task"] and r["model"] == row["model"])
    assert close(row["m_g"], 1000 * s / total_s, 1e-9), row
    assert close(row["sci_g_per_inference"], (row["e_kwh"] * row["i_g_per_kwh"] + row["m_g"]) / row["r"], 1e-12)
# the what-if: one intensity everywhere
fra = json.load(open(d + "/fra.json"))
assert len({r["i_g_per_kwh"] for r in fra}) == 1 and fra[0]["i_g_per_kwh"] != rows[0]["i_g_per_kwh"]
# csv and the table say the same
c = list(csv.DictReader(open(d + "/task.csv")))
assert [float(x["sci_g_per_inference"]) for x in c] == [r["sci_g_per_inference"] for r in rows]
table = open(d + "/task.txt").read().splitlines()
assert table[0].split() == ["task", "e_kwh", "i_g_per_kwh", "m_g", "r", "sci_g_per_inference", "runs"]
assert len(table) == len(rows) + 1
PY
# --where picks the experiments statistics pick: the same runs per task as stats
wp "$db" -q export sci --where purpose=multi-purpose --format csv | cut -d, -f1,7 > "$SCRATCH/w_sci.csv" ||
    fail "sci --where"
wp "$db" stats --where purpose=multi-purpose --format csv | cut -d, -f1,2 > "$SCRATCH/w_stats.csv" ||
    fail "stats --where"
[ "$(tail -n +2 "$SCRATCH/w_sci.csv")" = "$(tail -n +2 "$SCRATCH/w_stats.csv")" ] ||
    fail "sci --where counts other runs than stats: $(cat "$SCRATCH/w_sci.csv")"
[ "$(wc -l < "$SCRATCH/w_sci.csv")" -lt "$(wc -l < "$SCRATCH/task.csv")" ] || fail "--where selected every task"
wp "$db" export sci --format json > "$SCRATCH/again.json" 2>/dev/null || fail "sci again"
cmp -s "$SCRATCH/task.json" "$SCRATCH/again.json" || fail "two runs differ"

# tokens: R is the tokens of the runs with counts; the others are left out and counted
wp "$db" -q tokens --names "$FIX/study/token_names.csv" "$FIX"/study/lengths/*.csv.gz 2>/dev/null ||
    fail "tokens"
wp "$db" stats --by model,task --show tokens --format json > "$SCRATCH/tok_stats.json" || fail "stats tokens"
wp "$db" export sci --by model,task --functional-unit token --format json > "$SCRATCH/tok.json" \
    2> "$SCRATCH/tok_err.txt" || fail "sci per token"
grep -q "runs have no token counts and are left out" "$SCRATCH/tok_err.txt" || fail "left-out runs not said"
python3 - "$SCRATCH" <<'PY' || fail "SCI per token"
import json, sys
d = sys.argv[1]
rows = [r for r in json.load(open(d + "/tok.json")) if r["runs"]]
assert rows and all("sci_g_per_token" in r for r in rows)
assert {r["model"] for r in rows} == {"bigscience/bloomz-7b1", "google/flan-t5-base"}, rows
for r in rows:
    # about a hundred tokens or more per inference: R far above the inference count
    assert r["r"] > 100 * r["runs"], r
    assert abs(r["sci_g_per_token"] - r["e_kwh"] * r["i_g_per_kwh"] / r["r"]) <= 1e-12 * r["sci_g_per_token"]
PY

code() { "$@" >/dev/null 2>"$SCRATCH/err"; echo $?; }
[ "$(code wp "$db" export sci --by dataset)" = 2 ] || fail "--by dataset: exit 2"
[ "$(code wp "$db" export sci --functional-unit kg)" = 2 ] || fail "--functional-unit kg: exit 2"
[ "$(code wp "$db" export sci --embodied-g -1)" = 2 ] || fail "--embodied-g -1: exit 2"
[ "$(code wp "$db" export boamps --format csv -o "$SCRATCH/x/")" = 2 ] || fail "boamps --format: exit 2"
grep -q "is for sci and eu-ai-act" "$SCRATCH/err" || fail "message for an option of another format"
[ "$(code wp "$db" export sci --task no_such_task)" = 1 ] || fail "empty selection: exit 1"
exit 0
