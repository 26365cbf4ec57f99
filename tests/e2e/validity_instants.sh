# The first-run check orders an experiment's runs by start instant, not by the text of the
# start time.  Five runs across the end of summer time in Paris (25 October 2026): the cold
# start at 02:30+02:00 (00:30 UTC) costs 300,000 J, the four after it 02:10 to 02:55+01:00
# (01:10 to 01:55 UTC) about 100,000 J.  By instant the cold start is first: median of
# the others (100,000 + 100,500) / 2 = 100,250 J, MAD (250 + 750) / 2 = 500 J, so the
# modified z is 0.6745 x (300,000 - 100,250) / 500 = 269.5 > 3.5: flagged.  Sorted as text,
# "02:10+01:00" came first and nothing was flagged.  A run without a start time makes the
# first unknowable (not checked), and identical values (MAD 0) flag nothing.
. "$(dirname "$0")/lib.bash"
M=$FIX/measure
hw='NVIDIA A100-SXM4-80GB,Intel Xeon Gold 6338'
head='run,started,model,task,dataset,inferences,duration_s,energy_j,cpu_j,gpu_j,ram_j,emissions_g,gpu,cpu'
# runs FILE START1 ENERGY1 START2 ENERGY2 ...: one experiment's runs
runs() {
    local f=$1 i=1
    shift
    echo "$head" > "$f"
    while [ $# -gt 0 ]; do
        echo "c$i,$1,m1,t1,d1,1000,600,$2,,,,,$hw" >> "$f"
        i=$((i + 1))
        shift 2
    done
}
runs "$SCRATCH/dst.csv" 2026-10-25T02:30:00+02:00 300000 2026-10-25T02:10:00+01:00 100000 \
    2026-10-25T02:25:00+01:00 101000 2026-10-25T02:40:00+01:00 99000 \
    2026-10-25T02:55:00+01:00 100500
wp "$SCRATCH/dst.db" -q ingest --map "$M/measure.map" "$SCRATCH/dst.csv" || fail "ingest dst"
wp "$SCRATCH/dst.db" validity --format json > "$SCRATCH/dst.json" 2>/dev/null \
    || fail "validity dst"
python3 - "$SCRATCH/dst.json" <<'PY' || fail "the cold start by instant"
import json, sys
f = json.load(open(sys.argv[1]))["flagged_runs"]
assert len(f) == 1 and f[0]["check"] == "first_run_outlier" and f[0]["line"] == 2, f
# median and MAD of the others in kWh per 1,000: 100,250 J and 500 J over 3.6e6
z = 0.6745 * (300000 - 100250) / 500
assert "modified z %.3g" % z in f[0]["detail"], (f[0]["detail"], z)
PY

# one run without a start time: which run came first is unknown, nothing is flagged
runs "$SCRATCH/untimed.csv" "" 100000 2026-10-25T00:30:00Z 300000 2026-10-25T01:10:00Z 100000 \
    2026-10-25T01:25:00Z 101000 2026-10-25T01:40:00Z 99000
wp "$SCRATCH/u.db" -q ingest --map "$M/measure.map" "$SCRATCH/untimed.csv" 2>/dev/null \
    || fail "ingest untimed"
wp "$SCRATCH/u.db" validity --format json 2>/dev/null | python3 -c '
import json, sys; f = json.load(sys.stdin)["flagged_runs"]; assert f == [], f' \
    || fail "a first run chosen among runs with an unknown start"

# identical values: MAD 0, nothing flagged
runs "$SCRATCH/same.csv" 2026-10-25T00:30:00Z 100000 2026-10-25T01:10:00Z 100000 \
    2026-10-25T01:25:00Z 100000 2026-10-25T01:40:00Z 100000 2026-10-25T01:55:00Z 100000
wp "$SCRATCH/s.db" -q ingest --map "$M/measure.map" "$SCRATCH/same.csv" || fail "ingest same"
wp "$SCRATCH/s.db" validity --format json 2>/dev/null | python3 -c '
import json, sys; f = json.load(sys.stdin)["flagged_runs"]; assert f == [], f' \
    || fail "identical runs flagged"
echo "validity_instants: ok"
