# Values that ingest accepts but whose statistics overflow a double (1e300 kWh at one
# inference: 3.6e306 J per inference, then per 1,000 and squared for the sd) never print
# `inf` or `nan`: JSON carries null (it printed `inf`, invalid JSON), CSV an empty cell, the
# tables for people a dash (the purpose table printed `nan-nan`), and a warning says how
# many values overflowed.
. "$(dirname "$0")/lib.bash"
cd "$SCRATCH" || fail "cd"
src=$FIX/synth/complete
f=$(ls "$src" | head -1)
# the first row's energy becomes 1e300 kWh (its parts left empty), the second as it was
head -1 "$src/$f" > huge.csv
sed -n 2p "$src/$f" | awk -F, 'BEGIN { OFS = "," } { $10 = ""; $11 = ""; $12 = ""; $13 = "1e300"; print }' >> huge.csv
sed -n 3p "$src/$f" >> huge.csv
wp h.db -q ingest --model m --task t --dataset d --inferences 1 huge.csv || fail "ingest"

# strict JSON: Python's parser takes Infinity and NaN unless told not to
strict_json() {
    python3 -c '
import json, sys
def no(c): raise ValueError("not JSON: " + c)
json.load(sys.stdin, parse_constant=no)' || fail "$1: invalid JSON"
}
for args in "stats" "stats --over experiments" "stats --by model" "stats --show all" "runs"; do
    # shellcheck disable=SC2086
    wp h.db $args --format json > out.json 2> err.txt || { cat err.txt >&2; fail "$args json"; }
    strict_json "$args" < out.json
    LC_ALL=C grep -qiw 'inf\|nan\|-nan\|infinity' out.json && fail "$args: inf or nan in JSON"
    # shellcheck disable=SC2086
    wp h.db $args --format csv > out.csv 2> /dev/null || fail "$args csv"
    LC_ALL=C grep -qiw 'inf\|nan\|infinity' out.csv && { cat out.csv >&2; fail "$args: inf or nan in CSV"; }
    # shellcheck disable=SC2086
    wp h.db $args > out.txt 2> /dev/null || fail "$args table"
    LC_ALL=C grep -qiw 'inf\|nan\|infinity' out.txt && { cat out.txt >&2; fail "$args: inf or nan in the table"; }
    grep -q 'nan-nan' out.txt && fail "$args: nan-nan"
done
wp h.db stats --format json > /dev/null 2> err.txt
grep -q 'warning: .* too large to compute' err.txt || { cat err.txt >&2; fail "no warning about the overflow"; }
# the report, as PDF and web page: "n/a" where a figure overflowed (its tables said "inf")
wp h.db report -o r.pdf 2> err.txt || { cat err.txt >&2; fail "report"; }
pdftotext r.pdf - | grep -qiw 'inf\|nan' && fail "inf or nan in the report"
wp h.db report -o r.html 2> /dev/null || fail "report html"
sed 's/<[^>]*>/ /g' r.html | grep -qiw 'inf\|nan' && fail "inf or nan in the web report"
# batch stats.json: the same JSON
printf 'output: bout\nreports:\n  - name: a\n    produce: [stats]\n' > b.yaml
wp h.db batch b.yaml 2> /dev/null || fail "batch"
strict_json "batch stats.json" < bout/a/stats.json
exit 0
