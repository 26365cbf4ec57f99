# Validity checks of sample logs (issue 29, item 1) and the checks at ingest: an
# nvidia-smi log of an A100 through power.draw with an 8 s hole in its 100 ms samples is
# warned of at ingest (a gap at its line, part-time power at the first sample) and flagged
# sample_gap and part_time_power by `validity`; the same GPU logged through
# power.draw.average with no hole is not flagged; a short CodeCarbon run is warned of at
# ingest (short_window) once labelled.  stats --valid-only leaves the flagged run out.
. "$(dirname "$0")/lib.bash"
python3 - "$SCRATCH" <<'PY' || fail "make logs"
import sys
d = sys.argv[1]
def log(name, column, hole):
    with open(f"{d}/{name}", "w") as f:
        f.write(f"timestamp, index, name, {column} [W]\n")
        t = 0.0
        for k in range(100):
            if hole and k == 50:
                t += 8.0  # samples stop for 8 s: more than max(5 s, 10 x 0.1 s)
            s = 45 + t
            f.write("2024/01/15 10:%02d:%06.3f, 0, NVIDIA A100-SXM4-80GB, 250.00 W\n" % (s // 60, s % 60))
            t += 0.1
log("a100_draw.csv", "power.draw", True)
log("a100_average.csv", "power.draw.average", False)
PY
db=$SCRATCH/s.db
wp "$db" ingest --model m --task t --dataset d --inferences 1000 "$SCRATCH/a100_draw.csv" \
    2> "$SCRATCH/in1.err" || fail "ingest draw"
grep -q "a100_draw.csv:52: 1 gap in the power samples.*flagged sample_gap" "$SCRATCH/in1.err" \
    || { cat "$SCRATCH/in1.err"; fail "gap warning at ingest"; }
grep -q "a100_draw.csv:2: GPU energy from power.draw \[W\] on NVIDIA A100-SXM4-80GB, which sees 25 ms of every 100 ms" \
    "$SCRATCH/in1.err" || { cat "$SCRATCH/in1.err"; fail "part-time warning at ingest"; }
wp "$db" -q ingest --model m2 --task t --dataset d --inferences 1000 \
    "$SCRATCH/a100_average.csv" 2> "$SCRATCH/in2.err" || fail "ingest average"
grep -q "25 ms" "$SCRATCH/in2.err" && fail "power.draw.average warned as part-time"
wp "$db" validity --format csv > "$SCRATCH/v.csv" 2>/dev/null || fail "validity"
python3 - "$SCRATCH/v.csv" <<'PY' || fail "flags"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
got = sorted((r["source_file"].split("/")[-1], r["line"], r["check"]) for r in rows)
assert got == [("a100_draw.csv", "2", "part_time_power"), ("a100_draw.csv", "2", "sample_gap")], got
PY
wp "$db" stats --valid-only --by model --format csv > "$SCRATCH/s.csv" 2>/dev/null || fail "stats"
python3 - "$SCRATCH/s.csv" <<'PY' || fail "valid-only"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
assert [r["model"] for r in rows] == ["m2"], rows
PY

# a CodeCarbon run of 30 s (under 4 x 15 s) is warned of at ingest, at its line
log=$SCRATCH/emissions.csv
python3 - "$FIX/synth/complete/extractive_qa__sciq.csv" "$log" <<'PY' || fail "make cc log"
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="")))
head, tpl = rows[0], rows[1]
col = {c: i for i, c in enumerate(head)}
with open(sys.argv[2], "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(head)
    for k, dur in enumerate([120, 30, 120]):
        r = list(tpl)
        r[col["timestamp"]] = "2024-05-01T10:%02d:00" % (3 * k)
        r[col["run_id"]] = "00000000-0000-4000-8000-%012d" % k
        r[col["duration"]] = str(dur)
        w.writerow(r)
PY
wp "$db" ingest --model cc --task t --dataset d --inferences 1000 "$log" 2> "$SCRATCH/in3.err" \
    || fail "ingest cc"
grep -q "emissions.csv:3: run [0-9]*: short_window: measured over 30 s.*flagged" "$SCRATCH/in3.err" \
    || { cat "$SCRATCH/in3.err"; fail "short window at ingest"; }
# the earlier files' flags are not said again
grep -q "a100_draw" "$SCRATCH/in3.err" && fail "flags of earlier files repeated"
echo ok
