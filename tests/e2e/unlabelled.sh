# A new user's first hour, before any label (issue 23 item 1), on real CodeCarbon logs
# without a manifest: summary, stats (by default and --by project), chart groups and the
# report show what the logs hold per group they name (project_name and experiment_id, else
# the file), with the numbers checked against Python's own sums, means and t interval of
# the raw bytes; every output says in one sentence what to add for energy per 1,000
# inferences; once labels and inferences are there, the usual tables come back.
. "$(dirname "$0")/lib.bash"
cd "$SCRATCH" || fail "cd"
db=$SCRATCH/a.db
log=$FIX/real/codecarbon/Anticlos__Dissertation__emissions.csv
wp "$db" -q ingest "$log" || fail "ingest"

# ---- summary: one group, the file (the log names only CodeCarbon's default project)
wp "$db" summary > sum.txt 2> err.txt || fail "summary failed: $(cat err.txt)"
grep -q '^file Anticlos__Dissertation__emissions.csv  *59  *0.2029  *6484  *23.53  *113 ' sum.txt ||
    fail "summary's group row: $(cat sum.txt)"
grep -q 'Energy per 1,000 inferences needs each run.s model, task, dataset and inference count' sum.txt ||
    fail "summary does not say what to add: $(cat sum.txt)"
grep -qi 'nan\|inf ' sum.txt && fail "nan or inf in the summary"
# csv keeps the summary's columns (an empty task table); the groups are in stats --by project
wp "$db" summary --format csv > sum0.csv 2>/dev/null || fail "summary csv"
[ "$(cat sum0.csv)" = "task,experiments,runs,mean_kwh_per_1k_inferences,mean_g_co2eq_per_1k_inferences" ] ||
    fail "summary csv's columns: $(cat sum0.csv)"
# the numbers, against Python over the raw rows
wp "$db" stats --by project --format csv > sum.csv 2>/dev/null || fail "stats --by project csv"
python3 - "$log" sum.csv <<'PY' || fail "summary's numbers differ from the log's"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
got = list(csv.DictReader(open(sys.argv[2], newline="")))
assert len(got) == 1, got
g = got[0]
want = {"energy_kwh": sum(float(r["energy_consumed"]) for r in rows),
        "duration_s": sum(float(r["duration"]) for r in rows),
        "emissions_g": sum(float(r["emissions"]) for r in rows) * 1000}
for k, v in want.items():
    assert abs(float(g[k]) - v) <= 1e-12 * v, (k, g[k], v)
assert g["runs"] == "59" and g["file"] == "Anticlos__Dissertation__emissions.csv", g
assert abs(float(g["mean_power_w"]) - want["energy_kwh"] * 3.6e6 / want["duration_s"]) < 1e-9
parts = [sum(float(r[c]) for r in rows) for c in ("cpu_energy", "gpu_energy", "ram_energy")]
assert abs(float(g["cpu_share"]) - parts[0] / sum(parts)) < 1e-12
PY

# ---- stats: with nothing labelled it shows the groups (exit 0), and --by project says so
wp "$db" stats > st.txt 2> err.txt || fail "stats failed: $(cat err.txt)"
grep -q 'no run has energy per 1,000 inferences yet' err.txt || fail "stats' note: $(cat err.txt)"
grep -q '^file Anticlos__Dissertation__emissions.csv  *59  *59 ' st.txt || fail "stats' row: $(cat st.txt)"
grep -qi 'nan\|inf ' st.txt && fail "nan or inf in stats"
# the t interval of skewed runs reaches below zero: 0 with a dagger and the note (stats.h's rule)
grep -q '^file Anticlos__Dissertation__emissions.csv .* 0† ' st.txt || fail "no 0† in stats: $(cat st.txt)"
grep -q "^† ci_t_lo: the interval's lower end is below zero" st.txt || fail "no note for 0†"
wp "$db" stats --by project --format csv > st.csv 2>/dev/null || fail "stats --by project"
python3 - "$log" st.csv <<'PY' || fail "stats --by project's numbers differ"
import csv, math, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
g = list(csv.DictReader(open(sys.argv[2], newline="")))[0]
e = [float(r["energy_consumed"]) for r in rows]
m, sd = statistics.mean(e), statistics.stdev(e)
t = 2.0017174841452352  # Student t, 0.975, 58 df
for k, v in (("mean_kwh_per_run", m), ("sd_kwh_per_run", sd),
             ("median_kwh_per_run", statistics.median(e)),
             ("ci_t_lo_kwh_per_run", m - t * sd / math.sqrt(len(e))),
             ("ci_t_hi_kwh_per_run", m + t * sd / math.sqrt(len(e)))):
    assert abs(float(g[k]) - v) <= 1e-9 * abs(v), (k, g[k], v)
assert g["ci_t_lo_below_zero"] == "yes", g  # csv keeps the exact end and flags it
lo, hi = float(g["ci_boot_lo_kwh_per_run"]), float(g["ci_boot_hi_kwh_per_run"])
assert min(e) <= lo < m < hi <= max(e), (lo, hi)
PY
wp "$db" stats --by project --phase x 2>/dev/null; [ $? -eq 2 ] || fail "stats --by project took a phase"
wp "$db" stats --format json > st0.json 2> err.txt || fail "stats json, nothing labelled"
grep -q "'wattprint stats --by project' shows the runs" err.txt || fail "stats json's note: $(cat err.txt)"
python3 -c "import json; assert json.load(open('st0.json'))['groups'] == []" || fail "stats json's schema"
wp "$db" stats --by project --format json > st.json 2>/dev/null || fail "stats json"
python3 -c "import json,sys; json.load(open('st.json'))" || fail "stats json is not JSON"

# ---- runs: per run as before, and the sentence of what to add
wp "$db" runs > runs.txt 2> err.txt || fail "runs"
grep -q 'note: 59 runs show no energy per 1,000 inferences (-). Energy per 1,000 inferences needs' err.txt ||
    fail "runs does not say what to add: $(cat err.txt)"
[ "$(tail -n +2 runs.txt | wc -l)" = 59 ] || fail "runs lists $(tail -n +2 runs.txt | wc -l) runs"
grep -qi 'nan\|inf ' runs.txt && fail "nan or inf in runs"

# ---- several logs: the groups they name
for f in AlessandraParziale__SATD-empirical-comparison__emissions.csv \
         mdebes89__SupervisedMatching__emissions.csv huggingface__peft__outputs__emissions.csv; do
    wp "$db" -q ingest "$FIX/real/codecarbon/$f" || fail "ingest $f"
done
wp "$db" stats --by project --format csv > all.csv 2>/dev/null || fail "groups of 4 logs"
python3 -c '
import csv, sys
w = csv.writer(sys.stdout, lineterminator="\n")
for r in csv.DictReader(open("all.csv", newline="")):
    w.writerow([r["group"], r["runs"]])' > groups.csv || fail "read the summary"
sed -i '1i group,runs' groups.csv
cat > want.csv <<'CSV'
group,runs
"project ML, experiment Binary_LazyPredict_Top_5",1
"project codecarbon, experiment 51175838-7d7b-4cb7-9a5c-130577de82d6",1
"project codecarbon, experiment 7f045061-94a9-4207-9a65-a32b8c304a72",1
"project codecarbon, experiment fac63310-5e52-462f-907f-0d32c50f3bc7",1
project finetunning_emissions,1
project supervised_matching_LLM,1
file AlessandraParziale__SATD-empirical-comparison__emissions.csv,1
file Anticlos__Dissertation__emissions.csv,59
CSV
diff -u want.csv groups.csv >&2 || fail "the groups of four logs"
# the skeleton has one row per group, keyed as the manifest matches it
wp "$db" manifest --skeleton 2>/dev/null | grep -v '^#' | tail -n +2 | cut -d, -f1-3 > sk.csv
[ "$(wc -l < sk.csv)" = 8 ] || fail "skeleton rows: $(cat sk.csv)"
grep -qx 'Anticlos__Dissertation__emissions.csv,,' sk.csv || fail "skeleton keys the default project by file"
grep -qx ',ML,Binary_LazyPredict_Top_5' sk.csv || fail "skeleton keys a named project"

# ---- chart groups: a real figure, the same bytes twice; chart tasks says what to do
wp "$db" chart groups -o g.png 2> err.txt || fail "chart groups: $(cat err.txt)"
wp "$db" chart groups -o g2.png -o g.pdf 2> err.txt || fail "chart groups again: $(cat err.txt)"
cmp -s g.png g2.png || fail "chart groups is not deterministic"
python3 - g.png <<'PY' || fail "chart groups' PNG"
import struct, sys, zlib
b = open(sys.argv[1], "rb").read()
assert b[:8] == b"\x89PNG\r\n\x1a\n"
w, h = struct.unpack(">II", b[16:24])
assert w > 800 and h > 8 * 120, (w, h)  # 8 groups, a row each
PY
qpdf --check g.pdf > /dev/null || fail "chart groups' PDF fails qpdf"
pdftotext g.pdf - | tr '\n' ' ' > g.txt || fail "pdftotext"
grep -q 'kWh per run: mean and 95% bootstrap CI over runs' g.txt || fail "axis title: $(cat g.txt)"
grep -q 'missions.csv 59 runs' g.txt || fail "group name in the chart"
wp "$db" chart tasks -o t.png 2> err.txt && fail "chart tasks drew without tasks"
grep -q "wattprint chart groups -o FILE" err.txt || fail "chart tasks does not point on: $(cat err.txt)"
wp "$db" chart groups --task x -o x.png 2>/dev/null; [ $? -eq 2 ] || fail "chart groups took a filter"

# ---- the report: a real one, not an error
wp "$db" report -o r.pdf 2> err.txt || fail "report on unlabelled logs: $(cat err.txt)"
qpdf --check r.pdf > /dev/null || fail "report fails qpdf"
pages=$(pdfinfo r.pdf | awk '/^Pages:/ {print $2}')
[ "$pages" -ge 3 ] && [ "$pages" -le 6 ] || fail "report has $pages pages"
pdftotext -layout r.pdf r.txt || fail "pdftotext"
for want in "What the runs used" "Energy per run, and how sure it is" "Where the energy went" \
            "Hardware and place" "The files" "Not in this report yet" "66 runs in 8 groups from 4 files" \
            "file Anticlos__Dissertation__emissions.csv" "Intel(R) Xeon(R) w9-3495X" "RAM: modelled"; do
    grep -qF "$want" r.txt || fail "report lacks \"$want\""
done
grep -qi 'nan\b\|\binf\b' r.txt && fail "nan or inf in the report"
grep -q '0† to 0.00825' r.txt || fail "the report's cut t interval"
tr -s ' \n' '  ' < r.txt | grep -q "† the interval's lower end is below zero" || fail "the report's note on 0†"
wp "$db" report -o r2.pdf 2>/dev/null || fail "report again"
cmp -s r.pdf r2.pdf || fail "the report is not deterministic"
wp "$db" report -o r.html 2>/dev/null || fail "html report"
grep -q 'Energy per run, and how sure it is' r.html || fail "html report's section"
grep -q 'project supervised_matching_LLM' r.html || fail "html report's group"
# a filter that names labels is not this report: it still says nothing matches
wp "$db" report --task text_classification -o f.pdf 2>/dev/null && fail "a filtered report without labels"

# ---- a log whose rows hold no energy: dashes, a report without the figure, no crash
wp "$SCRATCH/none.db" -q ingest "$FIX/real/codecarbon/3x-dev__Forkprint__emissions.csv.bak" 2>/dev/null ||
    fail "ingest a log without energy"
wp "$SCRATCH/none.db" summary > none.txt 2>&1 || fail "summary without energy: $(cat none.txt)"
grep -q '^file 3x-dev__Forkprint__emissions.csv.bak  *3  *-  ' none.txt || fail "summary without energy: $(cat none.txt)"
wp "$SCRATCH/none.db" report -o none.pdf 2> err.txt || fail "report without energy: $(cat err.txt)"
qpdf --check none.pdf > /dev/null || fail "report without energy fails qpdf"
wp "$SCRATCH/none.db" chart groups -o none.png 2> err.txt; [ $? -eq 1 ] || fail "chart groups without energy"
grep -q 'no group of unlabelled runs has an energy to plot' err.txt || fail "chart groups: $(cat err.txt)"

# ---- labelled with inferences: the usual tables again
wp "$db" -q ingest --model m --task text_classification --dataset imdb --inferences 100 \
    "$FIX/real/codecarbon/LeCapet__Hackaton__emissions.csv" || fail "ingest labelled"
wp "$db" summary --format csv > lab.csv 2>/dev/null || fail "summary labelled"
head -1 lab.csv | grep -q '^task,experiments,runs,mean_kwh_per_1k_inferences' || fail "summary's task table: $(cat lab.csv)"
grep -q '^text_classification,1,2,' lab.csv || fail "labelled runs in the summary: $(cat lab.csv)"
wp "$db" stats --by project --format csv 2>/dev/null | grep -q '^Anticlos__Dissertation__emissions.csv,' ||
    fail "stats --by project beside labelled runs"
# every run labelled: stats --by project gives csv its header and json an empty array (it
# printed nothing, which no JSON reader takes), and the table says why it is empty
wp "$SCRATCH/all.db" -q ingest --model m --task t --dataset d --inferences 100 \
    "$FIX/real/codecarbon/LeCapet__Hackaton__emissions.csv" || fail "ingest all labelled"
wp "$SCRATCH/all.db" stats --by project --format json > none.json 2>/dev/null || fail "json, all labelled"
python3 -c "import json; assert json.load(open('none.json')) == []" || fail "json, all labelled: $(cat none.json)"
wp "$SCRATCH/all.db" stats --by project --format csv > none.csv 2>/dev/null || fail "csv, all labelled"
[ "$(wc -l < none.csv)" = 1 ] && head -1 none.csv | grep -q '^file,project_name,experiment_id,group,runs,' ||
    fail "csv, all labelled: $(cat none.csv)"
wp "$SCRATCH/all.db" stats --by project > none.txt 2> err.txt || fail "table, all labelled"
[ ! -s none.txt ] && grep -q "note: no run is left without energy per 1,000 inferences" err.txt ||
    fail "table, all labelled: $(cat none.txt err.txt)"
# labels given in part: the runs stay unlabelled, and the ingest says which label is missing
wp "$SCRATCH/part.db" ingest --model m --task t --inferences 100 \
    "$FIX/real/codecarbon/LeCapet__Hackaton__emissions.csv" 2> err.txt || fail "ingest, no dataset"
grep -q "database: 2 runs, 2 unlabelled" err.txt && grep -q "note: a run is labelled .* by its model, task and dataset together: give --dataset too" err.txt ||
    fail "ingest without --dataset does not say why its runs are unlabelled: $(cat err.txt)"
# an unlabelled run's inference count is unknown: null in JSON, empty in CSV, "-" for
# people, never a 0
wp "$SCRATCH/u.db" -q ingest "$log" || fail "ingest u"
wp "$SCRATCH/u.db" runs --format json > runs.json || fail "runs json"
python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); assert r and all(x["inferences"] is None for x in r), r[:1]' runs.json \
    || fail "runs json: inferences of unlabelled runs not null"
wp "$SCRATCH/u.db" runs --format csv | python3 -c 'import csv,sys; r=list(csv.DictReader(sys.stdin)); assert r and all(x["inferences"] == "" for x in r), r[:1]' \
    || fail "runs csv: inferences of unlabelled runs not empty"
echo "unlabelled: summary, stats, chart groups and a $pages-page report on 4 real logs, 66 runs in 8 groups"
