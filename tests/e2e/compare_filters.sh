# compare's gate over the runs worth comparing: --valid-only leaves out each side's runs
# the validity checks flag, --above-idle compares energy above each host's idle power, as
# stats does.  fixtures/measure's idle windows give the A100 host 96,000 J over 900 s
# (106.67 W).  Three models on task t1, three runs each of 1,000 s and 1,000 inferences:
#   baseline  300,000 J a run; candidate 330,000 J (+10%: ratio 1.1 exactly);
#   above idle: (330,000 - 106,666.7) / (300,000 - 106,666.7) = 223,333.3 / 193,333.3
#   = 1.155172 (the idle share, the same on both sides, pulled the total ratio down);
#   "short": the candidate and one 100 s run of 990,000 J per model (3 x the energy per
#   inference): its total ratio is 1.65 (mean of 3 x 330,000 and 990,000 over 300,000);
#   with --valid-only --meter-interval 60 (a window under 4 intervals, 240 s, is flagged)
#   the three are left out and the ratio is 1.1 again.
# Idle windows are never units (labelled by two manifests' rules, they are left out under
# --above-idle; one manifest row giving them a model is refused).
# A side with no run on a host with an idle baseline is refused under --above-idle; a run
# whose energy above idle is unknown (another host) is left out, said on stderr, so that
# no ratio sets total energy against energy above idle: "bmix", the baseline with m1 on an
# H100 (no idle windows), compares m2 and m3 alone, per model and per task.  --by on a
# column of the logs (a release splitting each experiment): each side's validity checks
# see that side's runs alone.
. "$(dirname "$0")/lib.bash"
M=$FIX/measure
cd "$SCRATCH" || fail "cd"
python3 - <<'PY' || fail "make logs"
import os
hw = "NVIDIA A100-SXM4-80GB,Intel Xeon Gold 6338"
head = "run,started,model,task,dataset,inferences,duration_s,energy_j,cpu_j,gpu_j,ram_j,emissions_g,gpu,cpu"
def write(name, energy, extra={}):
    os.makedirs(name)
    k = 0
    for m in ("m1", "m2", "m3", "m4"):
        rows = [head]
        if m != "m4":
            for i in range(3):
                rows.append(f"{name}-{m}-{i},2026-03-02T{10 + k // 4:02d}:{(k % 4) * 15:02d}:00Z,"
                            f"{m},t1,d1,1000,1000,{energy},,,,,{hw}")
                k += 1
        rows += extra.get(m, [])
        if len(rows) > 1:
            open(f"{name}/{m}.csv", "w").write("\n".join(rows) + "\n")
write("base", 300000)
write("cand", 330000)
write("short", 330000, {m: [f"short-{m},2026-03-02T13:0{j}:00Z,{m},t1,d1,1000,100,990000,,,,,{hw}"]
                        for j, m in enumerate(("m1", "m2", "m3"))})
write("h100", 330000, {"m4": ["h-m4,2026-03-02T13:00:00Z,m4,t1,d1,1000,1000,330000,,,,,"
                              "NVIDIA H100,Intel Xeon Gold 6338"]})
write("bmix", 300000)
m1 = open("bmix/m1.csv").read().replace("NVIDIA A100-SXM4-80GB", "NVIDIA H100")
open("bmix/m1.csv", "w").write(m1)
# one experiment per model in two releases (a column of the logs): v2 as "short"
os.makedirs("rel")
for m in ("m1", "m2", "m3"):
    rows = [head + ",release"]
    for rel, energy in (("v1", 300000), ("v2", 330000)):
        for i in range(3):
            rows.append(f"{rel}-{m}-{i},2026-03-02T1{i}:00:00Z,{m},t1,d1,1000,1000,{energy},,,,,{hw},{rel}")
    rows.append(f"v2-{m}-short,2026-03-02T14:00:00Z,{m},t1,d1,1000,100,990000,,,,,{hw},v2")
    open(f"rel/{m}.csv", "w").write("\n".join(rows) + "\n")
PY
for n in base cand short h100 bmix rel; do
    wp "$n.db" -q ingest --idle --map "$M/idle.map" "$M/idle.csv" || fail "$n: idle windows"
    wp "$n.db" -q ingest --map "$M/measure.map" "$n" || fail "$n: runs"
done
wp noidle.db -q ingest --map "$M/measure.map" cand || fail "noidle: runs"

# ratio DB [--against BASE] ARGS...: the one row's ratio and its runs on each side (its
# interval must be the point: every run alike); BASE base.db unless given
ratio() {
    local db=$1 base=base.db
    shift
    if [ "${1:-}" = --against ]; then
        base=$2
        shift 2
    fi
    wp "$db" compare --against "$base" --format csv "$@" > r.csv 2> r.err
    [ $? = 1 ] || fail "$db $*: a 10% rise is costlier: exit 1 ($(cat r.err))"
    python3 - r.csv <<'PY' || fail "$db $*: $(cat r.csv)"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
assert len(rows) == 1 and rows[0]["verdict"] == "costlier", rows
print(rows[0]["ratio"], rows[0]["runs_candidate"], rows[0]["runs_baseline"])
PY
}
near() { python3 -c "import sys; r = float('$1'.split()[0]); sys.exit(abs(r - $2) > 1e-9 * $2)"; }

got=$(ratio cand.db) && near "$got" 1.1 || fail "total: $got, not 1.1"
got=$(ratio cand.db --above-idle) && near "$got" 1.155172413793103 ||
    fail "above idle: $got, not 223,333.3 / 193,333.3"
[ ! -s r.err ] || fail "above idle, every run on the idle host: $(cat r.err)"
got=$(ratio short.db) && near "$got" 1.65 || fail "short runs kept: $got, not 1.65"
[ "${got#* }" = "12 9" ] || fail "short runs kept: runs $got"
got=$(ratio short.db --valid-only --meter-interval 60) && near "$got" 1.1 ||
    fail "--valid-only: $got, not 1.1"
[ "${got#* }" = "9 9" ] || fail "--valid-only: runs $got"
grep -q "^wattprint: compare: --valid-only: 3 candidate run(s) flagged by the validity checks left out (3 short window," r.err ||
    fail "--valid-only: candidate count: $(cat r.err)"
grep -q "^wattprint: compare: --valid-only: 0 baseline run(s) flagged" r.err ||
    fail "--valid-only: baseline count: $(cat r.err)"
got=$(ratio short.db --valid-only --meter-interval 60 --above-idle) &&
    near "$got" 1.155172413793103 || fail "--valid-only --above-idle: $got"
got=$(ratio h100.db --above-idle) && near "$got" 1.155172413793103 || fail "h100: $got"
grep -q "^wattprint: warning: compare: --above-idle: 1 of the 10 candidate run(s) left out: their energy above idle is unknown" r.err ||
    fail "h100: the run without a baseline is not said: $(cat r.err)"
wp cand.db compare --against bmix.db --above-idle --rows model,task --format csv > mix.csv 2> mix.err
[ $? = 0 ] || fail "bmix per model: one experiment a row is undecided, exit 0"
python3 - mix.csv <<'PY' || fail "bmix per model: $(cat mix.csv)"
import csv, sys
rows = {r["model"]: r for r in csv.DictReader(open(sys.argv[1]))}
assert sorted(rows) == ["m2", "m3"], rows.keys()  # m1's baseline runs are left out
for r in rows.values():
    assert abs(float(r["ratio"]) - 1.155172413793103) < 1e-9 and r["runs_baseline"] == "3", r
PY
grep -q "3 of the 9 baseline run(s) left out" mix.err || fail "bmix: $(cat mix.err)"
got=$(ratio cand.db --against bmix.db --above-idle) && near "$got" 1.155172413793103 ||
    fail "bmix per task: $got (m1 above idle against m1 total would pull it down)"
[ "${got#* }" = "6 6" ] || fail "bmix per task: runs $got (paired over m2 and m3)"
wp rel.db compare --by release --baseline v1 --candidate v2 --valid-only --meter-interval 60 \
    --format csv > rel.csv 2> rel.err
python3 - rel.csv <<'PY' || fail "--by release --valid-only: $(cat rel.csv)"
import csv, sys
(r,) = list(csv.DictReader(open(sys.argv[1])))
assert abs(float(r["ratio"]) - 1.1) < 1e-9 and (r["runs_candidate"], r["runs_baseline"]) == ("9", "9"), r
PY
grep -q "^wattprint: compare: --valid-only: 3 candidate run(s) flagged" rel.err &&
    grep -q "^wattprint: compare: --valid-only: 0 baseline run(s) flagged" rel.err ||
    fail "--by release: each side's flags: $(cat rel.err)"
# stats --where on that column: the validity checks see the selection alone (they saw both
# releases, and counted v2's three short runs under v1)
for w in "v1 0" "v2 3"; do
    wp rel.db stats --where "release=${w% *}" --valid-only --meter-interval 60 > /dev/null 2> s.err ||
        fail "stats --where release=${w% *} --valid-only"
    grep -q "^wattprint: --valid-only: ${w#* } run(s) flagged" s.err ||
        fail "stats --where release=${w% *}: $(cat s.err)"
done
# idle windows are baselines, not units: labelled through two manifests (one marks the
# file idle, the other names a model for its runs), they are left out under --above-idle
mkdir idlew lid && cp "$M/idle.csv" idlew/idlewin.csv && cp cand/m1.csv lid/ || fail "copy"
printf 'file,idle\nidlewin.csv,yes\n' > i1.csv
printf 'run_id,model,task,dataset,inferences\nidle1,probe,t1,d1,1000\nidle2,probe,t1,d1,1000\n' > i2.csv
wp lid.db -q ingest --manifest i1.csv --map "$M/idle.map" idlew || fail "lid: idle windows"
wp lid.db -q manifest i2.csv || fail "lid: a model for them"
wp lid.db -q ingest --map "$M/measure.map" lid || fail "lid: runs"
wp lid.db compare --against base.db --above-idle --format csv > lid.csv 2> /dev/null
python3 - lid.csv <<'PY' || fail "lid: the idle windows counted as runs: $(cat lid.csv)"
import csv, sys
(r,) = list(csv.DictReader(open(sys.argv[1])))  # m1 alone: one unit, undecided
assert abs(float(r["ratio"]) - 1.155172413793103) < 1e-9 and r["runs_candidate"] == "3", r
assert r["units_candidate"] == "1", r
PY
# and so without --above-idle, in compare's gate and in stats (the statistics' one reader)
wp lid.db compare --against base.db --format csv > lid.csv 2> /dev/null
python3 - lid.csv <<'PY' || fail "lid, total: the idle windows counted as runs: $(cat lid.csv)"
import csv, sys
(r,) = list(csv.DictReader(open(sys.argv[1])))
assert abs(float(r["ratio"]) - 1.1) < 1e-9 and r["runs_candidate"] == "3", r
PY
[ "$(wp lid.db stats --by model --format csv | cut -d, -f1 | tail -n +2)" = m1 ] ||
    fail "stats: the idle windows are a model's runs: $(wp lid.db stats --by model --format csv)"
# a manifest row that marks idle windows and names a model is refused at its idle column
printf 'file,model,task,dataset,inferences,idle\nidlewin.csv,probe,t1,d1,1000,yes\n' > both.csv
wp both.db -q ingest --manifest both.csv --map "$M/idle.map" idlew 2> e.txt && fail "idle with a model"
grep -q "^wattprint: both.csv:2:6: idle \"yes\": idle windows of a host measure no model" e.txt ||
    fail "idle with a model: $(cat e.txt)"

# the notes say which energy and which runs, for people and in a CI summary
wp short.db compare --against base.db --valid-only --meter-interval 60 --above-idle > t.txt 2>/dev/null
grep -q "; above idle (--above-idle: each run less its host's idle power times its duration: 9 of 9 candidate run(s), 9 of 9 baseline run(s) on a host with an idle baseline; the others left out)" t.txt ||
    fail "table: above idle not said: $(cat t.txt)"
grep -q "^validity: 3 candidate and 0 baseline run(s) flagged by the validity checks left out" t.txt ||
    fail "table: validity not said"
wp h100.db compare --against base.db --above-idle --format markdown > t.md 2>/dev/null
grep -q "^Energy: .*above idle (--above-idle: .*: 9 of 10 candidate run(s), 9 of 9 baseline" t.md ||
    fail "markdown: above idle not said: $(cat t.md)"
wp cand.db compare --against base.db > t.txt
grep -q "above idle\|^validity:" t.txt && fail "without the options, the notes name them"

# refused: no idle baseline on a side; --meter-interval alone
wp noidle.db compare --against base.db --above-idle > o.txt 2> e.txt
[ $? = 1 ] || fail "no idle baseline on the candidate: exit 1"
[ ! -s o.txt ] || fail "no idle baseline: a table was printed"
grep -q "^wattprint: compare: --above-idle: no candidate run is on a host with an idle baseline" e.txt ||
    fail "no idle baseline: $(cat e.txt)"
wp base.db compare --against noidle.db --above-idle > o.txt 2> e.txt
[ $? = 1 ] && grep -q "no baseline run is on a host with an idle baseline" e.txt ||
    fail "no idle baseline on the baseline: $(cat e.txt)"
wp cand.db compare --against base.db --meter-interval 60 2> e.txt
[ $? = 2 ] && grep -q "meter-interval goes with --valid-only" e.txt || fail "--meter-interval alone"
echo "compare_filters: ok"
