# compare says which energy its ratios are of, and --measured-only compares the measured
# components alone.  The synthetic CodeCarbon logs have CPU modelled (42.5 W, a TDP), GPU
# measured and RAM modelled (430.8 W): a candidate whose GPU energy alone is 30% higher
# (energy_consumed and emissions follow) shows a total ratio pulled towards 1 by the
# modelled parts, the same on both sides; its measured energy (the GPU) is 1.3 times the
# baseline's in every run, so --measured-only gives 1.3 exactly, costlier.
. "$(dirname "$0")/lib.bash"
S=$FIX/synth
python3 - "$S/complete" "$SCRATCH/gpu" <<'PY' || fail "scale the GPU"
import csv, os, sys
src, dst = sys.argv[1], sys.argv[2]
os.makedirs(dst)
for name in sorted(os.listdir(src)):
    rows = list(csv.reader(open(os.path.join(src, name), newline="")))
    head, out = rows[0], [rows[0]]
    for r in rows[1:]:
        if r and r[0] == "timestamp":
            head = r
        elif len(r) == len(head):
            at = {c: head.index(c) for c in ("gpu_energy", "energy_consumed", "emissions")}
            g, e = float(r[at["gpu_energy"]]), float(r[at["energy_consumed"]])
            r[at["gpu_energy"]] = repr(g * 1.3)
            r[at["energy_consumed"]] = repr(e + 0.3 * g)
            r[at["emissions"]] = repr(float(r[at["emissions"]]) * (e + 0.3 * g) / e)
        out.append(r)
    with open(os.path.join(dst, name), "w", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(out)
PY
wp "$SCRATCH/base.db" -q ingest --manifest "$S/manifest.csv" "$S/complete" 2>/dev/null \
    || fail "ingest baseline"
wp "$SCRATCH/gpu.db" -q ingest --manifest "$S/manifest.csv" "$SCRATCH/gpu" 2>/dev/null \
    || fail "ingest candidate"
wp "$SCRATCH/gpu.db" compare --against "$SCRATCH/base.db" --format csv > "$SCRATCH/total.csv"
[ $? = 1 ] || fail "total: some task's regression beyond 5% exits 1"
wp "$SCRATCH/gpu.db" compare --against "$SCRATCH/base.db" --measured-only --format csv \
    > "$SCRATCH/measured.csv"
[ $? = 1 ] || fail "measured: exit 1"
python3 - "$SCRATCH/total.csv" "$SCRATCH/measured.csv" <<'PY' || fail "ratios"
import csv, sys
total = {r["task"]: r for r in csv.DictReader(open(sys.argv[1]))}
meas = {r["task"]: r for r in csv.DictReader(open(sys.argv[2]))}
assert total.keys() == meas.keys() and len(meas) == 10, (total.keys(), meas.keys())
for t, m in meas.items():
    assert abs(float(m["ratio"]) - 1.3) < 1e-9, m
    assert m["verdict"] == "costlier", m
    assert 1.0 < float(total[t]["ratio"]) < 1.3 - 0.01, total[t]  # diluted by the estimates
    assert float(m["candidate_kwh_per_1k"]) < float(total[t]["candidate_kwh_per_1k"])
PY
wp "$SCRATCH/gpu.db" compare --against "$SCRATCH/base.db" > "$SCRATCH/t.txt"
grep -q "^energy: each run's total as logged, with any component its meter modelled" \
    "$SCRATCH/t.txt" || fail "table: energy not said"
wp "$SCRATCH/gpu.db" compare --against "$SCRATCH/base.db" --measured-only > "$SCRATCH/m.txt"
grep -q "^energy: measured components only (--measured-only" "$SCRATCH/m.txt" \
    || fail "table: measured-only not said"
wp "$SCRATCH/gpu.db" compare --against "$SCRATCH/base.db" --format markdown > "$SCRATCH/m.md"
grep -q "^Energy: each run's total as logged" "$SCRATCH/m.md" || fail "markdown: energy"
echo "compare_measured: ok"
