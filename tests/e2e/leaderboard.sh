# wattprint leaderboard -o DIR: leaderboard.json (schema_version 1, every metric with its
# unit, figures checked against hand computations from fixtures/genai and an AI Energy
# Score summary, stars within task x size class x GPU model) and index.html (self-contained:
# CSP allowing only its script by hash, nothing loaded from outside, accessible table,
# hostile names kept as text); the same bytes twice; headless Chromium runs the script
# (sort buttons) and a link's filter (#gpu=B200) hides the other rows; errors exit 1.
. "$(dirname "$0")/lib.bash"
PY=/usr/bin/python3
db=$SCRATCH/a.db
G=$FIX/genai
wp "$db" -q ingest --manifest "$G/manifest.csv" "$G/mlenergy" "$G/optimum" || fail "ingest"
hostile='evil/<script>alert(1)</script>"onload=x <img src=http://e/x.png>'
wp "$db" -q ingest --model "$hostile" --task text_generation --inferences 1000 \
    "$FIX/formats/optimum-benchmark/aienergyscore_summary/GPU_ENERGY_SUMMARY.json" ||
    fail "ingest the AI Energy Score summary"

out=$SCRATCH/lb
wp "$db" -q leaderboard -o "$out" || fail "leaderboard"
cp "$out/index.html" "$SCRATCH/first.html"
cp "$out/leaderboard.json" "$SCRATCH/first.json"
wp "$db" -q leaderboard -o "$out" || fail "leaderboard again"
cmp -s "$out/index.html" "$SCRATCH/first.html" || fail "index.html differs between two runs"
cmp -s "$out/leaderboard.json" "$SCRATCH/first.json" || fail "leaderboard.json differs"
ls "$out" | grep -q tmp && fail "a temporary file was left: $(ls "$out")"

"$PY" - "$out/leaderboard.json" "$hostile" <<'PY' || fail "leaderboard.json"
import json, math, sys
d = json.load(open(sys.argv[1]))
hostile = sys.argv[2]
assert d["schema_version"] == 1, d["schema_version"]
assert d["selection"] == {"task": None, "model": None, "gpu_model": None, "where": None}, d["selection"]
rows = d["rows"]
assert len(rows) == 9, len(rows)
for r in rows:
    for k, v in r["metrics"].items():
        assert set(v) == {"value", "unit"} and v["unit"], (k, v)
def rel(a, b):
    assert a is not None and abs(a - b) <= 1e-9 * abs(b), (a, b)
def row(model, gpu=None, batch=None):
    m = [r for r in rows if r["model"] == model and (gpu is None or r["hardware"]["gpu_model"] == gpu)
         and (batch is None or r["batch_size"] == batch)]
    assert len(m) == 1, (model, gpu, batch, len(m))
    return m[0], {k: v["value"] for k, v in m[0]["metrics"].items()}
# optimum-benchmark inference: 160 requests (prefill samples/kWh x kWh), 20,320 output
# tokens (decode tokens/kWh x kWh), prefill 1e-5 kWh = 36 J, decode 1.2e-4 kWh = 432 J
r, m = row("HuggingFaceTB/SmolLM2-1.7B-Instruct")
assert r["precision"] == "bfloat16" and r["batch_size"] == 8, r
assert r["hardware"] == {"gpu_model": "NVIDIA H100 80GB HBM3", "gpu_count": 1}, r["hardware"]
assert r["size_class"] == "A" and r["task"] == "text-generation", r
rel(m["requests"], 160); rel(m["tokens_out"], 20320)
rel(m["j_per_request"], 468 / 160)
rel(m["wh_per_1k_queries"], 468 / 160 * 1000 / 3600)
rel(m["j_per_output_token"], 468 / 20320)
rel(m["output_tokens_per_j"], 20320 / 468)
rel(m["decode_j_per_output_token"], 432 / 20320)
rel(m["prefill_j_per_request"], 36 / 160)
rel(m["decode_j_per_request"], 432 / 160)
rel(m["ttft_s"], 0.05); rel(m["request_latency_s"], 2.55)
rel(m["itl_p50_s"], 0.0195); rel(m["itl_p99_s"], 0.024)
rel(m["throughput_tokens_per_s"], 406.4)
assert m["j_per_input_token"] is None  # no input token count in the log
# AI Energy Score summary (GPU Wh per phase) over --inferences 1000
r, m = row(hostile)
rel(m["wh_per_1k_queries"], 331.82)
rel(m["j_per_request"], 331.82 * 3.6)
rel(m["preprocess_j_per_request"], 0.12 * 3.6)
rel(m["prefill_j_per_request"], 21.3 * 3.6)
rel(m["decode_j_per_request"], 310.4 * 3.6)
assert r["size_class"] == "" and r["hardware"]["gpu_model"] == "", r
# ML.ENERGY v3: figures per request and per token as logged, ITL in ms -> s
r, m = row("meta-llama/Llama-3.1-8B-Instruct", "H100", 256)
rel(m["j_per_request"], 31.25); rel(m["j_per_output_token"], 0.0625)
rel(m["output_tokens_per_j"], 16); rel(m["avg_power_w"], 450)
rel(m["itl_p90_s"], 0.05); rel(m["throughput_tokens_per_s"], 7200)
assert r["energy_per"] == "request", r["energy_per"]
# stars within lm-arena-chat x A x H100: 40, 250, 62.5, 31.25 J per request;
# w = (250 - 31.25) / 5 = 43.75: 250 -> 1 star, the others 5
assert r["stars"] == 5 and r["stars_compared_within"] == {
    "task": "lm-arena-chat", "size_class": "A", "gpu_model": "H100", "energy_scope": "GPU",
    "configurations": 4}, r
# what each meter's energy covers: Zeus (ML.ENERGY) and AI Energy Score the GPUs alone,
# CodeCarbon through optimum-benchmark the CPU, GPU and RAM
assert r["energy_scope"] == "GPU", r
scopes = {x["model"]: x["energy_scope"] for x in rows}
assert scopes["HuggingFaceTB/SmolLM2-1.7B-Instruct"] == "CPU+GPU+RAM", scopes
assert scopes[hostile] == "GPU", scopes
assert row("meta-llama/Llama-3.1-8B-Instruct", "H100", 8)[0]["stars"] == 1
# B200 is its own comparison set, of one: not rated (nothing to rate it against); Qwen3-32B
# is class B
r, _ = row("meta-llama/Llama-3.1-8B-Instruct", "B200")
assert r["stars_compared_within"]["configurations"] == 1 and r["stars"] is None, r
assert {x["size_class"] for x in rows if x["model"] == "Qwen/Qwen3-32B"} == {"B"}
print("leaderboard.json: %d rows checked" % len(rows))
PY

"$PY" - "$out/index.html" "$hostile" <<'PY' || fail "index.html structure"
import base64, hashlib, re, sys
from html.parser import HTMLParser
page = open(sys.argv[1], encoding="utf-8").read()
hostile = sys.argv[2]
assert page.startswith("<!DOCTYPE html>"), page[:20]
csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', page).group(1)
assert "default-src 'none'" in csp, csp
scripts = re.findall(r"<script>(.*?)</script>", page, re.S)
assert len(scripts) == 1, len(scripts)
h = base64.b64encode(hashlib.sha256(scripts[0].encode()).digest()).decode()
assert f"script-src 'sha256-{h}'" in csp, (h, csp)
assert "http://" not in page.replace("http://e/x.png", ""), "an external address"
class P(HTMLParser):
    def __init__(self):
        super().__init__(); self.stack = []; self.th_scope = 0; self.th = 0
        self.caption = 0; self.labels = set(); self.selects = set(); self.rows = 0
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        assert not {"src", "action"} & set(a), (tag, a)  # nothing loads
        # links only to the model's label page beside it (navigation, not a resource)
        assert "href" not in a or (tag == "a" and re.fullmatch(r"labels/[A-Za-z0-9._-]+\.html",
                                                               a["href"])), (tag, a)
        if tag in ("meta", "br", "img", "input"):
            return
        self.stack.append(tag)
        if tag == "th":
            self.th += 1; self.th_scope += "scope" in a
        if tag == "caption": self.caption += 1
        if tag == "label": self.labels.add(a.get("for"))
        if tag == "select": self.selects.add(a.get("id"))
        if tag == "tr" and "data-task" in a: self.rows += 1
        assert tag != "script" or not a, "a script element with attributes"
    def handle_endtag(self, tag):
        assert self.stack and self.stack[-1] == tag, (tag, self.stack[-3:])
        self.stack.pop()
p = P(); p.feed(page)
assert not p.stack, p.stack
assert p.th == p.th_scope and p.th > 10, (p.th, p.th_scope)
assert p.caption == 1 and p.rows == 9, (p.caption, p.rows)
assert p.selects == {"f-task", "f-class", "f-gpu"} == p.labels, (p.selects, p.labels)
assert page.count("<script>") == 1, "the hostile name became a script element"
assert "evil/&lt;script&gt;alert(1)&lt;/script&gt;&quot;onload=x" in page
print("index.html: structure and CSP checked")
PY

if ! command -v chromium > /dev/null 2>&1; then
    fail "chromium is not installed (make deps installs it)"
fi
chrome() {
    timeout 120 chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run \
        --user-data-dir="$SCRATCH/profile" --proxy-server=127.0.0.1:9 "$@" 2>> "$SCRATCH/chrome.log"
}
chrome --dump-dom "file://$out/index.html#gpu=B200" > "$SCRATCH/dom.html" || fail "chromium --dump-dom"
grep -q '<th scope="col" aria-sort="none"><button type="button">' "$SCRATCH/dom.html" ||
    fail "the script did not run (blocked by the CSP?)"
"$PY" - "$SCRATCH/dom.html" <<'PY' || fail "the link's filter"
import re, sys
dom = open(sys.argv[1], encoding="utf-8").read()
rows = re.findall(r'<tr data-task="[^"]*" data-class="[^"]*" data-gpu="([^"]*)"([^>]*)>', dom)
assert len(rows) == 9, len(rows)
shown = [g for g, rest in rows if "hidden" not in rest]
assert shown == ["B200"], shown
print("chromium: sort buttons, #gpu=B200 shows", shown)
PY

# errors: nothing to rank, no -o, a folder that is a file
"$WP" --db "$SCRATCH/empty.db" migrate 2> /dev/null || fail "make an empty database" # a missing one is an error
"$WP" --db "$SCRATCH/empty.db" leaderboard -o "$SCRATCH/e" 2> "$SCRATCH/err" && fail "an empty database ranked"
grep -q 'nothing to rank' "$SCRATCH/err" || fail "empty: $(cat "$SCRATCH/err")"
[ ! -e "$SCRATCH/e/index.html" ] || fail "an empty leaderboard was written"
"$WP" --db "$db" leaderboard 2> /dev/null; [ $? -eq 2 ] || fail "no -o is not a usage error"
: > "$SCRATCH/file"
"$WP" --db "$db" leaderboard -o "$SCRATCH/file" 2> "$SCRATCH/err" && fail "wrote into a file"
grep -q "$SCRATCH/file" "$SCRATCH/err" || fail "the failure does not name the path: $(cat "$SCRATCH/err")"
# a selection is stated and applied
wp "$db" -q leaderboard -o "$SCRATCH/sel" --gpu B200 || fail "leaderboard --gpu"
"$PY" -c "
import json,sys; d=json.load(open('$SCRATCH/sel/leaderboard.json'))
assert d['selection']['gpu_model'] == 'B200' and len(d['rows']) == 1, d['selection']" ||
    fail "--gpu B200"
# --where on a configuration: a number compared as a number, a text as text
wp "$db" -q leaderboard -o "$SCRATCH/w" --where batch_size=8.0 || fail "leaderboard --where"
"$PY" -c "
import json; d = json.load(open('$SCRATCH/w/leaderboard.json'))
assert d['selection']['where'] == 'batch_size=8.0', d['selection']
assert sorted(r['model'] for r in d['rows']) == ['HuggingFaceTB/SmolLM2-1.7B-Instruct',
    'meta-llama/Llama-3.1-8B-Instruct'], [r['model'] for r in d['rows']]" || fail "--where batch_size"
grep -q 'where batch_size = 8.0' "$SCRATCH/w/index.html" || fail "the page does not state --where"
wp "$db" -q leaderboard -o "$SCRATCH/w2" --where precision=bfloat16 || fail "--where precision"
grep -c '<tr data-task' "$SCRATCH/w2/index.html" | grep -qx 1 || fail "--where precision: rows"
"$WP" --db "$db" leaderboard -o "$SCRATCH/w3" --where nope=1 2> "$SCRATCH/err"; rc=$?
[ $rc -eq 2 ] && grep -q '"nope" is not a configuration key' "$SCRATCH/err" ||
    fail "--where nope: rc $rc $(cat "$SCRATCH/err")"
echo "leaderboard: ok"
