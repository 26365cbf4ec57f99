# compare says when a row's two sides were not measured alike, so a ratio that also holds
# a change of machine, of dataset, of meter or of batch size is never read as the change
# alone.  Three models of one
# task, three runs each, 1,000 inferences a run: the baseline on an A100 host at 101,000,
# 102,000 and 103,000 J a run (0.028333 kWh per 1,000 inferences a model), candidates 30%
# cheaper (0.02: ratio 72 / 102 = 0.70588).  Before, a candidate on an H100 host was a
# plain "lower" with nothing said about the hardware.
. "$(dirname "$0")/lib.bash"
M=$FIX/measure
a100='NVIDIA A100-SXM4-80GB,Intel Xeon Gold 6338'
h100='NVIDIA H100 80GB HBM3,AMD EPYC 9654'
head='run,started,model,task,dataset,inferences,duration_s,energy_j,cpu_j,gpu_j,ram_j,emissions_g,gpu,cpu'
# side DB BASE_J HARDWARE DATASET_OF_MODEL_A: the three models' logs ingested into DB
side() {
    local db=$1 base=$2 hw=$3 ds_a=$4 m i ds
    for m in a b c; do
        ds=d1
        [ "$m" = a ] && ds=$ds_a
        {
            echo "$head"
            for i in 1 2 3; do
                echo "$m$i,2026-03-02T1$i:00:00Z,$m,t1,$ds,1000,600,$((base + i * 1000)),,,,,$hw"
            done
        } > "$SCRATCH/$m.csv"
    done
    wp "$db" -q ingest --map "$M/measure.map" "$SCRATCH/a.csv" "$SCRATCH/b.csv" "$SCRATCH/c.csv" \
        || fail "ingest $db"
}
side "$SCRATCH/base.db" 100000 "$a100" d1
side "$SCRATCH/same.db" 70000 "$a100" d1
side "$SCRATCH/h100.db" 70000 "$h100" d1
side "$SCRATCH/ds.db" 70000 "$a100" d2

# the same hardware and datasets: nothing to say
wp "$SCRATCH/same.db" compare --against "$SCRATCH/base.db" --format csv > "$SCRATCH/same.csv" \
    2> "$SCRATCH/same.err" || fail "same: a saving exits 0"
[ -s "$SCRATCH/same.err" ] && fail "same: warned: $(cat "$SCRATCH/same.err")"
# another GPU and CPU: said in every format, the verdict and exit code as they were
wp "$SCRATCH/h100.db" compare --against "$SCRATCH/base.db" --format csv > "$SCRATCH/h100.csv" \
    2> "$SCRATCH/h100.err" || fail "h100: a saving exits 0"
python3 - "$SCRATCH/same.csv" "$SCRATCH/h100.csv" <<'PY' || fail "hardware columns"
import csv, sys
same, = csv.DictReader(open(sys.argv[1]))
h100, = csv.DictReader(open(sys.argv[2]))
for r in (same, h100):
    assert abs(float(r["ratio"]) - 72 / 102) < 1e-12, r
    assert r["verdict"] == "lower" and r["pairing"] == "paired" and r["datasets"] == "same", r
assert same["hardware"] == "same", same
assert same["hardware_candidate"] == same["hardware_baseline"] == \
    "NVIDIA A100-SXM4-80GB / Intel Xeon Gold 6338", same
assert h100["hardware"] == "differs", h100
assert h100["hardware_candidate"] == "NVIDIA H100 80GB HBM3 / AMD EPYC 9654", h100
assert h100["hardware_baseline"] == "NVIDIA A100-SXM4-80GB / Intel Xeon Gold 6338", h100
PY
grep -q "^wattprint: warning: compare: t1: not the change alone: measured on other hardware (candidate NVIDIA H100 80GB HBM3 / AMD EPYC 9654; baseline NVIDIA A100-SXM4-80GB / Intel Xeon Gold 6338)$" \
    "$SCRATCH/h100.err" || fail "h100: warning: $(cat "$SCRATCH/h100.err")"
wp "$SCRATCH/h100.db" compare --against "$SCRATCH/base.db" > "$SCRATCH/h100.txt" 2>&1 \
    || fail "h100 table"
grep -q "^setup: t1: not the change alone: measured on other hardware" "$SCRATCH/h100.txt" \
    || fail "table note: $(cat "$SCRATCH/h100.txt")"
grep -q "^wattprint: warning" "$SCRATCH/h100.txt" && fail "the table warns twice"
wp "$SCRATCH/h100.db" compare --against "$SCRATCH/base.db" --format markdown \
    > "$SCRATCH/h100.md" 2>/dev/null || fail "h100 markdown"
grep -q "^- :warning: t1: not the change alone: measured on other hardware" "$SCRATCH/h100.md" \
    || fail "markdown note: $(cat "$SCRATCH/h100.md")"
wp "$SCRATCH/h100.db" compare --against "$SCRATCH/base.db" --format json 2>/dev/null |
    python3 -c 'import json, sys; r, = json.load(sys.stdin); assert r["hardware"] == "differs", r' \
    || fail "json hardware"

# per task, model a measured on dataset d2 in the candidate and d1 in the baseline: paired
# by model, so its ratio holds the datasets' difference too
wp "$SCRATCH/ds.db" compare --against "$SCRATCH/base.db" --format csv > "$SCRATCH/ds.csv" \
    2> "$SCRATCH/ds.err" || fail "ds: exit"
python3 -c '
import csv, sys; r, = csv.DictReader(open(sys.argv[1]))
assert r["datasets"] == "differs" and r["hardware"] == "same", r' "$SCRATCH/ds.csv" \
    || fail "datasets column"
grep -q "t1: not the change alone: a model measured on other datasets on each side" \
    "$SCRATCH/ds.err" || fail "ds warning: $(cat "$SCRATCH/ds.err")"
# per model x task the dataset is the unit: a's d2 against d1 is another workload (said),
# and b and c, one dataset a side, have no interval
wp "$SCRATCH/ds.db" compare --against "$SCRATCH/base.db" --rows model,task --format csv \
    > "$SCRATCH/dsm.csv" 2> "$SCRATCH/dsm.err" || fail "ds model,task: exit"
python3 -c '
import csv, sys; rows = list(csv.DictReader(open(sys.argv[1])))
assert [r["model"] for r in rows] == ["a", "b", "c"], rows
for r in rows:
    assert r["datasets"] == ("differs" if r["model"] == "a" else "same"), r
    assert r["hardware"] == "same" and r["pairing"] == "independent", r
    assert r["verdict"] == "undecided" and r["ratio_lo"] == "", r' "$SCRATCH/dsm.csv" \
    || fail "model,task rows"
grep -q "^wattprint: warning: compare: a / t1: not the change alone: a model measured on other datasets on each side$" \
    "$SCRATCH/dsm.err" || fail "dsm warning: $(cat "$SCRATCH/dsm.err")"
[ "$(wc -l < "$SCRATCH/dsm.err")" = 1 ] || fail "dsm: b and c warned"
# another meter: the baseline logged CPU, GPU and RAM (CodeCarbon-like), the candidate the
# GPU alone (Zeus-like), on the same host: their totals hold other parts
for m in a b c; do
    {
        echo "$head"
        for i in 1 2 3; do
            echo "$m$i,2026-03-02T1$i:00:00Z,$m,t1,d1,1000,600,100000,20000,70000,10000,,$a100"
        done
    } > "$SCRATCH/cc_$m.csv"
    {
        echo "$head"
        for i in 1 2 3; do
            echo "$m$i,2026-03-02T1$i:00:00Z,$m,t1,d1,1000,600,70000,,70000,,,$a100"
        done
    } > "$SCRATCH/zeus_$m.csv"
done
wp "$SCRATCH/cc.db" -q ingest --map "$M/measure.map" "$SCRATCH"/cc_?.csv || fail "ingest cc"
wp "$SCRATCH/zeus.db" -q ingest --map "$M/measure.map" "$SCRATCH"/zeus_?.csv || fail "ingest zeus"
wp "$SCRATCH/zeus.db" compare --against "$SCRATCH/cc.db" --format csv > "$SCRATCH/zeus.csv" \
    2> "$SCRATCH/zeus.err" || fail "zeus: exit"
python3 -c '
import csv, sys; r, = csv.DictReader(open(sys.argv[1]))
assert abs(float(r["ratio"]) - 0.7) < 1e-12 and r["verdict"] == "lower", r
assert r["components"] == "differs" and r["hardware"] == "same", r' "$SCRATCH/zeus.csv" \
    || fail "components column"
grep -q "^wattprint: warning: compare: t1: not the change alone: energy logged as other components (candidate GPU; baseline CPU + GPU + RAM: another meter?)$" \
    "$SCRATCH/zeus.err" || fail "components warning: $(cat "$SCRATCH/zeus.err")"
grep -q "components" "$SCRATCH/same.err" && fail "same: components warned"
python3 -c '
import csv, sys; r, = csv.DictReader(open(sys.argv[1])); assert r["components"] == "same", r' \
    "$SCRATCH/same.csv" || fail "same: components"

# other batch sizes: the candidate's experiments at batch 64, the baseline's at 8
cp "$M/measure.map" "$SCRATCH/batch.map"
echo "batch_size = batch" >> "$SCRATCH/batch.map"
for bs in 8 64; do
    for m in a b c; do
        {
            echo "$head,batch"
            for i in 1 2 3; do
                echo "$m$i,2026-03-02T1$i:00:00Z,$m,t1,d1,1000,600,$((bs * 1000 + i)),,,,,$a100,$bs"
            done
        } > "$SCRATCH/b${bs}_$m.csv"
    done
    wp "$SCRATCH/b$bs.db" -q ingest --map "$SCRATCH/batch.map" "$SCRATCH"/b${bs}_?.csv \
        || fail "ingest batch $bs"
done
wp "$SCRATCH/b64.db" compare --against "$SCRATCH/b8.db" --format csv > "$SCRATCH/b.csv" \
    2> "$SCRATCH/b.err"
[ $? = 1 ] || fail "batch: costlier exits 1"
python3 -c '
import csv, sys; r, = csv.DictReader(open(sys.argv[1]))
assert r["batch_sizes"] == "differs" and r["verdict"] == "costlier", r' "$SCRATCH/b.csv" \
    || fail "batch_sizes column"
grep -q "^wattprint: warning: compare: t1: not the change alone: run at other batch sizes (candidate 64; baseline 8)$" \
    "$SCRATCH/b.err" || fail "batch warning: $(cat "$SCRATCH/b.err")"
python3 -c '
import csv, sys; r, = csv.DictReader(open(sys.argv[1])); assert r["batch_sizes"] == "same", r' \
    "$SCRATCH/same.csv" || fail "same: batch sizes"

# a baseline measured at 0 J: no ratio, and the row says why it is undecided (before, the
# ratio was empty and the markdown printed "nan" with nothing said)
side "$SCRATCH/zero.db" -1000 "$a100" d1 # runs of 0, 1,000 and 2,000 J: a's first is 0
sqlite3 "$SCRATCH/zero.db" "UPDATE measurement SET energy_j = 0" || fail "zero the baseline"
wp "$SCRATCH/same.db" compare --against "$SCRATCH/zero.db" --format csv > "$SCRATCH/z.csv" \
    || fail "zero: exit"
python3 -c '
import csv, sys; r, = csv.DictReader(open(sys.argv[1]))
assert r["ratio"] == "" and r["baseline_kwh_per_1k"] == "0" and r["verdict"] == "undecided", r
assert r["undecided_why"] == "no ratio: the baseline'"'"'s mean is 0 kWh", r' "$SCRATCH/z.csv" \
    || fail "zero baseline row"
wp "$SCRATCH/same.db" compare --against "$SCRATCH/zero.db" --format markdown > "$SCRATCH/z.md" \
    || fail "zero: markdown"
grep -q "^| t1 | n/a | n/a – n/a | n/a | undecided: no ratio: the baseline's mean is 0 kWh |$" \
    "$SCRATCH/z.md" || fail "zero markdown: $(cat "$SCRATCH/z.md")"
# one unit a side: no interval, said
grep -q '^t1,b,experiment,independent,.*,undecided,no interval: a side has a single unit,' \
    "$SCRATCH/dsm.csv" || fail "single unit reason: $(cat "$SCRATCH/dsm.csv")"
echo "compare_setup: ok"
