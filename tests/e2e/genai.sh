# Generative configurations against latency: chart pareto (PNG, SVG, PDF; the same bytes
# twice; hardware in the legend, only for points drawn; the front's label; axis titles with
# units; errors) and stats --best --max-latency (the lowest-energy configuration per model
# and task within the limit, checked by hand against fixtures/genai).
. "$(dirname "$0")/lib.bash"
PY=/usr/bin/python3
db=$SCRATCH/a.db
G=$FIX/genai
wp "$db" -q ingest --manifest "$G/manifest.csv" "$G/mlenergy" "$G/optimum" || fail "ingest"
wp "$db" -q ingest --model aes --task text_generation --inferences 1000 \
    "$FIX/formats/optimum-benchmark/aienergyscore_summary/GPU_ENERGY_SUMMARY.json" || fail "ingest AES"

out=$SCRATCH/fig
wp "$db" -q chart pareto -o "$out/p.png" -o "$out/p.svg" -o "$out/p.pdf" || fail "chart pareto"
wp "$db" -q chart pareto -o "$out/q.png" -o "$out/q.svg" -o "$out/q.pdf" || fail "chart pareto again"
for x in png svg pdf; do cmp -s "$out/p.$x" "$out/q.$x" || fail "two renders of p.$x differ"; done
"$PY" - "$out/p.png" <<'PY' || fail "png"
import struct, sys
d = open(sys.argv[1], "rb").read()
assert d[:8] == b"\x89PNG\r\n\x1a\n"
w, h = struct.unpack(">II", d[16:24])
assert 880 <= w <= 940 and h > 600, (w, h)  # column width (77 mm) at 300 dpi
print("png", w, h)
PY
text=$(pdftotext "$out/p.pdf" -) || fail "pdftotext"
for want in "Energy per output token (J)" "Inter-token latency, p50 (s)" "Pareto front" \
    "B200" "H100" "NVIDIA H100 80GB HBM3"; do
    echo "$text" | grep -qF "$want" || fail "the PDF lacks \"$want\""
done
echo "$text" | grep -q unknown && fail "the legend names hardware with no point drawn"
# throughput on x (higher is better), energy per request on y
wp "$db" -q chart pareto --x throughput_tokens_per_s --y j_per_request -o "$out/t.pdf" ||
    fail "chart pareto --x throughput"
pdftotext "$out/t.pdf" - | grep -qF "Output throughput (tokens/s)" || fail "throughput axis"
# --where on a configuration key (not a manifest column)
wp "$db" -q chart pareto --where gpu_count=1 -o "$out/w.pdf" || fail "chart pareto --where"
pdftotext "$out/w.pdf" - | grep -q "NVIDIA H100 80GB HBM3" || fail "--where gpu_count=1 lost a GPU"
# errors: an unknown column is a usage error; nothing with both values fails and says so
"$WP" --db "$db" chart pareto --x nope -o "$out/n.png" 2> "$SCRATCH/err"; rc=$?
[ $rc -eq 2 ] && grep -q '"nope" is not a column' "$SCRATCH/err" || fail "--x nope: rc $rc $(cat "$SCRATCH/err")"
"$WP" --db "$db" chart pareto --x ttft_s --gpu B200 -o "$out/n.png" 2> "$SCRATCH/err" &&
    fail "a figure without points"
grep -q 'nothing to plot' "$SCRATCH/err" || fail "empty: $(cat "$SCRATCH/err")"
[ ! -e "$out/n.png" ] || fail "an empty figure was written"
"$WP" --db "$db" chart tasks --x itl_p50_s -o "$out/n.png" 2> /dev/null; [ $? -eq 2 ] ||
    fail "--x accepted for another chart"

# stats --best: within 20 ms of median ITL, Llama's best is B200 at 0.08 J/token (its H100
# batch 256 at 0.0625 J is 34 ms); Qwen's only one within is 4 x H100 (19 ms) at 0.5 J
wp "$db" -q stats --best --max-latency 20 --format csv > "$SCRATCH/best.csv" || fail "stats --best"
"$PY" - "$SCRATCH/best.csv" <<'PY' || fail "stats --best figures"
import csv, sys
rows = {r["model"]: r for r in csv.DictReader(open(sys.argv[1]))}
l = rows["meta-llama/Llama-3.1-8B-Instruct"]
assert l["gpu_model"] == "B200" and float(l["j_per_output_token"]) == 0.08, l
assert (l["configurations"], l["within_limit"]) == ("4", "3"), l
q = rows["Qwen/Qwen3-32B"]
assert q["gpu_count"] == "4" and float(q["itl_p50_s"]) == 0.019, q
s = rows["HuggingFaceTB/SmolLM2-1.7B-Instruct"]
assert abs(float(s["j_per_output_token"]) - 468 / 20320) < 1e-15, s
assert rows["aes"]["gpu_model"] == "" and rows["aes"]["within_limit"] == "0", rows["aes"]
print("stats --best: checked", len(rows), "rows")
PY
wp "$db" -q stats --best --max-latency 40 --energy j_per_request --format json > "$SCRATCH/b.json" ||
    fail "stats --best --energy"
"$PY" -c "
import json; r = {x['model']: x for x in json.load(open('$SCRATCH/b.json'))}
l = r['meta-llama/Llama-3.1-8B-Instruct']
assert l['j_per_request'] == 31.25 and l['batch_size'] == 256, l" || fail "--max-latency 40"
"$WP" --db "$db" stats --best 2> /dev/null; [ $? -eq 2 ] || fail "--best without --max-latency"
"$WP" --db "$db" stats --best --max-latency 20 --latency j_per_request 2> /dev/null
[ $? -eq 2 ] || fail "an energy column as the latency"
echo "genai: ok"
