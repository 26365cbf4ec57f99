# stats --pairwise / --pair A,B (issue 21 item 2), and the report's sections built on the
# same statistics (task vs task; star ratings with their comparison set, item 6): task vs task over the model unit, the
# effect first.  Checked against the model means of `stats --by model,task` (Welch's t and
# df recomputed here, on the means and on their log10), Holm recomputed over the pairs, the
# headline's pair equal to the headline, --pair equal to the same pair of --pairwise (its
# Holm over fewer pairs), --unit run narrower than the model unit, csv = json, the table for
# people states the unit and the methods, usage errors.
. "$(dirname "$0")/lib.bash"
db=$SCRATCH/a.db
wp "$db" -q ingest --manifest "$FIX/synth/manifest.csv" "$FIX/synth" || fail "ingest"
wp "$db" stats --pairwise --format json > "$SCRATCH/all.json" || fail "stats --pairwise json"
wp "$db" stats --pairwise --format csv > "$SCRATCH/all.csv" || fail "stats --pairwise csv"
wp "$db" stats --by model,task --format json > "$SCRATCH/models.json" || fail "stats by model,task"
wp "$db" stats --pair image_generation,masked_lm --pair masked_lm,text_generation --format json \
    > "$SCRATCH/two.json" || fail "stats --pair"
wp "$db" stats --pairwise --unit run --format json > "$SCRATCH/run.json" || fail "--unit run"
wp "$db" stats --show purpose --pairwise > "$SCRATCH/table.txt" || fail "stats --pairwise table"
python3 - "$SCRATCH" <<'PY' || fail "pairwise numbers"
import csv, json, math, sys
from statistics import mean, variance
d = sys.argv[1]
allj = json.load(open(d + "/all.json"))
pairs = allj["pairwise"]
tasks = [g["task"] for g in allj["groups"]]
assert len(pairs) == len(tasks) * (len(tasks) - 1) // 2 == 45, len(pairs)
assert [(p["task_a"], p["task_b"]) for p in pairs] == \
    [(a, b) for i, a in enumerate(tasks) for b in tasks[i + 1:]]
# the model means: one per model and task (the unit means of the by-model,task groups)
um = {}
for g in json.load(open(d + "/models.json"))["groups"]:
    um.setdefault(g["task"], []).append(g["unit_mean_kwh_per_1k"])
def welch(a, b):
    va, vb = variance(a) / len(a), variance(b) / len(b)
    t = (mean(a) - mean(b)) / math.sqrt(va + vb)
    df = (va + vb) ** 2 / (va ** 2 / (len(a) - 1) + vb ** 2 / (len(b) - 1))
    return t, df
def close(x, y, rel=1e-9):
    return abs(x - y) <= rel * max(abs(x), abs(y))
for p in pairs:
    a, b = um[p["task_a"]], um[p["task_b"]]
    assert p["unit"] == "model" and p["n_a"] == len(a) and p["n_b"] == len(b), p
    assert close(p["ratio"], mean(a) / mean(b)), p
    assert p["ratio_ci_lo"] < p["ratio"] < p["ratio_ci_hi"], p
    t, df = welch(a, b)
    assert close(p["welch_t"], t) and close(p["welch_df"], df), (p, t, df)
    t, df = welch([math.log10(x) for x in a], [math.log10(x) for x in b])
    assert close(p["welch_log10_t"], t) and close(p["welch_log10_df"], df), (p, t, df)
    geo = 10 ** (mean([math.log10(x) for x in a]) - mean([math.log10(x) for x in b]))
    assert close(p["ratio_geomean"], geo), (p, geo)
# Holm over the 45 pairs, by hand
def holm(ps):
    order = sorted(range(len(ps)), key=lambda i: ps[i])
    adj, run = [0] * len(ps), 0
    for k, i in enumerate(order):
        run = max(run, min(1, (len(ps) - k) * ps[i]))
        adj[i] = run
    return adj
for key in ("welch_p", "welch_log10_p"):
    for p, h in zip(pairs, holm([p[key] for p in pairs])):
        assert close(p[key + "_holm"], h, 1e-12), (key, p, h)
    assert any(p[key + "_holm"] > p[key] for p in pairs)
# the headline's pair is the headline
h = allj["headline"]
hp = [p for p in pairs if {p["task_a"], p["task_b"]} == {h["most"], h["least"]}][0]
assert hp["task_a"] == h["most"] or close(hp["ratio"], 1 / h["ratio"])
if hp["task_a"] == h["most"]:
    assert close(hp["ratio"], h["ratio"]) and close(hp["ratio_ci_lo"], h["ratio_ci_lo"]), (hp, h)
# --pair: the same numbers, Holm over the two pairs asked
two = json.load(open(d + "/two.json"))["pairwise"]
assert [(p["task_a"], p["task_b"]) for p in two] == [("image_generation", "masked_lm"), ("masked_lm", "text_generation")]
for p in two:
    q = [x for x in pairs if (x["task_a"], x["task_b"]) == (p["task_a"], p["task_b"])
         or (x["task_a"], x["task_b"]) == (p["task_b"], p["task_a"])][0]
    assert close(p["welch_log10_p"], q["welch_log10_p"]) and close(abs(p["welch_log10_t"]), abs(q["welch_log10_t"]))
for p, h in zip(two, holm([p["welch_log10_p"] for p in two])):
    assert close(p["welch_log10_p_holm"], h, 1e-12), (p, h)
# over runs the intervals are narrower and the p smaller: what the model unit corrects
run = json.load(open(d + "/run.json"))["pairwise"]
assert all(r["unit"] == "run" for r in run)
narrower = sum((r["ratio_ci_hi"] - r["ratio_ci_lo"]) < (p["ratio_ci_hi"] - p["ratio_ci_lo"])
               for r, p in zip(run, pairs))
assert narrower >= 40, narrower
# csv: the same pairs and numbers as json
rows = list(csv.DictReader(open(d + "/all.csv")))
assert len(rows) == 45 and float(rows[0]["ratio"]) == pairs[0]["ratio"]
assert float(rows[44]["welch_log10_p_holm"]) == pairs[44]["welch_log10_p_holm"]
PY
grep -q "^Task vs task (kWh per 1,000 inferences, over models; the effect first: ratio of means a/b with its 95% CI)" \
    "$SCRATCH/table.txt" || fail "the table does not state its unit: $(grep -A1 'Task vs' "$SCRATCH/table.txt")"
grep -q "Holm-adjusted over the 45 pairs" "$SCRATCH/table.txt" || fail "the table does not say what p_holm is"
[ "$(grep -c '^image_generation  *masked_lm ' "$SCRATCH/table.txt")" = 1 ] || fail "a pair missing in the table"
wp "$db" stats --pairwise --format json > "$SCRATCH/again.json" || fail "again"
cmp -s "$SCRATCH/all.json" "$SCRATCH/again.json" || fail "two runs differ"
# the report's own section: its pairs and numbers are stats' (the first pair's ratio and CI)
wp "$db" -q report -o "$SCRATCH/r.pdf" || fail "report"
pdftotext "$SCRATCH/r.pdf" - | tr '\n' ' ' | tr -s ' ' > "$SCRATCH/r.txt"
grep -q "Task vs task Each pair of tasks compared over models" "$SCRATCH/r.txt" || fail "no task vs task section"
grep -q "raw and Holm-adjusted over 45 pairs" "$SCRATCH/r.txt" || fail "the section's caption"
wp "$db" -q report -o "$SCRATCH/r.html" || fail "report html"
python3 - "$SCRATCH" <<'PY' || fail "the report's pairs are not stats'"
import json, sys
from html.parser import HTMLParser
d = sys.argv[1]
class Rows(HTMLParser):
    def __init__(self):
        super().__init__(); self.rows, self.cell, self.row = [], None, None
    def handle_starttag(self, tag, a):
        if tag == "tr": self.row = []
        if tag in ("td", "th"): self.cell = ""
    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.row is not None: self.row.append(self.cell.strip()); self.cell = None
        if tag == "tr" and self.row is not None: self.rows.append(self.row); self.row = None
    def handle_data(self, data):
        if self.cell is not None: self.cell += data
r = Rows(); r.feed(open(d + "/r.html").read())
pairs = json.load(open(d + "/all.json"))["pairwise"]
table = [x for x in r.rows if len(x) == 9 and x[0] != "task a"]
assert len(table) == 45, len(table)
caps = {"qa", "lm", "llm", "asr", "ner", "ocr", "tts", "vqa", "nli", "mt"}
words = lambda t: " ".join(w.upper() if w in caps else w for w in t.split("_"))
num = lambda s: float(s.replace(",", ""))
close = lambda s, v: abs(num(s) - v) <= 5e-3 * abs(v)  # 3 significant digits
def p_cell(s, v):  # two significant digits from 0.001 up, "< 0.001" below
    return s == "<\u00a00.001" if v < 0.001 else abs(num(s) - v) <= 0.05 * v
for row, p in zip(table, pairs):
    assert row[:3] == [words(p["task_a"]), words(p["task_b"]), "%d / %d" % (p["n_a"], p["n_b"])], (row, p)
    lo, hi = row[4].split("–")
    assert close(row[3], p["ratio"]) and close(lo, p["ratio_ci_lo"]) and close(hi, p["ratio_ci_hi"]), row
    assert close(row[7], p["ratio_geomean"]), row
    assert p_cell(row[5], p["welch_p"]) and p_cell(row[6], p["welch_p_holm"]), (row, p)
    assert p_cell(row[8], p["welch_log10_p_holm"]), (row, p)
# the report's ratings say what the stars are relative to, and count them per task
text = open(d + "/r.html").read()
assert "Star ratings and what they are relative to" in text
assert "relative to the task&#39;s models in this database and only to them" in text or \
       "relative to the task's models in this database and only to them" in text
stars = [x for x in r.rows if len(x) == 7 and x[0] != "task" and all(v.isdigit() for v in x[1:])]
assert len(stars) == 10, stars
for x in stars:
    assert int(x[1]) == sum(int(v) for v in x[2:]) and int(x[2]) >= 1, x  # the lowest gets 5
PY
code() { "$@" >/dev/null 2>"$SCRATCH/err"; echo $?; }
[ "$(code wp "$db" stats --pair image_generation,nope)" = 2 ] || fail "an unknown task exits 2"
grep -q 'no task "nope"' "$SCRATCH/err" || fail "unknown task message: $(cat "$SCRATCH/err")"
[ "$(code wp "$db" stats --pair image_generation)" = 2 ] || fail "--pair A exits 2"
[ "$(code wp "$db" stats --by model --pairwise)" = 2 ] || fail "--pairwise --by model exits 2"
[ "$(code wp "$db" stats --pairwise --pair a,b)" = 2 ] || fail "--pairwise with --pair exits 2"
echo "ok: 45 task pairs over models checked against the model means, Holm and the headline"
