# wattprint card: the front matter parses as YAML (PyYAML when /usr/bin/python3 has it, else
# a strict line check) and its numbers equal `wattprint stats --by model,task --format
# json`; co2_eq_emissions only appears when training emissions are known; --all writes one
# file per model; a hostile model name is escaped in the text and quoted in the YAML; an
# unknown placeholder in a template is an error at FILE:LINE:COL; the same bytes twice.
. "$(dirname "$0")/lib.bash"
PY=/usr/bin/python3
db=$SCRATCH/a.db
wp "$db" -q ingest --manifest "$FIX/synth/manifest.csv" "$FIX/synth" || fail "ingest"
hostile='evil/<script>alert(1)</script> *x* [a](http://b) | "q" {{model}} \ # &amp;'
{ echo "timestamp,experiment_id,project_name,duration,emissions,energy_consumed,country_name,country_iso_code,region,on_cloud,cloud_provider,cloud_region"
  for i in 1 2 3; do echo "2023-10-0${i}T10:00:00,e,p,1$i.5,0.000$i,0.00$i,France,FRA,,N,,"; done
} > "$SCRATCH/h.csv"
wp "$db" -q ingest --model "$hostile" --task text_classification --dataset d \
    --inferences 100 "$SCRATCH/h.csv" || fail "ingest the hostile model"
wp "$db" stats --by model,task --format json > "$SCRATCH/stats.json" || fail "stats"

model=bigscience/bloomz-7b1
wp "$db" card "$model" -o "$SCRATCH/out/cards/bloomz.md" || fail "card"
wp "$db" card "$model" > "$SCRATCH/stdout.md" || fail "card to stdout"
cmp -s "$SCRATCH/out/cards/bloomz.md" "$SCRATCH/stdout.md" || fail "two runs differ"
wp "$db" card "$hostile" -o "$SCRATCH/out/cards/" || fail "card of the hostile model"
hostile_file=$SCRATCH/out/cards/evil--_script_alert_1__--script___x___a__http_----b_____q____model________amp_.md
[ -f "$hostile_file" ] || { ls "$SCRATCH/out/cards" >&2; fail "the hostile model's file name"; }
wp "$db" card "$model" -o "$SCRATCH/fra.md" --training-region FRA --training-type pre-training ||
    fail "card --training-region"
wp "$db" card "$model" -o "$SCRATCH/given.md" --training-emissions 1234.5 \
    --training-source "the model's paper" --training-hardware "384 x A100" || fail "card --training-emissions"

$PY - "$SCRATCH/out/cards/bloomz.md" "$SCRATCH/stats.json" "$hostile_file" "$hostile" \
    "$SCRATCH/fra.md" "$SCRATCH/given.md" <<'PY' || fail "card contents"
import json, re, sys
card, stats, hostile_file, hostile, fra, given = sys.argv[1:7]
try:
    import yaml
except ImportError:
    yaml = None

def front(path):
    text = open(path, encoding="utf-8").read()
    assert text.startswith("---\n"), path
    head, body = text[4:].split("\n---\n", 1)
    if yaml:
        return yaml.safe_load(head), body
    # strict check without PyYAML: every line a key, a list item or a flow list, every
    # string double-quoted and valid as JSON, every other scalar a number or null
    scalar = r'("(?:[^"\\]|\\.)*"|-?[0-9][0-9.e+-]*|null)'
    for line in head.split("\n"):
        assert re.fullmatch(r' *(- )?[a-z_0-9]+:( ' + scalar + r'| \[(' + scalar +
                            r'(, ' + scalar + r')*)?\])?', line), "bad YAML line: %r" % line
    return None, body

meta, body = front(card)
groups = [g for g in json.load(open(stats))["groups"] if g["model"] == "bigscience/bloomz-7b1"]
assert len(groups) == 3
if meta:
    assert "co2_eq_emissions" not in meta, "no training emissions are known"
    ie = meta["inference_energy"]
    assert ie["model"] == "bigscience/bloomz-7b1"
    # regression (issue 25): no local paths, the inputs' digest and the command listing them
    assert ie["input_files"] >= 9 and re.fullmatch(r"[0-9a-f]{64}", ie["input_files_sha256"])
    assert ie["input_files_listed_by"] == "wattprint sources --model 'bigscience/bloomz-7b1'"
    assert {r["task"]: r.get("pipeline_tag") for r in ie["results"]} == {
        "extractive_qa": "question-answering", "summarization": "summarization",
        "text_classification": "text-classification"}, ie["results"]
    res = {r["task"]: r for r in ie["results"]}
    for g in groups:
        r = res[g["task"]]
        assert r["n"] == g["n"] and r["runs"] == g["runs"]
        assert r["energy_kwh_per_1000_inferences"] == g["mean_kwh_per_1k"], (r, g)
        assert r["energy_kwh_per_1000_inferences_ci"] == [g["ci_t_lo_kwh_per_1k"], g["ci_t_hi_kwh_per_1k"]]
        assert r["energy_kwh_per_1000_inferences_ci_bootstrap"] == [g["ci_boot_lo_kwh_per_1k"], g["ci_boot_hi_kwh_per_1k"]]
        assert r["emissions_g_per_1000_inferences"] == g["mean_g_co2eq_per_1k"]
        assert r["emissions_g_per_1000_inferences_ci"] == [g["ci_t_lo_g_co2eq_per_1k"], g["ci_t_hi_g_co2eq_per_1k"]]
        assert 1 <= r["stars"] <= 5 and r["rated_models"] >= 2
else:
    head = open(card).read().split("\n---\n")[0]
    for g in groups:
        assert "energy_kwh_per_1000_inferences: %s" % repr(g["mean_kwh_per_1k"]) in head, g["task"]
for g in groups:
    assert "| %s (Hub: " % g["task"].replace("_", "\\_") in body
assert "co2_eq_emissions" in body and "training emissions" in body  # says why it is left out
assert "Methodology" in body and "SHA-256" in body and "smartphone charges" in body
assert re.search(r"[0-9a-f]{64}", body)

meta, body = front(hostile_file)
if meta:
    assert meta["inference_energy"]["model"] == hostile, meta["inference_energy"]["model"]
assert "<script>" not in body and "&lt;script&gt;" in body, body[:400]
assert "\\*x\\*" in body and "\\[a\\](http://b)" in body and "\\|" in body and "\\{\\{model\\}\\}" in body
assert "&amp;amp;" in body

meta, body = front(fra)
if meta:
    co2 = meta["co2_eq_emissions"]
    assert co2["training_type"] == "pre-training" and co2["geographical_location"] == "France"
    assert co2["emissions"] > 0 and "training energy" in co2["source"]
meta, body = front(given)
if meta:
    co2 = meta["co2_eq_emissions"]
    assert co2["emissions"] == 1234.5 and co2["source"] == "the model's paper"
    assert co2["hardware_used"] == "384 x A100" and "training_type" not in co2
assert "gives 1,234 g CO2eq for training" in body, body
PY

# the inputs' digest is what `sources --model` lists, hashed as the card says; no path of an
# input file is in the card; the newest measurement is the model's, not the database's
wp "$db" sources --model "$model" --format csv > "$SCRATCH/src.csv" || fail "sources --model"
digest=$(awk -F, 'NR > 1 {print $3}' "$SCRATCH/src.csv" | LC_ALL=C sort | sha256sum | cut -d' ' -f1)
[ "$(wc -l < "$SCRATCH/src.csv")" -gt 9 ] && [ "$(wc -l < "$SCRATCH/src.csv")" -lt 59 ] ||
    fail "sources --model lists $(wc -l < "$SCRATCH/src.csv") lines"
grep -q "^  input_files_sha256: \"$digest\"\$" "$SCRATCH/stdout.md" || fail "the inputs' digest"
grep -q "identified together by $digest" "$SCRATCH/stdout.md" || fail "the digest in the text"
grep -q "fixtures/" "$SCRATCH/stdout.md" && fail "a local path in the card"
newest=$(wp "$db" runs --model "$model" --format json |
         $PY -c 'import json,sys; print(max(r["started_at"] for r in json.load(sys.stdin)))')
all_newest=$(wp "$db" runs --format json |
         $PY -c 'import json,sys; print(max(r["started_at"] for r in json.load(sys.stdin)))')
[ "$newest" != "$all_newest" ] || fail "the fixture cannot tell the model's date from the database's"
grep -q "^  newest_measurement: \"$newest\"\$" "$SCRATCH/stdout.md" ||
    fail "newest_measurement is not the model's ($newest)"

# --all: one file per model, named from the model id
wp "$db" -q card --all -o "$SCRATCH/all" || fail "card --all"
want=$($PY -c 'import json,sys; print(len({g["model"] for g in json.load(open(sys.argv[1]))["groups"]}))' "$SCRATCH/stats.json")
got=$(ls "$SCRATCH/all" | grep -c '\.md$')
[ "$got" -eq "$want" ] || fail "--all wrote $got cards for $want models"
[ -f "$SCRATCH/all/bigscience--bloomz-7b1.md" ] || fail "--all file name"
cmp -s "$SCRATCH/all/bigscience--bloomz-7b1.md" "$SCRATCH/out/cards/bloomz.md" || fail "--all differs from one card"
ls "$SCRATCH/all" | grep -q tmp && fail "a temporary file was left behind"

# a template of one's own; an unknown placeholder is an error where it is
printf -- '---\nm: {{model}}\n---\n{{#tasks}}{{task}} {{kwh_per_1k}}\n{{/tasks}}' > "$SCRATCH/mine.md"
wp "$db" card "$model" --template "$SCRATCH/mine.md" > "$SCRATCH/mine.out" || fail "--template"
grep -q '^m: "bigscience/bloomz-7b1"$' "$SCRATCH/mine.out" || fail "custom template output"
printf 'ok {{model}}\n\n  and {{modle}}\n' > "$SCRATCH/bad.md"
"$WP" --db "$db" card "$model" --template "$SCRATCH/bad.md" 2> "$SCRATCH/err" > /dev/null
[ $? -eq 1 ] || fail "a bad template exits 1"
grep -q "bad.md:3:7: unknown placeholder {{modle}}" "$SCRATCH/err" || { cat "$SCRATCH/err" >&2; fail "bad template message"; }

# errors: no such model (1), usage (2)
"$WP" --db "$db" card nobody/none 2>/dev/null > /dev/null; [ $? -eq 1 ] || fail "unknown model exits 1"
# --into: merged into a real-shaped model card (license, tags, datasets, its own text): its
# keys and text stay, ours join the front matter, a second run changes no byte, the result
# parses as YAML with every key
cat > "$SCRATCH/README.md" <<'CARD'
---
license: apache-2.0
language:
  - en
tags:
  - text-classification   # what it does
  - bloom
datasets:
  - imdb
pipeline_tag: text-generation
---

# BLOOMZ 7B1

Fine-tuned on xP3. See the paper.

## Usage

    from transformers import pipeline
CARD
wp "$db" card "$model" --into "$SCRATCH/README.md" || fail "card --into"
cp "$SCRATCH/README.md" "$SCRATCH/once.md"
wp "$db" card "$model" --into "$SCRATCH/README.md" || fail "card --into again"
cmp -s "$SCRATCH/once.md" "$SCRATCH/README.md" || fail "card --into is not idempotent"
[ "$(grep -c '^---$' "$SCRATCH/README.md")" -eq 2 ] || fail "not one front matter"
grep -q '^# BLOOMZ 7B1$' "$SCRATCH/README.md" && grep -q 'Fine-tuned on xP3. See the paper.' "$SCRATCH/README.md" ||
    fail "the author's text is gone"
[ "$(grep -c 'wattprint:energy:begin' "$SCRATCH/README.md")" -eq 1 ] || fail "not one section"
if "$PY" -c 'import yaml' 2>/dev/null; then
    "$PY" - "$SCRATCH/README.md" <<'PY' || fail "merged front matter"
import sys, yaml
d = yaml.safe_load(open(sys.argv[1]).read().split("---\n")[1])
assert d["license"] == "apache-2.0" and d["tags"] == ["text-classification", "bloom"], d
assert d["datasets"] == ["imdb"] and d["pipeline_tag"] == "text-generation", d
assert d["inference_energy"]["model"] == "bigscience/bloomz-7b1", d["inference_energy"]
PY
fi
"$WP" --db "$db" card "$model" --into "$SCRATCH/README.md" -o "$SCRATCH/x.md" 2>/dev/null; [ $? -eq 2 ] ||
    fail "--into with -o exits 2"
printf -- '---\nlicense: [mit\n---\n' > "$SCRATCH/bad.md"
cp "$SCRATCH/bad.md" "$SCRATCH/bad.orig"
"$WP" --db "$db" card "$model" --into "$SCRATCH/bad.md" 2> "$SCRATCH/err"; [ $? -eq 1 ] || fail "bad YAML merged"
grep -q "bad.md:3:1: the card's YAML front matter does not parse" "$SCRATCH/err" || fail "bad YAML: $(cat "$SCRATCH/err")"
cmp -s "$SCRATCH/bad.md" "$SCRATCH/bad.orig" || fail "a card that could not be merged was changed"
"$WP" --db "$db" card 2>/dev/null; [ $? -eq 2 ] || fail "no model exits 2"
"$WP" --db "$db" card --all 2>/dev/null; [ $? -eq 2 ] || fail "--all without -o exits 2"
"$WP" --db "$db" card "$model" --training-emissions 5 2>/dev/null; [ $? -eq 2 ] ||
    fail "--training-emissions without a source exits 2"
# logs of energy alone (nvidia-smi): the card and the report name no carbon intensity, no
# emissions method and no car's km source, since no figure is in g CO2eq
nv=$SCRATCH/nv.db
"$WP" --db "$nv" -q ingest --model m --task t --dataset d --inferences 100 \
    "$FIX/formats/nvidia-smi/handwritten.csv" || fail "ingest nvidia-smi"
"$WP" --db "$nv" -q card m -o "$SCRATCH/nv.md" || fail "card of energy alone"
grep -q "The logs hold no emissions: their meters logged energy alone." "$SCRATCH/nv.md" \
    || fail "card: no-emissions methodology"
grep -q "km driven by an average US passenger car" "$SCRATCH/nv.md" && fail "card: car source cited"
grep -q "measuring tool's estimate from the carbon intensity" "$SCRATCH/nv.md" \
    && fail "card: emissions method for no emissions"
# another model whose logs hold emissions does not change what m's card says of m's
"$WP" --db "$nv" -q ingest --model other --task t --dataset d --inferences 100 \
    "$FIX/synth/complete/extractive_qa__sciq.csv" || fail "ingest a model with emissions"
"$WP" --db "$nv" -q card m -o "$SCRATCH/nv2.md" || fail "card beside a model with emissions"
grep -q "The logs hold no emissions: their meters logged energy alone." "$SCRATCH/nv2.md" \
    || fail "card: another model's emissions taken for m's"
"$WP" --db "$nv" -q card other -o "$SCRATCH/other.md" || fail "card of the model with emissions"
grep -q "The logs hold no emissions" "$SCRATCH/other.md" && fail "card: m's lack of emissions taken for other's"
"$WP" --db "$nv" -q report -o "$SCRATCH/nv.pdf" --model m || fail "report of energy alone"
pdftotext "$SCRATCH/nv.pdf" - | tr '\n' ' ' > "$SCRATCH/nv.txt"
grep -q "ranges from n/a" "$SCRATCH/nv.txt" && fail "report: intensity range of n/a"
grep -q "The logs state no grid carbon intensity" "$SCRATCH/nv.txt" || fail "report: no intensity said"
# at an hourly intensity, the emissions as logged are unknown (null), not 0
printf 'timestamp,carbon_intensity\n2020-01-01T00:00:00Z,60\n2030-01-01T00:00:00Z,60\n' > "$SCRATCH/ci.csv"
"$WP" --db "$nv" stats --model m --intensity "$SCRATCH/ci.csv" --format json 2>/dev/null \
    | grep -q '"emissions_logged_g": null' || fail "emissions as logged of energy alone not null"
exit 0
