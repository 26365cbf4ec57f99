# Leaderboard rows (issue 28): a configuration measured three times has its energy per
# request with a 95% Student t interval over its runs (hand-computed below), a
# configuration on a B200 or a class B model on several GPUs is marked informative (AI
# Energy Score rates single-GPU H100 measurements only), and every row links to its
# model's label page, which lists that model's configurations on the task.
. "$(dirname "$0")/lib.bash"
G=$FIX/genai
mkdir -p "$SCRATCH/in"
cp "$G"/mlenergy/*.json "$SCRATCH/in/"
# gemma on one H100 measured twice more: 40, 44 and 39 J per request
for e in 44 39; do
    sed "s/\"energy_per_request_joules\": 40.0/\"energy_per_request_joules\": $e.0/" \
        "$G/mlenergy/v3_gemma-3-4b_lm-arena-chat.json" > "$SCRATCH/in/v3_gemma-3-4b_lm-arena-chat_$e.json"
done
sed 's/^v3_gemma-3-4b_lm-arena-chat.json,/v3_gemma-3-4b_lm-arena-chat*.json,/' "$G/manifest.csv" \
    > "$SCRATCH/manifest.csv"
db=$SCRATCH/lb.db
wp "$db" -q ingest --manifest "$SCRATCH/manifest.csv" "$SCRATCH/in" || fail "ingest"
wp "$db" -q leaderboard -o "$SCRATCH/lb" || fail "leaderboard"
python3 - "$SCRATCH/lb" <<'PY' || fail "rows"
import json, math, os, sys, statistics
d = sys.argv[1]
j = json.load(open(os.path.join(d, "leaderboard.json")))
rows = j["rows"]
g = [r for r in rows if r["model"] == "google/gemma-3-4b-it"]
assert len(g) == 1 and g[0]["runs"] == 3, g
ci = g[0]["j_per_request_interval"]
x = [40.0, 44.0, 39.0]
m, sd = statistics.mean(x), statistics.stdev(x)
half = 4.302652729911275 * sd / math.sqrt(3)   # t(0.975, 2)
assert ci["unit"] == "J" and ci["over"] == "runs" and ci["n"] == 3, ci
assert abs(ci["sd"] - sd) < 1e-9 and abs(ci["lo"] - (m - half)) < 1e-9 and abs(ci["hi"] - (m + half)) < 1e-9, (ci, m, half)
assert abs(g[0]["metrics"]["j_per_request"]["value"] - m) < 1e-9
# one run: no interval
one = [r for r in rows if r["runs"] == 1]
assert one and all(r["j_per_request_interval"]["lo"] is None for r in one)
# informative: the B200 row; Qwen3-32B (class B) on 2 and 4 GPUs; single-H100 rows are not
for r in rows:
    hw = r["hardware"]
    want = hw["gpu_model"] != "H100" and "H100" not in hw["gpu_model"] or \
        (r["size_class"] in ("A", "B") and hw["gpu_count"] > 1)
    assert r["informative"] == want, r
    assert (r["informative_reason"] is None) == (not want), r
assert any(r["informative"] and "not an H100" in r["informative_reason"] for r in rows)
assert any(r["informative"] and "several GPUs" in r["informative_reason"] for r in rows)
# every row's label exists and lists the row's configuration
for r in rows:
    p = os.path.join(d, r["label"])
    assert os.path.isfile(p), p
    page = open(p).read()
    assert r["hardware"]["gpu_model"] in page and "Content-Security-Policy" in page, p
    assert "<script" not in page
index = open(os.path.join(d, "index.html")).read()
for r in rows:
    assert 'href="%s"' % r["label"] in index, r["label"]
assert "95% CI over runs (J)" in index and "Comparable with AI Energy Score" in index
# the interval in the gemma label page: 35.4-46.6 J
gp = open(os.path.join(d, g[0]["label"])).read()
assert "%.4g\u2013%.4g" % (m - half, m + half) in gp, gp
PY
# the same bytes for the same database
wp "$db" -q leaderboard -o "$SCRATCH/lb2" || fail "leaderboard again"
diff -r "$SCRATCH/lb" "$SCRATCH/lb2" || fail "not deterministic"
echo ok
