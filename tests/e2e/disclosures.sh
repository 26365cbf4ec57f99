# wattprint export spdx and eu-ai-act: an SPDX 3.0.1 JSON-LD document per model whose AI
# package's inference energy quantities equal `stats --by model,task` (kWh per 1,000
# inferences, as xsd:decimal text) and whose training energy is the manifest's; the EU AI
# Act form's training energy in MWh to three significant figures with its method, or N/A
# with the reason; its inference rows equal the statistics; Markdown escapes names from the
# logs; one document per model with -o DIR/; the same bytes twice; usage errors.
. "$(dirname "$0")/lib.bash"
db=$SCRATCH/a.db
wp "$db" -q ingest --manifest "$FIX/synth/manifest.csv" "$FIX/synth" || fail "ingest"
hostile='evil/<b>x</b> | *y* [a](http://b) _z_'
{ echo "timestamp,run_id,duration,emissions,energy_consumed,country_iso_code"
  for i in 1 2 3; do echo "2023-10-0${i}T10:00:00,,1$i.5,0.000$i,0.00$i,FRA"; done
} > "$SCRATCH/h.csv"
wp "$db" -q ingest --model "$hostile" --task text_classification --dataset d --inferences 100 \
    "$SCRATCH/h.csv" || fail "ingest the hostile model"
wp "$db" stats --by model,task --format json > "$SCRATCH/stats.json" || fail "stats"
bloomz=bigscience/bloomz-7b1
wp "$db" export spdx --model "$bloomz" > "$SCRATCH/bloomz.spdx.json" || fail "spdx"
wp "$db" export spdx --model "$bloomz" > "$SCRATCH/again.spdx.json" || fail "spdx again"
cmp -s "$SCRATCH/bloomz.spdx.json" "$SCRATCH/again.spdx.json" || fail "two spdx runs differ"
wp "$db" export spdx --model gpt2 --publisher "Example Lab" > "$SCRATCH/gpt2.spdx.json" || fail "spdx gpt2"
wp "$db" -q export spdx -o "$SCRATCH/spdx/" || fail "spdx -o DIR/"
wp "$db" export eu-ai-act --model "$bloomz" --format json > "$SCRATCH/bloomz.form.json" || fail "form json"
wp "$db" export eu-ai-act --model gpt2 --format json > "$SCRATCH/gpt2.form.json" || fail "form gpt2"
wp "$db" export eu-ai-act --model gpt2 --format json --training-kwh 1234.5 \
    --training-method "measured with CodeCarbon on 64 A100" > "$SCRATCH/gpt2t.form.json" || fail "form --training-kwh"
wp "$db" export eu-ai-act --model gpt2 > "$SCRATCH/gpt2.form.md" || fail "form markdown"
wp "$db" export eu-ai-act --model "$hostile" > "$SCRATCH/hostile.form.md" || fail "form of the hostile model"
wp "$db" -q export eu-ai-act --format json -o "$SCRATCH/forms/" || fail "forms -o DIR/"
python3 - "$SCRATCH" "$bloomz" "$hostile" <<'PY' || fail "contents"
import glob, json, re, sys
d, bloomz, hostile = sys.argv[1:4]
stats = json.load(open(d + "/stats.json"))["groups"]
def groups(model):
    return [g for g in stats if g["model"] == model]
decimal = re.compile(r"^-?[0-9]+(\.[0-9]*)?$")  # SPDX 3.0.1's xsd:decimal pattern
def check_spdx(path, model):
    doc = json.load(open(path))
    assert doc["@context"] == "https://spdx.org/rdf/3.0.1/spdx-context.jsonld"
    by_type = {}
    for e in doc["@graph"]:
        by_type.setdefault(e["type"], []).append(e)
    (ci,) = by_type["CreationInfo"]
    assert ci["specVersion"] == "3.0.1" and re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", ci["created"])
    (pkg,) = by_type["ai_AIPackage"]
    (sdoc,) = by_type["SpdxDocument"]
    assert sdoc["rootElement"] == [pkg["spdxId"]] and pkg["spdxId"] in sdoc["element"]
    ids = {e["spdxId"] for e in doc["@graph"] if "spdxId" in e}
    assert set(ci["createdBy"]) <= ids and set(ci["createdUsing"]) <= ids
    assert pkg["name"] == model
    ec = pkg["ai_energyConsumption"]
    assert ec["type"] == "ai_EnergyConsumption"
    inf = ec["ai_inferenceEnergyConsumption"]
    gs = groups(model)
    assert len(inf) == len(gs) and gs
    for q, g in zip(inf, gs):
        assert q["type"] == "ai_EnergyConsumptionDescription" and q["ai_energyUnit"] == "kilowattHour"
        assert decimal.match(q["ai_energyQuantity"]), q
        assert float(q["ai_energyQuantity"]) == g["mean_kwh_per_1k"], (q, g)
        assert g["task"] in pkg["comment"]
    return ec, by_type
ec, _ = check_spdx(d + "/bloomz.spdx.json", bloomz)
assert [q["ai_energyQuantity"] for q in ec["ai_trainingEnergyConsumption"]] == ["59257"]
ec, t = check_spdx(d + "/gpt2.spdx.json", "gpt2")
assert "ai_trainingEnergyConsumption" not in ec
assert t["Organization"][0]["name"] == "Example Lab"
models = sorted({g["model"] for g in stats})
files = sorted(glob.glob(d + "/spdx/*.spdx.json"))
assert len(files) == len(models), (len(files), len(models))
for f in files:
    name = json.load(open(f))
    pkg = [e for e in name["@graph"] if e["type"] == "ai_AIPackage"][0]
    check_spdx(f, pkg["name"])
# the form
def check_form(path, model):
    f = json.load(open(path))
    gs = groups(model)
    assert [r["task"] for r in f["inference"]] == [g["task"] for g in gs]
    for r, g in zip(f["inference"], gs):
        assert r["kwh_per_1k_inferences"] == g["mean_kwh_per_1k"]
        assert r["ci_t_lo_kwh_per_1k"] == g["ci_t_lo_kwh_per_1k"] and r["n"] == g["n"]
        # the exact end, flagged by the one rule (stats.h); the unit of the interval stated
        assert r["ci_t_lo_below_zero"] == (g["ci_t_lo_kwh_per_1k"] is not None and g["ci_t_lo_kwh_per_1k"] < 0)
        assert r["ci_t_lo_below_zero"] == g["ci_t_lo_below_zero"]
        assert r["interval_unit"] == g["unit"] and r["n_units"] == g["n_units"], r
    assert f["measured_with"] == "CodeCarbon" and "RAM is always modelled" in f["modelled_components"][0]
    return f
f = check_form(d + "/bloomz.form.json", bloomz)
assert f["training"]["energy_mwh"] == 59.257 and f["training"]["energy_mwh_text"] == "59.3"
assert "manifest" in f["training"]["method"] and f["training"]["na_reason"] is None
f = check_form(d + "/gpt2.form.json", "gpt2")
assert f["training"]["energy_mwh"] is None and f["training"]["energy_mwh_text"] == "N/A"
assert "--training-kwh" in f["training"]["na_reason"]
f = check_form(d + "/gpt2t.form.json", "gpt2")
assert f["training"]["energy_mwh_text"] == "1.23" and f["training"]["method"].startswith("measured with")
assert len(glob.glob(d + "/forms/*.eu-ai-act.json")) == len(models)
md = open(d + "/gpt2.form.md").read()
assert "| N/A | the training energy is not in the measurement logs" in md
assert "| text\\_generation | " in md
h = open(d + "/hostile.form.md").read()
assert "<b>" not in h and "evil/&lt;b&gt;x&lt;/b&gt; \\| \\*y\\* \\[a\\]\\(http://b\\) \\_z\\_" in h, h[:300]
PY

# documents valid against SPDX's own 3.0.1 JSON schema (schema/spdx/, offline); the
# validator fails on a document that breaks it (a unit outside the vocabulary, an exponent).
# About 1 s of CPU a document (the schema's oneOf over every class): the two above and the
# first and last of the folder's, which the same writer made (all of them took 60 s a suite)
if under_asan; then
    skipped_asan "disclosures: SPDX schema validation with python3-jsonschema (make test runs it)"
else
    folder=("$SCRATCH"/spdx/*.spdx.json)
    /usr/bin/python3 "$TOP/tests/e2e/spdx_validate.py" "$TOP/schema/spdx/spdx-json-schema.json" \
        "$SCRATCH/bloomz.spdx.json" "$SCRATCH/gpt2.spdx.json" "${folder[0]}" "${folder[-1]}" ||
        fail "exported SPDX documents do not validate"
    sed -e 's/"kilowattHour"/"kWh"/' -e 's/"ai_energyQuantity": "59257"/"ai_energyQuantity": "5.9257e4"/' \
        "$SCRATCH/bloomz.spdx.json" > "$SCRATCH/broken.spdx.json"
    /usr/bin/python3 "$TOP/tests/e2e/spdx_validate.py" "$TOP/schema/spdx/spdx-json-schema.json" \
        "$SCRATCH/broken.spdx.json" > "$SCRATCH/broken.txt" && fail "the SPDX validator passed a broken document"
    grep -q "'kWh' is not one of" "$SCRATCH/broken.txt" && grep -q "5.9257e4" "$SCRATCH/broken.txt" ||
        fail "SPDX validator messages: $(cat "$SCRATCH/broken.txt")"
fi

# measured or modelled, as the logs mark each component (regression: the SPDX comment said
# "Energy measured" and the form "Measured energy" over CodeCarbon's modelled CPU and RAM);
# a training energy whose method nobody stated is not presented as a method
sqlite3 "$db" "SELECT DISTINCT m.gpu_basis || ',' || m.cpu_basis || ',' || m.ram_basis
               FROM measurement m JOIN run r ON r.id = m.run_id JOIN experiment e ON e.id = r.experiment_id
               JOIN model o ON o.id = e.model_id
               WHERE o.name = '$bloomz'" > "$SCRATCH/marks.txt" 2>&1 || fail "marks: $(cat "$SCRATCH/marks.txt")"
[ "$(cat "$SCRATCH/marks.txt")" = "measured:all-gpus,modelled:tdp,modelled:ram" ] ||
    fail "the fixture's marks changed: $(cat "$SCRATCH/marks.txt")"
wp "$db" export eu-ai-act --model "$bloomz" > "$SCRATCH/bloomz.form.md" || fail "form markdown of bloomz"
python3 - "$SCRATCH" <<'PY' || fail "measured or modelled"
import json, sys
d = sys.argv[1]
words = "GPU measured (idle GPUs counted), CPU modelled, RAM modelled"
pkg = [e for e in json.load(open(d + "/bloomz.spdx.json"))["@graph"] if e["type"] == "ai_AIPackage"][0]
assert "measured by" not in pkg["comment"] and words + " (a modelled component is an estimate" in pkg["comment"], pkg["comment"]
f = json.load(open(d + "/bloomz.form.json"))
assert f["components"] == words, f["components"]
assert "not stated" in f["training"]["method"], f["training"]
md = open(d + "/bloomz.form.md").read()
assert "Measured energy" not in md and "Measured with" not in md, md
assert "the total of " + words in md, md
assert "whether measured or estimated is not stated" in md, md
# the interval is in the mean's unit (regression: its column said "Interval (kWh)")
assert "| Task | kWh per 1,000 inferences | 95% interval (kWh per 1,000 inferences) | n |" in md, md
assert "Interval (kWh)" not in md, md
f = json.load(open(d + "/gpt2t.form.json"))  # a method given is printed as given
assert f["training"]["method"] == "measured with CodeCarbon on 64 A100", f["training"]
PY

# in a script (one process, the analyses shared): the same bytes as alone
cat > "$SCRATCH/x.script" <<EOF
export spdx --model $bloomz > $SCRATCH/s/bloomz.spdx.json
export eu-ai-act --model gpt2 --format json > $SCRATCH/s/gpt2.form.json
export sci --format json > $SCRATCH/s/sci.json
EOF
mkdir -p "$SCRATCH/s"
wp "$db" -q script "$SCRATCH/x.script" || fail "script of exports"
cmp -s "$SCRATCH/s/bloomz.spdx.json" "$SCRATCH/bloomz.spdx.json" || fail "spdx in a script differs"
cmp -s "$SCRATCH/s/gpt2.form.json" "$SCRATCH/gpt2.form.json" || fail "form in a script differs"
wp "$db" -q export sci --format json | cmp -s - "$SCRATCH/s/sci.json" || fail "sci in a script differs"

code() { "$@" >/dev/null 2>"$SCRATCH/err"; echo $?; }
[ "$(code wp "$db" export spdx)" = 2 ] || fail "several models to stdout: exit 2"
grep -q "give -o DIR/, or --model M" "$SCRATCH/err" || fail "message for several models"
[ "$(code wp "$db" export eu-ai-act --model gpt2 --format csv)" = 2 ] || fail "--format csv: exit 2"
[ "$(code wp "$db" export eu-ai-act --model gpt2 --training-method x)" = 2 ] ||
    fail "--training-method alone: exit 2"
[ "$(code wp "$db" export sci --training-kwh 3)" = 2 ] || fail "--training-kwh for sci: exit 2"
[ "$(code wp "$db" export spdx --model no/such)" = 1 ] || fail "unknown model: exit 1"
exit 0
