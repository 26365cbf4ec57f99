# Validity checks (issue 29, item 1): a CodeCarbon log of one experiment, six runs two
# minutes long but one of 30 s (under 4 x CodeCarbon's default 15 s interval) and a first
# run that costs three times the others (modified z-score far above 3.5).  `validity` warns
# about exactly those two at their file and line; --meter-interval 5 clears the short one;
# `stats --valid-only` leaves both out (its mean is the other four's) and counts them.
# Then the fixed order of experiments: two in blocks are flagged (a warning at ingest and in
# validity, a design finding of its own: a line after the table, JSON's "design", never a
# row among the flagged runs; no run excluded), the same two interleaved are not.
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
wp "$db" validity --format json 2>/dev/null | python3 -c '
import json, sys
v = json.load(sys.stdin)
assert sorted(r["check"] for r in v["flagged_runs"]) == ["first_run_outlier", "short_window"], v
assert all(r["run_id"] > 0 for r in v["flagged_runs"]) and v["design"] == [], v' \
    || fail "validity JSON: flagged runs, no design finding"

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

# fixed order (a finding about the design, no run's flag): two experiments (datasets a and
# b) whose runs start in one block each are flagged at ingest and by validity; the same
# runs with their start times interleaved (a b b a) are not; a single experiment (above) is
# not checked
order_logs() { # DIR "MINUTES OF a" "MINUTES OF b"
    python3 - "$FIX/synth/complete/extractive_qa__sciq.csv" "$@" <<'PY' || fail "order logs"
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="")))
head, tpl = rows[0], rows[1]
col = {c: i for i, c in enumerate(head)}
for name, minutes in (("a", sys.argv[3]), ("b", sys.argv[4])):
    with open("%s/%s.csv" % (sys.argv[2], name), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(head)
        for k, minute in enumerate(int(m) for m in minutes.split()):
            r = list(tpl)
            r[col["timestamp"]] = "2024-05-01T11:%02d:00" % minute
            r[col["run_id"]] = "00000000-0000-4000-8%s00-%012d" % ("ab".index(name), k)
            r[col["duration"]] = "120"
            w.writerow(r)
PY
}
for design in blocked interleaved; do
    dir=$SCRATCH/$design; mkdir -p "$dir"; odb=$dir/o.db
    if [ $design = blocked ]; then order_logs "$dir" "2 4 6" "12 14 16"
    else order_logs "$dir" "2 8 10" "4 6 12"; fi
    for x in a b; do
        wp "$odb" ingest --model m --task t --dataset $x --inferences 1000 "$dir/$x.csv" \
            2>> "$dir/ingest.err" >/dev/null || fail "ingest $design $x"
    done
    wp "$odb" validity --format csv > "$dir/v.csv" 2> "$dir/v.err" || fail "validity $design"
    if [ $design = blocked ]; then
        [ "$(grep -c 'warning: fixed_order: 2 experiments were each run in one contiguous block' \
            "$dir/ingest.err")" = 1 ] || fail "ingest: one fixed-order warning"
        grep -q "^wattprint: warning: fixed_order: 2 experiments were each run in one contiguous block, in start-time order" \
            "$dir/v.err" || fail "validity: fixed-order warning"
        grep -q "order of experiments: fixed (blocked)" "$dir/v.err" || fail "count line"
        # a run list never holds run_id 0: the CSV's rows are runs, the design is not one
        [ "$(cat "$dir/v.csv")" = "run_id,source_file,line,check,detail" ] \
            || fail "CSV: the design finding among the runs"
        grep -q "0 of 6 run(s) flagged" "$dir/v.err" || fail "no run flagged for the order"
        wp "$odb" validity --format json 2>/dev/null | python3 -c '
import json, sys
v = json.load(sys.stdin)
assert v["flagged_runs"] == [], v
assert not any(r.get("run_id") == 0 for r in v["flagged_runs"]), v
d = v["design"]
assert [(x["check"], x["order"], x["experiments"], x["timed_runs"]) for x in d] == \
    [("fixed_order", "blocked", 2, 6)], d
assert d[0]["detail"].startswith("2 experiments were each run in one contiguous block"), d
assert "run_id" not in d[0], d' || fail "fixed_order as JSON design finding"
        wp "$odb" validity 2>/dev/null > "$dir/v.txt" || fail "validity table"
        [ "$(tail -n 1 "$dir/v.txt")" = "design: fixed_order (blocked): 2 experiments were each run in one contiguous block, in start-time order: their differences are confounded with time; interleave or randomize" ] \
            || fail "the design finding's own line"
        grep -q "^ *0 " "$dir/v.txt" && fail "table: a run 0"
        wp "$odb" stats --valid-only 2>&1 >/dev/null \
            | grep -q -- "--valid-only: 0 run(s) flagged by the validity checks left out" \
            || fail "the order excludes no run"
    else
        grep -q "fixed_order" "$dir/ingest.err" "$dir/v.err" "$dir/v.csv" \
            && fail "interleaved flagged"
        grep -q "order of experiments: interleaved" "$dir/v.err" || fail "interleaved count"
        wp "$odb" validity --format json 2>/dev/null | python3 -c '
import json, sys
v = json.load(sys.stdin)
assert v == {"flagged_runs": [], "design": []}, v' || fail "interleaved JSON"
    fi
done
grep -q "order of experiments: not checked" "$SCRATCH/v.err" || fail "one experiment: not checked"
echo "validity: ok"
