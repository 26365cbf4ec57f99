# Idle baseline and hourly carbon intensity (issue 29, items 2 and 5) on fixtures/measure:
# two idle windows of an A100 host (96,000 J over 900 s: 106.67 W), three runs on it
# (1,890,000 J over 6,300 s) and one on an H100 host with no baseline.  Expected values are
# computed by hand in the comments; the idle mark given by --idle and by a manifest column
# gives the same numbers; bad intensity files fail at FILE:LINE:COL.
. "$(dirname "$0")/lib.bash"
M=$FIX/measure
db=$SCRATCH/m.db
wp "$db" -q ingest --idle --map "$M/idle.map" "$M/idle.csv" || fail "ingest --idle"
wp "$db" -q ingest --map "$M/measure.map" "$M/runs.csv" "$M/runs_h100.csv" || fail "ingest runs"

# without --above-idle the figures are totals, and the baseline is shown beside them
wp "$db" stats --by model > "$SCRATCH/t.txt" 2>/dev/null || fail "stats"
grep -q "^Energy: total, as measured." "$SCRATCH/t.txt" || fail "energy basis not said"
grep -q "106.7 W (CPU 21.67 W, GPU 73.33 W, RAM 11.67 W); its 3 run(s) here: 0.525 kWh total, 0.338333 kWh above idle (64.4%)" \
    "$SCRATCH/t.txt" || { cat "$SCRATCH/t.txt"; fail "idle baseline line"; }
grep -q "^1 run(s) on hosts without an idle baseline" "$SCRATCH/t.txt" || fail "other host"

check_json() { # $1: json file, $2: python assertions over j (the document) and g (by model)
    python3 - "$1" "$2" <<'PY' || fail "json: $2"
import json, sys
j = json.load(open(sys.argv[1]))
g = {x["model"]: x for x in j["groups"]}
exec(sys.argv[2])
PY
}
wp "$db" stats --by model --format json > "$SCRATCH/total.json" || fail "stats json"
# m1: (0.15 + 0.3 + 0.075) / 3 kWh per 1,000 inferences; logged emissions 400 g/kWh
check_json "$SCRATCH/total.json" '
m = j["meta"]
assert m["energy"] == "total", m
h = m["idle_baseline"][0]
assert abs(h["idle_power_w"] - 96000 / 900) < 1e-9 and h["idle_windows"] == 2, h
assert abs(h["above_idle_kwh"] - 1218000 / 3.6e6) < 1e-12 and h["runs"] == 3, h
assert m["runs_without_idle_baseline"] == 1
assert m["carbon_intensity"] == {"source": "as_logged"}, m["carbon_intensity"]
assert abs(g["m1"]["mean_kwh_per_1k"] - 0.175) < 1e-12
assert abs(g["m1"]["mean_g_co2eq_per_1k"] - 70) < 1e-9'

# above idle: r1 540,000 - 106.67 W x 1,800 s = 348,000 J; r2 696,000; r3 174,000;
# m1's mean 1,218,000 J / 3 = 0.112778 kWh; m2 (H100, a host without idle windows) has no
# energy above idle: left out with a warning, never its total beside m1's above idle
wp "$db" stats --by model --above-idle --format json > "$SCRATCH/above.json" \
    2> "$SCRATCH/above.err" || fail "above"
check_json "$SCRATCH/above.json" '
assert j["meta"]["energy"] == "above_idle"
assert abs(g["m1"]["mean_kwh_per_1k"] - 1218000 / 3.6e6 / 3) < 1e-12, g["m1"]
assert abs(g["m1"]["mean_g_co2eq_per_1k"] - 1218000 / 3.6e6 / 3 * 400) < 1e-9
assert "m2" not in g, g
assert j["meta"]["runs_without_idle_baseline"] == 1, j["meta"]'
grep -q "^wattprint: warning: --above-idle: 1 labelled runs are left out: their energy above idle is unknown (no idle baseline on their host, or no duration)$" \
    "$SCRATCH/above.err" || { cat "$SCRATCH/above.err"; fail "above: the H100 run's warning"; }
wp "$db" stats --by model --above-idle > "$SCRATCH/above.txt" 2>/dev/null || fail "above table"
grep -q "^1 run(s) on hosts without an idle baseline: left out.$" "$SCRATCH/above.txt" \
    || { cat "$SCRATCH/above.txt"; fail "above: the note on the H100 run"; }
grep -q "^| *m2 " "$SCRATCH/above.txt" && fail "above: m2's total shown beside energy above idle"

# the same mark from a manifest column instead of --idle
db2=$SCRATCH/m2.db
printf 'file,idle\nidle.csv,yes\n' > "$SCRATCH/manifest.csv"
wp "$db2" -q ingest --map "$M/idle.map" "$M/idle.csv" || fail "ingest idle plain"
wp "$db2" -q ingest --map "$M/measure.map" --manifest "$SCRATCH/manifest.csv" "$M/runs.csv" \
    "$M/runs_h100.csv" || fail "ingest with manifest"
wp "$db2" stats --by model --above-idle --format json > "$SCRATCH/above2.json" || fail "above2"
cmp <(python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); print(j["groups"], j["meta"]["idle_baseline"])' "$SCRATCH/above.json") \
    <(python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); print(j["groups"], j["meta"]["idle_baseline"])' "$SCRATCH/above2.json") \
    || fail "manifest column idle differs from --idle"

# no idle window: said without --above-idle; with it there is no figure to give, so the
# command is refused (stats and the reports alike), as a selection only on other hosts is
db3=$SCRATCH/m3.db
wp "$db3" -q ingest --map "$M/measure.map" "$M/runs.csv" || fail "ingest no idle"
wp "$db3" stats > "$SCRATCH/none.txt" 2>/dev/null || fail "stats no idle"
grep -q "Idle baseline: none" "$SCRATCH/none.txt" || fail "no baseline not said"
for cmd in "stats" "-q card m1 -o $SCRATCH/none.md"; do
    # shellcheck disable=SC2086
    wp "$db3" $cmd --above-idle > /dev/null 2> "$SCRATCH/none.err"; rc=$?
    [ $rc -eq 1 ] || fail "$cmd --above-idle without idle windows: exit $rc"
    grep -q "^wattprint: --above-idle: no idle window in the database (wattprint ingest --idle FILE, or a manifest column idle): the energy above idle is unknown$" \
        "$SCRATCH/none.err" || { cat "$SCRATCH/none.err"; fail "$cmd: no idle window message"; }
done
[ -e "$SCRATCH/none.md" ] && fail "card written without a figure"
wp "$db" stats --above-idle --model m2 > /dev/null 2> "$SCRATCH/none2.err" \
    && fail "a selection without a run on an idle host passed"
grep -q "no run of the selection is on a host whose idle windows give an idle power" "$SCRATCH/none2.err" \
    || { cat "$SCRATCH/none2.err"; fail "selection on other hosts: message"; }

# hourly intensity, zone FR: r1 0.15 kWh x 60 = 9 g, r2 0.3 x 70 (half an hour at 60,
# half at 80) = 21 g, r3 0.075 x 80 = 6 g: m1 12 g per 1,000 inferences; r4 at 14:00 is
# past the file and keeps its logged 55.56 g
wp "$db" stats --by model --intensity "$M/intensity_hourly.csv" --zone FR --format json \
    > "$SCRATCH/hourly.json" || fail "intensity"
check_json "$SCRATCH/hourly.json" '
c = j["meta"]["carbon_intensity"]
assert c["source"] == "hourly" and c["zone"] == "FR" and c["basis"] == "location-based", c
assert "(direct)" in c["column"] and c["step_s"] == 3600, c
assert c["runs_applied"] == 3 and c["runs_outside"] == 1, c
assert abs(c["emissions_g"] - 36) < 1e-9 and abs(c["mean_g_per_kwh"] - 36 / 0.525) < 1e-9, c
assert abs(g["m1"]["mean_g_co2eq_per_1k"] - 12) < 1e-9, g["m1"]
assert abs(g["m2"]["mean_g_co2eq_per_1k"] - 500000 / 3.6e6 * 400) < 1e-9
assert abs(g["m1"]["mean_kwh_per_1k"] - 0.175) < 1e-12'
# above idle and hourly together: (348,000 x 60 + 696,000 x 70 + 174,000 x 80) J / 3.6e6 / 3
wp "$db" stats --by model --above-idle --intensity "$M/intensity_hourly.csv" --zone FR \
    --intensity-basis market --format json > "$SCRATCH/both.json" || fail "both"
check_json "$SCRATCH/both.json" '
assert j["meta"]["carbon_intensity"]["basis"] == "market-based"
# r4 (the H100 run, 14:00, past the file) has no energy above idle: out of the tallies too
c = j["meta"]["carbon_intensity"]
assert c["runs_applied"] == 3 and c["runs_outside"] == 0, c
want = (348000 * 60 + 696000 * 70 + 174000 * 80) / 3.6e6 / 3
assert abs(g["m1"]["mean_g_co2eq_per_1k"] - want) < 1e-9, (g["m1"], want)'
wp "$db" stats --intensity "$M/intensity_hourly.csv" --zone FR > "$SCRATCH/h.txt" 2>/dev/null \
    || fail "intensity table"
grep -q "^Carbon intensity: hourly, location-based, .*zone FR .*3 of 4 run(s)" "$SCRATCH/h.txt" \
    || { cat "$SCRATCH/h.txt"; fail "intensity sentence"; }

# errors: several zones and no --zone; a zone the file lacks; a bad cell at its line and
# column; --zone without --intensity
wp "$db" stats --intensity "$M/intensity_hourly.csv" 2> "$SCRATCH/e1" && fail "two zones passed"
grep -q "several zones (FR, DE): say which with --zone" "$SCRATCH/e1" || fail "zones message"
wp "$db" stats --intensity "$M/intensity_hourly.csv" --zone XX 2> "$SCRATCH/e2" && fail "XX"
grep -q 'no rows for zone "XX"; the file has FR, DE' "$SCRATCH/e2" || fail "zone message"
printf 'timestamp,carbon_intensity\n2026-03-02T10:00:00Z,60\n2026-03-02T11:00:00Z,8O\n' \
    > "$SCRATCH/bad.csv"
wp "$db" stats --intensity "$SCRATCH/bad.csv" 2> "$SCRATCH/e3" && fail "bad cell passed"
grep -q 'bad.csv:3:2: carbon_intensity: "8O" is not an intensity' "$SCRATCH/e3" \
    || { cat "$SCRATCH/e3"; fail "bad cell message"; }
wp "$db" stats --zone FR 2> "$SCRATCH/e4"; [ $? -eq 2 ] || fail "--zone alone not a usage error"
wp "$db" ingest --idle --model m "$M/idle.csv" 2>/dev/null; [ $? -eq 2 ] || fail "--idle --model"
# report, card and workbook say which energy and intensity their figures use, and the baseline
wp "$db" -q report -o "$SCRATCH/r.pdf" --above-idle --intensity "$M/intensity_hourly.csv" \
    --zone FR || fail "report"
pdftotext "$SCRATCH/r.pdf" - | tr '\n' ' ' > "$SCRATCH/r.txt"
grep -q "Energy figures are above idle" "$SCRATCH/r.txt" || fail "report: energy basis"
grep -q "0.525 kWh total, 0.3383 kWh above idle (64.4%)" "$SCRATCH/r.txt" || fail "report: idle"
grep -q "Emissions use an hourly location-based carbon intensity" "$SCRATCH/r.txt" \
    || fail "report: hourly intensity"
grep -q "Emissions of 3 runs use the grid's hourly carbon intensity over each run" "$SCRATCH/r.txt" \
    || fail "report: the Emissions paragraph still says the tools' intensities"
grep -q "Emissions are as the measuring tools computed them" "$SCRATCH/r.txt" \
    && fail "report: both Emissions paragraphs"
# the idle windows are not runs left out; the H100 run, without energy above idle, is
grep -q "Runs left out. 0 runs have no model, task or dataset label, 0 no inference count, 1 no energy above idle (no idle baseline on their host, or no duration) and 0 no measured energy" \
    "$SCRATCH/r.txt" || fail "report: runs left out"
# the report's load-vs-query part reads the phases alone: a phase whose runs are all on a
# host without idle windows (m2's here) is an empty part, not a refused report
db5=$SCRATCH/m5.db
cp "$db" "$db5"
cat "$M/measure.map" > "$SCRATCH/phased.map"
echo "phase = phase" >> "$SCRATCH/phased.map"
printf '%s\n' 'run,phase,started,model,task,dataset,inferences,duration_s,energy_j,cpu_j,gpu_j,ram_j,emissions_g,gpu,cpu' \
    'r5,load model,2026-03-02T15:00:00Z,m2,t1,d1,1000,100,50000,,,,,NVIDIA H100 80GB HBM3,AMD EPYC 9654' \
    'r5,query model,2026-03-02T15:01:40Z,m2,t1,d1,1000,900,450000,,,,,NVIDIA H100 80GB HBM3,AMD EPYC 9654' \
    > "$SCRATCH/ph.csv"
wp "$db5" -q ingest --map "$SCRATCH/phased.map" "$SCRATCH/ph.csv" || fail "ingest phases"
wp "$db5" -q report -o "$SCRATCH/r5.pdf" --above-idle 2> "$SCRATCH/r5.err" \
    || { cat "$SCRATCH/r5.err"; fail "report --above-idle refused for its phases' part"; }
wp "$db" -q card m1 -o "$SCRATCH/card.md" || fail "card"
grep -q "Energy figures are each run.*s total as measured, idle power included. Idle baseline of NVIDIA A100-SXM4-80GB" \
    "$SCRATCH/card.md" || fail "card: energy basis"
grep -q "energy_kwh_per_1000_inferences: 0.175$" "$SCRATCH/card.md" || fail "card: total figure"
wp "$db" -q card m1 -o "$SCRATCH/card_idle.md" --above-idle || fail "card above idle"
grep -q "energy_kwh_per_1000_inferences: 0.1127777777777777" "$SCRATCH/card_idle.md" \
    || fail "card: above-idle figure"
grep -q '^  energy_basis: "above idle"$' "$SCRATCH/card_idle.md" || fail "card: energy_basis"
grep -q "as logged by the measuring tool less its host.s idle power times the run.s duration" \
    "$SCRATCH/card_idle.md" || fail "card: methodology above idle"
grep -q '^  energy_basis: "total"$' "$SCRATCH/card.md" || fail "card: energy_basis total"
grep -q '^  carbon_intensity: "as logged by the tool"$' "$SCRATCH/card.md" || fail "card: intensity"
wp "$db" -q xlsx -o "$SCRATCH/w.xlsx" --above-idle || fail "xlsx"
unzip -p "$SCRATCH/w.xlsx" xl/sharedStrings.xml | grep -q "Energy figures are above idle" \
    || fail "xlsx: energy basis"
# its Experiments sheet above idle too (m1 0.112778, m2 left out); the Runs sheet keeps the
# logged values and says the H100 run is not in the statistics, and why
python3 - "$SCRATCH/w.xlsx" <<'PY' || fail "xlsx: Experiments and Runs sheets above idle"
import re, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
names = re.findall(r'<sheet name="([^"]+)"', z.read("xl/workbook.xml").decode())
sheet = {n: z.read("xl/worksheets/sheet%d.xml" % (i + 1)).decode() for i, n in enumerate(names)}
shared = z.read("xl/sharedStrings.xml").decode()
exp, runs = sheet["Experiments"], sheet["Runs"]
assert "0.1127777" in exp and "0.175<" not in exp and "0.13888" not in exp, "Experiments"
assert runs.count("no: no energy above idle") + shared.count("no: no energy above idle") == 1
assert "0.13888" in runs, "the Runs sheet keeps the H100 run's logged energy"
PY
# export: spdx and eu-ai-act leave the model whose runs are all left out out (a warning);
# sci and boamps carry the logs' energy and refuse --above-idle
rm -rf "$SCRATCH/sp" && mkdir "$SCRATCH/sp"
wp "$db" export spdx --above-idle -o "$SCRATCH/sp/" 2> "$SCRATCH/sp.err" \
    || { cat "$SCRATCH/sp.err"; fail "export spdx --above-idle"; }
[ -e "$SCRATCH/sp/m1.spdx.json" ] && [ ! -e "$SCRATCH/sp/m2.spdx.json" ] \
    || fail "export spdx --above-idle: m1 alone"
grep -q "1 labelled runs are left out: their energy above idle is unknown" "$SCRATCH/sp.err" \
    || fail "export spdx: left-out warning"
# the documents say which energy: the form's Inference paragraph and JSON, SPDX's comment
wp "$db" export eu-ai-act --model m1 --above-idle 2>/dev/null \
    | grep -q "^Energy per 1,000 inferences above idle (each run's logged energy less" \
    || fail "eu-ai-act: energy basis"
wp "$db" export eu-ai-act --model m1 --above-idle --format json 2>/dev/null \
    | grep -q '"energy_basis": "above idle"' || fail "eu-ai-act json: energy_basis"
wp "$db" export eu-ai-act --model m1 --format json 2>/dev/null \
    | grep -q '"energy_basis": "total"' || fail "eu-ai-act json: energy_basis total"
grep -q "summarised by wattprint, above idle (each run" "$SCRATCH/sp/m1.spdx.json" \
    || fail "spdx: energy basis"
for f in sci boamps; do
    wp "$db" export $f --above-idle > /dev/null 2>&1; rc=$?
    [ $rc -eq 2 ] || fail "export $f --above-idle: exit $rc"
done
wp "$db" export spdx --model m1 --intensity "$M/intensity_hourly.csv" --zone FR > /dev/null \
    2>&1; rc=$?
[ $rc -eq 2 ] || fail "export --intensity (no document carries its emissions): exit $rc"
wp "$db" stats --by project --above-idle > /dev/null 2>&1; rc=$?
[ $rc -eq 2 ] || fail "stats --by project --above-idle: exit $rc (it would show totals)"
# --by model,hardware (issue 28): a row per model on each GPU model, the experiment the unit
wp "$db" stats --by model,hardware --format csv > "$SCRATCH/mh.csv" 2>/dev/null || fail "by model,hardware"
python3 - "$SCRATCH/mh.csv" <<'PY' || fail "model,hardware rows"
import csv, sys
rows = [(r["model"], r["hardware"], r["runs"], r["unit"]) for r in csv.DictReader(open(sys.argv[1]))]
assert rows == [("m1", "NVIDIA A100-SXM4-80GB", "3", "experiment"),
                ("m2", "NVIDIA H100 80GB HBM3", "1", "experiment")], rows
PY
# runs whose logs name neither a GPU nor a CPU model: their hardware is said, not blank
hw=$SCRATCH/hw.db
printf '%s\n' "project_name,duration,energy_consumed,emissions" "p,10,0.001,0.0005" "p,11,0.0012,0.0006" \
    >"$SCRATCH/nohw.csv"
wp "$hw" -q ingest --model m9 --task t --dataset d --inferences 100 "$SCRATCH/nohw.csv" 2>/dev/null || fail "nohw"
for f in table csv; do
    wp "$hw" stats --by hardware --format $f > "$SCRATCH/hw.$f" 2>/dev/null || fail "by hardware ($f)"
    grep -q "^no hardware named[ ,]" "$SCRATCH/hw.$f" || fail "hardware not logged ($f): $(cat "$SCRATCH/hw.$f")"
done
# idle windows are not runs to label: the manifest skeleton leaves them out
wp "$db" manifest --skeleton > "$SCRATCH/skel.csv" 2> "$SCRATCH/skel.err" || fail "skeleton"
grep -q "idle.csv" "$SCRATCH/skel.csv" && fail "the skeleton asks to label idle windows"
grep -q "0 rows for 0 unlabelled runs" "$SCRATCH/skel.err" || { cat "$SCRATCH/skel.err"; fail "skeleton count"; }
echo ok
