# stats --format json (and batch's stats.json) carries its metadata (issue 25): a "meta"
# object with the tool and version, the selection and phase, the statistical unit, level,
# seed and resamples, and the inputs' fingerprint (the sha256 of the sorted sha256 values
# of `wattprint sources`, recomputed here); small_n is a boolean; the geometric SD is
# named as the unitless factor it is (geosd_factor).
. "$(dirname "$0")/lib.bash"
cd "$SCRATCH" || fail "cd"
db=$SCRATCH/j.db
wp "$db" -q ingest --manifest "$FIX/synth/manifest.csv" "$FIX/synth" || fail "ingest"
# one experiment of one run: n = 1, small
printf 'timestamp,experiment_id,project_name,duration,emissions,energy_consumed,country_name,country_iso_code,region,on_cloud,cloud_provider,cloud_region\n2023-10-01T10:00:00,e,p,11.5,0.0001,0.001,France,FRA,,N,,\n' > one.csv
wp "$db" -q ingest --model solo/model --task lonely_task --dataset d --inferences 100 one.csv || fail "ingest one"

wp "$db" stats --format json > all.json || fail "stats json"
wp "$db" stats --format json --task text_classification --over experiments --level 0.9 \
    --seed 7 --resamples 500 > sel.json || fail "stats json with a selection"
wp "$db" sources --format json > sources.json || fail "sources"
# the fingerprint as the README says to recompute it
want=$(python3 -c 'import json,sys; print("".join(s + "\n" for s in sorted(r["sha256"] for r in json.load(open(sys.argv[1])))), end="")' sources.json | sha256sum | cut -d' ' -f1)
python3 - all.json sel.json "$want" <<'PY' || fail "meta"
import json, sys
a, s = (json.load(open(f)) for f in sys.argv[1:3])
want = sys.argv[3]
m = a["meta"]
assert list(a)[0] == "meta", list(a)
assert m["tool"] == "wattprint" and m["version"], m
assert m["selection"] == {"task": None, "model": None, "dataset": None, "where_key": None,
                          "where_value": None, "labelled_only": True}, m["selection"]
assert m["phase"] is None and m["by"] == "task" and m["over"] == "runs", m
assert m["unit"] == "model", m  # by task, the model is the unit of the intervals
assert m["level"] == 0.95 and m["seed"] == 42 and m["resamples"] == 10000, m
assert m["sources"] == 59 and m["sources_sha256"] == want, (m["sources"], m["sources_sha256"], want)
t = s["meta"]
assert t["selection"]["task"] == "text_classification", t
assert t["over"] == "experiments" and t["level"] == 0.9 and t["seed"] == 7 and t["resamples"] == 500, t
assert t["sources_sha256"] == want
# booleans are booleans; the geometric SD is a factor
groups = {g["task"]: g for g in a["groups"]}
assert groups["lonely_task"]["small_n"] is True, groups["lonely_task"]["small_n"]
assert groups["text_classification"]["small_n"] is False
for g in a["groups"]:
    assert "geosd_kwh_per_1k" not in g and "geosd_factor" in g, sorted(g)
assert groups["text_classification"]["geosd_factor"] >= 1
PY
# the fingerprint does not depend on the order files came in or on their names
db2=$SCRATCH/k.db
mkdir -p copy && cp -r "$FIX/synth/." copy/ && cp one.csv renamed_one.csv
wp "$db2" -q ingest --manifest "$FIX/synth/manifest.csv" copy || fail "ingest the copy"
wp "$db2" -q ingest --model solo/model --task lonely_task --dataset d --inferences 100 renamed_one.csv || fail "ingest one"
wp "$db2" stats --format json > copy.json || fail "stats json of the copy"
python3 -c 'import json,sys; a, b = (json.load(open(f))["meta"]["sources_sha256"] for f in sys.argv[1:3]); assert a == b, (a, b)' all.json copy.json ||
    fail "the fingerprint depends on the files' names"
# csv and the table keep "yes" / "" for small_n
wp "$db" stats --format csv | python3 -c 'import csv,sys; r = {x["task"]: x for x in csv.DictReader(sys.stdin)}; assert r["lonely_task"]["small_n"] == "yes" and r["image_generation"]["small_n"] == ""' ||
    fail "csv small_n"
# batch's stats.json: the entry's selection
printf 'output: %s/b\nreports:\n  - name: mp\n    produce: [stats]\n    filter: {where: purpose=multi-purpose}\n' "$SCRATCH" > b.yaml
wp "$db" -q batch b.yaml || fail "batch"
python3 -c 'import json,sys; m = json.load(open(sys.argv[1]))["meta"]; assert m["selection"]["where_key"] == "purpose" and m["selection"]["where_value"] == "multi-purpose", m' b/mp/stats.json ||
    fail "batch stats.json meta"
exit 0
