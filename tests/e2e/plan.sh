# stats --plan PCT (issue 29, item 3): per group, the variance components and the runs,
# experiments or models that would bring the model-level interval within +/- PCT of the
# mean.  On the synthetic fixtures the half-width now is the one `stats` prints (its t
# interval over model means), `reached` follows it, and where models differ most no
# number of runs is enough.
. "$(dirname "$0")/lib.bash"
S=$FIX/synth
db=$SCRATCH/s.db
wp "$db" -q ingest --manifest "$S/manifest.csv" "$S" || fail "ingest"
wp "$db" stats --format csv > "$SCRATCH/stats.csv" || fail "stats"
wp "$db" stats --plan 10 --format csv > "$SCRATCH/plan.csv" || fail "stats --plan"
wp "$db" stats --plan 10% --format csv | cmp -s - "$SCRATCH/plan.csv" || fail "10% = 10"
python3 - "$SCRATCH/stats.csv" "$SCRATCH/plan.csv" <<'PY' || fail "plan numbers"
import csv, sys
st = {r["task"]: r for r in csv.DictReader(open(sys.argv[1]))}
pl = {r["group"]: r for r in csv.DictReader(open(sys.argv[2]))}
assert pl.keys() == st.keys() and len(pl) == 10, pl.keys()
for t, p in pl.items():
    s = st[t]
    assert p["unit"] == "model" and p["n_units"] == s["n_units"], (t, p["n_units"])
    mean = float(s["unit_mean_kwh_per_1k"])
    assert abs(float(p["mean_kwh_per_1k"]) / mean - 1) < 1e-12, t
    half = (float(s["ci_t_hi_kwh_per_1k"]) - float(s["ci_t_lo_kwh_per_1k"])) / 2 / mean * 100
    assert abs(float(p["half_width_pct"]) / half - 1) < 1e-9, (t, p["half_width_pct"], half)
    assert (p["reached"] == "yes") == (half <= 10), t
    assert float(p["target_pct"]) == 10
    if p["reached"] != "yes":
        assert int(p["units_needed"]) > int(p["n_units"]), t
    for k in ("sd_units_kwh_per_1k", "sd_experiments_kwh_per_1k", "sd_runs_kwh_per_1k"):
        assert float(p[k]) >= 0, (t, k)
# image generation: its models differ by a factor of 100; runs alone never reach +/- 10%
assert pl["image_generation"]["runs_needed"] == "0", pl["image_generation"]
PY
wp "$db" stats --plan 10 --format json | python3 -c '
import json, sys
p = json.load(sys.stdin)["plan"]
assert len(p) == 10 and all(isinstance(r["reached"], bool) for r in p), p' || fail "json"
wp "$db" stats --plan 10 > "$SCRATCH/plan.txt" || fail "table"
grep -q "t interval over the model means now" "$SCRATCH/plan.txt" || fail "table note"
for bad in 0 100 abc -5; do
    wp "$db" stats --plan "$bad" 2>/dev/null
    [ $? = 2 ] || fail "--plan $bad must be a usage error"
done
echo "plan: ok"
