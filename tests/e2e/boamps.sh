# wattprint export boamps and the BoAmps reader: one report per model x task, each valid
# against Boavizta's schemas (schema/boamps/, python3-jsonschema, offline); one measure per
# run whose kWh are the runs' energies (their sum the selection's, exactly); a stable id
# from the inputs' hashes and the newest measurement's date; the same bytes twice; ingest
# reads the reports back (and Boavizta's own example), and export -> ingest -> export gives
# the same reports but for the id (whose inputs are then the reports); usage errors.
. "$(dirname "$0")/lib.bash"
PY=/usr/bin/python3
db=$SCRATCH/a.db
wp "$db" -q ingest --manifest "$FIX/synth/manifest.csv" "$FIX/synth" || fail "ingest"
out=$SCRATCH/boamps
wp "$db" -q export boamps -o "$out/" --publisher "Example Lab" --infra-type onPremise ||
    fail "export boamps -o DIR/"
wp "$db" -q export boamps -o "$SCRATCH/again/" --publisher "Example Lab" --infra-type onPremise ||
    fail "export boamps again"
diff -r "$out" "$SCRATCH/again" >/dev/null || fail "two exports differ"
wp "$db" stats --by model,task --format csv > "$SCRATCH/groups.csv" || fail "stats"
n_groups=$(($(wc -l < "$SCRATCH/groups.csv") - 1))
[ "$(ls "$out" | wc -l)" = "$n_groups" ] || fail "$(ls "$out" | wc -l) reports for $n_groups models x tasks"

# the validator fails on a report that breaks the schema, and passes Boavizta's example
echo '{"task": {"taskStage": "inference"}, "measures": [{"powerConsumption": "x"}],
       "infrastructure": {"infraType": "nope", "components": []}}' > "$SCRATCH/broken.json"
$PY "$TOP/tests/e2e/boamps_validate.py" "$TOP/schema/boamps" "$SCRATCH/broken.json" \
    > "$SCRATCH/broken.txt" && fail "the validator passed a broken report"
grep -q "'taskFamily' is a required property" "$SCRATCH/broken.txt" || fail "validator message"
$PY "$TOP/tests/e2e/boamps_validate.py" "$TOP/schema/boamps" \
    "$TOP/schema/boamps/energy-report-llm-inference.json" || fail "Boavizta's example invalid"
$PY "$TOP/tests/e2e/boamps_validate.py" "$TOP/schema/boamps" "$out"/*.json ||
    fail "exported reports do not validate"

# contents against the runs the statistics use
model=distilbert-base-cased-distilled-squad
task=extractive_qa
wp "$db" runs --model "$model" --task "$task" --format json > "$SCRATCH/runs.json" || fail "runs"
wp "$db" export boamps --model "$model" --task "$task" > "$SCRATCH/one.json" || fail "one report"
wp "$db" export boamps --model "$model" --task "$task" --publisher "Example Lab" \
    --infra-type onPremise > "$SCRATCH/one_pub.json" || fail "one report with options"
cmp -s "$SCRATCH/one_pub.json" "$out/${model}__$task.boamps.json" || fail "stdout and -o DIR/ differ"
$PY - "$SCRATCH/one.json" "$SCRATCH/runs.json" "$out" "$model" "$task" <<'PY' || fail "report contents"
import glob, json, math, sys
rep, runs, out, model, task = sys.argv[1:6]
r = json.load(open(rep))
used = [x for x in json.load(open(runs)) if x["kwh_per_1k_inferences"] is not None]
ms = r["measures"]
assert len(ms) == len(used), (len(ms), len(used))
by_uid = {x["run_uid"]: x for x in used}
for m in ms:
    run = by_uid[m["wattprint"]["runId"]]
    assert m["powerConsumption"] == run["energy_kwh"], (m, run)
    assert m["wattprint"]["cpuEnergyKwh"] == run["cpu_energy_kwh"]
    assert m["wattprint"]["inferences"] == run["inferences"]
    assert m["measurementDuration"] == run["duration_s"]
    assert m["measurementMethod"] == "codecarbon" and m["version"]
    # BoAmps' tracking modes say what the logs mark (regression: a TDP-modelled CPU was
    # only said in the wattprint member, which BoAmps readers ignore)
    w = m["wattprint"]
    assert (m.get("cpuTrackingMode") == "constant") == (w.get("cpuBasis") == "modelled:tdp"), m
    assert (m.get("gpuTrackingMode") == "nvml") == (w.get("gpuBasis") == "measured:all-gpus"), m
    assert "cpuTrackingMode" in m and "gpuTrackingMode" in m, m  # the fixture's marks
# the measures' kWh sum to the selection's energy exactly
assert math.fsum(m["powerConsumption"] for m in ms) == math.fsum(x["energy_kwh"] for x in used)
t = r["task"]
assert t["taskStage"] == "inference" and t["taskFamily"] == task
assert t["algorithms"][0]["foundationModelName"] == model
assert t["nbRequest"] == sum(x["inferences"] for x in used)
newest = max(x["started_at"] for x in used)
assert r["header"]["reportDatetime"] == newest[:19].replace("T", " "), r["header"]
assert "publisher" not in r["header"]  # not given on this command line
assert r["infrastructure"]["infraType"] == "other"  # not given on this command line
gpu = [c for c in r["infrastructure"]["components"] if c["componentType"] == "gpu"]
assert gpu and gpu[0]["nbComponent"] == 8, gpu  # "8 x NVIDIA A100-SXM4-80GB"
assert r["environment"]["country"] == "United States", r["environment"]
kwh = sum(m["powerConsumption"] for m in ms)
g = sum(m["wattprint"]["emissionsG"] for m in ms)
assert abs(r["environment"]["powerSourceCarbonIntensity"] - g / kwh) < 1e-9 * g / kwh
# ids: UUID-shaped, one per report, all different
ids = [json.load(open(f))["header"]["reportId"] for f in glob.glob(out + "/*.json")]
assert len(set(ids)) == len(ids)
assert all(len(i) == 36 and i[14] == "8" for i in ids)
assert json.load(open(glob.glob(out + "/*.json")[0]))["header"]["publisher"] == \
    {"name": "Example Lab", "confidentialityLevel": "public"}
PY

# the id depends on the inputs: another file of the same model and task changes it
id1=$($PY -c 'import json,sys; print(json.load(open(sys.argv[1]))["header"]["reportId"])' "$SCRATCH/one.json")
cp "$db" "$SCRATCH/b.db"
{ echo "timestamp,run_id,duration,emissions,energy_consumed,country_iso_code"
  echo "2023-10-01T10:00:00,11111111-2222-4333-8444-555555555555,10,0.0001,0.002,USA"
} > "$SCRATCH/extra.csv"
wp "$SCRATCH/b.db" -q ingest --model "$model" --task "$task" --dataset squad --inferences 1000 \
    "$SCRATCH/extra.csv" || fail "ingest one more run"
wp "$SCRATCH/b.db" export boamps --model "$model" --task "$task" > "$SCRATCH/more.json" ||
    fail "export after one more run"
id2=$($PY -c 'import json,sys; print(json.load(open(sys.argv[1]))["header"]["reportId"])' "$SCRATCH/more.json")
[ "$id1" != "$id2" ] || fail "the report id did not change with its inputs"

# round trip: the reports ingest as runs, and export the same reports again (but the id)
wp "$SCRATCH/rt.db" -q ingest "$out" || fail "ingest the reports"
[ "$(wp "$SCRATCH/rt.db" sources --format csv | grep -c ',boamps,')" = "$n_groups" ] ||
    fail "the reports were not all read as boamps"
wp "$SCRATCH/rt.db" -q export boamps -o "$SCRATCH/rt/" --publisher "Example Lab" \
    --infra-type onPremise || fail "export from the reports"
diff -r -I '"reportId"' "$out" "$SCRATCH/rt" >&2 || fail "round trip changed the reports"
wp "$db" stats --format csv | cut -d, -f1-6 > "$SCRATCH/s1.csv"
wp "$SCRATCH/rt.db" stats --format csv | cut -d, -f1-6 > "$SCRATCH/s2.csv"
cmp -s "$SCRATCH/s1.csv" "$SCRATCH/s2.csv" || fail "the statistics of the round trip differ"

# the other meters' fixtures round-trip too: runs without a date (no header), without a
# UUID (the store's own run keys are not exported), with hardware named on some runs only
wp "$SCRATCH/fm.db" -q ingest --manifest "$FIX/formats/manifest.csv" "$FIX/formats" 2>/dev/null ||
    fail "ingest fixtures/formats"
wp "$SCRATCH/fm.db" -q export boamps -o "$SCRATCH/fm/" || fail "export fixtures/formats"
$PY "$TOP/tests/e2e/boamps_validate.py" "$TOP/schema/boamps" "$SCRATCH/fm"/*.json ||
    fail "reports of fixtures/formats do not validate"
grep -q '"runId": "source:' "$SCRATCH"/fm/*.json && fail "a store key exported as a run id"
wp "$SCRATCH/fm2.db" -q ingest "$SCRATCH/fm" || fail "ingest the reports of fixtures/formats"
wp "$SCRATCH/fm2.db" -q export boamps -o "$SCRATCH/fm2/" || fail "export them again"
diff -r -I '"reportId"' "$SCRATCH/fm" "$SCRATCH/fm2" >&2 || fail "fixtures/formats round trip changed"

# Boavizta's example (format 0.1): one run of llama2-13b, chatbot, one request
wp "$SCRATCH/ex.db" -q ingest "$TOP/schema/boamps/energy-report-llm-inference.json" ||
    fail "ingest Boavizta's example"
wp "$SCRATCH/ex.db" runs --format json > "$SCRATCH/ex.json" || fail "runs of the example"
$PY - "$SCRATCH/ex.json" <<'PY' || fail "the example's run"
import json, sys
(r,) = json.load(open(sys.argv[1]))
assert r["model"] == "llama2-13b" and r["task"] == "chatbot" and r["inferences"] == 1, r
assert abs(r["energy_kwh"] - 0.00267074) < 1e-18 and r["duration_s"] == 19.09390426, r
assert r["started_at"] == "2024-09-30T09:09:40", r
PY

# usage: several reports need a folder; unknown formats and values; nothing selected
code() { "$@" >/dev/null 2>"$SCRATCH/err"; echo $?; }
[ "$(code wp "$db" export boamps)" = 2 ] || fail "several reports to stdout: exit 2"
grep -q "give -o DIR/" "$SCRATCH/err" || fail "message for several reports"
[ "$(code wp "$db" export nope)" = 2 ] || fail "unknown format: exit 2"
[ "$(code wp "$db" export boamps --model "$model" --task "$task" --confidentiality open)" = 2 ] ||
    fail "bad --confidentiality: exit 2"
[ "$(code wp "$db" export boamps --model no/such)" = 1 ] || fail "empty selection: exit 1"
grep -q "no runs to export" "$SCRATCH/err" || fail "message for an empty selection"
# a report that cannot be written leaves nothing behind
mkdir -p "$SCRATCH/ro" && chmod 555 "$SCRATCH/ro"
if [ "$(id -u)" != 0 ]; then
    [ "$(code wp "$db" export boamps --model "$model" --task "$task" -o "$SCRATCH/ro/x.json")" = 1 ] ||
        fail "unwritable output: exit 1"
    [ -z "$(ls "$SCRATCH/ro")" ] || fail "an unwritable output left files"
fi
exit 0
