# wattprint xlsx on the synthetic fixtures: the workbook has its sheets and two native
# charts with log axes; every Summary number equals `wattprint stats --format json`; two
# runs give the same bytes; text from input files stays text (a model named
# =HYPERLINK("x") is a string, not a formula); a name past Excel's cell limit is cut with a
# warning; the runs go on in "Runs (2)" past --runs-per-sheet; --region adds a What-if
# sheet; the file is written atomically.
. "$(dirname "$0")/lib.bash"
PY=/usr/bin/python3
$PY -c 'import openpyxl' 2>/dev/null || fail "needs /usr/bin/python3 with openpyxl (python3-openpyxl)"
db=$SCRATCH/a.db
wp "$db" -q ingest --manifest "$FIX/synth/manifest.csv" "$FIX/synth" || fail "ingest"

# two small logs (CodeCarbon 1.x layout: every row its own run) for hostile model names
log() { # log FILE SEED
    { echo "timestamp,experiment_id,project_name,duration,emissions,energy_consumed,country_name,country_iso_code,region,on_cloud,cloud_provider,cloud_region"
      for i in 1 2 3; do
          echo "2023-10-0${i}T10:00:0$2,e$2,p$2,1$i.5,0.000$2$i,0.00$2$i,France,FRA,,N,,"
      done; } > "$1"
}
log "$SCRATCH/h1.csv" 1
log "$SCRATCH/h2.csv" 2
wp "$db" -q ingest --model '=HYPERLINK("x")' --task hostile --dataset d --inferences 100 \
    "$SCRATCH/h1.csv" || fail "ingest h1"
long=$(head -c 40000 /dev/zero | tr '\0' 'm')
wp "$db" -q ingest --model "$long" --task hostile --dataset d --inferences 100 \
    "$SCRATCH/h2.csv" || fail "ingest h2"

out=$SCRATCH/out/summary.xlsx
wp "$db" xlsx -o "$out" 2> "$SCRATCH/err" || { cat "$SCRATCH/err" >&2; fail "xlsx"; }
grep -q "warning: 5 text cells longer than Excel's 32767 characters were cut" "$SCRATCH/err" ||
    { cat "$SCRATCH/err" >&2; fail "no warning about the cut cells"; }
ls "$SCRATCH/out" | grep -q tmp && fail "a temporary file was left behind"
unzip -l "$out" > "$SCRATCH/parts" || fail "not a zip file"
for part in xl/workbook.xml xl/worksheets/sheet6.xml xl/charts/chart1.xml xl/charts/chart2.xml \
            xl/drawings/drawing1.xml docProps/core.xml; do
    grep -q " $part\$" "$SCRATCH/parts" || fail "no $part in the workbook"
done
[ "$(unzip -p "$out" xl/charts/chart1.xml | grep -o '<c:logBase val="10"/>' | wc -l)" -eq 1 ] ||
    fail "the per-task chart has no log axis"
[ "$(unzip -p "$out" xl/charts/chart2.xml | grep -o '<c:logBase val="10"/>' | wc -l)" -eq 2 ] ||
    fail "the scaling chart is not log-log"
# the per-task chart draws the Summary's mean column (it drew the count of models once the
# table had grown columns before the mean)
unzip -p "$out" xl/charts/chart1.xml > "$SCRATCH/chart1.xml" || fail "chart1.xml"
$PY - "$out" "$SCRATCH/chart1.xml" <<'PY' || fail "the per-task chart does not draw the mean"
import re, sys, openpyxl
refs = re.findall(r"<c:f>Summary!\$([A-Z]+)\$(\d+)(?::\$([A-Z]+)\$(\d+))?</c:f>", open(sys.argv[2]).read())
ws = openpyxl.load_workbook(sys.argv[1], read_only=True)["Summary"]
header = {c.column_letter: c.value for c in next(ws.iter_rows(min_row=1, max_row=1))}
name, cats, vals = refs
assert header[cats[0]] == "Task", refs
assert header[vals[0]] == header[name[0]] == "Mean (kWh / 1,000 inferences)", (header[vals[0]], refs)
PY
unzip -p "$out" docProps/core.xml | grep -q '<dcterms:created xsi:type="dcterms:W3CDTF">2026-02-02T13:36:19Z' ||
    fail "the document date is not the newest measurement"

# the same database gives the same bytes
cp "$out" "$SCRATCH/first.xlsx"
sleep 1
wp "$db" -q xlsx -o "$out" || fail "xlsx again"
cmp -s "$out" "$SCRATCH/first.xlsx" || fail "two runs gave different files"

wp "$db" stats --format json > "$SCRATCH/stats.json" || fail "stats json"
wp "$db" runs --format csv > "$SCRATCH/runs.csv" || fail "runs"
$PY - "$out" "$SCRATCH/stats.json" "$SCRATCH/runs.csv" "$long" <<'PY' || fail "workbook contents"
import csv, json, math, sys
import openpyxl
path, stats, runs_csv, long_name = sys.argv[1:5]
wb = openpyxl.load_workbook(path)
assert wb.sheetnames == ["Summary", "Models", "Experiments", "Runs", "Scaling", "Provenance"], wb.sheetnames
ws = wb["Summary"]
head = [c.value for c in ws[1]]
col = {h: i for i, h in enumerate(head)}
for h in head:
    if h and ("Mean" in h or "CI" in h or "SD" in h):
        assert "kWh" in h or "g CO2eq" in h or "J /" in h, "no unit in header %r" % h
assert ws.freeze_panes == "B2" and ws.auto_filter.ref.startswith("A1:")
rows = {}
for r in ws.iter_rows(min_row=2, values_only=True):
    if r[0] is None:
        break
    rows[r[0]] = r
def close(a, b):  # Excel keeps 15-16 significant digits
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= 1e-14 * max(abs(a), abs(b))
groups = json.load(open(stats))["groups"]
assert len(groups) == len(rows) == 11, (len(groups), len(rows))
pairs = [("n (values the statistics are over)", "n"), ("Runs", "runs"),
         ("n of the intervals (models)", "n_units"),
         ("Mean (kWh / 1,000 inferences)", "mean_kwh_per_1k"),
         ("SD (kWh / 1,000 inferences)", "sd_kwh_per_1k"),
         ("Median (kWh / 1,000 inferences)", "median_kwh_per_1k"),
         ("95% CI low, Student t over model means (kWh / 1,000 inferences)", "ci_t_lo_kwh_per_1k"),
         ("95% CI high, Student t over model means (kWh / 1,000 inferences)", "ci_t_hi_kwh_per_1k"),
         ("95% CI low, cluster bootstrap (kWh / 1,000 inferences)", "ci_boot_lo_kwh_per_1k"),
         ("95% CI high, cluster bootstrap (kWh / 1,000 inferences)", "ci_boot_hi_kwh_per_1k"),
         ("Mean (g CO2eq / 1,000 inferences)", "mean_g_co2eq_per_1k"),
         ("Mean (J / inference)", "mean_j_per_inference")]
cut = 0
for i, g in enumerate(groups):
    r = rows[g["task"]]
    for h, k in pairs:
        if k == "ci_t_lo_kwh_per_1k" and g[k] < 0:
            # the one rule (stats.h): 0 with a dagger, the note under the table
            assert r[col[h]] == 0 and g["ci_t_lo_below_zero"], (g["task"], r[col[h]])
            cell = ws.cell(2 + i, col[h] + 1)
            assert cell.value == 0 and "\u2020" in cell.number_format, (cell.value, cell.number_format)
            cut += 1
            continue
        assert close(r[col[h]], g[k]), (g["task"], h, r[col[h]], g[k])
assert cut, "no interval below zero in the fixture: the rule goes untested"
notes = [c.value for c in ws["A"] if isinstance(c.value, str) and c.value.startswith("\u2020 the interval's lower end is below zero")]
assert len(notes) == 1, notes
# equivalents: the EPA smartphone factor, 0.019 kWh per charge
for t, r in rows.items():
    eq = r[col["Equivalent: smartphone charges per 1,000 inferences"]]
    assert close(eq, r[col["Mean (kWh / 1,000 inferences)"]] / 0.019), t
# number formats: scientific where a column spans orders of magnitude
assert ws.cell(2, col["SD (kWh / 1,000 inferences)"] + 1).number_format.endswith("E+00")
assert ws.cell(2, col["Runs"] + 1).number_format == "#,##0"
# the runs: every one, with its source file and line; text stays text
ws = wb["Runs"]
head = [c.value for c in ws[1]]
rc = {h: i for i, h in enumerate(head)}
listed = [r for r in ws.iter_rows(min_row=2, values_only=True)]
want = list(csv.DictReader(open(runs_csv)))
assert len(listed) == len(want), (len(listed), len(want))
by_id = {int(r[rc["Run id"]]): r for r in listed}
for w in want:
    r = by_id[int(w["run_id"])]
    assert r[rc["Source file"]] == w["source_file"] and r[rc["Line"]] == int(w["line"]), w
hyper = [c for c in ws["C"] if c.value == '=HYPERLINK("x")']
assert len(hyper) == 3 and all(c.data_type == "s" for c in hyper), [(c.value, c.data_type) for c in hyper]
cut = [c.value for c in ws["C"] if c.value and c.value.startswith("mmmm")]
assert len(cut) == 3 and all(v == long_name[:32767] for v in cut), [len(v) for v in cut]
m = wb["Models"]
assert any(c.value == '=HYPERLINK("x")' and c.data_type == "s" for c in m["B"])
# provenance: every input file with its sha256, the version, the schema, the cut cells
p = wb["Provenance"]
vals = {r[0]: r[1] for r in p.iter_rows(min_row=2, max_col=2, values_only=True) if r[0]}
assert vals["Written by"].startswith("wattprint ")
assert vals["Database schema version"].isdigit()
assert vals["Text cells cut"].startswith("5 ")
assert "xlsx -o" in vals["Command line"]
shas = [r[3] for r in p.iter_rows(values_only=True) if r[3] and len(str(r[3])) == 64]
assert len(shas) >= 60, len(shas)
# the scaling points name their model (they feed the log-log chart)
pts = [r for r in wb["Scaling"].iter_rows(values_only=True)]
top = [i for i, r in enumerate(pts) if r[0] == "Task" and r[1] == "Model"][0]
assert len(pts) - top - 1 >= 100 and all(r[1] and r[2] > 0 and r[3] > 0 for r in pts[top + 1:])
# the charts are there (openpyxl reads them per sheet)
assert len(wb["Summary"]._charts) == 1 and len(wb["Scaling"]._charts) == 1
PY

# past --runs-per-sheet the list goes on; --region adds the What-if sheet
wp "$db" -q xlsx -o "$SCRATCH/split.xlsx" --runs-per-sheet 200 --region FRA --pue 1.2 || fail "split"
wp "$db" stats --region FRA --pue 1.2 --format json > "$SCRATCH/whatif.json"
$PY - "$SCRATCH/split.xlsx" "$SCRATCH/whatif.json" <<'PY' || fail "split workbook"
import json, sys
import openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
assert wb.sheetnames == ["Summary", "Models", "Experiments", "Runs", "Runs (2)", "Runs (3)",
                         "Scaling", "What-if", "Provenance"], wb.sheetnames
n = [wb[s].max_row - 1 for s in ("Runs", "Runs (2)", "Runs (3)")]
assert n == [200, 200, 149], n
assert [c.value for c in wb["Runs (2)"][1]] == [c.value for c in wb["Runs"][1]]
vals = {r[0]: r[1] for r in wb["Provenance"].iter_rows(min_row=2, max_col=2, values_only=True) if r[0]}
assert "549 runs on sheets Runs to Runs (3), 200 per sheet" in vals["Runs"], vals["Runs"]
assert "FRA" in vals["What-if"]
w = wb["What-if"]
head = [c.value for c in w[1]]
rows = {(r[0], r[1]): r for r in w.iter_rows(min_row=2, values_only=True) if r[0]}
for g in json.load(open(sys.argv[2]))["groups"]:
    r = rows[(g["task"], "(all models)")]
    got = r[head.index("Mean, what-if (g CO2eq / 1,000 inferences)")]
    assert abs(got - g["whatif_g_co2eq_per_1k"]) <= 1e-14 * got, (g["task"], got)
PY

# --where narrows every sheet of statistics, the Experiments sheet included
wp "$db" -q xlsx --where purpose=multi-purpose -o "$SCRATCH/mp.xlsx" || fail "--where"
$PY - "$SCRATCH/mp.xlsx" <<'PY' || fail "--where not applied to every sheet"
import openpyxl, sys
wb = openpyxl.load_workbook(sys.argv[1])
for sheet in ("Models", "Experiments"):
    ws = wb[sheet]
    head = [c.value for c in ws[1]]
    col = next(i for i, h in enumerate(head) if h and str(h).lower().startswith("model"))
    models = {r[col] for r in ws.iter_rows(min_row=2, values_only=True) if r[col]}
    assert models and models <= {"google/flan-t5-base", "bigscience/bloomz-7b1"}, (sheet, models)
# regression (issue 25): the Runs sheet listed every run, each "In the statistics = yes",
# and Provenance said "Filters: task any"
ws = wb["Runs"]
head = [c.value for c in ws[1]]
runs = [r for r in ws.iter_rows(min_row=2, values_only=True)]
assert runs and all(r[head.index("Purpose")] == "multi-purpose" for r in runs), len(runs)
assert {r[head.index("Model")] for r in runs} <= {"google/flan-t5-base", "bigscience/bloomz-7b1"}
used = sum(r[head.index("In the statistics")] == "yes" for r in runs)
s = wb["Summary"]
sh = [c.value for c in s[1]]
assert used == sum(r[sh.index("Runs")] for r in s.iter_rows(min_row=2, values_only=True)
                   if r[0] and isinstance(r[sh.index("Runs")], int)), used
vals = {r[0]: r[1] for r in wb["Provenance"].iter_rows(min_row=2, max_col=2, values_only=True) if r[0]}
sel = vals["Selection (every sheet)"]
for part in ("task any", "model any", "dataset any", "phase whole run",
             "where purpose=multi-purpose", "unit model", "level 95%"):
    assert part in sel, (part, sel)
PY
# the Scaling sheet's small-n flag counts the fit's points (models here, as its n column
# says), and its header says so: it read "small n (< 3 runs)" beside extractive_qa's 2 models
# of 22 runs, flagged yes
$PY - "$SCRATCH/mp.xlsx" <<'PY' || fail "the Scaling sheet's small-n header does not name what it counts"
import openpyxl, re, sys
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb["Scaling"]
head = [c.value for c in ws[1]]
unit = re.fullmatch(r"n \((\w+) with parameters\)", head[1]).group(1)
col = next(i for i, h in enumerate(head) if h and h.startswith("small n"))
assert head[col] == "small n (< 3 %s)" % unit, (head[col], unit)
runs = {r[0]: r[1] for r in wb["Summary"].iter_rows(min_row=2, values_only=True) if r[0]}
rows = [r for r in ws.iter_rows(min_row=2, values_only=True)  # the fits, not the points
        if r[0] in runs and isinstance(r[1], int) and r[1]]
assert any(r[1] < 3 and runs[r[0]] >= 3 for r in rows), rows  # 2 models of 22 runs
for r in rows:
    assert (r[col] == "yes") == (r[1] < 3), r
PY
# one number format per quantity: an estimate and its interval's two ends print alike
# (regression: 0.012456 beside 2.880E-02); print setup on every sheet
$PY - "$out" <<'PY' || fail "number formats or print setup"
import openpyxl, re, sys
wb = openpyxl.load_workbook(sys.argv[1])
for name in ("Summary", "Models", "Experiments"):
    ws = wb[name]
    head = [c.value for c in ws[1]]
    for unit in ("kWh / 1,000 inferences", "g CO2eq / 1,000 inferences"):
        cols = [i for i, h in enumerate(head) if h and unit in h and
                re.match(r"(Mean|Median|Q[13]|Min|Max|Geometric|95% CI)", h) and "GPU" not in h]
        # a t interval's end below zero shows 0 with a dagger (its own format): not counted
        fmts = {ws.cell(2, i + 1).number_format for i in cols} - {'0"\u2020"'}
        assert len(cols) >= (3 if "kWh" in unit else 1) and len(fmts) == 1, (name, unit, fmts)
for ws in wb:
    ps = ws.page_setup
    assert ps.orientation == "landscape" and ps.paperSize == 9, (ws.title, ps.orientation)
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ps.fitToHeight == 0, ws.title
    assert ws.print_title_rows == "$1:$1", (ws.title, ws.print_title_rows)
PY
# the scatter's series carry their own colours (LibreOffice does not vary them itself)
colours=$(unzip -p "$out" xl/charts/chart2.xml | grep -o '<c:marker>.*</c:marker>' |
          grep -o 'srgbClr val="[0-9A-F]*"' | sort -u | wc -l)
[ "$colours" -ge 7 ] || fail "the scaling chart's series share colours ($colours distinct)"
# usage errors exit 2; a file that cannot be written exits 1 and leaves nothing
"$WP" --db "$db" xlsx 2>/dev/null; [ $? -eq 2 ] || fail "no -o exits 2"
"$WP" --db "$db" xlsx -o "$SCRATCH/x.xlsx" --pue 1.5 2>/dev/null; [ $? -eq 2 ] || fail "--pue alone exits 2"
"$WP" --db "$db" xlsx -o "$SCRATCH/x.xlsx" --runs-per-sheet 2000000 2>/dev/null; [ $? -eq 2 ] ||
    fail "too many runs per sheet exits 2"
touch "$SCRATCH/file"
"$WP" --db "$db" xlsx -o "$SCRATCH/file/x.xlsx" 2>/dev/null; [ $? -eq 1 ] || fail "unwritable exits 1"
# an empty database gives a workbook with empty tables
: > "$SCRATCH/empty.db" # an empty file is an empty database (a missing one is an error)
wp "$SCRATCH/empty.db" -q xlsx -o "$SCRATCH/empty.xlsx" || fail "empty database"
$PY -c 'import openpyxl, sys; wb = openpyxl.load_workbook(sys.argv[1]); assert wb["Runs"].max_row == 1' \
    "$SCRATCH/empty.xlsx" || fail "empty workbook"
exit 0
