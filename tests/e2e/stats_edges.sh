# Statistics at the edges: one and two runs (flagged small, no crash), identical values,
# runs without an inference count (left out, with a warning saying how many), zero energy
# (no geometric mean from it), missing parameter counts (no scaling fit).
. "$(dirname "$0")/lib.bash"
db=$SCRATCH/a.db
h="project_name,duration,cpu_energy,gpu_energy,ram_energy,energy_consumed,emissions"
# (one's row is not two's first: two would begin with one's rows, a grown copy of it)
printf '%s\np,3,0.1,0.2,0.1,0.4,0.05\n' "$h" > "$SCRATCH/one.csv"
printf '%s\np,1,0.1,0.2,0.1,0.4,0.05\np,2,0.1,0.2,0.1,0.4,0.05\n' "$h" > "$SCRATCH/two.csv"
printf '%s\np,1,0,0,0,0,0\np,2,0.1,0.2,0.1,0.4,0.05\np,3,0.1,0.2,0.1,0.4,0.05\n' "$h" > "$SCRATCH/zero.csv"
printf '%s\nq,1,0.1,0.2,0.1,0.4,0.05\n' "$h" > "$SCRATCH/noinf.csv"
wp "$db" -q ingest --model m1 --task one --dataset d --inferences 1000 "$SCRATCH/one.csv" || fail "one"
wp "$db" -q ingest --model m2 --task two --dataset d --inferences 1000 "$SCRATCH/two.csv" || fail "two"
wp "$db" -q ingest --model m3 --task zero --dataset d --inferences 1000 "$SCRATCH/zero.csv" || fail "zero"
wp "$db" -q ingest --model m4 --task noinf --dataset d "$SCRATCH/noinf.csv" || fail "noinf"
wp "$db" stats --format csv > "$SCRATCH/s.csv" 2>"$SCRATCH/err" || fail "stats: $(cat "$SCRATCH/err")"
grep -q "1 labelled runs have no inference count" "$SCRATCH/err" || fail "no warning for runs without inferences: $(cat "$SCRATCH/err")"
python3 - "$SCRATCH/s.csv" <<'PY' || fail "edge statistics"
import csv, sys
rows = {r["task"]: r for r in csv.DictReader(open(sys.argv[1]))}
assert "noinf" not in rows
one, two, zero = rows["one"], rows["two"], rows["zero"]
assert one["n"] == "1" and one["small_n"] == "yes" and one["sd_kwh_per_1k"] == ""
assert abs(float(one["mean_kwh_per_1k"]) - 0.4) < 1e-12 and one["ci_t_lo_kwh_per_1k"] == ""
assert two["n"] == "2" and two["small_n"] == "yes" and float(two["sd_kwh_per_1k"]) == 0.0
assert zero["n"] == "3" and zero["small_n"] == ""
assert abs(float(zero["geomean_kwh_per_1k"]) - 0.4) < 1e-12  # over the two positive values
PY
wp "$db" stats --show scaling > "$SCRATCH/sc.txt" || fail "scaling without parameters"
