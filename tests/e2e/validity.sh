# Validity checks (issue 29, item 1): a CodeCarbon log of one experiment, six runs two
# minutes long but one of 30 s (under 4 x CodeCarbon's default 15 s interval) and a first
# run that costs three times the others (modified z-score far above 3.5).  `validity` warns
# about exactly those two at their file and line; --meter-interval 5 clears the short one;
# `stats --valid-only` leaves both out (its mean is the other four's) and counts them.
. "$(dirname "$0")/lib.bash"
log=$SCRATCH/emissions.csv
python3 - "$FIX/synth/complete/extractive_qa__sciq.csv" "$log" <<'PY' || fail "make log"
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="")))
head, tpl = rows[0], rows[1]
col = {c: i for i, c in enumerate(head)}
# (start minute, duration s, energy kWh): the first run costs 3x, the fourth is 30 s long
runs = [(0, 120, 0.030), (3, 120, 0.0101), (6, 120, 0.0099), (9, 30, 0.0100),
        (12, 120, 0.0102), (15, 120, 0.0098)]
with open(sys.argv[2], "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(head)
    for k, (minute, dur, kwh) in enumerate(runs):
        r = list(tpl)
        r[col["timestamp"]] = "2024-05-01T10:%02d:00" % minute
        r[col["run_id"]] = "00000000-0000-4000-8000-%012d" % k
        r[col["duration"]] = str(dur)
        r[col["energy_consumed"]] = repr(kwh)
        r[col["cpu_energy"]], r[col["gpu_energy"]], r[col["ram_energy"]] = \
            repr(kwh * 0.1), repr(kwh * 0.6), repr(kwh * 0.3)
        r[col["emissions"]] = repr(kwh * 0.4)
        w.writerow(r)
PY
db=$SCRATCH/v.db
wp "$db" -q ingest --model m --task t --dataset d --inferences 1000 "$log" || fail "ingest"

wp "$db" validity --format csv > "$SCRATCH/v.csv" 2> "$SCRATCH/v.err" || fail "validity"
python3 - "$SCRATCH/v.csv" <<'PY' || fail "validity rows"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
got = sorted((r["source_file"].split("/")[-1], r["line"], r["check"]) for r in rows)
assert got == [("emissions.csv", "2", "first_run_outlier"), ("emissions.csv", "5", "short_window")], got
for r in rows:
    if r["check"] == "short_window":
        assert "30 s" in r["detail"] and "4 sampling intervals of 15 s" in r["detail"], r
    else:
        assert "first of 6 runs" in r["detail"] and "above 3.5" in r["detail"], r
PY
grep -q "^wattprint: warning: .*emissions.csv:5: run [0-9]*: short_window: measured over 30 s" \
    "$SCRATCH/v.err" || fail "short-window warning at FILE:LINE"
grep -q "^wattprint: warning: .*emissions.csv:2: run [0-9]*: first_run_outlier: " \
    "$SCRATCH/v.err" || fail "first-run warning at FILE:LINE"
grep -q "2 of 6 run(s) flagged: 1 short window, 1 first-run outlier" "$SCRATCH/v.err" \
    || fail "validity count line"

# a meter sampling every 5 s covers 30 s with 6 intervals: only the first run is left
wp "$db" validity --meter-interval 5 --format csv 2>/dev/null > "$SCRATCH/v5.csv" || fail "v5"
[ "$(tail -n +2 "$SCRATCH/v5.csv" | cut -d, -f4)" = first_run_outlier ] || fail "--meter-interval"

# stats leave both out with --valid-only, and say so
wp "$db" stats --format csv > "$SCRATCH/all.csv" 2>/dev/null || fail "stats"
wp "$db" stats --valid-only --format csv > "$SCRATCH/valid.csv" 2> "$SCRATCH/valid.err" \
    || fail "stats --valid-only"
grep -q "2 run(s) flagged by the validity checks left out" "$SCRATCH/valid.err" \
    || fail "stats --valid-only count"
python3 - "$SCRATCH/all.csv" "$SCRATCH/valid.csv" <<'PY' || fail "valid-only numbers"
import csv, sys
a = next(csv.DictReader(open(sys.argv[1])))
v = next(csv.DictReader(open(sys.argv[2])))
assert a["runs"] == "6" and v["runs"] == "4", (a["runs"], v["runs"])
want = (0.0101 + 0.0099 + 0.0102 + 0.0098) / 4  # kWh per 1,000 inferences, 1,000 a run
assert abs(float(v["mean_kwh_per_1k"]) / want - 1) < 1e-9, v["mean_kwh_per_1k"]
PY
wp "$db" stats --valid-only --format json 2>/dev/null | python3 -c '
import json, sys
m = json.load(sys.stdin)["meta"]
assert m["valid_only"] is True and m["excluded_invalid_runs"] == 2, m' || fail "json meta"
wp "$db" stats --format json 2>/dev/null | python3 -c '
import json, sys
assert "valid_only" not in json.load(sys.stdin)["meta"]' || fail "json meta without"
wp "$db" stats --meter-interval 5 2>/dev/null; [ $? = 2 ] || fail "--meter-interval alone"
wp "$db" validity --meter-interval 0 2>/dev/null; [ $? = 2 ] || fail "--meter-interval 0"
echo "validity: ok"
