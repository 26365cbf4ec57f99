# Values too large (or too small) for the figures derived from them: 1e300 kWh at one
# inference is finite, but 3.6e309 J per 1,000 inferences is not, nor its square in a
# variance, nor a ratio to 1e-300 kWh.  Ingest refuses a magnitude beyond 1e60 (or a
# non-zero one under 1e-60) with FILE:LINE:COL, exit 1 and the database unchanged, in every
# format (CSV, JSON); --skip-bad-rows sets the row aside and keeps the others.  Regression
# test of #19 item 9 (they were carried as null with a warning).  Then the most extreme
# values accepted, together, never print `inf` or `nan`: JSON stays strict, CSV and tables
# carry no inf, nan or nan-nan, in the report and batch too.
. "$(dirname "$0")/lib.bash"
cd "$SCRATCH" || fail "cd"
src=$FIX/synth/complete
f=$(ls "$src" | head -1)
# row_with ENERGY_KWH N: line N of the synthetic file with its energy (column 13) set and
# its parts left empty
row_with() {
    sed -n "${2}p" "$src/$f" | awk -F, -v e="$1" 'BEGIN { OFS = "," } { $10 = ""; $11 = ""; $12 = ""; $13 = e; print }'
}
wp h.db -q migrate || fail "migrate"
before=$(dbsum h.db)
for bad in 1e300 1e61 -1e300 1e-300 1e-61 4.9e-324; do
    { head -1 "$src/$f"; sed -n 2p "$src/$f"; row_with "$bad" 3; } > huge.csv
    wp h.db ingest --model m --task t --dataset d --inferences 1 huge.csv 2> err.txt &&
        fail "$bad kWh was ingested"
    grep -q "huge.csv:3:13: energy_consumed: \"$bad\" is out of range (wattprint reads magnitudes from 1e-60 to 1e60" err.txt ||
        fail "$bad: message: $(cat err.txt)"
    [ "$(dbsum h.db)" = "$before" ] || fail "$bad: the database changed"
done
# --skip-bad-rows: the row set aside, the other kept
wp h.db ingest --skip-bad-rows --model m --task t --dataset d --inferences 1 huge.csv 2> err.txt ||
    fail "skip-bad-rows: $(cat err.txt)"
[ "$(wp h.db runs --format csv | tail -n +2 | wc -l)" = 1 ] || fail "skip-bad-rows kept $(wp h.db runs --format csv)"
wp h.db rejected | grep -q "out of range" || fail "the rejected row does not say why"
# JSON (optimum-benchmark) and another CSV layout (Zeus): the same bound
ob=$FIX/formats/optimum-benchmark/pytorch/benchmark.json
python3 - "$ob" <<'PY' > ob.json
import json, sys
d = json.load(open(sys.argv[1]))
d["report"]["prefill"]["energy"]["gpu"] = 1e300
json.dump(d, sys.stdout, indent=2)
PY
wp j.db ingest ob.json 2> err.txt && fail "optimum-benchmark: 1e300 kWh ingested"
grep -q "ob.json:[0-9]*: phase prefill: energy.gpu is out of range (wattprint reads magnitudes" err.txt ||
    fail "optimum-benchmark: $(cat err.txt)"
{ head -2 "$FIX/formats/zeus/zeus_monitor.csv"; echo "4214.10,step,1e-200,1.5,2.5"; } > z.csv
wp z.db ingest z.csv 2> err.txt && fail "zeus: 1e-200 s ingested"
grep -q "z.csv:3:3: elapsed_time: \"1e-200\" is out of range" err.txt || fail "zeus: $(cat err.txt)"

# the extremes accepted, in one experiment: 1e60 and 1e-60 kWh at one inference
{ head -1 "$src/$f"; row_with 1e60 2; row_with 1e-60 3; row_with -0 4; sed -n 5p "$src/$f"; } > edge.csv
wp e.db -q ingest --model m --task t --dataset d --inferences 1 edge.csv || fail "the extremes accepted"
# strict JSON: Python's parser takes Infinity and NaN unless told not to
strict_json() {
    python3 -c '
import json, sys
def no(c): raise ValueError("not JSON: " + c)
json.load(sys.stdin, parse_constant=no)' || fail "$1: invalid JSON"
}
for args in "stats" "stats --over experiments" "stats --by model" "stats --show all" "runs"; do
    # shellcheck disable=SC2086
    wp e.db $args --format json > out.json 2> err.txt || { cat err.txt >&2; fail "$args json"; }
    strict_json "$args" < out.json
    LC_ALL=C grep -qiw 'inf\|nan\|-nan\|infinity' out.json && fail "$args: inf or nan in JSON"
    grep -q "too large to compute" err.txt && fail "$args: an accepted value overflowed: $(cat err.txt)"
    # shellcheck disable=SC2086
    wp e.db $args --format csv > out.csv 2> /dev/null || fail "$args csv"
    LC_ALL=C grep -qiw 'inf\|nan\|infinity' out.csv && { cat out.csv >&2; fail "$args: inf or nan in CSV"; }
    # shellcheck disable=SC2086
    wp e.db $args > out.txt 2> /dev/null || fail "$args table"
    LC_ALL=C grep -qiw 'inf\|nan\|infinity' out.txt && { cat out.txt >&2; fail "$args: inf or nan in the table"; }
    grep -q 'nan-nan' out.txt && fail "$args: nan-nan"
done
# the largest and smallest values are there, and per 1,000 inferences (x 1000)
wp e.db runs --format json | python3 -c '
import json, sys
r = {x["line"]: x for x in json.load(sys.stdin)}
assert abs(r[2]["energy_kwh"] / 1e60 - 1) < 1e-15 and abs(r[2]["kwh_per_1k_inferences"] / 1e63 - 1) < 1e-15, r[2]
assert abs(r[3]["energy_kwh"] / 1e-60 - 1) < 1e-15, r[3]' || fail "the extremes are not shown as ingested"
# the report, as PDF and web page
wp e.db report -o r.pdf 2> err.txt || { cat err.txt >&2; fail "report"; }
pdftotext r.pdf - | grep -qiw 'inf\|nan' && fail "inf or nan in the report"
wp e.db report -o r.html 2> /dev/null || fail "report html"
sed 's/<[^>]*>/ /g' r.html | grep -qiw 'inf\|nan' && fail "inf or nan in the web report"
# batch stats.json: the same JSON
printf 'output: bout\nreports:\n  - name: a\n    produce: [stats]\n' > b.yaml
wp e.db batch b.yaml 2> /dev/null || fail "batch"
strict_json "batch stats.json" < bout/a/stats.json
exit 0
