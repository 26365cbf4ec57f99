# wattprint compare (issue 29): a candidate against a baseline.  The candidates are the
# synthetic fixtures with every energy and emission scaled: by 1.3 (a planted 30%
# regression: every task costlier, exit 1), by 1.02 (within the 5% margin: exit 0, no row
# costlier), by 0.7 (lower).  With a margin of 40% the regression passes.  The ratio of the
# paired means is the factor itself; --by compares two values of a manifest column and
# then gives the numbers of the purpose comparison in stats.
. "$(dirname "$0")/lib.bash"
S=$FIX/synth
# scaled DIR FACTOR: a copy of the synthetic logs in DIR, energies and emissions x FACTOR
scaled() {
    python3 - "$S/complete" "$1" "$2" <<'PY' || fail "scale fixtures"
import csv, os, sys
src, dst, k = sys.argv[1], sys.argv[2], float(sys.argv[3])
os.makedirs(dst)
cols = ("emissions", "cpu_energy", "gpu_energy", "ram_energy", "energy_consumed")
for name in sorted(os.listdir(src)):
    rows = list(csv.reader(open(os.path.join(src, name), newline="")))
    head, out = rows[0], [rows[0]]
    for r in rows[1:]:
        if r and r[0] == "timestamp":  # a header again, maybe of another layout
            head = r
        elif len(r) == len(head):
            for c in cols:
                r[head.index(c)] = repr(float(r[head.index(c)]) * k)
        out.append(r)
    with open(os.path.join(dst, name), "w", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(out)
PY
}
base=$SCRATCH/base.db
wp "$base" -q ingest --manifest "$S/manifest.csv" "$S/complete" || fail "ingest baseline"
for k in 1.3 1.02 0.7; do
    scaled "$SCRATCH/x$k" "$k"
    wp "$SCRATCH/x$k.db" -q ingest --manifest "$S/manifest.csv" "$SCRATCH/x$k" || fail "ingest x$k"
done

# the planted regression: exit 1, every task costlier, the ratio the factor
wp "$SCRATCH/x1.3.db" compare --against "$base" --format csv > "$SCRATCH/up.csv"
[ $? = 1 ] || fail "a 30% regression must exit 1"
wp "$SCRATCH/x1.02.db" compare --against "$base" --format csv > "$SCRATCH/flat.csv" \
    || fail "2% within a 5% margin must exit 0"
wp "$SCRATCH/x0.7.db" compare --against "$base" --format csv > "$SCRATCH/down.csv" \
    || fail "a saving must exit 0"
python3 - "$SCRATCH" <<'PY' || fail "verdicts"
import csv, sys
d = sys.argv[1]
for name, k, allowed in (("up", 1.3, {"costlier"}), ("flat", 1.02, {"same", "undecided"}),
                         ("down", 0.7, {"lower"})):
    rows = list(csv.DictReader(open(f"{d}/{name}.csv")))
    assert len(rows) == 10, (name, len(rows))
    for r in rows:
        assert r["unit"] == "model" and r["pairing"] == "paired", r
        assert r["units_candidate"] == r["units_baseline"] and int(r["units_candidate"]) >= 5, r
        assert r["unpaired_candidate"] == r["unpaired_baseline"] == "0", r
        assert r["runs_candidate"] == r["runs_baseline"], r
        ratio, lo, hi = float(r["ratio"]), float(r["ratio_lo"]), float(r["ratio_hi"])
        assert abs(ratio / k - 1) < 1e-9, (name, r["task"], ratio)
        assert lo < ratio < hi, (name, r)
        assert r["verdict"] in allowed, (name, r["task"], r["verdict"], lo, hi)
        # the verdict is the stated rule over the interval and the 5% margin
        want = ("costlier" if lo > 1.05 else "lower" if hi < 0.95
                else "same" if lo >= 0.95 and hi <= 1.05 else "undecided")
        assert r["verdict"] == want, (name, r)
    if name == "flat":
        assert any(r["verdict"] == "same" for r in rows), "no task equivalent at 2%"
PY

# a 40% margin lets the 30% regression pass
wp "$SCRATCH/x1.3.db" compare --against "$base" --margin 40% > "$SCRATCH/wide.txt" \
    || fail "a 40% margin must pass a 30% regression"
grep -q "0 of 10 row(s) costlier beyond the margin" "$SCRATCH/wide.txt" || fail "wide: count line"
grep -q "margin 40%" "$SCRATCH/wide.txt" || fail "wide: margin not stated"

# json and markdown carry the same verdicts; the markdown is a job summary
wp "$SCRATCH/x1.3.db" compare --against "$base" --format json > "$SCRATCH/up.json"
[ $? = 1 ] || fail "json: exit 1"
python3 - "$SCRATCH/up.json" "$SCRATCH/up.csv" <<'PY' || fail "json"
import csv, json, sys
j = json.load(open(sys.argv[1]))
c = list(csv.DictReader(open(sys.argv[2])))
assert [r["task"] for r in j] == [r["task"] for r in c]
assert all(r["verdict"] == "costlier" for r in j)
assert all(abs(r["ratio"] - float(x["ratio"])) < 1e-12 for r, x in zip(j, c))
PY
wp "$SCRATCH/x1.3.db" compare --against "$base" --format markdown > "$SCRATCH/up.md"
[ $? = 1 ] || fail "markdown: exit 1"
grep -q '^| task | ratio | 95% interval | change | verdict |$' "$SCRATCH/up.md" || fail "md header"
grep -q '^| text_classification | 1.300 | .* | +30.0% | costlier |$' "$SCRATCH/up.md" || fail "md row"
grep -q '^:x: \*\*costlier beyond the margin\*\*$' "$SCRATCH/up.md" || fail "md verdict"
wp "$SCRATCH/x1.02.db" compare --against "$base" --format markdown > "$SCRATCH/flat.md" \
    || fail "markdown flat"
grep -q '^:white_check_mark: no row costlier' "$SCRATCH/flat.md" || fail "md pass line"

# same database, same bytes; another seed moves the interval, not the ratio
wp "$SCRATCH/x1.3.db" compare --against "$base" --format csv > "$SCRATCH/up2.csv"
cmp -s "$SCRATCH/up.csv" "$SCRATCH/up2.csv" || fail "not deterministic"

# per model x task: the experiment is the unit, datasets pair
wp "$SCRATCH/x1.3.db" compare --against "$base" --rows model,task --format csv > "$SCRATCH/mt.csv"
[ $? = 1 ] || fail "model,task: exit 1"
python3 - "$SCRATCH/mt.csv" <<'PY' || fail "model,task rows"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
assert len(rows) > 10 and all(r["unit"] == "experiment" and r["model"] for r in rows)
for r in rows:
    assert abs(float(r["ratio"]) / 1.3 - 1) < 1e-9, r
    if r["pairing"] == "paired":
        assert r["verdict"] == "costlier", r
    else:  # one dataset a side: no interval, no verdict
        assert r["units_candidate"] == "1" and r["verdict"] == "undecided" and not r["ratio_lo"], r
PY

# --by: two values of a manifest column in one database; different models on each side are
# drawn apart, as stats' purpose comparison does, with the same numbers
wp "$base" compare --by purpose --baseline task-specific --format json > "$SCRATCH/by.json"
[ $? = 1 ] || fail "--by purpose: multi-purpose models are costlier: exit 1"
wp "$base" stats --format json > "$SCRATCH/stats.json" || fail "stats json"
python3 - "$SCRATCH/by.json" "$SCRATCH/stats.json" <<'PY' || fail "--by agrees with stats"
import json, sys
by = {r["task"]: r for r in json.load(open(sys.argv[1]))}
st = json.load(open(sys.argv[2]))
pur = {p["task"]: p for p in st["purpose"]}
assert by.keys() == pur.keys() and by, (by.keys(), pur.keys())
for t, r in by.items():
    assert r["pairing"] == "independent", r
    p = json.dumps(pur[t])
    for k in ("ratio", "ratio_lo", "ratio_hi"):
        assert repr(r[k]) in p or ("%.17g" % r[k]) in p, (t, k, r[k], p)
PY
wp "$base" compare --by purpose --baseline task-specific --candidate nothing-like-it 2> "$SCRATCH/e"
[ $? = 1 ] && grep -q "^wattprint: --by purpose --candidate nothing-like-it matches nothing" "$SCRATCH/e" \
    || fail "unknown candidate: $(cat "$SCRATCH/e")"
# the messages name the options given (--by, --baseline), never a --where the user did not give
wp "$base" compare --by purpose --baseline taskspecific 2> "$SCRATCH/e"
[ $? = 1 ] && grep -q '^wattprint: --by purpose --baseline taskspecific matches nothing; did you mean "task-specific"?' \
    "$SCRATCH/e" || fail "misspelt baseline: $(cat "$SCRATCH/e")"
wp "$base" compare --by purpos --baseline task-specific 2> "$SCRATCH/e"
[ $? = 1 ] && grep -q '^wattprint: --by: the manifest column or configuration key "purpos" matches nothing' \
    "$SCRATCH/e" || fail "misspelt column: $(cat "$SCRATCH/e")"
# a range said whole: --level's upper bound, --pue's lower one (1 is accepted)
wp "$base" stats --level 2 2> "$SCRATCH/e"; [ $? = 2 ] || fail "--level 2 accepted"
grep -q -- '--level: "2" must be a number above 0 and below 1$' "$SCRATCH/e" || fail "--level: $(cat "$SCRATCH/e")"
wp "$base" stats --pue 0.5 2> "$SCRATCH/e"; [ $? = 2 ] || fail "--pue 0.5 accepted"
grep -q -- '--pue: "0.5" must be a number of at least 1$' "$SCRATCH/e" || fail "--pue: $(cat "$SCRATCH/e")"
wp "$base" stats --pue 1 > /dev/null 2>&1 || fail "--pue 1 refused"

# a baseline that is not there fails the gate and is not made empty (regression: the store
# creates a SQLite file it is asked to open)
wp "$SCRATCH/x1.02.db" compare --against "$SCRATCH/missing.db" 2> "$SCRATCH/e"
[ $? = 1 ] && grep -q "missing.db: no such database" "$SCRATCH/e" || fail "missing baseline"
[ ! -e "$SCRATCH/missing.db" ] || fail "compare created the missing baseline"
wp "$SCRATCH/by.db" compare --by purpose --baseline task-specific 2> /dev/null
[ $? = 1 ] && [ ! -e "$SCRATCH/by.db" ] || fail "missing candidate"

# usage errors exit 2
for bad in "--against $base --by purpose --baseline x" "--by purpose" "" \
           "--against $base --margin 200%" "--against $base --format yaml" \
           "--against $base --rows dataset"; do
    # shellcheck disable=SC2086
    wp "$base" compare $bad 2>/dev/null
    [ $? = 2 ] || fail "usage: compare $bad must exit 2"
done
echo "compare: ok"
