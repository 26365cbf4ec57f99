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
grep -q "M: each run's share of a GPU server's embodied emissions, .* an assumed 6-year lifetime.*Estimating the Carbon Footprint of BLOOM" "$SCRATCH/notes.txt" ||
    fail "M's table, source and lifetime are not said: $(cat "$SCRATCH/notes.txt")"
grep -q "sci_ci: 95% bootstrap interval of SCI over the row's models" "$SCRATCH/notes.txt" || fail "the interval is not said"
sqlite3 "$db" "SELECT m.run_id, MAX(h.gpu_count) FROM measurement m JOIN hardware h ON h.id = m.hardware_id GROUP BY m.run_id" > "$SCRATCH/gpus.txt" ||
    fail "gpu counts"
grep -q "I is the location-based carbon intensity" "$SCRATCH/notes.txt" || fail "I is not said"
# E is what the meters logged, measured or modelled per component as the logs mark them
# (regression: the IF manifest called E "the measured energy" over CodeCarbon's modelled
# CPU and RAM, and the notes said nothing of it)
words="GPU measured (idle GPUs counted), CPU modelled, RAM modelled"
grep -qF "E is the energy the meters logged: $words (a modelled component is an estimate" \
    "$SCRATCH/notes.txt" || fail "E is not said: $(cat "$SCRATCH/notes.txt")"
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
gpus = {int(l.split("|")[0]): float(l.split("|")[1]) for l in open(d + "/gpus.txt") if l.split("|")[1].strip()}
def m_of(r):  # Luccioni et al. 2023: 2,500 kg per node + 150 kg per GPU, over 6 years
    return (2500e3 + gpus[r["run_id"]] * 150e3) * r["duration_s"] / (6 * 365.25 * 86400)
def close(a, b, rel=1e-12):
    return abs(a - b) <= rel * max(abs(a), abs(b))
rows = json.load(open(d + "/task.json"))
tasks = sorted({r["task"] for r in runs})
assert [r["task"] for r in rows] == tasks, rows
for row in rows:
    mine = [r for r in runs if r["task"] == row["task"]]
    e = math.fsum(r["energy_kwh"] for r in mine)
    g = math.fsum(r["emissions_g"] for r in mine)
    assert set(row) == {"task", "e_kwh", "i_g_per_kwh", "m_g", "r", "sci_g_per_inference",
                        "sci_ci_lo", "sci_ci_hi", "interval_unit", "n_units", "runs"}, set(row)
    assert close(row["e_kwh"], e), (row, e)
    assert row["r"] == sum(r["inferences"] for r in mine) and row["runs"] == len(mine)
    assert close(row["i_g_per_kwh"], g / e), (row, g / e)
    m = math.fsum(m_of(r) for r in mine)
    assert m > 0 and close(row["m_g"], m, 1e-9), (row, m)
    assert close(row["sci_g_per_inference"], (g + m) / row["r"], 1e-9)
    # the interval over the task's models: around the pooled value, the unit and count said
    assert row["interval_unit"] == "model" and row["n_units"] == len({r["model"] for r in mine})
    assert row["sci_ci_lo"] < row["sci_g_per_inference"] < row["sci_ci_hi"], row
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
assert table[0].split() == ["task", "e_kwh", "i_g_per_kwh", "m_g", "r", "sci_g_per_inference",
                            "sci_ci_lo", "sci_ci_hi", "interval_unit", "n_units", "runs"]
assert len(table) == len(rows) + 1
PY
# --where picks the experiments statistics pick: the same runs per task as stats
wp "$db" -q export sci --where purpose=multi-purpose --format csv | cut -d, -f1,11 > "$SCRATCH/w_sci.csv" ||
    fail "sci --where"
wp "$db" stats --where purpose=multi-purpose --format csv | cut -d, -f1,2 > "$SCRATCH/w_stats.csv" ||
    fail "stats --where"
[ "$(tail -n +2 "$SCRATCH/w_sci.csv")" = "$(tail -n +2 "$SCRATCH/w_stats.csv")" ] ||
    fail "sci --where counts other runs than stats: $(cat "$SCRATCH/w_sci.csv")"
[ "$(wc -l < "$SCRATCH/w_sci.csv")" -lt "$(wc -l < "$SCRATCH/task.csv")" ] || fail "--where selected every task"
wp "$db" export sci --format json > "$SCRATCH/again.json" 2>/dev/null || fail "sci again"
cmp -s "$SCRATCH/task.json" "$SCRATCH/again.json" || fail "two runs differ"

# before any token count: no SCI per token to give (not a row of zeros)
wp "$db" export sci --functional-unit token > "$SCRATCH/none.txt" 2> "$SCRATCH/err"; rc=$?
[ $rc -eq 1 ] || fail "sci per token without counts: exit $rc"
grep -q "no run of the selection has a count of the functional unit (tokens)" "$SCRATCH/err" \
    || fail "sci per token without counts: $(cat "$SCRATCH/err")"
# tokens: R is the tokens of the runs with counts; the others are left out and counted
wp "$db" -q tokens --names "$FIX/study/token_names.csv" "$FIX"/study/lengths/*.csv.gz 2>/dev/null ||
    fail "tokens"
wp "$db" stats --by model,task --show tokens --format json > "$SCRATCH/tok_stats.json" || fail "stats tokens"
wp "$db" export sci --by model,task --functional-unit token --format json > "$SCRATCH/tok.json" \
    2> "$SCRATCH/tok_err.txt" || fail "sci per token"
grep -q "runs have no token counts and are left out" "$SCRATCH/tok_err.txt" || fail "left-out runs not said"
grep -q "rows left out: no run of them has a count of the functional unit" "$SCRATCH/tok_err.txt" \
    || fail "rows without counts not said: $(cat "$SCRATCH/tok_err.txt")"
python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); assert r and all(x["runs"] > 0 and x["r"] > 0 for x in r), [x for x in r if not x["runs"]][:1]' \
    "$SCRATCH/tok.json" || fail "sci per token: a row of zeros"
# the runs without counts are all counted, those of the rows left out included
wp "$db" stats --by model,task --format json > "$SCRATCH/all.json" 2>/dev/null || fail "stats all"
python3 - "$SCRATCH/all.json" "$SCRATCH/tok.json" "$SCRATCH/tok_err.txt" <<'PY' || fail "sci: runs without token counts miscounted"
import json, re, sys
total = sum(g["runs"] for g in json.load(open(sys.argv[1]))["groups"])
kept = sum(r["runs"] for r in json.load(open(sys.argv[2])))
said = int(re.search(r"(\d+) runs have no token counts", open(sys.argv[3]).read()).group(1))
assert said == total - kept, (said, total, kept)
PY
python3 - "$SCRATCH" <<'PY' || fail "SCI per token"
import json, sys
d = sys.argv[1]
rows = [r for r in json.load(open(d + "/tok.json")) if r["runs"]]
assert rows and all("sci_g_per_token" in r for r in rows)
assert {r["model"] for r in rows} == {"bigscience/bloomz-7b1", "google/flan-t5-base"}, rows
for r in rows:
    # about a hundred tokens or more per inference: R far above the inference count
    assert r["r"] > 100 * r["runs"], r
    assert abs(r["sci_g_per_token"] - (r["e_kwh"] * r["i_g_per_kwh"] + r["m_g"]) / r["r"]) <= 1e-12 * r["sci_g_per_token"]
PY

# the Impact Framework manifest: libyaml reads it, its plugins are IF's builtins in the
# layout of IF's examples, and its inputs reproduce every row (Multiply, Sum, Sci by hand)
wp "$db" -q export sci --by model,task --format json --manifest-if "$SCRATCH/if/sci.yml" > "$SCRATCH/mt2.json" ||
    fail "sci --manifest-if"
wp "$db" -q export sci --format json --functional-unit request --embodied-g 500 --manifest-if "$SCRATCH/if/req.yml" > "$SCRATCH/req.json" ||
    fail "sci --manifest-if per request"
grep -F "description: " "$SCRATCH/if/sci.yml" > "$SCRATCH/if/desc.txt" || fail "no IF description"
grep -q "measured energy" "$SCRATCH/if/desc.txt" && fail "the IF manifest calls E measured"
grep -qF "E the logged energy (kWh; $words: a modelled component is an estimate)" \
    "$SCRATCH/if/desc.txt" || fail "the IF manifest does not say what E is: $(cat "$SCRATCH/if/desc.txt")"
/usr/bin/python3 - "$SCRATCH" <<'PY' || fail "the IF manifest"
import json, sys, yaml
assert yaml.__with_libyaml__
d = sys.argv[1]
for name, rows_file, fu in (("sci.yml", "mt2.json", "inferences"), ("req.yml", "req.json", "requests")):
    m = yaml.load(open(d + "/if/" + name), Loader=yaml.CSafeLoader)
    p = m["initialize"]["plugins"]
    assert p["operational-carbon"] == {"method": "Multiply", "path": "builtin", "config": {
        "input-parameters": ["energy", "grid/carbon-intensity"], "output-parameter": "carbon-operational"}}
    assert p["sum-carbon"] == {"method": "Sum", "path": "builtin", "config": {
        "input-parameters": ["carbon-operational", "carbon-embodied"], "output-parameter": "carbon"}}
    assert p["sci"] == {"method": "Sci", "path": "builtin", "config": {"functional-unit": fu}}
    rows = json.load(open(d + "/" + rows_file))
    kids = m["tree"]["children"]
    assert len(kids) == len(rows), (len(kids), len(rows))
    for row in rows:
        key = (row["model"] + " / " if "model" in row else "") + row["task"]
        k = kids[key]
        assert k["pipeline"]["compute"] == ["operational-carbon", "sum-carbon", "sci"]
        (i,) = k["inputs"]
        assert isinstance(i["timestamp"], str) and i["duration"] >= 1
        carbon = i["energy"] * i["grid/carbon-intensity"] + i["carbon-embodied"]
        sci = carbon / i[fu]
        want = [v for kk, v in row.items() if kk.startswith("sci_g_per_")][0]
        assert abs(sci - want) <= 1e-12 * want, (key, sci, want)
        assert i["energy"] == row["e_kwh"] and i["carbon-embodied"] == row["m_g"] and i[fu] == row["r"]
PY
# the interval per model and task is over its experiments; one experiment: none
/usr/bin/python3 - "$SCRATCH/mt2.json" <<'PY' || fail "sci intervals per model and task"
import json, sys
rows = json.load(open(sys.argv[1]))
assert all(r["interval_unit"] == "experiment" for r in rows)
for r in rows:
    if r["n_units"] >= 2:
        assert r["sci_ci_lo"] <= r["sci_g_per_inference"] <= r["sci_ci_hi"], r
    else:
        assert r["sci_ci_lo"] is None and r["sci_ci_hi"] is None, r
assert any(r["n_units"] >= 2 for r in rows)
PY
# the provider (training) score, apart: the manifest's training energy, R = 1 model
wp "$db" export sci --score provider --format json > "$SCRATCH/prov.json" 2> "$SCRATCH/prov.err" ||
    fail "sci --score provider"
grep -q "provider (training) score of SCI for AI, apart from the consumer one" "$SCRATCH/prov.err" ||
    fail "the provider score is not explained"
want=$(awk -F, 'NR > 1 && $5 != "" { print $2 "|" $5 }' "$FIX/synth/manifest.csv" | sort -u)
/usr/bin/python3 - "$SCRATCH/prov.json" "$want" <<'PY' || fail "provider score"
import json, sys
rows = json.load(open(sys.argv[1]))
want = dict(l.split("|") for l in sys.argv[2].split())
assert {r["model"] for r in rows} == set(want), (rows, want)
for r in rows:
    assert r["e_kwh"] == float(want[r["model"]]) and r["r"] == 1 and r["m_g"] == 0
    assert abs(r["sci_g_per_model"] - r["e_kwh"] * r["i_g_per_kwh"]) <= 1e-12 * r["sci_g_per_model"]
    assert r["energy_source"] == "manifest training_kwh"
    assert r["intensity_source"] == "inference runs' grid", r
PY
wp "$db" -q export sci --score provider --model gpt2 --training-kwh 12.5 --region FRA --format json > "$SCRATCH/prov2.json" ||
    fail "sci --score provider --training-kwh"
/usr/bin/python3 -c "
import json; (r,) = json.load(open('$SCRATCH/prov2.json'))
assert r['model'] == 'gpt2' and r['e_kwh'] == 12.5 and r['energy_source'] == '--training-kwh', r
assert r['intensity_source'] == 'what-if' and r['i_g_per_kwh'] > 0, r" ||
    fail "provider score from --training-kwh"

code() { "$@" >/dev/null 2>"$SCRATCH/err"; echo $?; }
[ "$(code wp "$db" export sci --training-kwh 3)" = 2 ] || fail "--training-kwh without --score provider: exit 2"
[ "$(code wp "$db" export sci --score provider --by model,task)" = 2 ] || fail "--score provider --by: exit 2"
[ "$(code wp "$db" export sci --score training)" = 2 ] || fail "--score training: exit 2"
[ "$(code wp "$db" export boamps --manifest-if x.yml -o "$SCRATCH/x/")" = 2 ] || fail "--manifest-if for boamps: exit 2"
[ "$(code wp "$db" export sci --score provider --model gpt2)" = 1 ] || fail "no training energy: exit 1"
grep -q "no training energy known" "$SCRATCH/err" || fail "no training energy: $(cat "$SCRATCH/err")"
[ "$(code wp "$db" export sci --by dataset)" = 2 ] || fail "--by dataset: exit 2"
[ "$(code wp "$db" export sci --functional-unit kg)" = 2 ] || fail "--functional-unit kg: exit 2"
[ "$(code wp "$db" export sci --embodied-g -1)" = 2 ] || fail "--embodied-g -1: exit 2"
[ "$(code wp "$db" export boamps --format csv -o "$SCRATCH/x/")" = 2 ] || fail "boamps --format: exit 2"
grep -q "is for sci and eu-ai-act" "$SCRATCH/err" || fail "message for an option of another format"
[ "$(code wp "$db" export sci --task no_such_task)" = 1 ] || fail "empty selection: exit 1"
exit 0
