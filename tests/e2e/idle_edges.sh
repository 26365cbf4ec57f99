# Idle baseline edges on fixtures/measure's idle windows (96,000 J over 900 s: 106.67 W):
# - statistics of one phase (--phase) still have the host's baseline: an idle window is
#   idle whole, whatever phase the runs are read in.  Before, the idle windows (no phase of
#   that name) were dropped and stats said "Idle baseline: none (no log marked as an idle
#   window ...)" with the runs' totals as "above idle".
# - a run on a host with a baseline but without a duration keeps its total and is counted
#   as such; before, it was called a run "on hosts without an idle baseline".
# - a run that measured fewer components than the idle windows (the GPU alone) loses only
#   their idle power; before, the idle total (CPU and RAM included) came off its GPU total.
# Expected values are worked by hand in the comments.
. "$(dirname "$0")/lib.bash"
M=$FIX/measure
cat > "$SCRATCH/phased.map" < "$M/measure.map"
echo "phase = phase" >> "$SCRATCH/phased.map"
head='run,phase,started,model,task,dataset,inferences,duration_s,energy_j,cpu_j,gpu_j,ram_j,emissions_g,gpu,cpu'
hw='NVIDIA A100-SXM4-80GB,Intel Xeon Gold 6338'
printf '%s\n' "$head" \
    "p1,load,2026-03-02T10:00:00Z,m1,t1,d1,1000,100,20000,,,,,$hw" \
    "p1,infer,2026-03-02T10:01:40Z,m1,t1,d1,1000,1000,300000,,,,,$hw" > "$SCRATCH/phased.csv"
db=$SCRATCH/p.db
wp "$db" -q ingest --idle --map "$M/idle.map" "$M/idle.csv" || fail "ingest idle"
wp "$db" -q ingest --map "$SCRATCH/phased.map" "$SCRATCH/phased.csv" || fail "ingest phased"

# whole run: 320,000 J - 106.67 W x 1,100 s = 202,666.7 J; phase infer: 300,000 J -
# 106.67 W x 1,000 s = 193,333.3 J (per 1,000 inferences: J / 3.6e6 kWh)
wp "$db" stats --above-idle --format json > "$SCRATCH/whole.json" || fail "stats whole"
wp "$db" stats --above-idle --phase infer --format json > "$SCRATCH/infer.json" \
    || fail "stats --phase infer"
python3 - "$SCRATCH/whole.json" "$SCRATCH/infer.json" <<'PY' || fail "above idle per phase"
import json, sys
w, p = (json.load(open(f)) for f in sys.argv[1:3])
for j, energy, dur in ((w, 320000, 1100), (p, 300000, 1000)):
    h = j["meta"]["idle_baseline"]
    assert len(h) == 1 and h[0]["idle_windows"] == 2, h
    assert abs(h[0]["idle_power_w"] - 96000 / 900) < 1e-9, h
    want = (energy - 96000 / 900 * dur) / 3.6e6
    got = j["groups"][0]["mean_kwh_per_1k"]
    assert abs(got - want) < 1e-12, (got, want)
    assert j["meta"]["runs_without_idle_baseline"] == 0, j["meta"]
PY
wp "$db" stats --above-idle --phase infer > "$SCRATCH/infer.txt" 2>/dev/null || fail "table"
grep -q "Idle baseline: none" "$SCRATCH/infer.txt" && fail "--phase lost the idle baseline"
grep -q "^Idle baseline of NVIDIA A100-SXM4-80GB / Intel Xeon Gold 6338: 2 idle window(s) over 900 s, 106.7 W (CPU 21.67 W, GPU 73.33 W, RAM 11.67 W); its 1 run(s) here: 0.0833333 kWh total, 0.0537037 kWh above idle (64.4%)." \
    "$SCRATCH/infer.txt" || { cat "$SCRATCH/infer.txt"; fail "baseline line with --phase"; }

# a run without a duration on the host: r3 (270,000 J) has no energy above idle and is
# left out, never averaged as its total beside the others' energy above idle; r1 540,000 -
# 192,000 = 348,000; r2 1,080,000 - 384,000 = 696,000; r5 10,000 J over 600 s is below
# idle (0); mean (348,000 + 696,000 + 0) / 3 J = 0.0966667 kWh per 1,000
db2=$SCRATCH/d.db
head='run,started,model,task,dataset,inferences,duration_s,energy_j,cpu_j,gpu_j,ram_j,emissions_g,gpu,cpu'
printf '%s\n' "$head" \
    "r1,2026-03-02T10:00:00Z,m1,t1,d1,1000,1800,540000,,,,,$hw" \
    "r2,2026-03-02T10:30:00Z,m1,t1,d1,1000,3600,1080000,,,,,$hw" \
    "r3,2026-03-02T11:30:00Z,m1,t1,d1,1000,,270000,,,,,$hw" \
    "r5,2026-03-02T12:30:00Z,m1,t1,d1,1000,600,10000,,,,,$hw" > "$SCRATCH/nodur.csv"
wp "$db2" -q ingest --idle --map "$M/idle.map" "$M/idle.csv" || fail "ingest idle 2"
wp "$db2" -q ingest --map "$M/measure.map" "$SCRATCH/nodur.csv" 2>/dev/null || fail "ingest nodur"
wp "$db2" stats --above-idle --format json > "$SCRATCH/nodur.json" || fail "stats nodur"
python3 - "$SCRATCH/nodur.json" <<'PY' || fail "no duration"
import json, sys
j = json.load(open(sys.argv[1]))
m = j["meta"]
h = m["idle_baseline"][0]
assert m["runs_without_idle_baseline"] == 0, m
assert h["runs"] == 3 and h["runs_without_duration"] == 1 and h["runs_below_idle"] == 1, h
assert abs(h["above_idle_kwh"] - (348000 + 696000) / 3.6e6) < 1e-12, h
assert abs(j["groups"][0]["mean_kwh_per_1k"] - 1044000 / 3 / 3.6e6) < 1e-12, j["groups"]
assert j["groups"][0]["runs"] == 3, j["groups"]
PY
wp "$db2" stats --above-idle > "$SCRATCH/nodur.txt" 2> "$SCRATCH/nodur.err" || fail "nodur table"
grep -q "^wattprint: warning: --above-idle: 1 labelled runs are left out: their energy above idle is unknown" \
    "$SCRATCH/nodur.err" || { cat "$SCRATCH/nodur.err"; fail "no-duration run's warning"; }
grep -q "have no energy" "$SCRATCH/nodur.err" \
    && fail "a run without energy above idle called a run without energy"
grep -q "hosts without an idle baseline" "$SCRATCH/nodur.txt" \
    && fail "a run without a duration called a run on a host without a baseline"
grep -q "; 1 run(s) without a duration, so no idle energy to take off: left out.$" \
    "$SCRATCH/nodur.txt" || { cat "$SCRATCH/nodur.txt"; fail "no-duration line"; }
# a meter of the GPU alone (Zeus-like: no CPU or RAM energy) on the host: 300,000 J over
# 1,000 s loses the GPU's idle 73.33 W x 1,000 s = 226,666.7 J above idle, not the idle
# total's 106.67 W (CPU and RAM idle that its total never held): 193,333.3 before
db3=$SCRATCH/g.db
printf '%s\n' "$head" "z1,2026-03-02T10:00:00Z,m1,t1,d1,1000,1000,300000,,300000,,,$hw" \
    > "$SCRATCH/gpu_only.csv"
wp "$db3" -q ingest --idle --map "$M/idle.map" "$M/idle.csv" || fail "ingest idle 3"
wp "$db3" -q ingest --map "$M/measure.map" "$SCRATCH/gpu_only.csv" || fail "ingest gpu only"
wp "$db3" stats --above-idle --format json > "$SCRATCH/gpu.json" || fail "stats gpu only"
python3 - "$SCRATCH/gpu.json" <<'PY' || fail "GPU-only run above idle"
import json, sys
j = json.load(open(sys.argv[1]))
want = (300000 - 66000 / 900 * 1000) / 3.6e6  # GPU idle: (42,000 + 24,000) J over 900 s
assert abs(j["groups"][0]["mean_kwh_per_1k"] - want) < 1e-12, (j["groups"][0], want)
assert abs(j["meta"]["idle_baseline"][0]["above_idle_kwh"] - want) < 1e-12
PY
# idle windows logged without energy (the H100's here) give no idle power: that host's run
# has no energy above idle and is left out, never shown at its total beside m1's above idle
db4=$SCRATCH/noenergy.db
printf '%s\n' 'run,started,duration_s,energy_j,cpu_j,gpu_j,ram_j,emissions_g,gpu,cpu' \
    'idle3,2026-03-02T08:00:00Z,600,,,,,,NVIDIA H100 80GB HBM3,AMD EPYC 9654' \
    > "$SCRATCH/idle_h100.csv"
wp "$db4" -q ingest --idle --map "$M/idle.map" "$M/idle.csv" "$SCRATCH/idle_h100.csv" \
    2>/dev/null || fail "ingest idle windows"
wp "$db4" -q ingest --map "$M/measure.map" "$M/runs.csv" "$M/runs_h100.csv" || fail "ingest runs 4"
wp "$db4" stats --by model --above-idle --format json > "$SCRATCH/noenergy.json" \
    2> "$SCRATCH/noenergy.err" || fail "stats idle windows without energy"
python3 - "$SCRATCH/noenergy.json" <<'PY' || fail "idle windows without energy made a baseline"
import json, sys
j = json.load(open(sys.argv[1]))
g = {x["model"]: x for x in j["groups"]}
assert "m2" not in g, g
assert abs(g["m1"]["mean_kwh_per_1k"] - 1218000 / 3.6e6 / 3) < 1e-12, g["m1"]
assert j["meta"]["runs_without_idle_baseline"] == 1, j["meta"]
PY
grep -q "^wattprint: warning: --above-idle: 1 labelled runs are left out" "$SCRATCH/noenergy.err" \
    || { cat "$SCRATCH/noenergy.err"; fail "idle windows without energy: no warning"; }
wp "$db4" stats --above-idle > "$SCRATCH/noenergy.txt" 2>/dev/null || fail "noenergy table"
grep -q "^Idle baseline of NVIDIA H100 80GB HBM3 / AMD EPYC 9654: 1 idle window(s) over 600 s, logged without energy: no idle power" \
    "$SCRATCH/noenergy.txt" || { cat "$SCRATCH/noenergy.txt"; fail "no idle power said"; }
grep -q "nan W" "$SCRATCH/noenergy.txt" && fail "nan W printed"
# a run measured in phases only, one of them without a duration: its duration, so its
# energy above idle, is unknown and it is left out (not 320,000 J less 100 s of idle)
db6=$SCRATCH/p6.db
phead='run,phase,started,model,task,dataset,inferences,duration_s,energy_j,cpu_j,gpu_j,ram_j,emissions_g,gpu,cpu'
printf '%s\n' "$phead" \
    "p1,load,2026-03-02T10:00:00Z,m1,t1,d1,1000,100,20000,,,,,$hw" \
    "p1,infer,2026-03-02T10:01:40Z,m1,t1,d1,1000,1000,300000,,,,,$hw" \
    "p2,load,2026-03-02T11:00:00Z,m1,t1,d1,1000,100,20000,,,,,$hw" \
    "p2,infer,2026-03-02T11:01:40Z,m1,t1,d1,1000,,300000,,,,,$hw" > "$SCRATCH/p6.csv"
wp "$db6" -q ingest --idle --map "$M/idle.map" "$M/idle.csv" || fail "ingest idle 6"
wp "$db6" -q ingest --map "$SCRATCH/phased.map" "$SCRATCH/p6.csv" 2>/dev/null || fail "ingest p6"
wp "$db6" stats --above-idle --format json > "$SCRATCH/p6.json" 2> "$SCRATCH/p6.err" \
    || fail "stats p6"
python3 - "$SCRATCH/p6.json" <<'PY' || fail "a phase without a duration: run not left out"
import json, sys
g = json.load(open(sys.argv[1]))["groups"][0]
assert g["runs"] == 1, g
assert abs(g["mean_kwh_per_1k"] - (320000 - 96000 / 900 * 1100) / 3.6e6) < 1e-12, g
PY
grep -q "^wattprint: warning: --above-idle: 1 labelled runs are left out" "$SCRATCH/p6.err" \
    || { cat "$SCRATCH/p6.err"; fail "p6: warning"; }
# a run that logged no energy is left out as such under --above-idle too, not for want of
# energy above idle
db7=$SCRATCH/e7.db
printf '%s\n' "$phead" "q1,load,2026-03-02T10:00:00Z,m1,t1,d1,1000,100,20000,,,,,$hw" \
    "q2,load,2026-03-02T11:00:00Z,m1,t1,d1,1000,100,,,,,,$hw" > "$SCRATCH/e7.csv"
wp "$db7" -q ingest --idle --map "$M/idle.map" "$M/idle.csv" || fail "ingest idle 7"
wp "$db7" -q ingest --map "$SCRATCH/phased.map" "$SCRATCH/e7.csv" 2>/dev/null || fail "ingest e7"
wp "$db7" stats --above-idle > /dev/null 2> "$SCRATCH/e7.err" || fail "stats e7"
grep -q "^wattprint: warning: 1 labelled runs have no energy and are left out$" "$SCRATCH/e7.err" \
    || { cat "$SCRATCH/e7.err"; fail "e7: no-energy warning"; }
grep -q "energy above idle is unknown" "$SCRATCH/e7.err" \
    && fail "a run without energy called a run without energy above idle"
echo "idle_edges: ok"
